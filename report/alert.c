/* Alert line parser for the report (see alert.h): a strict JSON scanner
 * that keeps the few members the report needs. */
#include "alert.h"
#include "utf8.h"

#include "report_time.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_DEPTH 2048 /* jansson's JSON_PARSER_MAX_DEPTH */

static const char *const prio_names[SGC_RPRIO_N] = {
    "Emergency", "Alert",         "Critical", "Error",   "Warning",
    "Notice",    "Informational", "Debug",    "Unknown",
};

const char *sgc_rprio_name(int prio)
{
    return prio >= 0 && prio < SGC_RPRIO_N ? prio_names[prio] : prio_names[SGC_RPRIO_UNKNOWN];
}

int sgc_rprio_parse(const char *s, size_t n)
{
    for (int i = 0; i < SGC_RPRIO_UNKNOWN; i++)
        if (strlen(prio_names[i]) == n && !strncasecmp(s, prio_names[i], n)) return i;
    if (n == 4 && !strncasecmp(s, "info", 4)) return SGC_RPRIO_INFORMATIONAL;
    return SGC_RPRIO_UNKNOWN;
}

/* ---- the scanner ------------------------------------------------------------ */

typedef struct scan {
    const char *s;
    size_t n, i;
    int depth;
    sgc_alert *a;
    char *err;
    size_t errlen;
} scan;

static int fail(scan *sc, const char *msg)
{
    snprintf(sc->err, sc->errlen, "not JSON: %s at column %zu", msg, sc->i + 1);
    return -1;
}

static void ws(scan *sc)
{
    while (sc->i < sc->n) {
        char c = sc->s[sc->i];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
        sc->i++;
    }
}

static int hex4(const char *s, unsigned *v)
{
    *v = 0;
    for (int k = 0; k < 4; k++) {
        char c = s[k];
        unsigned d = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
                     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                     : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
                                            : 16u;
        if (d > 15) return -1;
        *v = *v << 4 | d;
    }
    return 0;
}

/* A \u escape at s[*i] (just past the backslash-u); the code point, or -1. */
static long uescape(scan *sc, size_t *i)
{
    unsigned hi, lo;
    if (*i + 4 > sc->n || hex4(sc->s + *i, &hi) < 0) return -1;
    *i += 4;
    if (hi >= 0xdc00 && hi <= 0xdfff) return -1;
    if (hi < 0xd800 || hi > 0xdbff) return hi;
    if (*i + 6 > sc->n || sc->s[*i] != '\\' || sc->s[*i + 1] != 'u' ||
        hex4(sc->s + *i + 2, &lo) < 0 || lo < 0xdc00 || lo > 0xdfff)
        return -1;
    *i += 6;
    return 0x10000 + (((long)hi - 0xd800) << 10) + ((long)lo - 0xdc00);
}

