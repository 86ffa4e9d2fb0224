/* Operators: every operator with Falco's semantics and the edge cases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "ops.h"

static sgc_val S(const char *s)
{
    sgc_val v = {.kind = SGC_VAL_STR};
    v.str.p = s;
    v.str.len = strlen(s);
    return v;
}
static sgc_val I(int64_t x)
{
    sgc_val v = {.kind = SGC_VAL_S64};
    v.s64 = x;
    return v;
}
static sgc_val U(uint64_t x)
{
    sgc_val v = {.kind = SGC_VAL_U64};
    v.u64 = x;
    return v;
}
static sgc_val B(bool b)
{
    sgc_val v = {.kind = SGC_VAL_BOOL};
    v.b = b;
    return v;
}
static sgc_val IP(const char *s)
{
    sgc_val v = {.kind = SGC_VAL_IP};
    if (inet_pton(AF_INET, s, v.ip.addr) == 1)
        v.ip.family = 4;
    else {
        assert_int_equal(inet_pton(AF_INET6, s, v.ip.addr), 1);
        v.ip.family = 6;
    }
    return v;
}
static const sgc_val NA = {.kind = SGC_VAL_NA};

/* Evaluate `lhs OP rhs` with a scalar right side. */
static bool cmp1(sgc_op op, sgc_val lhs, const char *rhs)
{
    sgc_cmp c;
    char err[200];
    size_t len = strlen(rhs);
    assert_true(sgc_cmp_init(&c, op, &rhs, &len, 1, sgc_op_is_list(op), false, err, sizeof err));
    bool r = sgc_cmp_eval(&c, &lhs);
    sgc_cmp_free(&c);
    return r;
}

/* Evaluate with a list right side (NULL-terminated items). */
static bool cmpl(sgc_op op, sgc_val lhs, int either,
                 ...) /* int: va_start needs an unpromoted last parameter */
{
    const char *items[64];
    size_t lens[64];
    int n = 0;
    va_list ap;
    va_start(ap, either);
    const char *s;
    while ((s = va_arg(ap, const char *)) != NULL) {
        items[n] = s;
        lens[n] = strlen(s);
        n++;
    }
    va_end(ap);
    sgc_cmp c;
    char err[200];
    assert_true(sgc_cmp_init(&c, op, items, lens, n, true, either != 0, err, sizeof err));
    bool r = sgc_cmp_eval(&c, &lhs);
    sgc_cmp_free(&c);
    return r;
}

static void test_eq_ne(void **state)
{
    assert_true(cmp1(SGC_OP_EQ, S("bash"), "bash"));
    assert_false(cmp1(SGC_OP_EQ, S("bash"), "Bash"));
    assert_false(cmp1(SGC_OP_EQ, S("bash"), "bas"));
    assert_true(cmp1(SGC_OP_NE, S("bash"), "sh"));
    assert_false(cmp1(SGC_OP_NE, S("bash"), "bash"));
    assert_true(cmp1(SGC_OP_EQ, S(""), ""));
    assert_false(cmp1(SGC_OP_EQ, S(""), "x"));
    /* numbers compare numerically, also against quoted literals */
    assert_true(cmp1(SGC_OP_EQ, U(443), "443"));
    assert_false(cmp1(SGC_OP_EQ, U(443), "0443x"));
    assert_true(cmp1(SGC_OP_EQ, I(-2), "-2"));
    assert_true(cmp1(SGC_OP_NE, I(-2), "2"));
    assert_false(cmp1(SGC_OP_EQ, U(1), "-1"));
    assert_true(cmp1(SGC_OP_EQ, U(UINT64_MAX), "18446744073709551615"));
    /* a non-numeric literal never equals a number, and != is not true either */
    assert_false(cmp1(SGC_OP_EQ, U(1), "one"));
    assert_false(cmp1(SGC_OP_NE, U(1), "one"));
    /* booleans */
    assert_true(cmp1(SGC_OP_EQ, B(true), "true"));
    assert_true(cmp1(SGC_OP_EQ, B(false), "false"));
    assert_false(cmp1(SGC_OP_EQ, B(true), "false"));
    assert_true(cmp1(SGC_OP_NE, B(true), "false"));
}

