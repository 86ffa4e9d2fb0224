/* The floor of any syscall tracer: empty raw-tracepoint programs on
 * sys_enter and sys_exit. They do nothing but run, so a workload's slowdown
 * under them is the cost of having a BPF program on every syscall at all.
 * Loaded by bench/empty_tp.c. */
#define SEC(name) __attribute__((section(name), used))

SEC("raw_tracepoint/sys_enter")
int sgc_bench_empty_enter(void *ctx) { return 0; }

SEC("raw_tracepoint/sys_exit")
int sgc_bench_empty_exit(void *ctx) { return 0; }

char LICENSE[] SEC("license") = "GPL";
