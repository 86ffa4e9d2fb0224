#!/bin/bash
# Detection 13: a kernel module loaded.
# Action:  insmod (busybox's, run under the name insmod) of a file that is not a
#          module: the tool starts and calls finit_module/init_module, which the
#          kernel refuses (ENOEXEC; ENOSYS on kernels without module support, as
#          on the test machine). Nothing is loaded. If a real `modprobe` and the
#          tiny in-tree `dummy` module exist, `modprobe dummy` + `rmmod dummy`
#          is done as well.
# Rule:    "Kernel module load attempted" -- the rule catches attempts: the
#          insmod/modprobe start (exec clause) everywhere, the init_module /
#          finit_module syscall where the kernel can trace it (sgc run prints
#          which event types it cannot capture).
# Check:   proc.name = insmod, proc.cmdline names the file.
# Corpus:  none on the host: "Linux Kernel Module Injection Detected" is for
#          containers with CAP_SYS_MODULE.
. "$(dirname "$0")/lib.sh"
need_root
command -v busybox >/dev/null || skip "needs busybox"
scratch_dir
d=$SCRATCH
printf 'not a kernel module\n' > "$d/sgc-attack.ko"
t0=$(now_ns)
"$ATTACKS_DIR/lib-applet.sh" "$d" insmod "$d/sgc-attack.ko" >/dev/null 2>&1
expect "$t0" "Kernel module load attempted" "proc.name=insmod" "proc.cmdline=insmod $d/sgc-attack.ko"
if [ -x /sbin/modprobe ] && /sbin/modprobe -n dummy >/dev/null 2>&1 && ! grep -q '^dummy ' /proc/modules 2>/dev/null; then
    t1=$(now_ns)
    /sbin/modprobe dummy && /sbin/rmmod dummy
    expect "$t1" "Kernel module load attempted" "proc.name=modprobe"
fi
