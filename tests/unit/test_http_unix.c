/* The HTTP/1.1 client over unix sockets, against a fake server: framing
 * (Content-Length, chunked, read-to-close), responses spread over many
 * reads, bounds, timeouts, absent servers, early closes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "fake_http_server.h"
#include "http_unix.h"

static sgc_http_err get_from(fake_server *s, int timeout_ms, size_t max_body,
                             sgc_http_response *resp)
{
    return sgc_http_unix_get(s->path, "/containers/x/json", timeout_ms, max_body, resp);
}

static void test_content_length(void **state)
{
    const char *raw = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                      "Libpod-Api-Version: 4.3.1\r\nContent-Length: 11\r\n\r\n{\"a\": true}";
    fake_server *s = fake_server_start(fake_reply_raw, raw);
    assert_non_null(s);
    sgc_http_response r;
    assert_int_equal(get_from(s, 2000, 1024, &r), SGC_HTTP_OK);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.body_len, 11);
    assert_string_equal(r.body, "{\"a\": true}");
    size_t n;
    const char *v = sgc_http_header(&r, "libpod-api-version", &n);
    assert_non_null(v);
    assert_int_equal(n, 5);
    assert_memory_equal(v, "4.3.1", 5);
    assert_null(sgc_http_header(&r, "Api-Version", &n));
    sgc_http_response_free(&r);
    fake_server_stop(s);
}

static void test_chunked_in_pieces(void **state)
{
    /* podman answers inspect with chunked encoding; deliver it 3 bytes at
     * a time so every boundary falls inside a chunk header at some point */
    const char *raw = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "4\r\nWiki\r\n6;ext=1\r\npedia \r\nD\r\nin\r\n\r\nchunks.\r\n0\r\n"
                      "X-Trailer: 1\r\n\r\n";
    fake_server *s = fake_server_start(fake_reply_raw, raw);
    s->piece = 3;
    sgc_http_response r;
    assert_int_equal(get_from(s, 2000, 1024, &r), SGC_HTTP_OK);
    assert_string_equal(r.body, "Wikipedia in\r\n\r\nchunks.");
    assert_int_equal(r.body_len, 23);
    sgc_http_response_free(&r);
    fake_server_stop(s);
}

static void test_read_to_close_and_404(void **state)
{
    const char *raw = "HTTP/1.0 404 Not Found\r\nContent-Type: application/json\r\n\r\n"
                      "{\"message\":\"no such container\"}";
    fake_server *s = fake_server_start(fake_reply_raw, raw);
    sgc_http_response r;
    assert_int_equal(get_from(s, 2000, 1024, &r), SGC_HTTP_OK);
    assert_int_equal(r.status, 404);
    assert_string_equal(r.body, "{\"message\":\"no such container\"}");
    sgc_http_response_free(&r);
    fake_server_stop(s);
}

static void test_body_too_big(void **state)
{
    fake_server *s = fake_server_start(fake_reply_raw,
                                       "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789");
    sgc_http_response r;
    assert_int_equal(get_from(s, 2000, 50, &r), SGC_HTTP_ETOOBIG);
    fake_server_stop(s);

    /* chunked: the bound applies to the decoded body */
    s = fake_server_start(fake_reply_raw, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                          "20\r\n0123456789abcdef0123456789abcdef\r\n0\r\n\r\n");
    assert_int_equal(get_from(s, 2000, 31, &r), SGC_HTTP_ETOOBIG);
    fake_server_stop(s);
}

static void test_header_too_big(void **state)
{
    size_t n = SGC_HTTP_MAX_HEADER + 100;
    char *raw = malloc(n + 64);
    strcpy(raw, "HTTP/1.1 200 OK\r\nX-Big: ");
    size_t at = strlen(raw);
    memset(raw + at, 'a', n);
    strcpy(raw + at + n, "\r\n\r\n");
    fake_server *s = fake_server_start(fake_reply_raw, raw);
    sgc_http_response r;
    assert_int_equal(get_from(s, 2000, 1 << 20, &r), SGC_HTTP_ETOOBIG);
    fake_server_stop(s);
    free(raw);
}

