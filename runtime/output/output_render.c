/* Rendering alerts: output templates compiled to extractor references, the
 * text line and the JSON object (see output.h). */
#include "output.h"
#include "utf8.h"
#include "sha256.h"

#include "fields.h"
#include "output_fmt.h"
#include "transform.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- string buffer -------------------------------------------------------- */

static bool reserve(sgc_strbuf *b, size_t extra)
{
    if (b->oom) return false;
    if (b->len + extra + 1 <= b->cap) return true;
    size_t nc = b->cap ? b->cap : 256;
    while (nc < b->len + extra + 1) nc *= 2;
    char *np = realloc(b->p, nc);
    if (!np) {
        b->oom = true;
        return false;
    }
    b->p = np;
    b->cap = nc;
    return true;
}

void sgc_strbuf_put(sgc_strbuf *b, const char *s, size_t n)
{
    if (!reserve(b, n)) return;
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void sgc_strbuf_puts(sgc_strbuf *b, const char *s) { sgc_strbuf_put(b, s, strlen(s)); }

void sgc_strbuf_printf(sgc_strbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !reserve(b, (size_t)n)) return;
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void sgc_strbuf_free(sgc_strbuf *b)
{
    free(b->p);
    memset(b, 0, sizeof *b);
}

void sgc_strbuf_json_str(sgc_strbuf *b, const char *s, size_t n)
{
    sgc_strbuf_put(b, "\"", 1);
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        unsigned char c = u[i];
        const char *esc = NULL;
        switch (c) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\b': esc = "\\b"; break;
        case '\f': esc = "\\f"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        default: break;
        }
        if (esc) {
            sgc_strbuf_puts(b, esc);
            i++;
        } else if (c < 0x20) {
            sgc_strbuf_printf(b, "\\u%04x", c);
            i++;
        } else {
            size_t l = sgc_utf8_seq(u + i, n - i);
            if (l == 0) {
                sgc_strbuf_puts(b, "\xef\xbf\xbd"); /* U+FFFD, as Falco's JSON writer does */
                i++;
            } else {
                sgc_strbuf_put(b, s + i, l);
                i += l;
            }
        }
    }
    sgc_strbuf_put(b, "\"", 1);
}

/* ---- compiled templates ------------------------------------------------------ */

typedef struct oitem {
    bool is_field;
    char *text; /* TEXT: literal; FIELD: the key as written ("proc.aname[2]") */
    size_t text_len;
    char *fname, *farg; /* owned strings the field ref points to */
    sgc_field_ref ref;
    int transform; /* -1, or a unary sgc_transform applied to the field */
} oitem;

struct sgc_output_format {
    oitem *items;
    int n;
};

void sgc_output_format_free(sgc_output_format *f)
{
    if (!f) return;
    for (int i = 0; i < f->n; i++) {
        if (f->items[i].is_field) sgc_field_ref_release(&f->items[i].ref);
        free(f->items[i].text);
        free(f->items[i].fname);
        free(f->items[i].farg);
    }
    free(f->items);
    free(f);
}

/* "name" or "name[arg]" into owned parts. */
static bool split_field(const char *s, char **name, char **arg)
{
    const char *lb = strchr(s, '[');
    size_t n = strlen(s);
    if (lb && n > 0 && s[n - 1] == ']') {
        *name = strndup(s, (size_t)(lb - s));
        *arg = strndup(lb + 1, n - (size_t)(lb - s) - 2);
        return *name && *arg;
    }
    *name = strdup(s);
    *arg = NULL;
    return *name != NULL;
}

static bool compile_field(oitem *it, const char *name, const char *arg, char *err, size_t errlen)
{
    it->fname = strdup(name);
    it->farg = arg ? strdup(arg) : NULL;
    if (!it->fname || (arg && !it->farg)) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    const sgc_field_def *fdef = sgc_field_lookup(name);
    return sgc_field_ref_init(&it->ref, it->fname, it->farg, fdef, err, errlen);
}

