/* The NATS subject template (sink.h): <priority> and <rule> slugged. */
#include "ruleset.h"
#include "sink.h"

#include <stdio.h>
#include <string.h>

/* lowercase a-z0-9; runs of anything else become one '_', none at the ends */
static size_t slug(const char *s, char *out, size_t outlen)
{
    size_t n = 0;
    bool pending = false;
    for (; *s && n + 2 < outlen; s++) {
        char c = *s;
        if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            if (pending && n) out[n++] = '_';
            pending = false;
            out[n++] = c;
        } else {
            pending = true;
        }
    }
    out[n] = 0;
    return n;
}

void sgc_nats_subject(const char *tmpl, int priority, const char *rule, char *out, size_t outlen)
{
    size_t n = 0;
    if (!outlen) return;
    for (const char *p = tmpl; *p && n + 1 < outlen;) {
        char part[256];
        if (!strncmp(p, "<priority>", 10)) {
            slug(sgc_priority_name((sgc_priority)priority), part, sizeof part);
            p += 10;
        } else if (!strncmp(p, "<rule>", 6)) {
            slug(rule, part, sizeof part);
            p += 6;
        } else {
            out[n++] = *p++;
            continue;
        }
        size_t l = strlen(part);
        if (!l) {
            snprintf(part, sizeof part, "_");
            l = 1;
        }
        if (n + l >= outlen) break;
        memcpy(out + n, part, l);
        n += l;
    }
    out[n] = 0;
}
