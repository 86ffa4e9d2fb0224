/* Operators; see ops.h for the semantics. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "ops.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- literals ------------------------------------------------------------ */

static bool parse_i64(const char *s, int64_t *out)
{
    if (!*s) return false;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end) return false;
    *out = v;
    return true;
}

static bool parse_u64(const char *s, uint64_t *out)
{
    if (!*s || *s == '-') return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end) return false;
    *out = v;
    return true;
}

static bool parse_ip(sgc_lit *l, const char *s)
{
    char buf[64];
    const char *slash = strchr(s, '/');
    size_t alen = slash ? (size_t)(slash - s) : strlen(s);
    if (alen >= sizeof buf) return false;
    memcpy(buf, s, alen);
    buf[alen] = '\0';
    memset(l->addr, 0, sizeof l->addr);
    if (inet_pton(AF_INET, buf, l->addr) == 1)
        l->family = 4;
    else if (inet_pton(AF_INET6, buf, l->addr) == 1)
        l->family = 6;
    else
        return false;
    l->prefix = -1;
    if (slash) {
        int64_t p;
        int max = l->family == 4 ? 32 : 128;
        if (!parse_i64(slash + 1, &p) || p < 0 || p > max) return false;
        l->prefix = (int)p;
    }
    return true;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

void sgc_lit_parse(sgc_lit *l, const char *s, size_t len)
{
    memset(l, 0, sizeof *l);
    l->s = malloc(len + 1);
    if (!l->s) abort();
    memcpy(l->s, s, len);
    l->s[len] = '\0';
    l->len = len;
    /* the lowercase copy is the string itself when it has no uppercase
     * byte (most list items: one copy per item of a 100,000-item list) */
    l->lower = l->s;
    for (size_t i = 0; i < len; i++)
        if (tolower((unsigned char)s[i]) != (unsigned char)s[i]) {
            l->lower = malloc(len + 1);
            if (!l->lower) abort();
            for (size_t k = 0; k <= len; k++) l->lower[k] = (char)tolower((unsigned char)l->s[k]);
            break;
        }
    l->prefix = -1;
    /* Embedded NULs make a string that is never a number/IP/bool. */
    if (strlen(l->s) != len) return;
    l->has_num = parse_i64(l->s, &l->num);
    l->has_unum = parse_u64(l->s, &l->unum);
    if (!strcmp(l->s, "true")) {
        l->has_bool = true;
        l->b = true;
    } else if (!strcmp(l->s, "false")) {
        l->has_bool = true;
        l->b = false;
    }
    l->has_ip = parse_ip(l, l->s);
    if (len % 2 == 0) {
        bool ok = true;
        for (size_t i = 0; i < len && ok; i++) ok = hexval((unsigned char)s[i]) >= 0;
        if (ok) {
            l->bytes = malloc(len / 2 + 1);
            if (!l->bytes) abort();
            for (size_t i = 0; i < len / 2; i++)
                l->bytes[i] = (uint8_t)(hexval((unsigned char)s[2 * i]) * 16 +
                                        hexval((unsigned char)s[2 * i + 1]));
            l->nbytes = len / 2;
        }
    }
}

void sgc_lit_free(sgc_lit *l)
{
    if (l->lower != l->s) free(l->lower);
    free(l->s);
    free(l->bytes);
    memset(l, 0, sizeof *l);
}

/* ---- string helpers ------------------------------------------------------ */

const char *sgc_memmem_icase(const char *h, size_t hl, const char *n, size_t nl)
{
    /* n is already lowercase */
    if (nl == 0) return h;
    if (nl > hl) return NULL;
    int first = (unsigned char)n[0];
    for (size_t i = 0; i + nl <= hl; i++) {
        if (tolower((unsigned char)h[i]) != first) continue;
        size_t j = 1;
        while (j < nl && tolower((unsigned char)h[i + j]) == (unsigned char)n[j]) j++;
        if (j == nl) return h + i;
    }
    return NULL;
}

static inline int fold(int c, bool icase) { return icase ? tolower(c) : c; }

/* One bracket expression at pat[*pi] (just after '['); sets *pi past ']'.
 * Returns -1 when the bracket is unterminated (then '[' is literal). */
static int match_class(const char *pat, size_t plen, size_t *pi, int c, bool icase)
{
    size_t i = *pi;
    bool neg = false;
    if (i < plen && (pat[i] == '!' || pat[i] == '^')) {
        neg = true;
        i++;
    }
    bool matched = false;
    bool first = true;
    while (i < plen && (pat[i] != ']' || first)) {
        first = false;
        int lo = (unsigned char)pat[i];
        if (lo == '\\' && i + 1 < plen) lo = (unsigned char)pat[++i];
        i++;
        int hi = lo;
        if (i + 1 < plen && pat[i] == '-' && pat[i + 1] != ']') {
            hi = (unsigned char)pat[i + 1];
            if (hi == '\\' && i + 2 < plen) {
                hi = (unsigned char)pat[i + 2];
                i++;
            }
            i += 2;
        }
        if (c >= lo && c <= hi)
            matched = true;
        else if (icase) {
            int l = tolower(c), u = toupper(c);
            if ((l >= lo && l <= hi) || (u >= lo && u <= hi)) matched = true;
        }
    }
    if (i >= plen) return -1;
    *pi = i + 1;
    return matched != neg;
}

bool sgc_glob_match(const char *pat, size_t plen, const char *s, size_t slen, bool icase)
{
    /* Iterative matcher with one backtrack point for the last '*'
     * (enough for fnmatch semantics without FNM_PATHNAME). */
    size_t pi = 0, si = 0;
    size_t star_p = (size_t)-1, star_s = 0;
    while (si < slen) {
        if (pi < plen) {
            char pc = pat[pi];
            if (pc == '*') {
                while (pi < plen && pat[pi] == '*') pi++;
                if (pi == plen) return true;
                star_p = pi;
                star_s = si;
                continue;
            }
            if (pc == '?') {
                pi++;
                si++;
                continue;
            }
            if (pc == '[') {
                size_t np = pi + 1;
                int m = match_class(pat, plen, &np, (unsigned char)s[si], icase);
                if (m == 1) {
                    pi = np;
                    si++;
                    continue;
                }
                if (m == -1 && s[si] == '[') { /* unterminated: literal '[' */
                    pi++;
                    si++;
                    continue;
                }
            } else {
                size_t adv = 1;
                if (pc == '\\' && pi + 1 < plen) {
                    pc = pat[pi + 1];
                    adv = 2;
                }
                if (fold((unsigned char)pc, icase) == fold((unsigned char)s[si], icase)) {
                    pi += adv;
                    si++;
                    continue;
                }
            }
        }
        if (star_p == (size_t)-1) return false;
        pi = star_p;
        si = ++star_s;
    }
    while (pi < plen && pat[pi] == '*') pi++;
    return pi == plen;
}

static bool ip_match(uint8_t family, const uint8_t *addr, uint8_t lfamily, const uint8_t *laddr,
                     int prefix)
{
    if (lfamily != family) return false;
    int bits = prefix < 0 ? (family == 4 ? 32 : 128) : prefix;
    int full = bits / 8, rem = bits % 8;
    if (memcmp(addr, laddr, (size_t)full) != 0) return false;
    if (rem) {
        uint8_t mask = (uint8_t)(0xff << (8 - rem));
        if ((addr[full] & mask) != (laddr[full] & mask)) return false;
    }
    return true;
}

bool sgc_ip_in_cidr(uint8_t family, const uint8_t *addr, const sgc_lit *l)
{
    return l->has_ip && ip_match(family, addr, l->family, l->addr, l->prefix);
}

/* The next non-empty '/'-separated component of [*pos, end): its start and
 * length, or false at the end. */
static bool next_component(const char *s, size_t end, size_t *pos, size_t *start, size_t *len)
{
    while (*pos < end && s[*pos] == '/') (*pos)++;
    if (*pos >= end) return false;
    *start = *pos;
    while (*pos < end && s[*pos] != '/') (*pos)++;
    *len = *pos - *start;
    return true;
}

bool sgc_pmatch_one(const char *p, size_t pl, const char *s, size_t sl)
{
    /* libsinsp's path_prefix_search: both sides split on '/' with empty
     * components skipped; the item's components must be a prefix of the
     * value's, a component with * ? or [ matched as a glob (which never
     * crosses a '/'), any other byte for byte. So "/etc/" = "/etc" = "etc",
     * "/" matches every value, "/opt/x/sub" matches "/opt/x/sub/y". */
    size_t pp = 0, sp = 0;
    size_t ps, pn, ss, sn;
    while (next_component(p, pl, &pp, &ps, &pn)) {
        if (!next_component(s, sl, &sp, &ss, &sn)) return false;
        const char *pc = p + ps;
        bool wild = memchr(pc, '*', pn) || memchr(pc, '?', pn) || memchr(pc, '[', pn);
        if (wild ? !sgc_glob_match(pc, pn, s + ss, sn, false)
                 : (pn != sn || memcmp(pc, s + ss, pn) != 0))
            return false;
    }
    return true;
}

/* ---- sets ---------------------------------------------------------------- */

static uint64_t hash_bytes(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 1099511628211ull;
    }
    return h;
}