static size_t put_utf8(char *o, long cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xc0 | cp >> 6);
        o[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xe0 | cp >> 12);
        o[1] = (char)(0x80 | (cp >> 6 & 0x3f));
        o[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    o[0] = (char)(0xf0 | cp >> 18);
    o[1] = (char)(0x80 | (cp >> 12 & 0x3f));
    o[2] = (char)(0x80 | (cp >> 6 & 0x3f));
    o[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

/* Bytes at s[0..n) that need no look in a string: printable ASCII but '"'
 * and '\\', eight at a time (the common case of alert text). */
static size_t plain_run(const char *s, size_t n)
{
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    size_t i = 0;
    while (i + 8 <= n) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\');
        uint64_t special =
            (w | ((w - ones * 0x20) & ~w) | ((q - ones) & ~q) | ((b - ones) & ~b)) & highs;
        if (special) break;
        i += 8;
    }
    return i;
}

/* A string at sc->i (on the quote). With dst, its decoded value (pointing
 * into the line when it has no escapes, else into the scratch buffer);
 * *has_nul tells whether it decoded a \u0000. */
static int string(scan *sc, sgc_rstr *dst, bool *has_nul)
{
    size_t start = ++sc->i;
    bool escapes = false;
    *has_nul = false;
    for (;;) {
        sc->i += plain_run(sc->s + sc->i, sc->n - sc->i);
        if (sc->i >= sc->n) return fail(sc, "unterminated string");
        unsigned char c = (unsigned char)sc->s[sc->i];
        if (c == '"') break;
        if (c < 0x20) return fail(sc, "control character in string");
        if (c == '\\') {
            escapes = true;
            size_t k = sc->i + 1;
            if (k >= sc->n) return fail(sc, "unterminated string");
            char e = sc->s[k];
            if (e == 'u') {
                k++;
                long cp = uescape(sc, &k);
                if (cp < 0) return fail(sc, "invalid \\u escape");
                *has_nul |= cp == 0;
                sc->i = k;
            } else if (strchr("\"\\/bfnrt", e) && e) {
                sc->i = k + 1;
            } else {
                return fail(sc, "invalid escape");
            }
        } else if (c < 0x80) {
            sc->i++;
        } else {
            size_t l = sgc_utf8_seq((const unsigned char *)sc->s + sc->i, sc->n - sc->i);
            if (!l) return fail(sc, "invalid UTF-8");
            sc->i += l;
        }
    }
    size_t end = sc->i++;
    if (!dst) return 0;
    if (!escapes) {
        *dst = (sgc_rstr){sc->s + start, end - start};
        return 0;
    }
    sgc_alert *a = sc->a;
    char *o = a->scratch + a->scratch_len, *o0 = o;
    for (size_t k = start; k < end;) {
        char c = sc->s[k];
        if (c != '\\') {
            *o++ = c;
            k++;
            continue;
        }
        char e = sc->s[k + 1];
        k += 2;
        switch (e) {
        case 'b': *o++ = '\b'; break;
        case 'f': *o++ = '\f'; break;
        case 'n': *o++ = '\n'; break;
        case 'r': *o++ = '\r'; break;
        case 't': *o++ = '\t'; break;
        case 'u': o += put_utf8(o, uescape(sc, &k)); break;
        default: *o++ = e; break;
        }
    }
    a->scratch_len += (size_t)(o - o0);
    *dst = (sgc_rstr){o0, (size_t)(o - o0)};
    return 0;
}

static bool digit(scan *sc) { return sc->i < sc->n && sc->s[sc->i] >= '0' && sc->s[sc->i] <= '9'; }

/* A number; *ival and *is_int for an integer (which must fit int64). */
static int number(scan *sc, int64_t *ival, bool *is_int)
{
    size_t start = sc->i;
    bool neg = sc->s[sc->i] == '-';
    sc->i += neg;
    if (!digit(sc)) return fail(sc, "invalid number");
    if (sc->s[sc->i] == '0') {
        sc->i++;
    } else {
        while (digit(sc)) sc->i++;
    }
    bool frac = false, exp = false;
    if (sc->i < sc->n && sc->s[sc->i] == '.') {
        sc->i++;
        frac = true;
        if (!digit(sc)) return fail(sc, "invalid number");
        while (digit(sc)) sc->i++;
    }
    if (sc->i < sc->n && (sc->s[sc->i] == 'e' || sc->s[sc->i] == 'E')) {
        sc->i++;
        exp = true;
        if (sc->i < sc->n && (sc->s[sc->i] == '+' || sc->s[sc->i] == '-')) sc->i++;
        if (!digit(sc)) return fail(sc, "invalid number");
        while (digit(sc)) sc->i++;
    }
    *is_int = !frac && !exp;
    if (*is_int) {
        int64_t v = 0;
        for (size_t k = start + neg; k < sc->i; k++) {
            int d = sc->s[k] - '0';
            if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, neg ? -d : d, &v))
                return fail(sc, "integer out of range");
        }
        *ival = v;
    } else if (exp || sc->i - start > 300) { /* only these can overflow a double */
        char small[64], *buf = small;
        size_t len = sc->i - start;
        if (len >= sizeof small && !(buf = malloc(len + 1))) return fail(sc, "out of memory");
        memcpy(buf, sc->s + start, len);
        buf[len] = '\0';
        bool finite = isfinite(strtod(buf, NULL));
        if (buf != small) free(buf);
        if (!finite) return fail(sc, "real number out of range");
    }
    return 0;
}

