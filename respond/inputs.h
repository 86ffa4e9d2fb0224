/* Where alerts come from: stdin (one JSON alert per line), an HTTP endpoint
 * (POST / with a Falco JSON alert as body, what Falco's http_output and
 * falcosidekick send to Talon), and NATS (core subscriptions, or a JetStream
 * durable consumer whose messages are acknowledged once handled, so alerts
 * published while the responder was down are handled when it returns, each
 * once). Each input hands alerts to rp_responder_handle. */
#ifndef SGC_RP_INPUTS_H
#define SGC_RP_INPUTS_H

#include "respond_config.h"
#include "responder.h"

#include <stdbool.h>
#include <stdio.h>

/* Read lines from f until EOF or *stop; returns the number of alerts
 * handled (malformed lines are reported on stderr and skipped). */
long rp_input_stream(rp_responder *r, FILE *f, volatile bool *stop);

typedef struct rp_http_input rp_http_input;
/* Start the HTTP server (its own threads). NULL with err on failure. The
 * bound port is in *port_out (useful with listen_port 0). */
rp_http_input *rp_http_input_start(rp_responder *r, const char *address, int port, int *port_out,
                                   char *err, size_t errlen);
void rp_http_input_stop(rp_http_input *h);

typedef struct rp_nats_input rp_nats_input;
/* Connect and subscribe (with durable: create the stream when absent and a
 * durable pull consumer, then fetch on a thread). NULL with err. */
rp_nats_input *rp_nats_input_start(rp_responder *r, const rp_nats_conf *c, char *err,
                                   size_t errlen);
void rp_nats_input_stop(rp_nats_input *n);

#endif