#define SET_HASH_MIN 8

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void *xgrow(void *p, int n, size_t size)
{
    if (n & (n - 1)) return p; /* grows at powers of two */
    p = realloc(p, size * (size_t)(n ? 2 * n : 1));
    if (!p) abort();
    return p;
}

/* An array grown by xgrow cut to its n items. */
static void *shrink(void *p, int n, size_t size)
{
    void *q = n ? realloc(p, size * (size_t)n) : NULL;
    return q ? q : p;
}

/* The forms of item i that set membership reads (as sgc_lit_parse would
 * parse it: a string with an embedded NUL is only a string). */
static void set_add_forms(sgc_litset *s, const char *p, size_t len)
{
    if (memchr(p, 0, len)) return;
    int64_t i;
    uint64_t u;
    if (parse_i64(p, &i)) {
        s->nums = xgrow(s->nums, s->nnums, sizeof *s->nums);
        s->nums[s->nnums++] = i;
    }
    if (parse_u64(p, &u)) {
        s->unums = xgrow(s->unums, s->nunums, sizeof *s->unums);
        s->unums[s->nunums++] = u;
    }
    s->has_true |= !strcmp(p, "true");
    s->has_false |= !strcmp(p, "false");
    sgc_lit ip;
    if (parse_ip(&ip, p)) {
        s->ips = xgrow(s->ips, s->nips, sizeof *s->ips);
        sgc_setip *e = &s->ips[s->nips++];
        memcpy(e->addr, ip.addr, sizeof e->addr);
        e->prefix = (int16_t)ip.prefix;
        e->family = ip.family;
    }
}

