/* Reading alert files for the report: plain or gzip (zlib reads both, and
 * concatenated gzip members), "-" for stdin, split into lines in a reused
 * buffer so a file of any size streams through. */
#include "report.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define CHUNK (256u << 10)

typedef struct line_buf {
    char *p;
    size_t len, cap;
    bool overlong;  /* the current line passed SGC_REPORT_MAX_LINE: dropped */
    size_t dropped; /* its length so far */
} line_buf;

static bool lb_append(line_buf *b, const char *s, size_t n)
{
    if (b->overlong) {
        b->dropped += n;
        return true;
    }
    if (b->len + n > SGC_REPORT_MAX_LINE) {
        b->overlong = true;
        b->dropped = b->len + n;
        b->len = 0;
        return true;
    }
    if (b->len + n + 1 > b->cap) {
        size_t nc = b->cap ? b->cap : 4096;
        while (nc < b->len + n + 1) nc *= 2;
        char *np = realloc(b->p, nc);
        if (!np) return false;
        b->p = np;
        b->cap = nc;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    return true;
}

static void lb_emit(sgc_report *r, size_t input, uint64_t lineno, line_buf *b)
{
    if (b->overlong)
        sgc_report_add_line(r, input, lineno, NULL, b->dropped);
    else
        sgc_report_add_line(r, input, lineno, b->p ? b->p : "", b->len);
    b->len = 0;
    b->overlong = false;
    b->dropped = 0;
}

/* Split buf[0..n) into lines; complete ones are counted, the rest kept in b. */
static bool feed(sgc_report *r, size_t input, uint64_t *lineno, line_buf *b, const char *buf,
                 size_t n)
{
    size_t start = 0;
    while (start < n) {
        const char *nl = memchr(buf + start, '\n', n - start);
        if (!nl) return lb_append(b, buf + start, n - start);
        size_t end = (size_t)(nl - buf);
        ++*lineno;
        if (b->len == 0 && !b->overlong) {
            sgc_report_add_line(r, input, *lineno, buf + start, end - start); /* no copy */
        } else {
            if (!lb_append(b, buf + start, end - start)) return false;
            lb_emit(r, input, *lineno, b);
        }
        start = end + 1;
    }
    return true;
}

/* zlib's message without its "<fd:N>: " prefix (the file is named already). */
static const char *gz_message(gzFile gz, int *zerr)
{
    const char *msg = gzerror(gz, zerr);
    if (msg[0] == '<') {
        const char *p = strstr(msg, ">: ");
        if (p) msg = p + 3;
    }
    return msg;
}

static gzFile open_input(const char *path, char *err, size_t errlen)
{
    int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : dup(STDIN_FILENO);
    struct stat st;
    if (fd >= 0 && fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        close(fd);
        fd = -1;
        errno = EISDIR;
    }
    if (fd < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    gzFile gz = gzdopen(fd, "rb");
    if (!gz) {
        close(fd);
        snprintf(err, errlen, "%s: cannot start reading (out of memory)", path);
        return NULL;
    }
    gzbuffer(gz, CHUNK);
    return gz;
}

int sgc_report_read_file(sgc_report *r, const char *path, char *err, size_t errlen)
{
    gzFile gz = open_input(path, err, errlen);
    if (!gz) return -1;
    long input = sgc_report_add_input(r, path);
    char *buf = malloc(CHUNK);
    line_buf lb = {0};
    uint64_t lineno = 0;
    int rc = 0;
    if (input < 0 || !buf) {
        snprintf(err, errlen, "%s: out of memory", path);
        rc = -1;
    }
    while (rc == 0) {
        int n = gzread(gz, buf, CHUNK);
        if (n < 0 || (n == 0 && !gzeof(gz))) {
            int zerr;
            const char *msg = gz_message(gz, &zerr);
            snprintf(err, errlen, "%s: read error after line %llu: %s", path,
                     (unsigned long long)lineno, zerr == Z_ERRNO ? strerror(errno) : msg);
            r->inputs[input].error = strdup(err + strlen(path) + 2);
            rc = -1;
            break;
        }
        if (n == 0) {
            int zerr;
            const char *msg = gz_message(gz, &zerr);
            if (zerr != Z_OK) { /* Z_BUF_ERROR: a gzip stream cut short */
                snprintf(err, errlen, "%s: read error after line %llu: %s", path,
                         (unsigned long long)lineno, msg);
                r->inputs[input].error = strdup(err + strlen(path) + 2);
                rc = -1;
            }
            break;
        }
        if (!feed(r, (size_t)input, &lineno, &lb, buf, (size_t)n)) {
            snprintf(err, errlen, "%s: out of memory", path);
            rc = -1;
        }
    }
    if (input >= 0 && (lb.len || lb.overlong)) /* last line without a newline */
        lb_emit(r, (size_t)input, ++lineno, &lb);
    free(lb.p);
    free(buf);
    gzclose(gz);
    if (rc == 0 && r->oom) {
        snprintf(err, errlen, "%s: out of memory", path);
        rc = -1;
    }
    return rc;
}
