/* systemd readiness (Type=notify) without libsystemd: the protocol is one
 * datagram of "KEY=VALUE\n" lines to the unix socket named by
 * $NOTIFY_SOCKET (a path, or an abstract name starting with '@'). */
#ifndef SGC_SD_NOTIFY_H
#define SGC_SD_NOTIFY_H

/* Send state (e.g. "READY=1\nSTATUS=watching 21 syscalls"). 1 if sent,
 * 0 when not run by systemd ($NOTIFY_SOCKET unset), -1 on error (errno). */
int sgc_sd_notify(const char *state);

#endif
