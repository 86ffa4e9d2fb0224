/* Transformers; see transform.h. Semantics follow libsinsp's: single-value
 * transformers map over the items of a list, basename("/x/") is "", len of
 * a list is its item count, getopt scans every token (non-options are
 * skipped, "--" ends the scan) and yields option letters and their values. */
#include "transform.h"
#include "extract.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char *const names[SGC_TF__COUNT] = {"tolower", "toupper", "b64",    "basename",
                                                 "len",     "join",    "concat", "getopt"};

int sgc_transform_lookup(const char *name)
{
    for (int i = 0; i < SGC_TF__COUNT; i++)
        if (strcmp(names[i], name) == 0) return i;
    return -1;
}

const char *sgc_transform_name(sgc_transform tf)
{
    return (unsigned)tf < SGC_TF__COUNT ? names[tf] : "?";
}

bool sgc_transform_check(sgc_transform tf, int n, const bool *is_list, char *err, size_t errlen)
{
    switch (tf) {
    case SGC_TF_JOIN:
        if (n != 2 || is_list[0] || !is_list[1]) {
            snprintf(err, errlen, "join() takes a separator and a list: join(\"-\", (a, b))");
            return false;
        }
        return true;
    case SGC_TF_CONCAT:
        if (n < 2) {
            snprintf(err, errlen, "concat() takes at least two arguments");
            return false;
        }
        for (int i = 0; i < n; i++)
            if (is_list[i]) {
                snprintf(err, errlen, "concat() arguments must not be lists");
                return false;
            }
        return true;
    case SGC_TF_GETOPT:
        if (n != 2 || !is_list[0] || is_list[1]) {
            snprintf(err, errlen,
                     "getopt() takes a list and an option string: getopt((args), \"ab:\")");
            return false;
        }
        return true;
    default:
        if (n != 1) {
            snprintf(err, errlen, "%s() takes one argument", names[tf]);
            return false;
        }
        return true;
    }
}

/* String form of a scalar (numbers rendered). */
static bool str_of(const sgc_val *v, sgc_arena *a, const char **p, size_t *n)
{
    if (v->kind == SGC_VAL_NA || v->kind == SGC_VAL_LIST) return false;
    if (v->kind == SGC_VAL_STR) {
        *p = v->str.p;
        *n = v->str.len;
        return true;
    }
    *p = sgc_val_render(v, a, n);
    return *p != NULL;
}

