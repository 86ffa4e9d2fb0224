/* sgc record -o EVENTS [RULES.yaml ...] [OPTIONS]
 * Capture live events (the syscalls the rules can match; default: the
 * embedded rules) and write them as an sgc event file (docs/event-format.md)
 * with full process context: a "proc" line for every process alive at start
 * (read from /proc), then one line per kernel record, exec/fork/exit
 * included. `sgc replay EVENTS RULES` then prints what `sgc run` printed.
 * Exit 0 after a clean stop, 1 when capture cannot start or the file cannot
 * be written, 2 on a usage error. */
#include "commands.h"
#include "eventfile.h"
#include "live_common.h"
#include "hostroot.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define PROG "sgc record"

static void usage(FILE *out)
{
    fputs("usage: sgc record -o EVENTS [RULES.yaml ... | ARTIFACT] [OPTIONS]\n"
          "\n"
          "Capture the events the rules can match (default: the embedded rules) and write\n"
          "them, with the context of every process, as an event file for 'sgc replay'.\n"
          "Stops on SIGINT/SIGTERM or after --duration.\n"
          "\n"
          "options:\n"
          "  -o, --output EVENTS  the event file to write ('-' = stdout)\n"
          "  --duration SECONDS   stop after this long\n"
          "  --no-pushdown        record every event of the rules' syscalls, not only those\n"
          "                       the kernel filter keeps\n"
          "  --stats-interval S   read the kernel counters every S seconds (default 10)\n"
          "  -v, --verbose        the watched syscalls, rule warnings, periodic stats\n"
          "  -h, --help           show this help\n",
          out);
}

typedef struct record_state {
    FILE *out;
    sgc_eventfile_writer *w;
    sgc_proctable *pt;
    int64_t boot_to_wall_ns;
    unsigned long long written, procs, write_errors;
} record_state;

static bool write_proc(sgc_proc *p, void *ud)
{
    record_state *s = ud;
    struct timespec now;
    clock_gettime(CLOCK_BOOTTIME, &now);
    if (p->exited) return true;
    if (sgc_eventfile_write_proc(s->w, p, (uint64_t)now.tv_sec * 1000000000u + now.tv_nsec))
        s->write_errors++;
    else
        s->procs++;
    return true;
}

/* The header and the processes alive now (the /proc scan just filled pt). */
static int on_ready(void *ud)
{
    record_state *s = ud;
    char host[256] = "localhost";
    sgc_host_name(host, sizeof host);
    s->w = sgc_eventfile_writer_open(s->out, host, s->boot_to_wall_ns);
    if (!s->w) {
        fprintf(stderr, PROG ": cannot write the event file\n");
        return -1;
    }
    sgc_proctable_foreach(s->pt, write_proc, s);
    return s->write_errors ? -1 : 0;
}

static void on_event(void *ud, const sgc_evt *ev)
{
    record_state *s = ud;
    if (sgc_eventfile_write_event(s->w, ev) != 0)
        s->write_errors++;
    else
        s->written++;
}

static void describe(void *ud, char *buf, size_t len)
{
    record_state *s = ud;
    snprintf(buf, len, "written %llu", s->written);
}

int cmd_record(int argc, char **argv)
{
    const char *path = NULL;
    double duration_s = 0, stats_interval_s = 10;
    bool nopushdown = false;
    int verbose = 0;
    const char **rules = calloc((size_t)argc + 1, sizeof *rules);
    int nrules = 0;
    if (!rules) return 1;
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        bool has_val = i + 1 < argc;
        if (o[0] != '-') {
            rules[nrules++] = o;
        } else if (!strcmp(o, "-h") || !strcmp(o, "--help")) {
            usage(stdout);
            free(rules);
            return 0;
        } else if (!strcmp(o, "--no-pushdown")) {
            nopushdown = true;
        } else if (!strcmp(o, "-v") || !strcmp(o, "--verbose")) {
            verbose++;
        } else if ((!strcmp(o, "-o") || !strcmp(o, "--output")) && has_val) {
            path = argv[++i];
        } else if ((!strcmp(o, "--duration") || !strcmp(o, "--stats-interval")) && has_val) {
            double *dst = !strcmp(o, "--duration") ? &duration_s : &stats_interval_s;
            if (!live_parse_seconds(argv[++i], dst)) {
                fprintf(stderr, PROG ": %s needs a positive number of seconds, not '%s'\n", o,
                        argv[i]);
                free(rules);
                return 2;
            }
        } else {
            fprintf(stderr, PROG ": %s '%s'\n",
                    strcmp(o, "-o") && strcmp(o, "--output") && strcmp(o, "--duration") &&
                            strcmp(o, "--stats-interval")
                        ? "unknown option"
                        : "missing value for",
                    o);
            usage(stderr);
            free(rules);
            return 2;
        }
    }
    if (!path) {
        fprintf(stderr, PROG ": needs -o EVENTS, the file to write\n");
        usage(stderr);
        free(rules);
        return 2;
    }

    live_rules lr;
    live_load_opts lo = {.verbose = verbose > 0, .no_pushdown = nopushdown};
    int rc = live_rules_load(&lr, PROG, rules, nrules, &lo);
    if (rc) {
        live_rules_free(&lr);
        free(rules);
        return rc;
    }
    /* a recording is replayed with any rules: it keeps every fork and exit */
    lr.interest.reads_lifecycle = true;
    int status = 0;
    record_state s = {0};
    s.pt = sgc_proctable_new(NULL);
    /* only a file this run creates may be removed again on failure (never
     * /dev/null or another existing path) */
    struct stat before;
    bool created = strcmp(path, "-") && stat(path, &before) != 0 && errno == ENOENT;
    s.out = !strcmp(path, "-") ? stdout : fopen(path, "w");
    if (!s.out || !s.pt) {
        fprintf(stderr, PROG ": cannot open '%s' for writing: %m\n", path);
        status = 1;
        goto out;
    }
    s.boot_to_wall_ns = sgc_boot_to_wall_ns();

    sgc_runloop_config cfg = {0};
    cfg.prog = PROG;
    cfg.duration_s = duration_s;
    cfg.stats_interval_s = stats_interval_s;
    cfg.verbose = verbose > 0;
    cfg.pt = s.pt;
    cfg.ud = &s;
    cfg.on_ready = on_ready;
    cfg.on_event = on_event;
    cfg.describe = describe;
    char err[512] = "";
    sgc_runloop_summary sum;
    if (live_run(&lr, &lo, &cfg, &sum, verbose > 1, err, sizeof err) != 0) {
        fprintf(stderr, PROG ": cannot start capture: %s\n", err);
        status = 1;
        if (created) /* nothing was recorded: leave no empty file */
            unlink(path);
        goto out;
    }
    char extra[160];
    snprintf(extra, sizeof extra, "file: %llu processes at start, %llu events written to %s",
             s.procs, s.written, path);
    sgc_runloop_print_summary(stderr, PROG, &sum, extra);
out:
    if (s.w && sgc_eventfile_writer_close(s.w) != 0) s.write_errors++;
    if (s.out && s.out != stdout && fclose(s.out) != 0) s.write_errors++;
    if (s.write_errors) {
        fprintf(stderr, PROG ": %llu lines could not be written to %s\n", s.write_errors, path);
        status = 1;
    }
    sgc_proctable_free(s.pt);
    live_rules_free(&lr);
    free(rules);
    return status;
}