static void test_na_semantics(void **state)
{
    /* A missing value matches nothing, not even != or exists. */
    for (int op = 0; op < SGC_OP__COUNT; op++) {
        if (op == SGC_OP_REGEX || op == SGC_OP_BCONTAINS || op == SGC_OP_BSTARTSWITH) continue;
        assert_false(cmp1((sgc_op)op, NA, "x"));
    }
    assert_false(cmp1(SGC_OP_BCONTAINS, NA, "41"));
    assert_false(cmp1(SGC_OP_REGEX, NA, ".*"));
    sgc_cmp c;
    char err[100];
    assert_true(sgc_cmp_init(&c, SGC_OP_EXISTS, NULL, NULL, 0, false, false, err, sizeof err));
    assert_false(sgc_cmp_eval(&c, &NA));
    sgc_val e = S("");
    assert_true(sgc_cmp_eval(&c, &e));
    sgc_val z = U(0);
    assert_true(sgc_cmp_eval(&c, &z));
    sgc_cmp_free(&c);
}

static void test_numeric_order(void **state)
{
    assert_true(cmp1(SGC_OP_LT, I(-5), "0"));
    assert_true(cmp1(SGC_OP_GE, I(0), "0"));
    assert_false(cmp1(SGC_OP_GT, I(0), "0"));
    assert_true(cmp1(SGC_OP_LE, U(1024), "1024"));
    assert_false(cmp1(SGC_OP_LT, U(1024), "1024"));
    assert_true(cmp1(SGC_OP_GT, U(5), "-1")); /* unsigned vs negative */
    assert_true(cmp1(SGC_OP_LT, I(5), "18446744073709551615"));
    assert_true(cmp1(SGC_OP_LT, S("1"), "2")); /* text: byte-wise, as libsinsp's strcmp */
    assert_false(cmp1(SGC_OP_LT, S("10"), "1"));
    assert_true(cmp1(SGC_OP_GE, S("b"), "abc"));
    assert_false(cmp1(SGC_OP_GE, U(5), "abc"));
}

static void test_string_ops(void **state)
{
    assert_true(cmp1(SGC_OP_CONTAINS, S("O_RDWR|O_CREAT|O_TRUNC"), "O_TRUNC"));
    assert_false(cmp1(SGC_OP_CONTAINS, S("O_RDWR|O_CREAT"), "O_TRUNC"));
    assert_true(cmp1(SGC_OP_CONTAINS, S("abc"), ""));
    assert_true(cmp1(SGC_OP_CONTAINS, S(""), ""));
    assert_false(cmp1(SGC_OP_CONTAINS, S(""), "a"));
    assert_true(cmp1(SGC_OP_ICONTAINS, S("/Tmp/EVIL"), "tmp/evil"));
    assert_true(cmp1(SGC_OP_ICONTAINS, S("xXyY"), "XY"));
    assert_false(cmp1(SGC_OP_ICONTAINS, S("xxy"), "yx"));
    assert_true(cmp1(SGC_OP_STARTSWITH, S("/etc/passwd"), "/etc/"));
    assert_false(cmp1(SGC_OP_STARTSWITH, S("/etc"), "/etc/"));
    assert_true(cmp1(SGC_OP_STARTSWITH, S("x"), ""));
    assert_true(cmp1(SGC_OP_ENDSWITH, S("/root/.bash_history"), "ash_history"));
    assert_false(cmp1(SGC_OP_ENDSWITH, S("sh"), "bash"));
    assert_true(cmp1(SGC_OP_ENDSWITH, S("x"), ""));
    /* string operators on numbers use the rendered value */
    assert_true(cmp1(SGC_OP_STARTSWITH, U(8080), "80"));
    assert_true(cmp1(SGC_OP_CONTAINS, I(-13), "-1"));
}

static void test_bytes_ops(void **state)
{
    sgc_val v = {.kind = SGC_VAL_STR};
    static const char data[] = {'\x7f', 'E', 'L', 'F', '\0', '\x02'};
    v.str.p = data;
    v.str.len = sizeof data;
    assert_true(cmp1(SGC_OP_BSTARTSWITH, v, "7f454c46"));
    assert_true(cmp1(SGC_OP_BSTARTSWITH, v, "7F454C46"));
    assert_false(cmp1(SGC_OP_BSTARTSWITH, v, "454c46"));
    assert_true(cmp1(SGC_OP_BCONTAINS, v, "0002"));
    assert_false(cmp1(SGC_OP_BCONTAINS, v, "0003"));
    /* odd or non-hex operands are rejected at compile time */
    sgc_cmp c;
    char err[200];
    const char *bad = "abc";
    size_t bl = 3;
    assert_false(sgc_cmp_init(&c, SGC_OP_BCONTAINS, &bad, &bl, 1, false, false, err, sizeof err));
    const char *bad2 = "zz";
    size_t bl2 = 2;
    assert_false(
        sgc_cmp_init(&c, SGC_OP_BSTARTSWITH, &bad2, &bl2, 1, false, false, err, sizeof err));
}

