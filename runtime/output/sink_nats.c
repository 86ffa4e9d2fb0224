/* NATS output through libnats: the JSON alert published on a subject made
 * from the template (sgc_nats_subject). servers: one or more URLs; TLS with
 * tls.ca_cert, mutual TLS with tls.client_cert + tls.client_key,
 * tls.insecure skips verification; credentials: user/password, token or a
 * creds file. min_priority: less severe alerts are not sent here.
 *
 * jetstream: STREAM: publish with acknowledgements (asynchronous, up to
 * 4096 in flight, each waiting at most 5 s for its ack). The stream is
 * created when missing (file storage, subjects: the template's fixed prefix
 * followed by '>'). A publish the server does not acknowledge is counted
 * failed (late_failed), never lost silently; at close, acks are awaited
 * for up to the flush budget and what is still pending is counted too.
 *
 * Without jetstream: core NATS publish (at most once). libnats reconnects
 * forever and buffers 8 MiB of alerts meanwhile; a publish it refuses is
 * retried by the queue. */
#include "config.h"
#include "sink.h"

#include <nats/nats.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct nats_sink {
    sgc_sink base;
    natsOptions *opts;
    natsConnection *nc;
    jsCtx *js;
    char *subject, *stream;
    char **servers;
    int nservers;
} nats_sink;

static void on_ack_error(jsCtx *js, jsPubAckErr *pae, void *closure)
{
    (void)js;
    (void)pae;
    nats_sink *s = closure;
    atomic_fetch_add(&s->base.late_failed, 1);
}

static void nats_err(char *err, size_t errlen, const char *what, natsStatus st)
{
    const char *last = nats_GetLastError(NULL);
    snprintf(err, errlen, "%s: %s%s%s", what, natsStatus_GetText(st), last ? ": " : "",
             last ? last : "");
}

static int ensure_stream(nats_sink *s, char *err, size_t errlen)
{
    jsStreamInfo *si = NULL;
    jsErrCode jerr = 0;
    natsStatus st = js_GetStreamInfo(&si, s->js, s->stream, NULL, &jerr);
    if (st == NATS_OK) {
        jsStreamInfo_Destroy(si);
        return 0;
    }
    if (jerr != JSStreamNotFoundErr && st != NATS_NOT_FOUND) {
        nats_err(err, errlen, "jetstream stream info", st);
        return -1;
    }
    char prefix[256];
    size_t n = strcspn(s->subject, "<");
    snprintf(prefix, sizeof prefix, "%.*s>", (int)(n < 200 ? n : 200), s->subject);
    if (n == 0 || prefix[n - 1] != '.') snprintf(prefix, sizeof prefix, ">");
    const char *subjects[] = {prefix};
    jsStreamConfig cfg;
    jsStreamConfig_Init(&cfg);
    cfg.Name = s->stream;
    cfg.Subjects = subjects;
    cfg.SubjectsLen = 1;
    cfg.Storage = js_FileStorage;
    st = js_AddStream(&si, s->js, &cfg, NULL, &jerr);
    if (st != NATS_OK) {
        nats_err(err, errlen, "jetstream: cannot create the stream", st);
        return -1;
    }
    jsStreamInfo_Destroy(si);
    return 0;
}

static int nats_open(sgc_sink *base, char *err, size_t errlen)
{
    nats_sink *s = (nats_sink *)base;
    if (!s->nc) {
        natsStatus st = natsConnection_Connect(&s->nc, s->opts);
        if (st != NATS_OK) {
            s->nc = NULL;
            nats_err(err, errlen, "cannot connect to NATS", st);
            return -1;
        }
    }
    if (s->stream && !s->js) {
        jsOptions jo;
        jsOptions_Init(&jo);
        jo.PublishAsync.MaxPending = 4096;
        jo.PublishAsync.ErrHandler = on_ack_error;
        jo.PublishAsync.ErrHandlerClosure = s;
        jo.PublishAsync.StallWait = 1000;
        natsStatus st = natsConnection_JetStream(&s->js, s->nc, &jo);
        if (st != NATS_OK) {
            s->js = NULL;
            nats_err(err, errlen, "jetstream", st);
            return -1;
        }
        if (ensure_stream(s, err, errlen) != 0) {
            jsCtx_Destroy(s->js);
            s->js = NULL;
            return -1;
        }
    }
    return 0;
}

static int nats_send(sgc_sink *base, const sgc_alert_msg *m, char *err, size_t errlen)
{
    nats_sink *s = (nats_sink *)base;
    if ((!s->nc || (s->stream && !s->js)) && nats_open(base, err, errlen) != 0) return -1;
    char subj[512];
    sgc_nats_subject(s->subject, m->priority, m->rule, subj, sizeof subj);
    natsStatus st;
    if (s->js) {
        jsPubOptions po;
        jsPubOptions_Init(&po);
        po.MaxWait = 5000;
        st = js_PublishAsync(s->js, subj, m->json, (int)m->json_len, &po);
    } else {
        st = natsConnection_Publish(s->nc, subj, m->json, (int)m->json_len);
    }
    if (st != NATS_OK) {
        nats_err(err, errlen, "publish", st);
        return -1;
    }
    return 0;
}