/* The forms, length bounds and string hash of the n items in s->pool. */
static void set_index(sgc_litset *s, int n)
{
    s->n = n;
    s->minlen = (size_t)-1;
    s->maxlen = 0;
    for (int i = 0; i < n; i++) {
        size_t len;
        const char *p = sgc_litset_item(s, i, &len);
        set_add_forms(s, p, len);
        if (len < s->minlen) s->minlen = len;
        if (len > s->maxlen) s->maxlen = len;
    }
    s->nums = shrink(s->nums, s->nnums, sizeof *s->nums);
    s->unums = shrink(s->unums, s->nunums, sizeof *s->unums);
    s->ips = shrink(s->ips, s->nips, sizeof *s->ips);
    if (s->nnums) qsort(s->nums, (size_t)s->nnums, sizeof *s->nums, cmp_i64);
    if (s->nunums) qsort(s->unums, (size_t)s->nunums, sizeof *s->unums, cmp_u64);
    if (n < SET_HASH_MIN) return;
    uint32_t cap = 16;
    while (cap < (uint32_t)n * 2) cap *= 2;
    s->slots = calloc(cap, sizeof *s->slots);
    if (!s->slots) abort();
    s->mask = cap - 1;
    for (int i = 0; i < n; i++) {
        size_t len;
        const char *p = sgc_litset_item(s, i, &len);
        uint32_t h = (uint32_t)hash_bytes(p, len) & s->mask;
        while (s->slots[h]) h = (h + 1) & s->mask;
        s->slots[h] = (uint32_t)i + 1;
    }
}

