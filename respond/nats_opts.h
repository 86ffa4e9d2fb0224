/* natsOptions from an rp_nats_conf: servers, TLS (CA, client certificate for
 * mutual TLS, expected host name), credentials file, user/password, token.
 * Shared by the NATS input and the NATS notifier. */
#ifndef SGC_RP_NATS_OPTS_H
#define SGC_RP_NATS_OPTS_H

#include "respond_config.h"

#include <nats/nats.h>
#include <stddef.h>

/* 0 and *out, or -1 with err. */
int rp_nats_options(const rp_nats_conf *c, natsOptions **out, char *err, size_t errlen);

#endif
