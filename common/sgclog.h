/* sgc's own log lines (not alerts): what `sgc run` says about itself while
 * it runs (readiness, lost events, outputs that lose alerts, reloads).
 * sgc.yaml's log_stderr, log_syslog and log_level (Falco's keys) choose
 * where they go and from which level:
 *
 *   stderr  "PROG: MESSAGE" (PROG: the caller's prefix, "sgc run")
 *   syslog  syslog(3), ident "sgc", facility LOG_USER, the message's level
 *           (the same numbers as Falco's priorities: 0 emergency ... 7 debug)
 *
 * Until sgc_log_setup is called every line goes to stderr only, whatever its
 * level (the other commands keep printing as before). Thread-safe: one
 * write per line. */
#ifndef SGC_SGCLOG_H
#define SGC_SGCLOG_H

#include <stdbool.h>

enum {
    SGC_LOG_EMERG = 0,
    SGC_LOG_ALERT = 1,
    SGC_LOG_CRIT = 2,
    SGC_LOG_ERR = 3,
    SGC_LOG_WARNING = 4,
    SGC_LOG_NOTICE = 5,
    SGC_LOG_INFO = 6,
    SGC_LOG_DEBUG = 7
};

/* level: the least severe level logged (SGC_LOG_*). */
void sgc_log_setup(bool to_stderr, bool to_syslog, int level);

/* Would a line of this level go anywhere? */
bool sgc_log_enabled(int level);

/* One line (no trailing newline in fmt); prog prefixes it on stderr (NULL:
 * none); syslog gets the message alone. */
__attribute__((format(printf, 3, 4))) void sgc_log(int level, const char *prog, const char *fmt,
                                                   ...);

#endif