static void test_malformed(void **state)
{
    const char *bad[] = {
        "SSH-2.0-OpenSSH\r\n\r\n",
        "HTTP/1.1 2x0 OK\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n1",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        fake_server *s = fake_server_start(fake_reply_raw, bad[i]);
        sgc_http_response r;
        assert_int_equal(get_from(s, 2000, 1024, &r), SGC_HTTP_EPROTO);
        fake_server_stop(s);
    }
}

static void test_early_close(void **state)
{
    fake_server *s = fake_server_start(fake_reply_close, NULL);
    sgc_http_response r;
    assert_int_equal(get_from(s, 2000, 1024, &r), SGC_HTTP_EIO);
    fake_server_stop(s);

    /* a body shorter than its Content-Length */
    s = fake_server_start(fake_reply_raw, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
    assert_int_equal(get_from(s, 2000, 1024, &r), SGC_HTTP_EIO);
    fake_server_stop(s);
}

static void test_timeout(void **state)
{
    /* accepts and never answers: the deadline bounds the wait */
    fake_server *s = fake_server_start(fake_reply_hang, NULL);
    sgc_http_response r;
    int64_t t0 = fake_now_ms();
    assert_int_equal(get_from(s, 200, 1024, &r), SGC_HTTP_ETIMEOUT);
    int64_t took = fake_now_ms() - t0;
    assert_true(took >= 190);
    assert_true(took < 1500);
    fake_server_stop(s);
}

static void test_no_server(void **state)
{
    sgc_http_response r;
    int64_t t0 = fake_now_ms();
    assert_int_equal(sgc_http_unix_get("/nonexistent/sgc-test.sock", "/x", 1000, 1024, &r),
                     SGC_HTTP_ECONNECT);
    assert_true(fake_now_ms() - t0 < 100);
    /* a path longer than sun_path */
    char longpath[200];
    memset(longpath, 'a', sizeof longpath - 1);
    longpath[0] = '/';
    longpath[sizeof longpath - 1] = '\0';
    assert_int_equal(sgc_http_unix_get(longpath, "/x", 1000, 1024, &r), SGC_HTTP_ECONNECT);
}

static void test_dechunk_vectors(void **state)
{
    char out[64];
    size_t n = 99;
    const char *whole = "3\r\nabc\r\n0\r\n\r\n";
    assert_int_equal(sgc_http_dechunk(whole, strlen(whole), out, &n), 1);
    assert_int_equal(n, 3);
    assert_memory_equal(out, "abc", 3);
    /* every proper prefix needs more input */
    for (size_t k = 0; k < strlen(whole); k++)
        assert_int_equal(sgc_http_dechunk(whole, k, NULL, &n), 0);
    /* upper-case hex, an empty body */
    assert_int_equal(sgc_http_dechunk("A\r\n0123456789\r\n0\r\n\r\n", 22, NULL, &n), 1);
    assert_int_equal(n, 10);
    assert_int_equal(sgc_http_dechunk("0\r\n\r\n", 5, NULL, &n), 1);
    assert_int_equal(n, 0);
    /* malformed: no digits, bare LF, data not followed by CRLF, overflow */
    assert_int_equal(sgc_http_dechunk("\r\n", 2, NULL, &n), -1);
    assert_int_equal(sgc_http_dechunk("3\nabc\r\n0\r\n\r\n", 12, NULL, &n), -1);
    assert_int_equal(sgc_http_dechunk("1\r\nab\r\n", 7, NULL, &n), -1);
    assert_int_equal(sgc_http_dechunk("fffffffffffffffffff\r\n", 21, NULL, &n), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_content_length),
        cmocka_unit_test(test_chunked_in_pieces),
        cmocka_unit_test(test_read_to_close_and_404),
        cmocka_unit_test(test_body_too_big),
        cmocka_unit_test(test_header_too_big),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_early_close),
        cmocka_unit_test(test_timeout),
        cmocka_unit_test(test_no_server),
        cmocka_unit_test(test_dechunk_vectors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