static int literal(scan *sc, const char *word)
{
    size_t l = strlen(word);
    if (sc->i + l > sc->n || memcmp(sc->s + sc->i, word, l)) return fail(sc, "invalid literal");
    sc->i += l;
    return 0;
}

typedef int (*member_fn)(scan *sc, sgc_rstr key);

static int value(scan *sc);

/* An object at sc->i (on the brace); on_member parses each member's value. */
static int object(scan *sc, member_fn on_member)
{
    if (++sc->depth > MAX_DEPTH) return fail(sc, "nested too deeply");
    sc->i++;
    ws(sc);
    if (sc->i < sc->n && sc->s[sc->i] == '}') {
        sc->i++;
        sc->depth--;
        return 0;
    }
    for (;;) {
        if (sc->i >= sc->n || sc->s[sc->i] != '"') return fail(sc, "expected a member name");
        sgc_rstr key;
        bool nul;
        size_t mark = sc->a->scratch_len;
        if (string(sc, &key, &nul) < 0) return -1;
        if (nul) return fail(sc, "NUL in a member name");
        ws(sc);
        if (sc->i >= sc->n || sc->s[sc->i] != ':') return fail(sc, "expected ':'");
        sc->i++;
        ws(sc);
        int rc = on_member ? on_member(sc, key) : value(sc);
        if (rc < 0) return -1;
        if (!on_member) sc->a->scratch_len = mark; /* a skipped key's decoding is not needed */
        ws(sc);
        if (sc->i < sc->n && sc->s[sc->i] == ',') {
            sc->i++;
            ws(sc);
            continue;
        }
        if (sc->i < sc->n && sc->s[sc->i] == '}') {
            sc->i++;
            sc->depth--;
            return 0;
        }
        return fail(sc, "expected ',' or '}'");
    }
}

static int array(scan *sc)
{
    if (++sc->depth > MAX_DEPTH) return fail(sc, "nested too deeply");
    sc->i++;
    ws(sc);
    if (sc->i < sc->n && sc->s[sc->i] == ']') {
        sc->i++;
        sc->depth--;
        return 0;
    }
    for (;;) {
        if (value(sc) < 0) return -1;
        ws(sc);
        if (sc->i < sc->n && sc->s[sc->i] == ',') {
            sc->i++;
            ws(sc);
            continue;
        }
        if (sc->i < sc->n && sc->s[sc->i] == ']') {
            sc->i++;
            sc->depth--;
            return 0;
        }
        return fail(sc, "expected ',' or ']'");
    }
}

/* Any value, validated and skipped. */
static int value(scan *sc)
{
    if (sc->i >= sc->n) return fail(sc, "unexpected end");
    bool nul, is_int;
    int64_t iv;
    switch (sc->s[sc->i]) {
    case '{': return object(sc, NULL);
    case '[': return array(sc);
    case '"': return string(sc, NULL, &nul);
    case 't': return literal(sc, "true");
    case 'f': return literal(sc, "false");
    case 'n': return literal(sc, "null");
    default: return number(sc, &iv, &is_int);
    }
}

/* A member's value into dst when it is a string; absent otherwise. */
static int string_member(scan *sc, sgc_rstr *dst)
{
    bool nul;
    *dst = (sgc_rstr){NULL, 0};
    if (sc->i < sc->n && sc->s[sc->i] == '"') return string(sc, dst, &nul);
    return value(sc);
}

static bool key_is(sgc_rstr k, const char *lit)
{
    size_t l = strlen(lit);
    return k.n == l && !memcmp(k.p, lit, l);
}