static int b64val(int c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

/* Standard base64, padded or not (libsinsp decodes both): "aGk=" and "aGk"
 * are "hi". Padding, when present, makes the length a multiple of 4; a
 * single leftover character, data after '=' or a character outside the
 * alphabet is an error. */
bool sgc_b64_decode(const char *in, size_t n, sgc_arena *a, const char **out, size_t *out_len)
{
    size_t pads = 0;
    while (pads < 2 && n > pads && in[n - 1 - pads] == '=') pads++;
    if (pads && n % 4 != 0) return false;
    size_t d = n - pads; /* data characters */
    if (d % 4 == 1) return false;
    char *buf = sgc_arena_alloc(a, d / 4 * 3 + 3);
    if (!buf) return false;
    size_t o = 0;
    for (size_t i = 0; i < d; i += 4) {
        size_t k = d - i < 4 ? d - i : 4; /* 2, 3 or 4 characters */
        uint32_t w = 0;
        for (size_t j = 0; j < 4; j++) {
            int v = 0;
            if (j < k && (v = b64val((unsigned char)in[i + j])) < 0) return false;
            w = w << 6 | (uint32_t)v;
        }
        buf[o++] = (char)(w >> 16);
        if (k > 2) buf[o++] = (char)(w >> 8 & 0xff);
        if (k > 3) buf[o++] = (char)(w & 0xff);
    }
    buf[o] = '\0';
    *out = buf;
    *out_len = o;
    return true;
}

static bool apply_one(sgc_transform tf, const sgc_val *in, sgc_arena *a, sgc_val *out)
{
    const char *p;
    size_t n;
    if (tf == SGC_TF_LEN) {
        if (in->kind == SGC_VAL_LIST) {
            sgc_val_set_u64(out, (uint64_t)in->list.n);
            return true;
        }
        if (!str_of(in, a, &p, &n)) return false;
        sgc_val_set_u64(out, n);
        return true;
    }
    if (in->kind == SGC_VAL_LIST) {
        sgc_val *items = sgc_arena_alloc(a, sizeof *items * (size_t)(in->list.n ? in->list.n : 1));
        if (!items) return false;
        int k = 0;
        for (int i = 0; i < in->list.n; i++)
            if (apply_one(tf, &in->list.items[i], a, &items[k])) k++;
        out->kind = SGC_VAL_LIST;
        out->list.items = items;
        out->list.n = k;
        return true;
    }
    if (!str_of(in, a, &p, &n)) return false;
    switch (tf) {
    case SGC_TF_TOLOWER:
    case SGC_TF_TOUPPER: {
        char *s = sgc_arena_alloc(a, n + 1);
        if (!s) return false;
        for (size_t i = 0; i < n; i++)
            s[i] = (char)(tf == SGC_TF_TOLOWER ? tolower((unsigned char)p[i])
                                               : toupper((unsigned char)p[i]));
        s[n] = '\0';
        sgc_val_set_str(out, s, n);
        return true;
    }
    case SGC_TF_B64: {
        const char *d;
        size_t dl;
        if (!sgc_b64_decode(p, n, a, &d, &dl)) return false;
        sgc_val_set_str(out, d, dl);
        return true;
    }
    case SGC_TF_BASENAME: {
        const char *slash = n ? memrchr(p, '/', n) : NULL;
        if (!slash)
            sgc_val_set_str(out, p, n);
        else
            sgc_val_set_str(out, slash + 1, n - (size_t)(slash + 1 - p));
        return true;
    }
    default: return false;
    }
}

/* Concatenate the string forms of items with a separator. */
static bool join_vals(const sgc_val *items, int n, const char *sep, size_t seplen, sgc_arena *a,
                      sgc_val *out)
{
    const char **ps = sgc_arena_alloc(a, sizeof *ps * (size_t)(n ? n : 1));
    size_t *ls = sgc_arena_alloc(a, sizeof *ls * (size_t)(n ? n : 1));
    if (!ps || !ls) return false;
    size_t total = 0;
    for (int i = 0; i < n; i++) {
        if (!str_of(&items[i], a, &ps[i], &ls[i])) return false;
        total += ls[i] + (i ? seplen : 0);
    }
    char *s = sgc_arena_alloc(a, total + 1);
    if (!s) return false;
    size_t o = 0;
    for (int i = 0; i < n; i++) {
        if (i) {
            memcpy(s + o, sep, seplen);
            o += seplen;
        }
        memcpy(s + o, ps[i], ls[i]);
        o += ls[i];
    }
    s[o] = '\0';
    sgc_val_set_str(out, s, o);
    return true;
}

/* getopt(3)-style scan of an argument list: every token (non-options are
 * skipped, "--" ends the scan) yields its option letters and, for an option
 * that takes an argument, the rest of the token or the next token ("" when
 * none is left). sel 0: the list of letters and values; else only the last
 * value of option `sel` (its letter when it takes no argument), <NA> when
 * it is absent. */
static bool getopt_scan(const sgc_val *list, const char *opts, size_t olen, char sel, sgc_arena *a,
                        sgc_val *out)
{
    int n = list->list.n;
    /* each token yields at most (its length + 1) values */
    size_t cap = 1;
    for (int i = 0; i < n; i++)
        cap += list->list.items[i].kind == SGC_VAL_STR ? list->list.items[i].str.len + 1 : 1;
    sgc_val *res = sel ? NULL : sgc_arena_alloc(a, sizeof *res * cap);
    if (!sel && !res) return false;
    int k = 0;
    bool found = false;
    sgc_val picked;
    for (int i = 0; i < n; i++) {
        const char *t;
        size_t tl;
        if (!str_of(&list->list.items[i], a, &t, &tl)) continue;
        if (tl == 2 && t[0] == '-' && t[1] == '-') break;
        if (tl < 2 || t[0] != '-') continue;
        for (size_t j = 1; j < tl; j++) {
            char c = t[j];
            const char *o = isalnum((unsigned char)c) ? memchr(opts, c, olen) : NULL;
            if (!o) continue;
            bool takes_arg = (size_t)(o - opts) + 1 < olen && o[1] == ':';
            sgc_val letter, value;
            sgc_val_set_str(&letter, t + j, 1);
            if (!takes_arg) {
                if (!sel)
                    res[k++] = letter;
                else if (c == sel)
                    found = true, picked = letter;
                continue;
            }
            if (j + 1 < tl) {
                sgc_val_set_str(&value, t + j + 1, tl - j - 1);
            } else if (i + 1 < n) {
                const char *v;
                size_t vl;
                if (!str_of(&list->list.items[++i], a, &v, &vl)) v = "", vl = 0;
                sgc_val_set_str(&value, v, vl);
            } else {
                sgc_val_set_str(&value, "", 0);
            }
            if (!sel) {
                res[k++] = letter;
                res[k++] = value;
            } else if (c == sel) {
                found = true, picked = value;
            }
            break;
        }
    }
    if (sel) {
        if (!found) return false;
        *out = picked;
        return true;
    }
    out->kind = SGC_VAL_LIST;
    out->list.items = res;
    out->list.n = k;
    return true;
}

bool sgc_transform_apply_sel(sgc_transform tf, const sgc_val *args, int nargs, const char *sel,
                             sgc_arena *a, sgc_val *out)
{
    if (!sel || tf != SGC_TF_GETOPT) return sgc_transform_apply(tf, args, nargs, a, out);
    out->kind = SGC_VAL_NA;
    const char *p;
    size_t n;
    for (int i = 0; i < nargs; i++)
        if (args[i].kind == SGC_VAL_NA) return false;
    if (nargs != 2 || args[0].kind != SGC_VAL_LIST || !str_of(&args[1], a, &p, &n) ||
        strlen(sel) != 1)
        return false;
    return getopt_scan(&args[0], p, n, sel[0], a, out);
}

bool sgc_transform_apply(sgc_transform tf, const sgc_val *args, int nargs, sgc_arena *a,
                         sgc_val *out)
{
    out->kind = SGC_VAL_NA;
    for (int i = 0; i < nargs; i++)
        if (args[i].kind == SGC_VAL_NA) return false;
    const char *p;
    size_t n;
    switch (tf) {
    case SGC_TF_JOIN:
        if (nargs != 2 || args[1].kind != SGC_VAL_LIST || !str_of(&args[0], a, &p, &n))
            return false;
        return join_vals(args[1].list.items, args[1].list.n, p, n, a, out);
    case SGC_TF_CONCAT: return join_vals(args, nargs, "", 0, a, out);
    case SGC_TF_GETOPT:
        if (nargs != 2 || args[0].kind != SGC_VAL_LIST || !str_of(&args[1], a, &p, &n))
            return false;
        return getopt_scan(&args[0], p, n, 0, a, out);
    default:
        if (nargs != 1) return false;
        return apply_one(tf, &args[0], a, out);
    }
}