static void set_build(sgc_litset *s, const char *const *items, const size_t *lens, int n)
{
    size_t total = 0;
    for (int i = 0; i < n; i++) total += lens[i] + 1;
    if (total > UINT32_MAX) abort(); /* items are bounded far below 4 GiB */
    s->pool = malloc(total ? total : 1);
    s->off = malloc(sizeof *s->off * ((size_t)n + 1));
    if (!s->pool || !s->off) abort();
    uint32_t at = 0;
    for (int i = 0; i < n; i++) {
        s->off[i] = at;
        memcpy(s->pool + at, items[i], lens[i]);
        s->pool[at + lens[i]] = '\0';
        at += (uint32_t)lens[i] + 1;
    }
    s->off[n] = at;
    set_index(s, n);
}

static void set_free(sgc_litset *s)
{
    if (s->pack) {
        sgc_strpack_free(s->pack); /* one reference less */
    } else {
        free(s->pool);
        free(s->off);
    }
    free(s->slots);
    free(s->nums);
    free(s->unums);
    free(s->ips);
    memset(s, 0, sizeof *s);
}

static bool set_has_str(const sgc_litset *s, const char *p, size_t n)
{
    if (n < s->minlen || n > s->maxlen) return false;
    size_t len;
    if (s->slots) {
        uint32_t h = (uint32_t)hash_bytes(p, n) & s->mask;
        while (s->slots[h]) {
            const char *it = sgc_litset_item(s, (int)s->slots[h] - 1, &len);
            if (len == n && memcmp(it, p, n) == 0) return true;
            h = (h + 1) & s->mask;
        }
        return false;
    }
    for (int i = 0; i < s->n; i++) {
        const char *it = sgc_litset_item(s, i, &len);
        if (len == n && memcmp(it, p, n) == 0) return true;
    }
    return false;
}

/* ---- scalar comparison ---------------------------------------------------- */

/* The string form of a non-string value, for string operators. */
static const char *as_string(const sgc_val *v, char *buf, size_t cap, size_t *len)
{
    switch (v->kind) {
    case SGC_VAL_STR: *len = v->str.len; return v->str.p;
    case SGC_VAL_S64: *len = (size_t)snprintf(buf, cap, "%" PRId64, v->s64); return buf;
    case SGC_VAL_U64: *len = (size_t)snprintf(buf, cap, "%" PRIu64, v->u64); return buf;
    case SGC_VAL_BOOL: *len = (size_t)snprintf(buf, cap, "%s", v->b ? "true" : "false"); return buf;
    case SGC_VAL_IP:
        if (!inet_ntop(v->ip.family == 6 ? AF_INET6 : AF_INET, v->ip.addr, buf, (socklen_t)cap))
            return NULL;
        *len = strlen(buf);
        return buf;
    default: return NULL;
    }
}

