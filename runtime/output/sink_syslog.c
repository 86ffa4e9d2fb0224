/* syslog output: syslog(3), one message per alert, the alert's priority as
 * the level (Falco's priorities are syslog's levels: emergency = LOG_EMERG
 * ... debug = LOG_DEBUG), facility LOG_USER, ident "sgc". */
#include "sink.h"

#include <stdlib.h>
#include <syslog.h>

static int syslog_send(sgc_sink *s, const sgc_alert_msg *m, char *err, size_t errlen)
{
    (void)s;
    (void)err;
    (void)errlen;
    int level = m->priority < LOG_EMERG   ? LOG_EMERG
                : m->priority > LOG_DEBUG ? LOG_DEBUG
                                          : m->priority;
    syslog(LOG_USER | level, "%.*s", (int)m->len, m->line);
    return 0;
}

static int syslog_open(sgc_sink *s, char *err, size_t errlen)
{
    (void)s;
    (void)err;
    (void)errlen;
    openlog("sgc", LOG_PID | LOG_NDELAY, LOG_USER);
    return 0;
}

static void syslog_reopen(sgc_sink *s)
{
    (void)s;
    closelog();
    openlog("sgc", LOG_PID | LOG_NDELAY, LOG_USER);
}

static void syslog_close(sgc_sink *s)
{
    closelog();
    free(s);
}

sgc_sink *sgc_sink_syslog_new(void)
{
    sgc_sink *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->name = "syslog";
    s->min_priority = 7;
    s->open = syslog_open;
    s->send = syslog_send;
    s->reopen = syslog_reopen;
    s->close = syslog_close;
    return s;
}