static void test_glob(void **state)
{
    assert_true(cmp1(SGC_OP_GLOB, S("/etc/passwd"), "/etc/*"));
    assert_true(cmp1(SGC_OP_GLOB, S("/etc/a/b"), "/etc/*")); /* '*' crosses '/' */
    assert_true(cmp1(SGC_OP_GLOB, S("x../a../b"), "*../*../*"));
    assert_false(cmp1(SGC_OP_GLOB, S("x../ab"), "*../*../*"));
    assert_true(cmp1(SGC_OP_GLOB, S("abc"), "a?c"));
    assert_false(cmp1(SGC_OP_GLOB, S("ac"), "a?c"));
    assert_true(cmp1(SGC_OP_GLOB, S("b1"), "[a-c][0-9]"));
    assert_false(cmp1(SGC_OP_GLOB, S("d1"), "[a-c][0-9]"));
    assert_true(cmp1(SGC_OP_GLOB, S("d1"), "[!a-c]1"));
    assert_true(cmp1(SGC_OP_GLOB, S("d1"), "[^a-c]1"));
    assert_false(cmp1(SGC_OP_GLOB, S("a1"), "[!a-c]1"));
    assert_true(cmp1(SGC_OP_GLOB, S("]"), "[]]"));
    assert_true(cmp1(SGC_OP_GLOB, S("a*b"), "a\\*b"));
    assert_false(cmp1(SGC_OP_GLOB, S("axb"), "a\\*b"));
    assert_true(cmp1(SGC_OP_GLOB, S("a?"), "a\\?"));
    assert_true(cmp1(SGC_OP_GLOB, S("[x"), "[x")); /* unterminated class */
    assert_true(cmp1(SGC_OP_GLOB, S(""), "*"));
    assert_false(cmp1(SGC_OP_GLOB, S(""), "?"));
    assert_true(cmp1(SGC_OP_GLOB, S("aaa"), "a**a"));
    assert_true(cmp1(SGC_OP_GLOB, S("mississippi"), "*sip*"));
    assert_false(cmp1(SGC_OP_GLOB, S("ABC"), "abc"));
    assert_true(cmp1(SGC_OP_IGLOB, S("ABC"), "abc"));
    assert_true(cmp1(SGC_OP_IGLOB, S("B"), "[a-c]"));
    assert_true(cmp1(SGC_OP_IGLOB, S("/TMP/X.SH"), "/tmp/*.sh"));
}

static void test_regex(void **state)
{
    assert_true(cmp1(SGC_OP_REGEX, S("python3.11"), "python[0-9.]+"));
    /* anchored at both ends, like Falco's RE2 full match */
    assert_false(cmp1(SGC_OP_REGEX, S("xpython3"), "python[0-9]"));
    assert_false(cmp1(SGC_OP_REGEX, S("python3x"), "python[0-9]"));
    assert_true(cmp1(SGC_OP_REGEX, S("a|b"), "a\\|b"));
    assert_true(cmp1(SGC_OP_REGEX, S(""), ".*"));
    sgc_cmp c;
    char err[200];
    const char *bad = "([a-";
    size_t bl = strlen(bad);
    assert_false(sgc_cmp_init(&c, SGC_OP_REGEX, &bad, &bl, 1, false, false, err, sizeof err));
    assert_non_null(strstr(err, "invalid regex"));
}