/* -1/0/1 numeric order of v against the literal; 2 when not comparable. */
static int num_order(const sgc_val *v, const sgc_lit *l)
{
    if (v->kind == SGC_VAL_S64) {
        if (l->has_num) return v->s64 < l->num ? -1 : v->s64 > l->num;
        if (l->has_unum) /* literal above INT64_MAX */
            return -1;
        return 2;
    }
    if (v->kind == SGC_VAL_U64) {
        if (l->has_unum) return v->u64 < l->unum ? -1 : v->u64 > l->unum;
        if (l->has_num) /* negative literal */
            return 1;
        return 2;
    }
    if (v->kind == SGC_VAL_BOOL && l->has_bool) return v->b == l->b ? 0 : (v->b ? 1 : -1);
    if (v->kind == SGC_VAL_STR) { /* text ordering: libsinsp's strcmp */
        size_t n = v->str.len < l->len ? v->str.len : l->len;
        int c = memcmp(v->str.p, l->s, n);
        if (c) return c < 0 ? -1 : 1;
        return v->str.len < l->len ? -1 : v->str.len > l->len;
    }
    return 2;
}

static bool scalar_eq(const sgc_val *v, const sgc_lit *l)
{
    switch (v->kind) {
    case SGC_VAL_STR: return v->str.len == l->len && memcmp(v->str.p, l->s, l->len) == 0;
    case SGC_VAL_S64:
    case SGC_VAL_U64:
    case SGC_VAL_BOOL: return num_order(v, l) == 0;
    case SGC_VAL_IP: return sgc_ip_in_cidr(v->ip.family, v->ip.addr, l);
    default: return false;
    }
}

/* Does some item equal v, as scalar_eq compares? */
static bool scalar_in_set(const sgc_val *v, const sgc_litset *s)
{
    switch (v->kind) {
    case SGC_VAL_STR: return set_has_str(s, v->str.p, v->str.len);
    case SGC_VAL_S64:
        return s->nnums && bsearch(&v->s64, s->nums, (size_t)s->nnums, sizeof *s->nums, cmp_i64);
    case SGC_VAL_U64:
        return s->nunums &&
               bsearch(&v->u64, s->unums, (size_t)s->nunums, sizeof *s->unums, cmp_u64);
    case SGC_VAL_BOOL: return v->b ? s->has_true : s->has_false;
    case SGC_VAL_IP:
        for (int i = 0; i < s->nips; i++)
            if (ip_match(v->ip.family, v->ip.addr, s->ips[i].family, s->ips[i].addr,
                         s->ips[i].prefix))
                return true;
        return false;
    default: return false;
    }
}

static bool scalar_pmatch(const sgc_val *v, const sgc_litset *s)
{
    char buf[64];
    size_t n, len;
    const char *p = as_string(v, buf, sizeof buf, &n);
    if (!p) return false;
    for (int i = 0; i < s->n; i++) {
        const char *it = sgc_litset_item(s, i, &len);
        if (sgc_pmatch_one(it, len, p, n)) return true;
    }
    return false;
}

static bool regex_match(const sgc_cmp *c, const char *p, size_t n)
{
    int rc = pcre2_match((const pcre2_code *)c->re, (PCRE2_SPTR)p, n, 0, 0,
                         (pcre2_match_data *)c->md, NULL);
    return rc >= 0;
}

