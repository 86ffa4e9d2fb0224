#!/bin/bash
# Write the sgc(1) man page to stdout, built from the binary's own help so
# that it names every subcommand this sgc has (a command added later shows
# up without editing a page). Usage: gen_manpage.sh SGC_BINARY
set -euo pipefail
sgc=${1:?usage: gen_manpage.sh SGC_BINARY}
version=$("$sgc" version | awk '{print $2}')
commands=$("$sgc" --help | awk '/^commands:/ { f = 1; next } f && /^  [a-z]/ { print $1 }')
[ -n "$commands" ] || { echo "gen_manpage: no commands in '$sgc --help'" >&2; exit 1; }

esc() { sed -e 's/\\/\\e/g' -e 's/^\./\\\&./' -e "s/^'/\\\\\&'/" -e 's/^-/\\-/' -e 's/ -/ \\-/g'; }

cat << ROFF
.TH SGC 1 "" "sgc $version" "User Commands"
.SH NAME
sgc \\- compile Falco\\-style runtime security rules into eBPF filters, and detect
.SH SYNOPSIS
.B sgc
.I COMMAND
.RI [ OPTIONS ]
.RI [ ARGS ]
.SH DESCRIPTION
.B sgc
reads runtime security rules written in Falco's rule language, checks them,
and compiles what each rule can decide in the kernel into an eBPF program
that drops the events no rule can match.
.B sgc run
loads that program, evaluates the rules on what passes, with full process,
file, network and container context, and writes alerts.
.PP
Run as root, or as an unprivileged user holding CAP_BPF, CAP_PERFMON,
CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH (the packaged systemd unit does so);
once its programs are attached, the BPF capabilities stay raised only while
loading. See /usr/share/doc/sgc/deploying.md.
.SH COMMANDS
ROFF
for c in $commands; do
    echo ".SS sgc $c"
    echo ".nf"
    "$sgc" "$c" --help 2>&1 | esc || true
    echo ".fi"
done
cat << 'ROFF'
.SH FILES
.TP
.I /etc/sgc/sgc.yaml
the configuration (Falco's falco.yaml schema), read by
.BR "sgc run \-c" .
.TP
.I /etc/sgc/sgc_rules.yaml
the default rules (the binary also embeds them, for running without a configuration).
.TP
.I /etc/sgc/sgc_rules.local.yaml
local rules and overrides, loaded after the defaults.
.TP
.I /etc/sgc/rules.d/
more rules files, loaded in name order.
.TP
.I /var/cache/sgc/
compiled kernel filters, reused while the rules and sgc are unchanged.
.TP
.I /var/log/sgc/
file output (rotated by /etc/logrotate.d/sgc).
.SH ENVIRONMENT
.TP
.B HOST_ROOT
prefix under which the host's /proc, /etc and container runtime sockets are
seen (a container mounting them at /host sets HOST_ROOT=/host), as in Falco.
.TP
.B SGC_HOOK_STRATEGY
.BR per\-syscall " or " raw_syscalls :
force the kernel hook (default: per\-syscall when tracefs is readable, else raw_syscalls).
.TP
.B SGC_CONTAINER_SOCKETS
colon\-separated container runtime API sockets to ask for container metadata.
.TP
.B XDG_CACHE_HOME
where the compiled\-filter cache lives (sgc/ below it).
.TP
.B NOTIFY_SOCKET
set by systemd: readiness (READY=1) is sent once the programs are attached.
.SH SIGNALS
SIGINT and SIGTERM stop with a summary; SIGHUP reloads the configuration and rules.
.SH EXIT STATUS
0 on success, 1 on an error (rules, privileges, capture), 2 on a usage error.
.SH SEE ALSO
.BR systemctl (1),
.BR setpriv (1),
.BR capabilities (7)
ROFF