static void test_in(void **state)
{
    assert_true(cmpl(SGC_OP_IN, S("bash"), false, "sh", "bash", "zsh", NULL));
    assert_false(cmpl(SGC_OP_IN, S("bas"), false, "sh", "bash", "zsh", NULL));
    assert_false(cmpl(SGC_OP_IN, S("x"), false, NULL)); /* empty list */
    assert_true(cmpl(SGC_OP_IN, S(""), false, "", "a", NULL));
    assert_true(cmpl(SGC_OP_IN, U(22), false, "22", "80", NULL));
    assert_false(cmpl(SGC_OP_IN, U(23), false, "22", "80", NULL));
    /* a long list uses the hash set */
    assert_true(cmpl(SGC_OP_IN, S("k"), false, "a", "b", "c", "d", "e", "f", "g", "h", "i", "j",
                     "k", "l", NULL));
    assert_false(cmpl(SGC_OP_IN, S("kk"), false, "a", "b", "c", "d", "e", "f", "g", "h", "i", "j",
                      "k", "l", NULL));
    assert_false(cmpl(SGC_OP_IN, S("K"), false, "a", "b", "c", "d", "e", "f", "g", "h", "i", "j",
                      "k", "l", NULL));
}

/* A set keeps each item's number, bool and IP forms beside its bytes
 * (compact sets, issue 18): membership by every form, ordered or not. */
static void test_in_forms(void **state)
{
    (void)state;
    assert_true(cmpl(SGC_OP_IN, I(-5), false, "9", "x", "-5", NULL));
    assert_false(cmpl(SGC_OP_IN, I(5), false, "9", "x", "-5", NULL));
    assert_true(
        cmpl(SGC_OP_IN, U(18446744073709551615ull), false, "1", "18446744073709551615", NULL));
    assert_false(cmpl(SGC_OP_IN, I(-1), false, "18446744073709551615", NULL));
    assert_false(cmpl(SGC_OP_IN, U(1), false, "-1", "01x", NULL));
    assert_true(cmpl(SGC_OP_IN, B(true), false, "no", "true", NULL));
    assert_false(cmpl(SGC_OP_IN, B(false), false, "no", "true", NULL));
    assert_true(cmpl(SGC_OP_IN, B(false), false, "false", NULL));
    assert_true(cmpl(SGC_OP_IN, IP("2001:db8::7"), false, "10.0.0.1", "2001:db8::/32", NULL));
    assert_false(cmpl(SGC_OP_IN, IP("2001:db9::7"), false, "10.0.0.1", "2001:db8::/32", NULL));
    assert_true(cmpl(SGC_OP_IN, IP("10.0.0.1"), false, "a", "b", "c", "d", "e", "f", "g", "h", "i",
                     "30", "10.0.0.1", NULL));
    assert_true(cmpl(SGC_OP_IN, U(30), false, "a", "b", "c", "d", "e", "f", "g", "h", "i", "30",
                     "10.0.0.1", NULL));
    assert_false(cmpl(SGC_OP_IN, U(31), false, "a", "b", "c", "d", "e", "f", "g", "h", "i", "30",
                      "10.0.0.1", NULL));
    assert_true(cmpl(SGC_OP_STARTSWITH, S("/srv/b/x"), false, "/srv/a/", "/srv/b/", NULL));
    assert_true(cmpl(SGC_OP_ENDSWITH, S("/srv/b/x.log"), false, ".txt", ".log", NULL));
    assert_false(cmpl(SGC_OP_CONTAINS, S("/srv/b/x.log"), false, "zz", "yy", NULL));
}

static void test_list_valued(void **state)
{
    sgc_val items[3] = {S("ipv4"), S("file"), S("unix")};
    sgc_val l = {.kind = SGC_VAL_LIST};
    l.list.items = items;
    l.list.n = 3;
    /* in: every item must be in the set */
    assert_true(cmpl(SGC_OP_IN, l, false, "file", "ipv4", "unix", "pipe", NULL));
    assert_false(cmpl(SGC_OP_IN, l, false, "file", "ipv4", NULL));
    /* intersects: some item */
    assert_true(cmpl(SGC_OP_INTERSECTS, l, false, "unix", NULL));
    assert_false(cmpl(SGC_OP_INTERSECTS, l, false, "pipe", NULL));
    sgc_val empty = {.kind = SGC_VAL_LIST};
    assert_true(cmpl(SGC_OP_IN, empty, false, "x", NULL));
    assert_false(cmpl(SGC_OP_INTERSECTS, empty, false, "x", NULL));
}

