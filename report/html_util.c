/* Escaping and the priority palette of the HTML report (see html_util.h). */
#include "html_util.h"
#include "utf8.h"

#include <stdio.h>
#include <string.h>

const int sgc_html_prio_order[SGC_RPRIO_N] = {
    SGC_RPRIO_EMERGENCY,     SGC_RPRIO_ALERT,   SGC_RPRIO_CRITICAL,
    SGC_RPRIO_ERROR,         SGC_RPRIO_WARNING, SGC_RPRIO_NOTICE,
    SGC_RPRIO_INFORMATIONAL, SGC_RPRIO_DEBUG,   SGC_RPRIO_UNKNOWN,
};

/* Severity reads from dark red down to cool colours; each distinct in grey too. */
static const char *const colors[SGC_RPRIO_N] = {
    "#6b0f1a", /* Emergency */
    "#a4161a", /* Alert */
    "#e5383b", /* Critical */
    "#f3722c", /* Error */
    "#f8b133", /* Warning */
    "#3a86c8", /* Notice */
    "#2a9d8f", /* Informational */
    "#8d99ae", /* Debug */
    "#b8a9d9", /* Unknown */
};

const char *sgc_html_prio_color(int prio)
{
    return colors[prio >= 0 && prio < SGC_RPRIO_N ? prio : SGC_RPRIO_UNKNOWN];
}

int sgc_html_prio_dark_text(int prio)
{
    return prio == SGC_RPRIO_WARNING || prio == SGC_RPRIO_UNKNOWN || prio == SGC_RPRIO_DEBUG ||
           prio == SGC_RPRIO_ERROR;
}

void sgc_html_tint(int prio, double tint, char buf[8])
{
    unsigned rgb[3];
    const char *c = sgc_html_prio_color(prio);
    sscanf(c + 1, "%2x%2x%2x", &rgb[0], &rgb[1], &rgb[2]);
    for (int k = 0; k < 3; k++) rgb[k] = (unsigned)(rgb[k] + (255 - rgb[k]) * tint + 0.5);
    snprintf(buf, 8, "#%02x%02x%02x", rgb[0] & 0xff, rgb[1] & 0xff, rgb[2] & 0xff);
}

void sgc_html_esc(FILE *out, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        unsigned char c = u[i];
        switch (c) {
        case '&':
            fputs("&amp;", out);
            i++;
            continue;
        case '<':
            fputs("&lt;", out);
            i++;
            continue;
        case '>':
            fputs("&gt;", out);
            i++;
            continue;
        case '"':
            fputs("&quot;", out);
            i++;
            continue;
        case '\'':
            fputs("&#39;", out);
            i++;
            continue;
        default: break;
        }
        size_t l = sgc_utf8_seq(u + i, n - i);
        if (l == 0 || (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f) {
            fputs("\xef\xbf\xbd", out);
            i++;
        } else {
            fwrite(s + i, 1, l, out);
            i += l;
        }
    }
}

void sgc_html_escz(FILE *out, const char *s) { sgc_html_esc(out, s, strlen(s)); }
