/* See sgclog.h. */
#include "sgclog.h"

#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>

static bool g_stderr = true, g_syslog;
static int g_level = SGC_LOG_DEBUG;

void sgc_log_setup(bool to_stderr, bool to_syslog, int level)
{
    g_stderr = to_stderr;
    g_syslog = to_syslog;
    g_level = level;
    /* the same ident and facility as the syslog alert output */
    if (to_syslog) openlog("sgc", LOG_PID | LOG_NDELAY, LOG_USER);
}

bool sgc_log_enabled(int level) { return level <= g_level && (g_stderr || g_syslog); }

void sgc_log(int level, const char *prog, const char *fmt, ...)
{
    if (!sgc_log_enabled(level)) return;
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (g_stderr) {
        if (prog)
            fprintf(stderr, "%s: %s\n", prog, msg);
        else
            fprintf(stderr, "%s\n", msg);
    }
    if (g_syslog) {
        int l = level < LOG_EMERG ? LOG_EMERG : level > LOG_DEBUG ? LOG_DEBUG : level;
        syslog(LOG_USER | l, "%s", msg);
    }
}