static bool scalar_cmp(const sgc_cmp *c, const sgc_val *v)
{
    const sgc_lit *l = &c->lit;
    char buf[64];
    size_t n;
    const char *p;
    switch (c->op) {
    case SGC_OP_EQ: return scalar_eq(v, l);
    case SGC_OP_NE:
        if (v->kind == SGC_VAL_S64 || v->kind == SGC_VAL_U64 || v->kind == SGC_VAL_BOOL) {
            int o = num_order(v, l);
            return o != 2 && o != 0;
        }
        if (v->kind == SGC_VAL_IP) return l->has_ip && !sgc_ip_in_cidr(v->ip.family, v->ip.addr, l);
        return !scalar_eq(v, l);
    case SGC_OP_LT: {
        int o = num_order(v, l);
        return o == -1;
    }
    case SGC_OP_LE: {
        int o = num_order(v, l);
        return o == -1 || o == 0;
    }
    case SGC_OP_GT: {
        int o = num_order(v, l);
        return o == 1;
    }
    case SGC_OP_GE: {
        int o = num_order(v, l);
        return o == 1 || o == 0;
    }
    case SGC_OP_IN:
    case SGC_OP_INTERSECTS: return c->is_set ? scalar_in_set(v, &c->set) : scalar_eq(v, l);
    case SGC_OP_PMATCH: return scalar_pmatch(v, &c->set);
    case SGC_OP_EXISTS: return true;
    default: break;
    }
    /* string operators */
    p = as_string(v, buf, sizeof buf, &n);
    if (!p) return false;
    if (c->is_set) {
        /* merged `or` of one operator over one field (eval_compile.c):
         * true when some operand matches */
        for (int i = 0; i < c->set.n; i++) {
            size_t len;
            const char *it = sgc_litset_item(&c->set, i, &len);
            bool m;
            switch (c->op) {
            case SGC_OP_CONTAINS: m = memmem(p, n, it, len) != NULL || len == 0; break;
            case SGC_OP_STARTSWITH: m = n >= len && memcmp(p, it, len) == 0; break;
            case SGC_OP_ENDSWITH: m = n >= len && memcmp(p + n - len, it, len) == 0; break;
            default: m = false; break;
            }
            if (m) return true;
        }
        return false;
    }
    switch (c->op) {
    case SGC_OP_CONTAINS: return memmem(p, n, l->s, l->len) != NULL || l->len == 0;
    case SGC_OP_ICONTAINS: return sgc_memmem_icase(p, n, l->lower, l->len) != NULL;
    case SGC_OP_STARTSWITH: return n >= l->len && memcmp(p, l->s, l->len) == 0;
    case SGC_OP_ENDSWITH: return n >= l->len && memcmp(p + n - l->len, l->s, l->len) == 0;
    case SGC_OP_BCONTAINS:
        return l->bytes && (l->nbytes == 0 || memmem(p, n, l->bytes, l->nbytes) != NULL);
    case SGC_OP_BSTARTSWITH:
        return l->bytes && n >= l->nbytes && memcmp(p, l->bytes, l->nbytes) == 0;
    case SGC_OP_GLOB: return sgc_glob_match(l->s, l->len, p, n, false);
    case SGC_OP_IGLOB: return sgc_glob_match(l->s, l->len, p, n, true);
    case SGC_OP_REGEX: return c->re && regex_match(c, p, n);
    default: return false;
    }
}

/* ---- public ---------------------------------------------------------------- */

bool sgc_cmp_eval(const sgc_cmp *c, const sgc_val *v)
{
    if (v->kind == SGC_VAL_NA) return false;
    if (c->op == SGC_OP_EXISTS) return true;
    if (v->kind != SGC_VAL_LIST) return scalar_cmp(c, v);

    const sgc_val *it = v->list.items;
    int n = v->list.n;
    if (c->any) {
        for (int i = 0; i < n; i++)
            if (it[i].kind != SGC_VAL_NA && scalar_cmp(c, &it[i])) return true;
        return false;
    }
    if (c->either) {
        /* fd.ip-style: any end for =/in, no end for != */
        if (c->op == SGC_OP_NE) {
            sgc_cmp eq = *c;
            eq.op = SGC_OP_EQ;
            for (int i = 0; i < n; i++)
                if (it[i].kind != SGC_VAL_NA && scalar_cmp(&eq, &it[i])) return false;
            return true;
        }
        for (int i = 0; i < n; i++)
            if (it[i].kind != SGC_VAL_NA && scalar_cmp(c, &it[i])) return true;
        return false;
    }
    switch (c->op) {
    case SGC_OP_IN:
        /* every item in the set (an empty list is trivially in) */
        for (int i = 0; i < n; i++)
            if (!(c->is_set ? scalar_in_set(&it[i], &c->set) : scalar_eq(&it[i], &c->lit)))
                return false;
        return true;
    case SGC_OP_NE:
        for (int i = 0; i < n; i++)
            if (scalar_eq(&it[i], &c->lit)) return false;
        return true;
    default:
        /* intersects, and other operators applied item-wise: any item */
        for (int i = 0; i < n; i++)
            if (it[i].kind != SGC_VAL_NA && scalar_cmp(c, &it[i])) return true;
        return false;
    }
}

