/* Transformers: tolower, toupper, b64, basename, len, join, concat, getopt. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "transform.h"

static sgc_arena arena;

static sgc_val S(const char *s)
{
    sgc_val v = {.kind = SGC_VAL_STR};
    v.str.p = s;
    v.str.len = strlen(s);
    return v;
}

static sgc_val L(sgc_val *items, int n)
{
    sgc_val v = {.kind = SGC_VAL_LIST};
    v.list.items = items;
    v.list.n = n;
    return v;
}

static void assert_str(const sgc_val *v, const char *want)
{
    assert_int_equal(v->kind, SGC_VAL_STR);
    assert_int_equal(v->str.len, strlen(want));
    assert_memory_equal(v->str.p, want, v->str.len);
}

static sgc_val tf1(sgc_transform tf, sgc_val in, bool *ok)
{
    sgc_val out;
    *ok = sgc_transform_apply(tf, &in, 1, &arena, &out);
    return out;
}

static void test_case(void **state)
{
    bool ok;
    sgc_val r = tf1(SGC_TF_TOLOWER, S("NoT eXcItED"), &ok);
    assert_true(ok);
    assert_str(&r, "not excited");
    r = tf1(SGC_TF_TOUPPER, S("one_1234"), &ok);
    assert_str(&r, "ONE_1234");
    r = tf1(SGC_TF_TOLOWER, S(""), &ok);
    assert_true(ok);
    assert_str(&r, "");
    /* lists are mapped item by item */
    sgc_val items[2] = {S("HELLO"), S("wOrLd")};
    r = tf1(SGC_TF_TOLOWER, L(items, 2), &ok);
    assert_true(ok);
    assert_int_equal(r.kind, SGC_VAL_LIST);
    assert_int_equal(r.list.n, 2);
    assert_str(&r.list.items[1], "world");
    /* <NA> in, <NA> out */
    sgc_val na = {.kind = SGC_VAL_NA};
    r = tf1(SGC_TF_TOUPPER, na, &ok);
    assert_false(ok);
    assert_int_equal(r.kind, SGC_VAL_NA);
}

static void test_b64(void **state)
{
    bool ok;
    sgc_val r = tf1(SGC_TF_B64, S("aGVsbG8="), &ok);
    assert_true(ok);
    assert_str(&r, "hello");
    r = tf1(SGC_TF_B64, S("d29ybGQgIQ=="), &ok);
    assert_str(&r, "world !");
    r = tf1(SGC_TF_B64, S(""), &ok);
    assert_true(ok);
    assert_str(&r, "");
    r = tf1(SGC_TF_B64, S("YWFhYmJi"), &ok);
    assert_str(&r, "aaabbb");
    /* unpadded, as libsinsp decodes it */
    r = tf1(SGC_TF_B64, S("aGk"), &ok);
    assert_true(ok);
    assert_str(&r, "hi");
    r = tf1(SGC_TF_B64, S("aGVsbG8"), &ok);
    assert_true(ok);
    assert_str(&r, "hello");
    r = tf1(SGC_TF_B64, S("d29ybGQgIQ"), &ok);
    assert_true(ok);
    assert_str(&r, "world !");
    /* invalid input: no value */
    tf1(SGC_TF_B64, S("abcde"), &ok); /* one character left over */
    assert_false(ok);
    tf1(SGC_TF_B64, S("aGk=a"), &ok); /* data after padding */
    assert_false(ok);
    tf1(SGC_TF_B64, S("aG=="), &ok); /* padded: "aG" then two '=' */
    assert_true(ok);
    tf1(SGC_TF_B64, S("aGk=="), &ok); /* padding past a multiple of 4 */
    assert_false(ok);
    tf1(SGC_TF_B64, S("ab=c"), &ok);
    assert_false(ok);
    tf1(SGC_TF_B64, S("a!=="), &ok);
    assert_false(ok);
}

static void test_basename(void **state)
{
    bool ok;
    sgc_val r = tf1(SGC_TF_BASENAME, S("/home/ubuntu/hello.txt"), &ok);
    assert_str(&r, "hello.txt");
    r = tf1(SGC_TF_BASENAME, S("/"), &ok);
    assert_str(&r, "");
    r = tf1(SGC_TF_BASENAME, S("/hello/"), &ok);
    assert_str(&r, "");
    r = tf1(SGC_TF_BASENAME, S("hello"), &ok);
    assert_str(&r, "hello");
    r = tf1(SGC_TF_BASENAME, S(""), &ok);
    assert_true(ok);
    assert_str(&r, "");
}