static void nats_finish(sgc_sink *base, uint32_t timeout_ms)
{
    nats_sink *s = (nats_sink *)base;
    if (s->js) {
        jsPubOptions po;
        jsPubOptions_Init(&po);
        po.MaxWait = timeout_ms ? timeout_ms : 1;
        if (js_PublishAsyncComplete(s->js, &po) != NATS_OK) {
            natsMsgList pending = {0};
            if (js_PublishAsyncGetPendingList(&pending, s->js) == NATS_OK) {
                atomic_fetch_add(&s->base.late_failed, (uint64_t)pending.Count);
                natsMsgList_Destroy(&pending);
            }
        }
    } else if (s->nc) {
        natsConnection_FlushTimeout(s->nc, timeout_ms ? timeout_ms : 1);
    }
}

static void nats_close(sgc_sink *base)
{
    nats_sink *s = (nats_sink *)base;
    if (s->js) jsCtx_Destroy(s->js);
    if (s->nc) {
        natsConnection_Close(s->nc);
        natsConnection_Destroy(s->nc);
    }
    natsOptions_Destroy(s->opts);
    for (int i = 0; i < s->nservers; i++) free(s->servers[i]);
    free(s->servers);
    free(s->subject);
    free(s->stream);
    free(s);
}

sgc_sink *sgc_sink_nats_new(const sgc_conf *c, char *err, size_t errlen)
{
    nats_sink *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    s->base.name = "nats";
    s->base.min_priority = c->nats_output.min_priority;
    s->base.open = nats_open;
    s->base.send = nats_send;
    s->base.finish = nats_finish;
    s->base.close = nats_close;
    s->subject = strdup(c->nats_output.subject);
    s->stream = c->nats_output.jetstream && c->nats_output.jetstream[0]
                    ? strdup(c->nats_output.jetstream)
                    : NULL;
    const sgc_strlist *sv = &c->nats_output.servers;
    s->servers = calloc((size_t)sv->n + 1, sizeof *s->servers);
    natsStatus st = natsOptions_Create(&s->opts);
    if (!s->subject || !s->servers || st != NATS_OK) {
        snprintf(err, errlen, "out of memory");
        nats_close(&s->base);
        return NULL;
    }
    bool tls = c->nats_output.tls_ca_cert || c->nats_output.tls_client_cert;
    for (int i = 0; i < sv->n; i++) {
        s->servers[s->nservers++] = strdup(sv->v[i]);
        tls |= !strncmp(sv->v[i], "tls://", 6);
    }
    const char *what = "servers";
    st = natsOptions_SetServers(s->opts, (const char **)s->servers, s->nservers);
    if (st == NATS_OK) st = natsOptions_SetName(s->opts, "sgc");
    if (st == NATS_OK) st = natsOptions_SetMaxReconnect(s->opts, -1);
    if (st == NATS_OK) st = natsOptions_SetReconnectWait(s->opts, 200);
    if (st == NATS_OK) st = natsOptions_SetReconnectBufSize(s->opts, 8 << 20);
    if (st == NATS_OK) st = natsOptions_SetTimeout(s->opts, c->output_timeout_ms);
    if (st == NATS_OK && tls) {
        what = "tls";
        st = natsOptions_SetSecure(s->opts, true);
        if (st == NATS_OK && c->nats_output.tls_ca_cert && c->nats_output.tls_ca_cert[0]) {
            what = "tls.ca_cert";
            st = natsOptions_LoadCATrustedCertificates(s->opts, c->nats_output.tls_ca_cert);
        }
        if (st == NATS_OK && c->nats_output.tls_client_cert && c->nats_output.tls_client_cert[0]) {
            what = "tls.client_cert/client_key";
            st = natsOptions_LoadCertificatesChain(
                s->opts, c->nats_output.tls_client_cert,
                c->nats_output.tls_client_key ? c->nats_output.tls_client_key : "");
        }
        if (st == NATS_OK && c->nats_output.tls_insecure)
            st = natsOptions_SkipServerVerification(s->opts, true);
    }
    if (st == NATS_OK && c->nats_output.user && c->nats_output.user[0]) {
        what = "user/password";
        st = natsOptions_SetUserInfo(s->opts, c->nats_output.user,
                                     c->nats_output.password ? c->nats_output.password : "");
    }
    if (st == NATS_OK && c->nats_output.token && c->nats_output.token[0]) {
        what = "token";
        st = natsOptions_SetToken(s->opts, c->nats_output.token);
    }
    if (st == NATS_OK && c->nats_output.creds && c->nats_output.creds[0]) {
        what = "creds";
        st = natsOptions_SetUserCredentialsFromFiles(s->opts, c->nats_output.creds, NULL);
    }
    if (st != NATS_OK) {
        nats_err(err, errlen, what, st);
        nats_close(&s->base);
        return NULL;
    }
    return &s->base;
}