sgc_output_format *sgc_output_format_compile(const char *tmpl, char *err, size_t errlen)
{
    sgc_output_fmt pf = {0};
    uint32_t err_off = 0;
    char *perr = NULL;
    if (sgc_output_fmt_parse(tmpl, strlen(tmpl), &pf, &err_off, &perr) != 0) {
        snprintf(err, errlen, "output: offset %u: %s", err_off, perr ? perr : "syntax error");
        free(perr);
        sgc_output_fmt_free(&pf);
        return NULL;
    }
    sgc_output_format *f = calloc(1, sizeof *f);
    if (!f || !(f->items = calloc((size_t)pf.nsegs + 1, sizeof *f->items))) {
        free(f);
        sgc_output_fmt_free(&pf);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    bool ok = true;
    for (int i = 0; i < pf.nsegs && ok; i++) {
        const sgc_oseg *s = &pf.segs[i];
        oitem *it = &f->items[f->n++];
        it->transform = -1;
        if (s->kind == SGC_OSEG_TEXT) {
            it->text = strdup(s->text);
            it->text_len = strlen(s->text);
            continue;
        }
        it->is_field = true;
        if (s->kind == SGC_OSEG_FIELD) {
            size_t klen = strlen(s->text) + (s->arg ? strlen(s->arg) + 2 : 0) + 1;
            it->text = malloc(klen);
            if (it->text)
                snprintf(it->text, klen, s->arg ? "%s[%s]" : "%s", s->text, s->arg ? s->arg : "");
            ok = compile_field(it, s->text, s->arg, err, errlen);
        } else {
            /* %fn(field): one field through a one-argument transformer. */
            int tf = sgc_transform_lookup(s->text);
            size_t klen = strlen(s->text) + strlen(s->arg ? s->arg : "") + 3;
            it->text = malloc(klen);
            if (it->text) snprintf(it->text, klen, "%s(%s)", s->text, s->arg ? s->arg : "");
            char *name = NULL, *arg = NULL;
            if (tf < 0 || tf == SGC_TF_JOIN || tf == SGC_TF_CONCAT || tf == SGC_TF_GETOPT) {
                snprintf(err, errlen, "output: transformer '%s' is not supported in outputs",
                         s->text);
                ok = false;
            } else if (!s->arg || !split_field(s->arg, &name, &arg)) {
                snprintf(err, errlen, "output: '%s' needs a field", s->text);
                ok = false;
            } else {
                it->transform = tf;
                ok = compile_field(it, name, arg, err, errlen);
            }
            free(name);
            free(arg);
        }
        if (ok && !it->text) {
            snprintf(err, errlen, "out of memory");
            ok = false;
        }
        if (it->text) it->text_len = strlen(it->text);
    }
    sgc_output_fmt_free(&pf);
    if (!ok) {
        sgc_output_format_free(f);
        return NULL;
    }
    return f;
}

/* ---- rendering ------------------------------------------------------------------ */

static void item_value(const oitem *it, sgc_extract_ctx *cx, sgc_val *v)
{
    sgc_extract(cx, &it->ref, v);
    if (it->transform >= 0 && v->kind != SGC_VAL_NA) {
        sgc_val in = *v;
        if (!sgc_transform_apply((sgc_transform)it->transform, &in, 1, cx->scratch, v))
            v->kind = SGC_VAL_NA;
    }
}

/* Field values in the text line: control characters are dropped, as
 * Falco's formatter sanitizes strings. */
static void put_text_value(sgc_strbuf *out, const char *s, size_t n)
{
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f) {
            sgc_strbuf_put(out, s + start, i - start);
            start = i + 1;
        }
    }
    sgc_strbuf_put(out, s + start, n - start);
}

void sgc_output_format_render(const sgc_output_format *f, sgc_extract_ctx *cx, sgc_strbuf *out)
{
    for (int i = 0; i < f->n; i++) {
        const oitem *it = &f->items[i];
        if (!it->is_field) {
            sgc_strbuf_put(out, it->text, it->text_len);
            continue;
        }
        sgc_val v;
        item_value(it, cx, &v);
        size_t n;
        const char *s = sgc_val_render(&v, cx->scratch, &n);
        put_text_value(out, s, n);
    }
}

