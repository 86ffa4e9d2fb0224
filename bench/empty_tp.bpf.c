/* The floors of a syscall tracer: empty programs that do nothing but run, so
 * a workload's slowdown under them is the cost of the hooks alone. Loaded by
 * bench/empty_tp.c, one set at a time:
 *  - sys_enter + sys_exit raw tracepoints (every syscall, twice): the floor
 *    of a tracer that sees every syscall at entry and exit;
 *  - syscalls/sys_exit_<name> tracepoints (one program attached to each
 *    syscall given): the floor of sgc's per-syscall hooks;
 *  - tp_btf/sys_exit (every syscall, once): the floor of sgc's raw hook. */
#define SEC(name) __attribute__((section(name), used))

SEC("raw_tracepoint/sys_enter")
int sgc_bench_empty_enter(void *ctx) { return 0; }

SEC("raw_tracepoint/sys_exit")
int sgc_bench_empty_exit(void *ctx) { return 0; }

SEC("tracepoint")
int sgc_bench_empty_syscall(void *ctx) { return 0; }

SEC("tp_btf/sys_exit")
int sgc_bench_empty_btf_exit(void *ctx) { return 0; }

char LICENSE[] SEC("license") = "GPL";
