/* The NATS input: core subscriptions to each subject, or, with `durable`, a
 * JetStream stream (created over the subjects when absent) and a durable
 * pull consumer per subject, fetched on a thread; a message is acknowledged
 * after the responder handled it, so what arrives while the responder is
 * down waits in the stream, and what was handled but not yet acknowledged
 * when it died is recognised by its id (the responder's state file). */
#include "inputs.h"
#include "nats_opts.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SUBS 16

struct rp_nats_input {
    rp_responder *r;
    natsConnection *nc;
    jsCtx *js;
    natsSubscription *subs[MAX_SUBS];
    int nsubs;
    bool durable;
    pthread_t thr;
    bool thr_started;
    volatile bool stop;
};

static void handle_msg(rp_nats_input *in, natsMsg *m)
{
    char err[256];
    const char *data = natsMsg_GetData(m);
    int len = natsMsg_GetDataLength(m);
    if (rp_responder_handle(in->r, data ? data : "", (size_t)(len > 0 ? len : 0), "nats", err,
                            sizeof err) == RP_MALFORMED)
        fprintf(stderr, "sgc respond: nats %s: alert ignored: %s\n", natsMsg_GetSubject(m), err);
}

static void on_msg(natsConnection *nc, natsSubscription *sub, natsMsg *m, void *ud)
{
    (void)nc;
    (void)sub;
    handle_msg(ud, m);
    natsMsg_Destroy(m);
}

static void *fetch_loop(void *ud)
{
    rp_nats_input *in = ud;
    while (!in->stop) {
        bool got = false;
        for (int i = 0; i < in->nsubs && !in->stop; i++) {
            natsMsgList list = {0};
            jsErrCode jerr = 0;
            natsStatus s =
                natsSubscription_Fetch(&list, in->subs[i], 64, in->nsubs > 1 ? 200 : 500, &jerr);
            if (s != NATS_OK) {
                if (s != NATS_TIMEOUT && !in->stop)
                    fprintf(stderr, "sgc respond: nats fetch: %s\n", natsStatus_GetText(s));
                continue;
            }
            for (int k = 0; k < list.Count; k++) {
                handle_msg(in, list.Msgs[k]);
                natsMsg_Ack(list.Msgs[k], NULL);
                got = true;
            }
            natsMsgList_Destroy(&list);
        }
        (void)got;
    }
    return NULL;
}

static int setup_stream(rp_nats_input *in, const rp_nats_conf *c, char *err, size_t errlen)
{
    const char *stream = c->stream ? c->stream : "SGC_ALERTS";
    jsErrCode jerr = 0;
    jsStreamInfo *si = NULL;
    natsStatus s = js_GetStreamInfo(&si, in->js, stream, NULL, &jerr);
    if (s == NATS_OK) {
        jsStreamInfo_Destroy(si);
        return 0;
    }
    jsStreamConfig sc;
    jsStreamConfig_Init(&sc);
    sc.Name = stream;
    sc.Subjects = (const char **)c->subjects;
    sc.SubjectsLen = c->nsubjects;
    sc.Storage = js_FileStorage;
    s = js_AddStream(&si, in->js, &sc, NULL, &jerr);
    if (s != NATS_OK) {
        snprintf(err, errlen, "creating stream %s: %s (%d) %s", stream, natsStatus_GetText(s),
                 (int)jerr, nats_GetLastError(NULL));
        return -1;
    }
    jsStreamInfo_Destroy(si);
    return 0;
}

static int subscribe_durable(rp_nats_input *in, const rp_nats_conf *c, char *err, size_t errlen)
{
    if (setup_stream(in, c, err, errlen)) return -1;
    for (int i = 0; i < c->nsubjects && i < MAX_SUBS; i++) {
        char durable[256];
        if (c->nsubjects == 1)
            snprintf(durable, sizeof durable, "%s", c->durable);
        else
            snprintf(durable, sizeof durable, "%s_%d", c->durable, i);
        jsSubOptions so;
        jsSubOptions_Init(&so);
        if (c->stream) so.Stream = c->stream;
        so.Config.AckPolicy = js_AckExplicit;
        so.Config.AckWait = 10LL * 1000 * 1000 * 1000;
        so.Config.MaxAckPending = 1024;
        jsErrCode jerr = 0;
        natsStatus s = js_PullSubscribe(&in->subs[in->nsubs], in->js, c->subjects[i], durable, NULL,
                                        &so, &jerr);
        if (s != NATS_OK) {
            snprintf(err, errlen, "durable consumer %s on %s: %s (%d) %s", durable, c->subjects[i],
                     natsStatus_GetText(s), (int)jerr, nats_GetLastError(NULL));
            return -1;
        }
        in->nsubs++;
    }
    if (pthread_create(&in->thr, NULL, fetch_loop, in)) {
        snprintf(err, errlen, "cannot start the fetch thread");
        return -1;
    }
    in->thr_started = true;
    return 0;
}

rp_nats_input *rp_nats_input_start(rp_responder *r, const rp_nats_conf *c, char *err, size_t errlen)
{
    rp_nats_input *in = calloc(1, sizeof *in);
    if (!in) return NULL;
    in->r = r;
    natsOptions *o;
    if (rp_nats_options(c, &o, err, errlen)) {
        free(in);
        return NULL;
    }
    natsStatus s = natsConnection_Connect(&in->nc, o);
    natsOptions_Destroy(o);
    if (s != NATS_OK) {
        snprintf(err, errlen, "cannot connect to NATS: %s %s", natsStatus_GetText(s),
                 nats_GetLastError(NULL));
        rp_nats_input_stop(in);
        return NULL;
    }
    if (c->durable) {
        in->durable = true;
        s = natsConnection_JetStream(&in->js, in->nc, NULL);
        if (s != NATS_OK) {
            snprintf(err, errlen, "JetStream: %s", natsStatus_GetText(s));
            rp_nats_input_stop(in);
            return NULL;
        }
        if (subscribe_durable(in, c, err, errlen)) {
            rp_nats_input_stop(in);
            return NULL;
        }
        return in;
    }
    for (int i = 0; i < c->nsubjects && i < MAX_SUBS; i++) {
        s = natsConnection_Subscribe(&in->subs[in->nsubs], in->nc, c->subjects[i], on_msg, in);
        if (s != NATS_OK) {
            snprintf(err, errlen, "subscribe %s: %s", c->subjects[i], natsStatus_GetText(s));
            rp_nats_input_stop(in);
            return NULL;
        }
        in->nsubs++;
    }
    natsConnection_Flush(in->nc);
    return in;
}

void rp_nats_input_stop(rp_nats_input *in)
{
    if (!in) return;
    in->stop = true;
    if (in->thr_started) pthread_join(in->thr, NULL);
    for (int i = 0; i < in->nsubs; i++) {
        if (!in->durable) natsSubscription_Unsubscribe(in->subs[i]);
        natsSubscription_Destroy(in->subs[i]);
    }
    if (in->js) jsCtx_Destroy(in->js);
    if (in->nc) {
        natsConnection_Close(in->nc);
        natsConnection_Destroy(in->nc);
    }
    free(in);
}