static void put_json_value(sgc_strbuf *out, const sgc_val *v, sgc_arena *a)
{
    switch (v->kind) {
    case SGC_VAL_NA: sgc_strbuf_puts(out, "null"); return;
    case SGC_VAL_S64: sgc_strbuf_printf(out, "%" PRId64, v->s64); return;
    case SGC_VAL_U64: sgc_strbuf_printf(out, "%" PRIu64, v->u64); return;
    case SGC_VAL_BOOL: sgc_strbuf_puts(out, v->b ? "true" : "false"); return;
    case SGC_VAL_LIST:
        sgc_strbuf_put(out, "[", 1);
        for (int i = 0; i < v->list.n; i++) {
            if (i) sgc_strbuf_put(out, ",", 1);
            put_json_value(out, &v->list.items[i], a);
        }
        sgc_strbuf_put(out, "]", 1);
        return;
    default: {
        size_t n;
        const char *s = sgc_val_render(v, a, &n);
        sgc_strbuf_json_str(out, s, n);
        return;
    }
    }
}

static int64_t wall_ns(const sgc_extract_ctx *cx)
{
    return (int64_t)cx->ev->hdr->ts_ns + cx->boot_to_wall_ns;
}

/* Falco's prefix: evt.time (local time of day) or evt.time.iso8601 (UTC). */
static void put_time_prefix(sgc_strbuf *out, int64_t ns, bool iso)
{
    time_t sec = (time_t)(ns / 1000000000);
    long frac = (long)(ns % 1000000000);
    struct tm tm;
    char buf[40];
    if (iso) {
        gmtime_r(&sec, &tm);
        strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
        sgc_strbuf_printf(out, "%s.%09ldZ", buf, frac);
    } else {
        localtime_r(&sec, &tm);
        strftime(buf, sizeof buf, "%H:%M:%S", &tm);
        sgc_strbuf_printf(out, "%s.%09ld", buf, frac);
    }
}

typedef struct okey {
    const char *key;
    const oitem *item;            /* NULL: the event time, the alert id, or a fixed value */
    const char *value;            /* a fixed value: a static field's, the enforcement */
    const sgc_output_format *fmt; /* an append_output extra field: rendered, a string */
} okey;

/* The alert's stable id ("sgc.alert.id" in output_fields, which Falco's
 * consumers ignore as one more field): 32 hex digits of the sha256 of the
 * host name, the rule, the event's time and thread. The same alert rendered
 * twice (two outputs, a replay of a recording) has the same id; two alerts
 * differ. docs/outputs.md and docs/response.md describe it. */
static void alert_id(const char *hostname, const char *rule, int64_t ns, uint32_t tid, char out[33])
{
    sgc_sha256 h;
    sgc_sha256_init(&h);
    sgc_sha256_update(&h, hostname ? hostname : "", hostname ? strlen(hostname) + 1 : 1);
    sgc_sha256_update(&h, rule, strlen(rule) + 1);
    sgc_sha256_update(&h, &ns, sizeof ns);
    sgc_sha256_update(&h, &tid, sizeof tid);
    uint8_t d[32];
    char hex[65];
    sgc_sha256_final(&h, d);
    sgc_sha256_hex(d, hex);
    memcpy(out, hex, 32);
    out[32] = 0;
}

/* By key; the event time before a template field of the same name. */
static int cmp_okey(const void *a, const void *b)
{
    const okey *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    if (c) return c;
    return (x->item != NULL || x->value || x->fmt) - (y->item != NULL || y->value || y->fmt);
}

bool sgc_output_append_matches(const sgc_output_append *ap, const sgc_alert *a)
{
    const char *src = a->source ? a->source : "syscall";
    if (ap->source && strcmp(ap->source, src)) return false;
    if (ap->rule && strcmp(ap->rule, a->rule)) return false;
    for (int i = 0; i < ap->ntags; i++) {
        bool has = false;
        for (int j = 0; j < a->ntags && !has; j++) has = !strcmp(ap->tags[i], a->tags[j]);
        if (!has) return false;
    }
    return true;
}

