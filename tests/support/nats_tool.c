/* A small libnats client for the tests (not a mock: it talks to a real
 * nats-server the test started).
 *
 *   nats_tool sub URL SUBJECT [opts]  print "SUBJECT<TAB>BODY" per message
 *   nats_tool pub URL SUBJECT [opts]  publish each line of stdin (a
 *                                     forwarder reading a named pipe)
 * opts: --ca FILE --cert FILE --key FILE (TLS / mutual TLS)
 *       --count N     sub: exit 0 after N messages
 *       --timeout S   sub: exit 1 when they did not all come within S seconds
 *       --js STREAM   sub: consume the JetStream stream from its start
 *                     (messages published while nobody listened)
 *       --ready FILE  sub: create FILE once subscribed
 *       --latency 1   sub: no bodies; one line with the count and the latency
 *                     (now - the CLOCK_REALTIME ns in "/lat-<ns>" paths) p50/p99
 * Exit 2 with libnats' error when connecting fails. */
#include <nats/nats.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct opts {
    const char *ca, *cert, *key, *js, *ready;
    long count;
    double timeout;
    bool latency; /* print no bodies; latency of "/lat-<ns>" alerts, count of the others */
} opts;

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static natsOptions *make_opts(const char *url, const opts *o)
{
    natsOptions *no = NULL;
    if (natsOptions_Create(&no) != NATS_OK) return NULL;
    natsOptions_SetURL(no, url);
    natsOptions_SetTimeout(no, 5000);
    if (o->ca || o->cert || !strncmp(url, "tls://", 6)) natsOptions_SetSecure(no, true);
    if (o->ca) natsOptions_LoadCATrustedCertificates(no, o->ca);
    if (o->cert) natsOptions_LoadCertificatesChain(no, o->cert, o->key ? o->key : "");
    return no;
}

static int sub(natsConnection *nc, const char *subject, const opts *o)
{
    natsSubscription *s = NULL;
    natsStatus st;
    jsCtx *js = NULL;
    if (o->js) {
        jsSubOptions so;
        jsSubOptions_Init(&so);
        so.Stream = o->js;
        so.Config.DeliverPolicy = js_DeliverAll;
        so.Ordered = true;
        st = natsConnection_JetStream(&js, nc, NULL);
        if (st == NATS_OK) st = js_SubscribeSync(&s, js, subject, NULL, &so, NULL);
    } else {
        st = natsConnection_SubscribeSync(&s, nc, subject);
        if (st == NATS_OK) st = natsConnection_Flush(nc);
    }
    if (st != NATS_OK) {
        fprintf(stderr, "nats_tool: subscribe: %s\n", natsStatus_GetText(st));
        return 2;
    }
    if (o->ready) {
        FILE *f = fopen(o->ready, "w");
        if (f) fclose(f);
    }
    long got = 0, nlat = 0;
    static uint64_t lat[1 << 20];
    int64_t deadline = nats_Now() + (int64_t)(o->timeout * 1000);
    while (o->count <= 0 || got < o->count) {
        int64_t left = deadline - nats_Now();
        if (left <= 0) break;
        natsMsg *m = NULL;
        st = natsSubscription_NextMsg(&m, s, left);
        if (st == NATS_TIMEOUT) break;
        if (st != NATS_OK) {
            fprintf(stderr, "nats_tool: next: %s\n", natsStatus_GetText(st));
            continue;
        }
        got++;
        if (o->latency) {
            const char *d = natsMsg_GetData(m), *p = strstr(d, "/lat-");
            if (p && nlat < (long)(sizeof lat / sizeof *lat)) {
                struct timespec now;
                clock_gettime(CLOCK_REALTIME, &now);
                uint64_t t = strtoull(p + 5, NULL, 10);
                uint64_t n = (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec;
                lat[nlat++] = n > t ? (n - t) / 1000 : 0;
            }
            natsMsg_Destroy(m);
            continue;
        }
        printf("%s\t%.*s\n", natsMsg_GetSubject(m), natsMsg_GetDataLength(m), natsMsg_GetData(m));
        fflush(stdout);
        natsMsg_Destroy(m);
    }
    natsSubscription_Destroy(s);
    jsCtx_Destroy(js);
    if (o->latency) {
        qsort(lat, (size_t)nlat, sizeof *lat, cmp_u64);
        printf("messages=%ld lat_n=%ld p50_us=%llu p99_us=%llu max_us=%llu\n", got, nlat,
               nlat ? (unsigned long long)lat[nlat / 2] : 0ull,
               nlat ? (unsigned long long)lat[(nlat * 99) / 100] : 0ull,
               nlat ? (unsigned long long)lat[nlat - 1] : 0ull);
        return 0;
    }
    if (o->count > 0 && got < o->count) {
        fprintf(stderr, "nats_tool: %ld of %ld messages\n", got, o->count);
        return 1;
    }
    return 0;
}

static int pub(natsConnection *nc, const char *subject)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long sent = 0;
    while ((n = getline(&line, &cap, stdin)) > 0) {
        if (line[n - 1] == '\n') line[--n] = 0;
        if (natsConnection_Publish(nc, subject, line, (int)n) != NATS_OK) {
            fprintf(stderr, "nats_tool: publish failed\n");
            free(line);
            return 1;
        }
        natsConnection_Flush(nc);
        sent++;
    }
    free(line);
    fprintf(stderr, "nats_tool: forwarded %ld\n", sent);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: nats_tool sub|pub URL SUBJECT [--ca F --cert F --key F "
                        "--count N --timeout S --js STREAM --ready F]\n");
        return 2;
    }
    opts o = {.timeout = 30};
    for (int i = 4; i + 1 < argc; i += 2) {
        const char *k = argv[i], *v = argv[i + 1];
        if (!strcmp(k, "--ca"))
            o.ca = v;
        else if (!strcmp(k, "--cert"))
            o.cert = v;
        else if (!strcmp(k, "--key"))
            o.key = v;
        else if (!strcmp(k, "--js"))
            o.js = v;
        else if (!strcmp(k, "--ready"))
            o.ready = v;
        else if (!strcmp(k, "--count"))
            o.count = atol(v);
        else if (!strcmp(k, "--timeout"))
            o.timeout = atof(v);
        else if (!strcmp(k, "--latency"))
            o.latency = !strcmp(v, "1");
    }
    natsOptions *no = make_opts(argv[2], &o);
    natsConnection *nc = NULL;
    natsStatus st = no ? natsConnection_Connect(&nc, no) : NATS_NO_MEMORY;
    if (st != NATS_OK) {
        const char *e = nats_GetLastError(NULL);
        fprintf(stderr, "nats_tool: connect: %s%s%s\n", natsStatus_GetText(st), e ? ": " : "",
                e ? e : "");
        natsOptions_Destroy(no);
        return 2;
    }
    int rc = !strcmp(argv[1], "sub") ? sub(nc, argv[3], &o) : pub(nc, argv[3]);
    natsConnection_Close(nc);
    natsConnection_Destroy(nc);
    natsOptions_Destroy(no);
    nats_Close();
    return rc;
}
