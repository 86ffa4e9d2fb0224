/* sgc report [FILES...|-] [-o FILE] [--format html|text|json] [--since T]
 *            [--until T] [--interval D]
 * Dashboards from Falco/sgc JSON alert files (report/report.h): streams every
 * file (plain or gzip; '-' or none for stdin), then writes one HTML page, text
 * tables or the aggregates as JSON. Exit 0 ok (malformed lines included),
 * 1 when an input cannot be read or the output cannot be written, 2 usage. */
#include "commands.h"
#include "report.h"
#include "report_time.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { FMT_AUTO, FMT_TEXT, FMT_JSON, FMT_HTML };

typedef struct report_args {
    const char **files;
    int nfiles;
    const char *out;
    int format;
    int bars; /* -1 auto (a terminal), 0 no, 1 yes */
    sgc_report_opts opts;
} report_args;

static void usage(FILE *out)
{
    fputs("usage: sgc report [OPTIONS] [FILES...|-]\n"
          "\n"
          "Summarize Falco/sgc JSON alert files (plain or gzip; several files, e.g. one\n"
          "per node; '-' or no file for stdin): alerts by node, rule, priority, container\n"
          "image, Kubernetes namespace and over time, and the latest alerts of each rule.\n"
          "\n"
          "options:\n"
          "  -o, --output FILE    write the report to FILE (default: stdout)\n"
          "  --format F           html, text or json (default: from FILE's extension\n"
          "                       .html/.htm or .json, else text)\n"
          "  --since T            only alerts at or after T\n"
          "  --until T            only alerts before T\n"
          "                       T: 2024-05-01T12:00:00Z (other offsets, fractions and\n"
          "                       2024-05-01 too), @EPOCH_SECONDS, now, or -DURATION (ago)\n"
          "  --interval D         time series interval (default 1m; e.g. 30s, 5m, 1h)\n"
          "  --bars, --no-bars    text: draw bars (default: when stdout is a terminal)\n"
          "  -h, --help           show this help\n"
          "\n"
          "Malformed lines are counted and listed (the first few), never fatal.\n"
          "exit status: 0 ok, 1 unreadable input or unwritable output, 2 usage\n",
          out);
}

static int usage_error(const char *fmt, const char *arg)
{
    fputs("sgc report: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nTry 'sgc report --help'.\n", stderr);
    return 2;
}

static bool has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && !strcasecmp(s + n - m, suf);
}

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * SGC_NS_PER_S + ts.tv_nsec;
}

/* One option taking a value; 0, or the exit status of a usage error. */
static int option_value(report_args *a, const char *opt, const char *val)
{
    char err[256];
    if (!strcmp(opt, "-o") || !strcmp(opt, "--output")) {
        a->out = val;
    } else if (!strcmp(opt, "--format")) {
        a->format = !strcmp(val, "html")   ? FMT_HTML
                    : !strcmp(val, "text") ? FMT_TEXT
                    : !strcmp(val, "json") ? FMT_JSON
                                           : -1;
        if (a->format < 0)
            return usage_error("unknown format '%s' (expected html, text or json)", val);
    } else if (!strcmp(opt, "--interval")) {
        if (!sgc_rtime_parse_duration(val, &a->opts.interval_ns) ||
            a->opts.interval_ns < SGC_NS_PER_S || a->opts.interval_ns > 366 * 86400 * SGC_NS_PER_S)
            return usage_error(
                "bad interval '%s' (expected a duration from 1s to 366d, e.g. 30s, 1m, 1h)", val);
    } else {
        bool since = !strcmp(opt, "--since");
        int64_t *dst = since ? &a->opts.since_ns : &a->opts.until_ns;
        if (!sgc_rtime_parse_point(val, now_ns(), dst, err, sizeof err))
            return usage_error("%s", err);
        *(since ? &a->opts.has_since : &a->opts.has_until) = true;
    }
    return 0;
}

static bool takes_value(const char *a)
{
    static const char *const opts[] = {"-o",      "--output", "--format",
                                       "--since", "--until",  "--interval"};
    for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++)
        if (!strcmp(a, opts[i])) return true;
    return false;
}

