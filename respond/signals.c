/* Signal names <-> numbers for the kill actionners. */
#include "signals.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
    const char *name;
    int sig;
} table[] = {
    {"SIGHUP", SIGHUP},   {"SIGINT", SIGINT},   {"SIGQUIT", SIGQUIT}, {"SIGABRT", SIGABRT},
    {"SIGKILL", SIGKILL}, {"SIGUSR1", SIGUSR1}, {"SIGUSR2", SIGUSR2}, {"SIGTERM", SIGTERM},
    {"SIGSTOP", SIGSTOP}, {"SIGCONT", SIGCONT}, {"SIGTSTP", SIGTSTP}, {"SIGALRM", SIGALRM},
    {"SIGPIPE", SIGPIPE}, {"SIGSEGV", SIGSEGV}, {"SIGSYS", SIGSYS},
};

int rp_signal_parse(const char *s)
{
    if (!s || !*s) return -1;
    if (s[0] >= '0' && s[0] <= '9') {
        char *end;
        long v = strtol(s, &end, 10);
        return (*end || v < 1 || v > 64) ? -1 : (int)v;
    }
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (!strcasecmp(s, table[i].name) || !strcasecmp(s, table[i].name + 3)) return table[i].sig;
    return -1;
}

const char *rp_signal_name(int sig)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (table[i].sig == sig) return table[i].name;
    return "SIG?";
}