/* A member name table entry: the name, its length, where its value goes. */
typedef struct member_key {
    const char *name;
    size_t len, off;
} member_key;
#define MEMBER(name, field) {name, sizeof name - 1, offsetof(sgc_alert, field)}

/* The entry for key in keys[0..n), or NULL. */
static const member_key *find_key(const member_key *keys, size_t n, sgc_rstr key)
{
    for (size_t k = 0; k < n; k++)
        if (keys[k].len == key.n && !memcmp(keys[k].name, key.p, key.n)) return &keys[k];
    return NULL;
}

static int of_member(scan *sc, sgc_rstr key)
{
    sgc_alert *a = sc->a;
    static const member_key keys[] = {
        MEMBER("container.id", of_cid),          MEMBER("container.name", of_cname),
        MEMBER("container.image", of_image),     MEMBER("container.image.repository", of_repo),
        MEMBER("container.image.tag", of_tag),   MEMBER("k8s.ns.name", of_ns),
        MEMBER("evt.time.iso8601", of_time_iso),
    };
    if (key.n < 8 || (key.p[0] != 'c' && key.p[0] != 'k' && key.p[0] != 'e')) return value(sc);
    const member_key *mk = find_key(keys, sizeof keys / sizeof keys[0], key);
    if (mk) return string_member(sc, (sgc_rstr *)((char *)a + mk->off));
    if (key_is(key, "evt.time")) {
        a->of_time_set = false;
        if (sc->i < sc->n &&
            (sc->s[sc->i] == '-' || (sc->s[sc->i] >= '0' && sc->s[sc->i] <= '9'))) {
            bool is_int;
            if (number(sc, &a->of_time, &is_int) < 0) return -1;
            a->of_time_set = is_int;
            return 0;
        }
    }
    return value(sc);
}

static void clear_output_fields(sgc_alert *a)
{
    a->of_cid = a->of_cname = a->of_image = a->of_repo = a->of_tag = a->of_ns = a->of_time_iso =
        (sgc_rstr){NULL, 0};
    a->of_time_set = false;
}

static int top_member(scan *sc, sgc_rstr key)
{
    sgc_alert *a = sc->a;
    static const member_key keys[] = {
        MEMBER("rule", rule),     MEMBER("time", time),     MEMBER("hostname", hostname),
        MEMBER("source", source), MEMBER("output", output),
    };
    const member_key *mk = find_key(keys, sizeof keys / sizeof keys[0], key);
    if (mk) return string_member(sc, (sgc_rstr *)((char *)a + mk->off));
    if (key_is(key, "priority")) {
        sgc_rstr p;
        int rc = string_member(sc, &p);
        a->prio = p.p ? sgc_rprio_parse(p.p, p.n) : SGC_RPRIO_UNKNOWN;
        return rc;
    }
    if (key_is(key, "output_fields")) {
        clear_output_fields(a);
        if (sc->i < sc->n && sc->s[sc->i] == '{') return object(sc, of_member);
    }
    return value(sc);
}

/* ---- from the members to the alert ----------------------------------------- */

static bool rstr_is(sgc_rstr s, const char *lit) { return s.p && key_is(s, lit); }

/* Falco's values for "no container": absent, empty, <NA>, "host". */
static bool no_value(sgc_rstr s)
{
    return !s.p || s.n == 0 || rstr_is(s, "<NA>") || rstr_is(s, "host");
}

/* n, or less so that s[0..n) does not end inside a UTF-8 sequence. */
static size_t utf8_whole(const char *s, size_t n)
{
    size_t i = n;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xc0) == 0x80 && n - i < 3) i--;
    if (i == 0) return n;
    unsigned char lead = (unsigned char)s[i - 1];
    size_t need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
    return n - (i - 1) >= need ? n : i - 1;
}