/* append_output: the extra outputs of the entries that match, after the
 * output; how many output_fields keys their fields may add */
static int append_extra(const sgc_output_config *cfg, const sgc_alert *a, sgc_extract_ctx *cx,
                        sgc_strbuf *line, bool *match)
{
    int nkeys = 0;
    for (int i = 0; i < cfg->nappend; i++) {
        const sgc_output_append *ap = &cfg->append[i];
        match[i] = sgc_output_append_matches(ap, a);
        if (!match[i]) continue;
        nkeys += ap->nfields;
        if (!ap->extra_output) continue;
        nkeys += ap->extra_output->n;
        sgc_strbuf_put(line, " ", 1);
        sgc_output_format_render(ap->extra_output, cx, line);
    }
    return nkeys;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void sgc_alert_render(const sgc_output_config *cfg, const char *hostname, const sgc_alert *a,
                      sgc_extract_ctx *cx, sgc_strbuf *out)
{
    int64_t ns = wall_ns(cx);
    sgc_strbuf line = {0};
    put_time_prefix(&line, ns, cfg->time_iso8601);
    sgc_strbuf_printf(&line, ": %s ", sgc_priority_name(a->priority));
    size_t msg_at = line.len; /* the message: the output after the prefix */
    if (a->fmt)
        sgc_output_format_render(a->fmt, cx, &line);
    else if (a->raw_output)
        sgc_strbuf_puts(&line, a->raw_output);
    /* append_output: which entries apply (none when out of memory) */
    bool *match = cfg->nappend ? calloc((size_t)cfg->nappend, sizeof *match) : NULL;
    int nextra = match ? append_extra(cfg, a, cx, &line, match) : 0;
    bool enf = a->enforcement && *a->enforcement;
    if (enf && !cfg->json)
        sgc_strbuf_printf(&line, " (%s=%s)", SGC_ENFORCEMENT_FIELD, a->enforcement);
    if (!cfg->json) {
        sgc_strbuf_put(out, line.p ? line.p : "", line.len);
        sgc_strbuf_free(&line);
        free(match);
        return;
    }

    sgc_strbuf_puts(out, "{\"hostname\":");
    sgc_strbuf_json_str(out, hostname ? hostname : "", hostname ? strlen(hostname) : 0);
    if (cfg->json_include_message) {
        sgc_strbuf_puts(out, ",\"message\":");
        sgc_strbuf_json_str(out, line.p ? line.p + msg_at : "", line.p ? line.len - msg_at : 0);
    }
    if (cfg->json_include_output) {
        sgc_strbuf_puts(out, ",\"output\":");
        sgc_strbuf_json_str(out, line.p ? line.p : "", line.len);
    }
    if (cfg->json_include_output_fields) {
        sgc_strbuf_puts(out, ",\"output_fields\":{");
        /* Falco's object is keyed (and so ordered) by field name; a field
         * written twice appears once. The time of the prefix is a field too. */
        int n = a->fmt ? a->fmt->n : 0;
        okey *keys = calloc((size_t)n + (size_t)cfg->nstatic + (size_t)nextra + 3, sizeof *keys);
        int nk = 0;
        if (keys) {
            keys[nk++] =
                (okey){cfg->time_iso8601 ? "evt.time.iso8601" : "evt.time", NULL, NULL, NULL};
            keys[nk++] = (okey){SGC_ALERT_ID_FIELD, NULL, NULL, NULL};
            if (enf) keys[nk++] = (okey){SGC_ENFORCEMENT_FIELD, NULL, a->enforcement, NULL};
            for (int i = 0; i < cfg->nstatic; i++)
                keys[nk++] = (okey){cfg->static_keys[i], NULL, cfg->static_values[i], NULL};
            for (int i = 0; i < n; i++)
                if (a->fmt->items[i].is_field)
                    keys[nk++] = (okey){a->fmt->items[i].text, &a->fmt->items[i], NULL, NULL};
            for (int i = 0; match && i < cfg->nappend; i++) {
                const sgc_output_append *ap = &cfg->append[i];
                if (!match[i]) continue;
                for (int j = 0; ap->extra_output && j < ap->extra_output->n; j++)
                    if (ap->extra_output->items[j].is_field)
                        keys[nk++] = (okey){ap->extra_output->items[j].text,
                                            &ap->extra_output->items[j], NULL, NULL};
                for (int j = 0; j < ap->nfields; j++) {
                    const sgc_output_extra_field *f = &ap->fields[j];
                    if (f->format)
                        keys[nk++] = (okey){f->key, NULL, NULL, f->format};
                    else if (f->raw && f->raw->n == 1 && f->raw->items[0].is_field)
                        keys[nk++] = (okey){f->key, &f->raw->items[0], NULL, NULL};
                }
            }
            qsort(keys, (size_t)nk, sizeof *keys, cmp_okey);
        }
        for (int i = 0; i < nk; i++) {
            if (i && !strcmp(keys[i].key, keys[i - 1].key)) continue;
            if (i) sgc_strbuf_put(out, ",", 1);
            sgc_strbuf_json_str(out, keys[i].key, strlen(keys[i].key));
            sgc_strbuf_put(out, ":", 1);
            if (keys[i].value) {
                sgc_strbuf_json_str(out, keys[i].value, strlen(keys[i].value));
                continue;
            }
            if (keys[i].fmt) {
                sgc_strbuf tmp = {0};
                sgc_output_format_render(keys[i].fmt, cx, &tmp);
                sgc_strbuf_json_str(out, tmp.p ? tmp.p : "", tmp.len);
                sgc_strbuf_free(&tmp);
                continue;
            }
            if (!keys[i].item && !strcmp(keys[i].key, SGC_ALERT_ID_FIELD)) {
                char id[33];
                alert_id(hostname, a->rule, ns, cx->ev->hdr->tid, id);
                sgc_strbuf_printf(out, "\"%s\"", id);
                continue;
            }
            if (!keys[i].item) {
                sgc_strbuf_printf(out, "%" PRId64, ns);
                continue;
            }
            sgc_val v;
            item_value(keys[i].item, cx, &v);
            put_json_value(out, &v, cx->scratch);
        }
        free(keys);
        sgc_strbuf_put(out, "}", 1);
    }
    sgc_strbuf_puts(out, ",\"priority\":");
    const char *pn = sgc_priority_name(a->priority);
    sgc_strbuf_json_str(out, pn, strlen(pn));
    sgc_strbuf_puts(out, ",\"rule\":");
    sgc_strbuf_json_str(out, a->rule, strlen(a->rule));
    sgc_strbuf_puts(out, ",\"source\":");
    const char *src = a->source ? a->source : "syscall";
    sgc_strbuf_json_str(out, src, strlen(src));
    if (cfg->json_include_tags) {
        sgc_strbuf_puts(out, ",\"tags\":[");
        const char **tags = calloc((size_t)a->ntags + 1, sizeof *tags);
        if (tags && a->ntags) {
            memcpy(tags, a->tags, (size_t)a->ntags * sizeof *tags);
            qsort(tags, (size_t)a->ntags, sizeof *tags, cmp_str);
        }
        for (int i = 0; tags && i < a->ntags; i++) {
            if (i && !strcmp(tags[i], tags[i - 1])) continue; /* a set, as in Falco */
            if (i) sgc_strbuf_put(out, ",", 1);
            sgc_strbuf_json_str(out, tags[i], strlen(tags[i]));
        }
        free(tags);
        sgc_strbuf_put(out, "]", 1);
    }
    sgc_strbuf_puts(out, ",\"time\":\"");
    put_time_prefix(out, ns, true);
    sgc_strbuf_puts(out, "\"}");
    sgc_strbuf_free(&line);
    free(match);
}

sgc_alert sgc_alert_of_rule(const sgc_rule *r, const sgc_output_format *fmt)
{
    sgc_alert a = {
        .rule = r->name,
        .priority = r->priority,
        .source = r->source ? r->source : "syscall",
        .tags = (const char *const *)r->tags,
        .ntags = r->ntags,
        .fmt = fmt,
        .raw_output = r->output_src ? r->output_src->text : "",
    };
    return a;
}
