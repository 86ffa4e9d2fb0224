#!/bin/bash
# Stable rule coverage: a service account starts a login program.
# Action:  as www-data (setpriv), run login --help (login refuses to work
#          without root and exits).
# Rule:    "Interactive command by system user"
# Check:   proc.name = login, user.name = www-data.
# Corpus:  "System user interactive" (falco_rules.yaml).
. "$(dirname "$0")/lib.sh"
need_root
command -v setpriv >/dev/null || skip "needs setpriv"
[ -x /usr/bin/login ] || [ -x /bin/login ] || skip "needs login"
id www-data >/dev/null 2>&1 || skip "needs the www-data account"
login=$(command -v login)
t0=$(now_ns)
setpriv --reuid=www-data --regid=www-data --clear-groups "$login" --help </dev/null >/dev/null 2>&1
expect "$t0" "Interactive command by system user" "proc.name=login" "user.name=www-data"
expect_corpus "$t0" "System user interactive" "proc.name=login" "user.name=www-data"