static void test_either_fields(void **state)
{
    /* fd.ip-style: client and server */
    sgc_val ends[2] = {IP("10.1.2.3"), IP("93.184.216.34")};
    sgc_val l = {.kind = SGC_VAL_LIST};
    l.list.items = ends;
    l.list.n = 2;
    sgc_cmp c;
    char err[100];
    const char *v = "93.184.216.34";
    size_t vl = strlen(v);
    assert_true(sgc_cmp_init(&c, SGC_OP_EQ, &v, &vl, 1, false, true, err, sizeof err));
    assert_true(sgc_cmp_eval(&c, &l));
    sgc_cmp_free(&c);
    assert_true(sgc_cmp_init(&c, SGC_OP_NE, &v, &vl, 1, false, true, err, sizeof err));
    assert_false(sgc_cmp_eval(&c, &l)); /* one end equals: != is false */
    sgc_cmp_free(&c);
    const char *z = "0.0.0.0";
    size_t zl = strlen(z);
    assert_true(sgc_cmp_init(&c, SGC_OP_NE, &z, &zl, 1, false, true, err, sizeof err));
    assert_true(sgc_cmp_eval(&c, &l)); /* neither end is 0.0.0.0 */
    sgc_cmp_free(&c);
    const char *net = "127.0.0.0/8";
    size_t nl = strlen(net);
    assert_true(sgc_cmp_init(&c, SGC_OP_NE, &net, &nl, 1, false, true, err, sizeof err));
    assert_true(sgc_cmp_eval(&c, &l));
    sgc_cmp_free(&c);
    assert_true(cmpl(SGC_OP_IN, l, true, "10.0.0.0/8", "192.168.0.0/16", NULL));
    assert_false(cmpl(SGC_OP_IN, l, true, "172.16.0.0/12", NULL));
}

static void test_cidr(void **state)
{
    assert_true(cmp1(SGC_OP_EQ, IP("10.255.0.1"), "10.0.0.0/8"));
    assert_false(cmp1(SGC_OP_EQ, IP("11.0.0.1"), "10.0.0.0/8"));
    assert_true(cmp1(SGC_OP_EQ, IP("1.2.3.4"), "0.0.0.0/0"));
    assert_true(cmp1(SGC_OP_EQ, IP("1.2.3.4"), "1.2.3.4/32"));
    assert_false(cmp1(SGC_OP_EQ, IP("1.2.3.5"), "1.2.3.4/32"));
    assert_true(cmp1(SGC_OP_EQ, IP("172.31.255.255"), "172.16.0.0/12"));
    assert_false(cmp1(SGC_OP_EQ, IP("172.32.0.0"), "172.16.0.0/12"));
    assert_true(cmp1(SGC_OP_EQ, IP("169.254.169.254"), "169.254.169.254"));
    assert_true(cmp1(SGC_OP_NE, IP("169.254.169.253"), "169.254.169.254"));
    assert_true(cmp1(SGC_OP_EQ, IP("::1"), "::1"));
    assert_true(cmp1(SGC_OP_EQ, IP("fd00::1:2"), "fc00::/7"));
    assert_false(cmp1(SGC_OP_EQ, IP("fe80::1"), "fc00::/7"));
    assert_true(cmp1(SGC_OP_EQ, IP("2001:db8::1"), "::/0"));
    assert_false(cmp1(SGC_OP_EQ, IP("1.2.3.4"), "::/0")); /* families differ */
    assert_false(cmp1(SGC_OP_EQ, IP("1.2.3.4"), "1.2.3.0/33"));
    assert_true(cmpl(SGC_OP_IN, IP("192.168.7.7"), false, "10.0.0.0/8", "172.16.0.0/12",
                     "192.168.0.0/16", NULL));
    assert_false(cmpl(SGC_OP_IN, IP("8.8.8.8"), false, "10.0.0.0/8", "172.16.0.0/12",
                      "192.168.0.0/16", NULL));
}

