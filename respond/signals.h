/* Signal names for playbook parameters: "SIGKILL", "KILL", "9". */
#ifndef SGC_RP_SIGNALS_H
#define SGC_RP_SIGNALS_H

/* The signal number, or -1 when s names none. */
int rp_signal_parse(const char *s);
/* "SIGKILL" for 9; "SIG?" when unknown. */
const char *rp_signal_name(int sig);

#endif