/* 0 parsed, 2 usage error, -1 --help printed. */
static int parse_args(int argc, char **argv, report_args *a)
{
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        const char *eq = strncmp(s, "--", 2) ? NULL : strchr(s, '=');
        char opt[32];
        if (eq && (size_t)(eq - s) < sizeof opt) { /* --since=T */
            memcpy(opt, s, (size_t)(eq - s));
            opt[eq - s] = '\0';
            if (takes_value(opt)) {
                int rc = option_value(a, opt, eq + 1);
                if (rc) return rc;
                continue;
            }
        }
        if (s[0] != '-' || !strcmp(s, "-")) {
            a->files[a->nfiles++] = s;
        } else if (!strcmp(s, "-h") || !strcmp(s, "--help")) {
            usage(stdout);
            return -1;
        } else if (!strcmp(s, "--bars") || !strcmp(s, "--no-bars")) {
            a->bars = !strcmp(s, "--bars");
        } else if (takes_value(s)) {
            if (i + 1 >= argc) return usage_error("missing value for '%s'", s);
            int rc = option_value(a, s, argv[++i]);
            if (rc) return rc;
        } else {
            return usage_error("unknown option '%s'", s);
        }
    }
    if (a->opts.has_since && a->opts.has_until && a->opts.since_ns >= a->opts.until_ns)
        return usage_error("%s", "--since must be before --until");
    if (a->format == FMT_AUTO)
        a->format = !a->out                                                     ? FMT_TEXT
                    : has_suffix(a->out, ".html") || has_suffix(a->out, ".htm") ? FMT_HTML
                    : has_suffix(a->out, ".json")                               ? FMT_JSON
                                                                                : FMT_TEXT;
    if (a->nfiles == 0) {
        if (isatty(STDIN_FILENO))
            return usage_error("%s", "no input: give alert files, or pipe alerts into stdin");
        a->files[a->nfiles++] = "-";
    }
    return 0;
}

static int render(const sgc_report_view *v, const report_args *a, FILE *out, bool bars)
{
    switch (a->format) {
    case FMT_JSON: return sgc_report_render_json(v, out);
    case FMT_HTML: return sgc_report_render_html(v, out);
    default: return sgc_report_render_text(v, out, bars);
    }
}

/* Write to a.out through a temporary file renamed into place (a FIFO or a
 * device is written in place), so a failed run leaves no half report. */
static int write_report(const sgc_report_view *v, const report_args *a)
{
    if (!a->out) {
        bool bars = a->bars < 0 ? isatty(STDOUT_FILENO) : a->bars;
        int rc = render(v, a, stdout, bars);
        if (fflush(stdout) != 0 || rc < 0) {
            fprintf(stderr, "sgc report: writing stdout: %s\n", strerror(errno));
            return 1;
        }
        return 0;
    }
    struct stat st;
    bool in_place = stat(a->out, &st) == 0 && !S_ISREG(st.st_mode);
    size_t n = strlen(a->out) + 16;
    char *tmp = malloc(n);
    if (!tmp) return 1;
    snprintf(tmp, n, "%s.tmpXXXXXX", a->out);
    int fd = in_place ? -1 : mkstemp(tmp);
    if (fd >= 0) { /* mkstemp's 0600 -> what open(2) would give: 0666 less the umask */
        mode_t um = umask(0);
        umask(um);
        fchmod(fd, 0666 & ~um);
    }
    FILE *f = in_place ? fopen(a->out, "w") : fd >= 0 ? fdopen(fd, "w") : NULL;
    int rc = f ? render(v, a, f, a->bars > 0) : -1;
    int saved = errno;
    if (f && fclose(f) != 0 && rc == 0) {
        rc = -1;
        saved = errno;
    }
    if (!in_place && rc == 0 && rename(tmp, a->out) != 0) {
        rc = -1;
        saved = errno;
    }
    if (rc < 0) {
        if (!in_place && fd >= 0) unlink(tmp);
        fprintf(stderr, "sgc report: writing %s: %s\n", a->out, strerror(saved));
    }
    free(tmp);
    return rc < 0 ? 1 : 0;
}

int cmd_report(int argc, char **argv)
{
    report_args a = {.bars = -1};
    a.files = calloc((size_t)argc + 1, sizeof *a.files);
    if (!a.files) return 1;
    int rc = parse_args(argc, argv, &a);
    if (rc) {
        free(a.files);
        return rc < 0 ? 0 : rc;
    }
    sgc_report r;
    sgc_report_init(&r, &a.opts);
    bool read_errors = false;
    for (int i = 0; i < a.nfiles && rc == 0; i++) {
        char err[512];
        size_t before = r.ninputs;
        if (sgc_report_read_file(&r, a.files[i], err, sizeof err) < 0) {
            fprintf(stderr, "sgc report: %s\n", err);
            /* a file read in part stays in the report; one never opened stops it */
            if (r.ninputs == before || r.oom) rc = 1;
            read_errors = true;
        }
    }
    sgc_report_view v;
    if (rc == 0 && sgc_report_view_build(&r, &v) < 0) {
        fputs("sgc report: out of memory\n", stderr);
        rc = 1;
    } else if (rc == 0) {
        rc = write_report(&v, &a);
        sgc_report_view_free(&v);
    }
    if (rc == 0 && r.malformed)
        fprintf(stderr, "sgc report: %llu malformed line%s (listed in the report)\n",
                (unsigned long long)r.malformed, r.malformed == 1 ? "" : "s");
    sgc_report_free(&r);
    free(a.files);
    return rc ? rc : read_errors ? 1 : 0;
}
