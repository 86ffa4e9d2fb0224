/* Formatting shared by the text and HTML renderers (see render_common.h). */
#include "render_common.h"

#include "report_time.h"

#include <stdio.h>
#include <string.h>

const char *sgc_rfmt_count(uint64_t n, char *buf, size_t len)
{
    char digits[32];
    int nd = snprintf(digits, sizeof digits, "%llu", (unsigned long long)n);
    size_t o = 0;
    for (int i = 0; i < nd && o + 2 < len; i++) {
        if (i > 0 && (nd - i) % 3 == 0) buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
    return buf;
}

const char *sgc_rfmt_pct(uint64_t part, uint64_t whole, char *buf, size_t len)
{
    if (!whole) {
        snprintf(buf, len, "0%%");
        return buf;
    }
    double p = 100.0 * (double)part / (double)whole;
    if (p > 0 && p < 0.1)
        snprintf(buf, len, "<0.1%%");
    else
        snprintf(buf, len, "%.1f%%", p);
    return buf;
}

const char *sgc_rfmt_time(int64_t ns, char *buf, size_t len)
{
    char iso[48];
    sgc_rtime_format(ns, false, iso, sizeof iso);
    iso[10] = ' ';
    iso[19] = '\0';
    snprintf(buf, len, "%s", iso);
    return buf;
}

int sgc_rfmt_nprios(const uint64_t *by_prio)
{
    int n = 0;
    for (int p = 0; p < SGC_RPRIO_N; p++) n += by_prio[p] != 0;
    return n;
}

int sgc_rrule_newest_first(const sgc_rrule *ru, int order[SGC_REPORT_RECENT])
{
    int n = ru->nrecent;
    for (int k = 0; k < n; k++) order[k] = k;
    for (int x = 1; x < n; x++)
        for (int y = x; y > 0 && ru->recent[order[y]].time_ns > ru->recent[order[y - 1]].time_ns;
             y--) {
            int t = order[y];
            order[y] = order[y - 1];
            order[y - 1] = t;
        }
    return n;
}
