/* HTTP(S) output through libcurl: one POST per alert, the alert as the body
 * (Content-Type application/json with json_output, text/plain otherwise).
 * TLS: ca_cert / ca_bundle / ca_path, insecure (no verification), mtls
 * (client_cert + client_key); compress_uploads gzips the body
 * (Content-Encoding: gzip); keep_alive reuses the connection. Each request
 * is bounded by http_output.timeout (default output_timeout). A 2xx is
 * delivered; 5xx, 429, a timeout or a transport error is retried; another
 * status is a failure without retry. After max_consecutive_timeouts timeouts
 * in a row the output stops retrying until a request succeeds, so a server
 * that never answers costs one timeout per alert, not four. */
#include "config.h"
#include "sink.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

typedef struct http_sink {
    sgc_sink base;
    CURL *h;
    struct curl_slist *hdr;
    char *url, *ua, *ca_cert, *ca_bundle, *ca_path, *cert, *key;
    bool insecure, mtls, gzip, keep_alive, echo, json;
    long timeout_ms;
    uint32_t max_timeouts, timeouts;
    unsigned char *zbuf;
    size_t zcap;
} http_sink;

static size_t discard(char *p, size_t sz, size_t n, void *ud)
{
    http_sink *s = ud;
    if (s->echo) fwrite(p, sz, n, stdout);
    return sz * n;
}

static int http_open(sgc_sink *base, char *err, size_t errlen)
{
    http_sink *s = (http_sink *)base;
    s->h = curl_easy_init();
    if (!s->h) {
        snprintf(err, errlen, "curl_easy_init failed");
        return -1;
    }
    CURL *h = s->h;
    curl_easy_setopt(h, CURLOPT_URL, s->url);
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_USERAGENT, s->ua);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, s->timeout_ms);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, s->timeout_ms);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, s);
    curl_easy_setopt(h, CURLOPT_FORBID_REUSE, s->keep_alive ? 0L : 1L);
    if (s->ca_cert[0])
        curl_easy_setopt(h, CURLOPT_CAINFO, s->ca_cert);
    else if (s->ca_bundle[0])
        curl_easy_setopt(h, CURLOPT_CAINFO, s->ca_bundle);
    if (s->ca_path[0]) curl_easy_setopt(h, CURLOPT_CAPATH, s->ca_path);
    if (s->insecure) {
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    if (s->mtls) {
        curl_easy_setopt(h, CURLOPT_SSLCERT, s->cert);
        curl_easy_setopt(h, CURLOPT_SSLKEY, s->key);
    }
    s->hdr = curl_slist_append(NULL, s->json ? "Content-Type: application/json"
                                             : "Content-Type: text/plain");
    if (s->gzip) s->hdr = curl_slist_append(s->hdr, "Content-Encoding: gzip");
    s->hdr = curl_slist_append(s->hdr, "Expect:");
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, s->hdr);
    return 0;
}

/* gzip the body into s->zbuf; NULL on failure */
static const unsigned char *gzip_body(http_sink *s, const char *p, size_t n, size_t *out)
{
    size_t need = compressBound((uLong)n) + 64;
    if (need > s->zcap) {
        unsigned char *b = realloc(s->zbuf, need);
        if (!b) return NULL;
        s->zbuf = b;
        s->zcap = need;
    }
    z_stream z = {0};
    if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return NULL;
    z.next_in = (Bytef *)p;
    z.avail_in = (uInt)n;
    z.next_out = s->zbuf;
    z.avail_out = (uInt)s->zcap;
    int rc = deflate(&z, Z_FINISH);
    *out = z.total_out;
    deflateEnd(&z);
    return rc == Z_STREAM_END ? s->zbuf : NULL;
}

static int http_send(sgc_sink *base, const sgc_alert_msg *m, char *err, size_t errlen)
{
    http_sink *s = (http_sink *)base;
    const void *body = m->line;
    size_t len = m->len;
    if (s->gzip && !(body = gzip_body(s, m->line, m->len, &len))) {
        snprintf(err, errlen, "gzip failed");
        return -2;
    }
    curl_easy_setopt(s->h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(s->h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    CURLcode rc = curl_easy_perform(s->h);
    if (rc != CURLE_OK) {
        snprintf(err, errlen, "%s: %s", s->url, curl_easy_strerror(rc));
        if (rc == CURLE_OPERATION_TIMEDOUT && ++s->timeouts >= s->max_timeouts &&
            s->max_timeouts > 0)
            return -2; /* the server does not answer: no retries until it does */
        return -1;
    }
    s->timeouts = 0;
    long code = 0;
    curl_easy_getinfo(s->h, CURLINFO_RESPONSE_CODE, &code);
    if (code >= 200 && code < 300) return 0;
    snprintf(err, errlen, "%s: HTTP status %ld", s->url, code);
    return code >= 500 || code == 429 ? -1 : -2;
}

static void http_close(sgc_sink *base)
{
    http_sink *s = (http_sink *)base;
    if (s->h) curl_easy_cleanup(s->h);
    curl_slist_free_all(s->hdr);
    free(s->url);
    free(s->ua);
    free(s->ca_cert);
    free(s->ca_bundle);
    free(s->ca_path);
    free(s->cert);
    free(s->key);
    free(s->zbuf);
    free(s);
}

static void curl_init_once(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }

sgc_sink *sgc_sink_http_new(const sgc_conf *c, char *err, size_t errlen)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, curl_init_once);
    http_sink *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    s->base.name = "http";
    s->base.min_priority = 7;
    s->base.open = http_open;
    s->base.send = http_send;
    s->base.close = http_close;
    s->url = strdup(c->http_output.url);
    s->ua = strdup(c->http_output.user_agent);
    s->ca_cert = strdup(c->http_output.ca_cert);
    s->ca_bundle = strdup(c->http_output.ca_bundle);
    s->ca_path = strdup(c->http_output.ca_path);
    s->cert = strdup(c->http_output.client_cert);
    s->key = strdup(c->http_output.client_key);
    s->insecure = c->http_output.insecure;
    s->mtls = c->http_output.mtls;
    s->gzip = c->http_output.compress_uploads;
    s->keep_alive = c->http_output.keep_alive;
    s->echo = c->http_output.echo;
    s->json = c->json_output;
    s->timeout_ms = c->http_output.timeout_ms ? c->http_output.timeout_ms : c->output_timeout_ms;
    s->max_timeouts = c->http_output.max_consecutive_timeouts;
    if (!s->url || !s->ua || !s->ca_cert || !s->ca_bundle || !s->ca_path || !s->cert || !s->key) {
        http_close(&s->base);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    return &s->base;
}
