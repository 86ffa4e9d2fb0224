/* Times and durations for `sgc report` (see report_time.h). */
#include "report_time.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

int64_t sgc_rtime_floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
    return q;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static bool is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* Exactly `digits` decimal digits at s[*i]; advances *i. */
static bool digits_at(const char *s, size_t n, size_t *i, int digits, int *out)
{
    int v = 0;
    for (int k = 0; k < digits; k++) {
        if (*i >= n || !isdigit((unsigned char)s[*i])) return false;
        v = v * 10 + (s[(*i)++] - '0');
    }
    *out = v;
    return true;
}

static bool expect_char(const char *s, size_t n, size_t *i, char c)
{
    if (*i >= n || s[*i] != c) return false;
    (*i)++;
    return true;
}

/* HH:MM[:SS[.frac]] at s[*i]. */
static bool parse_clock(const char *s, size_t n, size_t *i, int *hh, int *mi, int *ss,
                        int64_t *frac)
{
    *ss = 0;
    *frac = 0;
    if (!digits_at(s, n, i, 2, hh) || !expect_char(s, n, i, ':') || !digits_at(s, n, i, 2, mi))
        return false;
    if (*i < n && s[*i] == ':') {
        (*i)++;
        if (!digits_at(s, n, i, 2, ss)) return false;
        if (*i < n && (s[*i] == '.' || s[*i] == ',')) {
            (*i)++;
            int nd = 0;
            int64_t scale = 100000000;
            while (*i < n && isdigit((unsigned char)s[*i])) {
                if (nd < 9) *frac += (s[*i] - '0') * scale;
                scale /= 10;
                nd++;
                (*i)++;
            }
            if (nd == 0) return false;
        }
    }
    return *hh <= 23 && *mi <= 59 && *ss <= 60;
}

/* Z, z, +hh:mm, -hh:mm (or +hhmm) at s[*i]; none = UTC. Offset in seconds. */
static bool parse_zone(const char *s, size_t n, size_t *i, int64_t *off)
{
    *off = 0;
    if (*i >= n) return true;
    if (s[*i] == 'Z' || s[*i] == 'z') {
        (*i)++;
        return true;
    }
    if (s[*i] != '+' && s[*i] != '-') return false;
    int sign = s[(*i)++] == '-' ? -1 : 1;
    int oh, om;
    if (!digits_at(s, n, i, 2, &oh)) return false;
    if (*i < n && s[*i] == ':') (*i)++;
    if (!digits_at(s, n, i, 2, &om) || oh > 23 || om > 59) return false;
    *off = sign * (oh * 3600 + om * 60);
    return true;
}

bool sgc_rtime_parse_iso(const char *s, size_t n, int64_t *ns)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    size_t i = 0;
    int y, m, d, hh = 0, mi = 0, ss = 0;
    int64_t frac = 0, off = 0;
    if (!digits_at(s, n, &i, 4, &y) || !expect_char(s, n, &i, '-') || !digits_at(s, n, &i, 2, &m) ||
        !expect_char(s, n, &i, '-') || !digits_at(s, n, &i, 2, &d))
        return false;
    if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1] + (m == 2 && is_leap(y))) return false;
    if (i < n && (s[i] == 'T' || s[i] == 't' || s[i] == ' ')) {
        i++;
        if (!parse_clock(s, n, &i, &hh, &mi, &ss, &frac) || !parse_zone(s, n, &i, &off))
            return false;
    }
    if (i != n || y < 1678 || y > 2261) return false;
    int64_t sec = days_from_civil(y, m, d) * 86400 + hh * 3600 + mi * 60 + ss - off;
    /* 1678..2261 keeps sec * 1e9 inside int64 except at the very edges */
    int64_t r;
    if (__builtin_mul_overflow(sec, SGC_NS_PER_S, &r) || __builtin_add_overflow(r, frac, &r))
        return false;
    *ns = r;
    return true;
}