static void container_fields(sgc_alert *a)
{
    if (rstr_is(a->of_cid, "host")) return;
    if (!no_value(a->of_cname)) a->container = a->of_cname;
    if (!no_value(a->of_ns)) a->k8s_ns = a->of_ns;
    if (!no_value(a->of_image)) {
        a->image = a->of_image;
    } else if (!no_value(a->of_repo)) {
        sgc_rstr repo = a->of_repo, tag = a->of_tag;
        int w = no_value(tag)
                    ? snprintf(a->image_buf, sizeof a->image_buf, "%.*s", (int)repo.n, repo.p)
                    : snprintf(a->image_buf, sizeof a->image_buf, "%.*s:%.*s", (int)repo.n, repo.p,
                               (int)tag.n, tag.p);
        size_t n = w < 0                             ? 0
                   : (size_t)w < sizeof a->image_buf ? (size_t)w
                                                     : sizeof a->image_buf - 1;
        if (w >= 0 && (size_t)w >= sizeof a->image_buf) n = utf8_whole(a->image_buf, n);
        a->image = (sgc_rstr){a->image_buf, n};
    }
}

/* Alert times are kept to 1970..2199, so that differences and bucket
 * arithmetic never overflow int64 nanoseconds. */
#define TIME_MAX_NS INT64_C(7258118400000000000) /* 2200-01-01T00:00:00Z */

static bool time_of(sgc_alert *a)
{
    if (a->time.p) return sgc_rtime_parse_iso(a->time.p, a->time.n, &a->time_ns);
    if (a->of_time_set) {
        a->time_ns = a->of_time;
        return true;
    }
    return a->of_time_iso.p && sgc_rtime_parse_iso(a->of_time_iso.p, a->of_time_iso.n, &a->time_ns);
}

static bool alert_time(sgc_alert *a, char *err, size_t errlen)
{
    if (!time_of(a)) {
        snprintf(err, errlen,
                 a->time.p ? "\"time\" is not an RFC 3339 time"
                           : "no \"time\" (nor output_fields evt.time)");
        return false;
    }
    if (a->time_ns < 0 || a->time_ns >= TIME_MAX_NS) {
        snprintf(err, errlen, "time outside 1970..2199");
        return false;
    }
    return true;
}

void sgc_alert_init(sgc_alert *a) { memset(a, 0, sizeof *a); }

void sgc_alert_free(sgc_alert *a)
{
    free(a->scratch);
    memset(a, 0, sizeof *a);
}

int sgc_alert_parse(sgc_alert *a, const char *line, size_t len, char *err, size_t errlen)
{
    char *scratch = a->scratch;
    size_t cap = a->scratch_cap;
    memset(a, 0, offsetof(sgc_alert, scratch));
    a->prio = SGC_RPRIO_UNKNOWN;
    a->scratch_len = 0;
    if (cap < len + 1) { /* decoded strings are never longer than their JSON */
        free(scratch);
        cap = len + 1 > 4096 ? len + 1 : 4096;
        scratch = malloc(cap);
        if (!scratch) cap = 0;
    }
    a->scratch = scratch;
    a->scratch_cap = cap;
    if (!scratch) {
        snprintf(err, errlen, "out of memory");
        return SGC_ALERT_SYNTAX;
    }
    scan sc = {line, len, 0, 0, a, err, errlen};
    ws(&sc);
    if (sc.i >= len || line[sc.i] != '{') {
        if (sc.i >= len) return fail(&sc, "expected '{'");
        if (value(&sc) < 0) /* the reason it is not JSON at all */
            return SGC_ALERT_SYNTAX;
        ws(&sc);
        if (sc.i != len) return fail(&sc, "text after the value");
        snprintf(err, errlen, "not a JSON object");
        return SGC_ALERT_SYNTAX;
    }
    if (object(&sc, top_member) < 0) return SGC_ALERT_SYNTAX;
    ws(&sc);
    if (sc.i != len) return fail(&sc, "text after the object");
    if (!a->rule.p) {
        snprintf(err, errlen, "no \"rule\" string");
        return SGC_ALERT_NOT_ALERT;
    }
    if (!alert_time(a, err, errlen)) return SGC_ALERT_NOT_ALERT;
    container_fields(a);
    return SGC_ALERT_OK;
}