static void test_pmatch(void **state)
{
    assert_true(cmpl(SGC_OP_PMATCH, S("/etc"), false, "/etc", "/usr/bin", NULL));
    assert_true(cmpl(SGC_OP_PMATCH, S("/etc/shadow"), false, "/etc", "/usr/bin", NULL));
    assert_true(cmpl(SGC_OP_PMATCH, S("/usr/bin/x"), false, "/etc", "/usr/bin/", NULL));
    assert_false(cmpl(SGC_OP_PMATCH, S("/etcx"), false, "/etc", NULL));
    assert_false(cmpl(SGC_OP_PMATCH, S("/et"), false, "/etc", NULL));
    assert_true(cmpl(SGC_OP_PMATCH, S("/anything"), false, "/", NULL));
    assert_false(cmpl(SGC_OP_PMATCH, S("/x"), false, NULL));
    /* libsinsp's component match: empty components skipped, wildcards per
     * component (never across a '/') */
    assert_true(cmpl(SGC_OP_PMATCH, S("//etc//shadow"), false, "/etc", NULL));
    assert_true(cmpl(SGC_OP_PMATCH, S("/etc/shadow"), false, "etc", NULL));
    assert_true(cmpl(SGC_OP_PMATCH, S("/opt/a"), false, "/opt/*", NULL));
    assert_true(cmpl(SGC_OP_PMATCH, S("/opt/a/b/c"), false, "/opt/*", NULL));
    assert_false(cmpl(SGC_OP_PMATCH, S("/opt"), false, "/opt/*", NULL));
    assert_false(cmpl(SGC_OP_PMATCH, S("/optx/a"), false, "/opt/*", NULL));
    assert_true(cmpl(SGC_OP_PMATCH, S("/opt/x/subdir"), false, "/opt/*/subdir", NULL));
    assert_true(cmpl(SGC_OP_PMATCH, S("/opt/x/subdir/f"), false, "/opt/*/subdir", NULL));
    assert_false(cmpl(SGC_OP_PMATCH, S("/opt/x/y/subdir"), false, "/opt/*/subdir", NULL));
    assert_false(cmpl(SGC_OP_PMATCH, S("/opt/x/subdirx"), false, "/opt/*/subdir", NULL));
    assert_true(cmpl(SGC_OP_PMATCH, S("dir"), false, "di?", NULL));
    assert_true(cmpl(SGC_OP_PMATCH, S("/dir/x"), false, "di?", NULL));
    assert_false(cmpl(SGC_OP_PMATCH, S("/dirx"), false, "di?", NULL));
    assert_true(cmpl(SGC_OP_PMATCH, S("/dir"), false, "di[r]", NULL));
    assert_false(cmpl(SGC_OP_PMATCH, S("/dis"), false, "di[r]", NULL));
}

static void test_long_values(void **state)
{
    size_t n = 70 * 1024;
    char *big = malloc(n + 1);
    assert_non_null(big);
    memset(big, 'a', n);
    memcpy(big + n - 6, "needle", 6);
    big[n] = '\0';
    sgc_val v = S(big);
    assert_true(cmp1(SGC_OP_CONTAINS, v, "needle"));
    assert_true(cmp1(SGC_OP_ENDSWITH, v, "aneedle"));
    assert_true(cmp1(SGC_OP_ICONTAINS, v, "NEEDLE"));
    assert_true(cmp1(SGC_OP_GLOB, v, "a*needle"));
    assert_false(cmp1(SGC_OP_GLOB, v, "*needlex"));
    assert_true(cmp1(SGC_OP_REGEX, v, "a+needle"));
    assert_false(cmp1(SGC_OP_EQ, v, "needle"));
    /* a literal as long as the value */
    assert_true(cmp1(SGC_OP_EQ, v, big));
    free(big);
}

static void test_dynamic_rhs(void **state)
{
    sgc_val a = S("/home/u"), b = S("/home/u");
    assert_true(sgc_cmp_eval_dynamic(SGC_OP_EQ, &a, &b));
    sgc_val c = S("/home"), d = U(7);
    assert_true(sgc_cmp_eval_dynamic(SGC_OP_STARTSWITH, &a, &c));
    assert_false(sgc_cmp_eval_dynamic(SGC_OP_EQ, &a, &d));
    sgc_val n = U(7);
    assert_true(sgc_cmp_eval_dynamic(SGC_OP_EQ, &n, &d));
    assert_false(sgc_cmp_eval_dynamic(SGC_OP_EQ, &a, &NA));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eq_ne),         cmocka_unit_test(test_na_semantics),
        cmocka_unit_test(test_numeric_order), cmocka_unit_test(test_string_ops),
        cmocka_unit_test(test_bytes_ops),     cmocka_unit_test(test_glob),
        cmocka_unit_test(test_regex),         cmocka_unit_test(test_in),
        cmocka_unit_test(test_in_forms),      cmocka_unit_test(test_list_valued),
        cmocka_unit_test(test_either_fields), cmocka_unit_test(test_cidr),
        cmocka_unit_test(test_pmatch),        cmocka_unit_test(test_long_values),
        cmocka_unit_test(test_dynamic_rhs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