bool sgc_cmp_init(sgc_cmp *c, sgc_op op, const char *const *items, const size_t *lens, int n,
                  bool is_set, bool either, char *err, size_t errlen)
{
    memset(c, 0, sizeof *c);
    c->op = op;
    c->either = either;
    c->is_set = is_set;
    if (op == SGC_OP_EXISTS) return true;
    if (is_set) {
        set_build(&c->set, items, lens, n);
        return true;
    }
    if (n != 1) {
        snprintf(err, errlen, "operator '%s' needs one value, got %d", sgc_op_name(op), n);
        return false;
    }
    sgc_lit_parse(&c->lit, items[0], lens[0]);
    if ((op == SGC_OP_BCONTAINS || op == SGC_OP_BSTARTSWITH) && !c->lit.bytes) {
        snprintf(err, errlen, "'%s' needs an even number of hex digits, got \"%s\"",
                 sgc_op_name(op), c->lit.s);
        sgc_cmp_free(c);
        return false;
    }
    if (op == SGC_OP_REGEX) {
        int ec;
        PCRE2_SIZE eo;
        c->re = (struct pcre2_real_code_8 *)pcre2_compile(
            (PCRE2_SPTR)c->lit.s, c->lit.len, PCRE2_ANCHORED | PCRE2_ENDANCHORED, &ec, &eo, NULL);
        if (!c->re) {
            PCRE2_UCHAR msg[128];
            pcre2_get_error_message(ec, msg, sizeof msg);
            snprintf(err, errlen, "invalid regex \"%s\" at offset %zu: %s", c->lit.s, (size_t)eo,
                     (const char *)msg);
            sgc_cmp_free(c);
            return false;
        }
        pcre2_jit_compile((pcre2_code *)c->re, PCRE2_JIT_COMPLETE);
        c->md = (struct pcre2_real_match_data_8 *)pcre2_match_data_create_from_pattern(
            (pcre2_code *)c->re, NULL);
        if (!c->md) abort();
    }
    return true;
}

void sgc_cmp_init_pack(sgc_cmp *c, sgc_op op, sgc_strpack *pack, bool either)
{
    memset(c, 0, sizeof *c);
    c->op = op;
    c->either = either;
    c->is_set = true;
    c->set.pack = sgc_strpack_ref(pack);
    c->set.pool = pack->pool;
    c->set.off = pack->off;
    set_index(&c->set, pack->n);
}

void sgc_cmp_free(sgc_cmp *c)
{
    if (c->borrowed) {
        memset(c, 0, sizeof *c);
        return;
    }
    sgc_lit_free(&c->lit);
    set_free(&c->set);
    if (c->re) pcre2_code_free((pcre2_code *)c->re);
    if (c->md) pcre2_match_data_free((pcre2_match_data *)c->md);
    memset(c, 0, sizeof *c);
}

bool sgc_cmp_eval_dynamic(sgc_op op, const sgc_val *lhs, const sgc_val *rhs)
{
    if (lhs->kind == SGC_VAL_NA || rhs->kind == SGC_VAL_NA) return false;
    char buf[64];
    size_t n;
    const char *p = as_string(rhs, buf, sizeof buf, &n);
    if (!p) return false;
    sgc_cmp c;
    char err[160];
    bool set = sgc_op_is_list(op);
    if (!sgc_cmp_init(&c, op, &p, &n, 1, set, false, err, sizeof err)) return false;
    bool r = sgc_cmp_eval(&c, lhs);
    sgc_cmp_free(&c);
    return r;
}