static void test_len(void **state)
{
    bool ok;
    sgc_val r = tf1(SGC_TF_LEN, S("/home/ubuntu/hello.txt"), &ok);
    assert_int_equal(r.kind, SGC_VAL_U64);
    assert_int_equal(r.u64, 22);
    r = tf1(SGC_TF_LEN, S(""), &ok);
    assert_int_equal(r.u64, 0);
    sgc_val items[3] = {S("a"), S("bb"), S("ccc")};
    r = tf1(SGC_TF_LEN, L(items, 3), &ok);
    assert_int_equal(r.u64, 3);
    r = tf1(SGC_TF_LEN, L(items, 0), &ok);
    assert_true(ok);
    assert_int_equal(r.u64, 0);
    /* very long value */
    size_t n = 100000;
    char *big = malloc(n + 1);
    memset(big, 'x', n);
    big[n] = '\0';
    r = tf1(SGC_TF_LEN, S(big), &ok);
    assert_int_equal(r.u64, n);
    r = tf1(SGC_TF_TOUPPER, S(big), &ok);
    assert_int_equal(r.str.len, n);
    assert_int_equal(r.str.p[n - 1], 'X');
    free(big);
}

static void test_join_concat(void **state)
{
    sgc_val items[3] = {S("/tmp/file_to_run"), S("aaa"), S("/tmp")};
    sgc_val args[2] = {S("->"), L(items, 3)};
    sgc_val out;
    assert_true(sgc_transform_apply(SGC_TF_JOIN, args, 2, &arena, &out));
    assert_str(&out, "/tmp/file_to_run->aaa->/tmp");
    sgc_val args0[2] = {S(","), L(items, 0)};
    assert_true(sgc_transform_apply(SGC_TF_JOIN, args0, 2, &arena, &out));
    assert_str(&out, "");
    sgc_val cargs[3] = {S("aaa"), S("bbb"), S("ccc")};
    assert_true(sgc_transform_apply(SGC_TF_CONCAT, cargs, 3, &arena, &out));
    assert_str(&out, "aaabbbccc");
    sgc_val num = {.kind = SGC_VAL_U64, .u64 = 1};
    sgc_val nargs[2] = {num, S("x")};
    assert_true(sgc_transform_apply(SGC_TF_CONCAT, nargs, 2, &arena, &out));
    assert_str(&out, "1x");
    /* shape checks */
    char err[200];
    bool lst[3] = {false, true, false};
    assert_true(sgc_transform_check(SGC_TF_JOIN, 2, lst, err, sizeof err));
    assert_false(sgc_transform_check(SGC_TF_JOIN, 1, lst, err, sizeof err));
    bool lst2[2] = {true, true};
    assert_false(sgc_transform_check(SGC_TF_JOIN, 2, lst2, err, sizeof err));
    bool nl[2] = {false, false};
    assert_false(sgc_transform_check(SGC_TF_CONCAT, 1, nl, err, sizeof err));
    assert_false(sgc_transform_check(SGC_TF_CONCAT, 2, lst2, err, sizeof err));
    assert_false(sgc_transform_check(SGC_TF_TOLOWER, 2, nl, err, sizeof err));
    assert_int_equal(sgc_transform_lookup("basename"), SGC_TF_BASENAME);
    assert_int_equal(sgc_transform_lookup("nope"), -1);
}

/* getopt over a token list: the result as a space-joined string. */
static const char *getopt_str(const char *optstr, int n, ...)
{
    sgc_val toks[16];
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++) toks[i] = S(va_arg(ap, const char *));
    va_end(ap);
    sgc_val args[2] = {L(toks, n), S(optstr)};
    sgc_val out, joined;
    assert_true(sgc_transform_apply(SGC_TF_GETOPT, args, 2, &arena, &out));
    sgc_val jargs[2] = {S(" "), out};
    assert_true(sgc_transform_apply(SGC_TF_JOIN, jargs, 2, &arena, &joined));
    return joined.str.p;
}

static void test_getopt(void **state)
{
    assert_string_equal(getopt_str("n", 2, "-n", ""), "n");
    assert_string_equal(getopt_str("t:", 2, "-t", "hello"), "t hello");
    assert_string_equal(getopt_str("nt:", 2, "-nt", "hello"), "n t hello");
    assert_string_equal(getopt_str("t:", 1, "-thello"), "t hello");
    assert_string_equal(getopt_str("nt:", 3, "-n", "--", "-t"), "n");
    assert_string_equal(getopt_str("n", 2, "-x", "-n"), "n");
    assert_string_equal(getopt_str("n", 3, "arg1", "-n", "arg2"), "n");
    assert_string_equal(getopt_str("lp:e:", 5, "-l", "-p", "8080", "-e", "/bin/sh"),
                        "l p 8080 e /bin/sh");
    assert_string_equal(getopt_str("t:", 1, "-t"), "t ");
    assert_string_equal(getopt_str("n", 2, "-", "-n"), "n");
    assert_string_equal(getopt_str("nt", 1, "-n-t"), "n t");
    assert_string_equal(getopt_str("", 2, "-n", "-t"), "");
    assert_string_equal(getopt_str("abc:", 1, "-abcvalue"), "a b c value");
}

static int setup(void **state)
{
    sgc_arena_init(&arena, 0);
    return 0;
}

static int teardown(void **state)
{
    sgc_arena_free(&arena);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_case),        cmocka_unit_test(test_b64),
        cmocka_unit_test(test_basename),    cmocka_unit_test(test_len),
        cmocka_unit_test(test_join_concat), cmocka_unit_test(test_getopt),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
