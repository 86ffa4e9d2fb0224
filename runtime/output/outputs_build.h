/* The output engine of a configuration (sgc.yaml): one sink per enabled
 * output (stdout_output, file_output, syslog_output, program_output,
 * http_output, nats_output), in one queue of outputs_queue.capacity; and
 * the internal alert that reports alerts the outputs lost. */
#ifndef SGC_OUTPUT_OUTPUTS_BUILD_H
#define SGC_OUTPUT_OUTPUTS_BUILD_H

#include "config.h"
#include "output.h"
#include "outq.h"

/* NULL with a message when an output cannot work (a file that cannot be
 * opened, bad TLS material). The queue is not started. */
sgc_outq *sgc_outq_from_config(const sgc_conf *c, char *err, size_t errlen);

/* The internal alert "sgc internal: output loss" (Critical, source
 * internal) queued to every output: which outputs lost how many alerts
 * since the last report, and their last error. */
void sgc_output_loss_alert(sgc_outq *q, const sgc_output_config *cfg, const uint64_t *lost_before,
                           const uint64_t *lost_now);

#define SGC_OUTPUT_LOSS_RULE "sgc internal: output loss"

#endif