bool sgc_rtime_parse_duration(const char *s, int64_t *ns)
{
    static const struct {
        const char *u;
        int64_t ns;
    } units[] = {
        {"ns", 1},
        {"us", 1000},
        {"ms", 1000000},
        {"s", SGC_NS_PER_S},
        {"m", 60 * SGC_NS_PER_S},
        {"h", 3600 * SGC_NS_PER_S},
        {"d", 86400 * SGC_NS_PER_S},
    };
    int64_t total = 0;
    const char *p = s;
    if (!*p) return false;
    while (*p) {
        if (!isdigit((unsigned char)*p)) return false;
        int64_t v = 0;
        while (isdigit((unsigned char)*p)) {
            if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, *p - '0', &v))
                return false;
            p++;
        }
        size_t ul = 0;
        while (isalpha((unsigned char)p[ul])) ul++;
        int64_t mult = 0;
        for (size_t k = 0; k < sizeof units / sizeof units[0]; k++)
            if (strlen(units[k].u) == ul && !strncmp(p, units[k].u, ul)) mult = units[k].ns;
        if (!mult || __builtin_mul_overflow(v, mult, &v) ||
            __builtin_add_overflow(total, v, &total))
            return false;
        p += ul;
    }
    if (total <= 0) return false;
    *ns = total;
    return true;
}

bool sgc_rtime_parse_point(const char *s, int64_t now_ns, int64_t *ns, char *err, size_t errlen)
{
    int64_t v;
    if (!strcmp(s, "now")) {
        *ns = now_ns;
        return true;
    }
    if (s[0] == '-' && sgc_rtime_parse_duration(s + 1, &v)) {
        *ns = now_ns - v;
        return true;
    }
    if (s[0] == '@' && s[1]) {
        const char *p = s + 1;
        bool neg = *p == '-';
        p += neg;
        int64_t sec = 0;
        bool ok = *p != '\0';
        for (; ok && *p; p++)
            ok = isdigit((unsigned char)*p) && !__builtin_mul_overflow(sec, 10, &sec) &&
                 !__builtin_add_overflow(sec, *p - '0', &sec);
        if (ok && !__builtin_mul_overflow(neg ? -sec : sec, SGC_NS_PER_S, &v)) {
            *ns = v;
            return true;
        }
    } else if (sgc_rtime_parse_iso(s, strlen(s), &v)) {
        *ns = v;
        return true;
    }
    snprintf(
        err, errlen,
        "bad time '%s' (expected e.g. 2024-05-01T12:00:00Z, 2024-05-01, @1714564800, now or -2h)",
        s);
    return false;
}

void sgc_rtime_format(int64_t ns, bool with_ns, char *buf, size_t len)
{
    int64_t sec = sgc_rtime_floor_div(ns, SGC_NS_PER_S);
    int64_t frac = ns - sec * SGC_NS_PER_S;
    int64_t days = sgc_rtime_floor_div(sec, 86400);
    int64_t rem = sec - days * 86400;
    int64_t y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    int hh = (int)(rem / 3600), mi = (int)(rem / 60 % 60), ss = (int)(rem % 60);
    if (with_ns && frac)
        snprintf(buf, len, "%04lld-%02d-%02dT%02d:%02d:%02d.%09lldZ", (long long)y, m, d, hh, mi,
                 ss, (long long)frac);
    else
        snprintf(buf, len, "%04lld-%02d-%02dT%02d:%02d:%02dZ", (long long)y, m, d, hh, mi, ss);
}

void sgc_rtime_format_duration(int64_t ns, char *buf, size_t len)
{
    static const struct {
        const char *u;
        int64_t ns;
    } units[] = {
        {"d", 86400 * SGC_NS_PER_S},
        {"h", 3600 * SGC_NS_PER_S},
        {"m", 60 * SGC_NS_PER_S},
        {"s", SGC_NS_PER_S},
        {"ms", 1000000},
        {"us", 1000},
        {"ns", 1},
    };
    size_t used = 0;
    int parts = 0;
    buf[0] = '\0';
    if (ns <= 0) {
        snprintf(buf, len, "0s");
        return;
    }
    for (size_t k = 0; k < sizeof units / sizeof units[0] && parts < 2; k++) {
        int64_t q = ns / units[k].ns;
        if (q == 0) {
            if (parts) break;
            continue;
        }
        ns -= q * units[k].ns;
        int w = snprintf(buf + used, len - used, "%s%lld%s", parts ? " " : "", (long long)q,
                         units[k].u);
        if (w < 0 || (size_t)w >= len - used) return;
        used += (size_t)w;
        parts++;
    }
}
