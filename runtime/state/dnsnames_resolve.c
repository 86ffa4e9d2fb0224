/* See dnsnames_resolve.h. */
#include "dnsnames_resolve.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

/* ---- the names in the rules ------------------------------------------------ */

static bool is_name_field(const sgc_value *v)
{
    if (!v || v->kind != SGC_V_FIELD || !v->field || v->arg) return false;
    return !strcmp(v->field, "fd.cip.name") || !strcmp(v->field, "fd.sip.name") ||
           !strcmp(v->field, "fd.lip.name") || !strcmp(v->field, "fd.rip.name");
}

typedef struct name_set {
    char **v;
    int n, cap;
    bool oom;
} name_set;

static void add_name(name_set *s, const char *name)
{
    if (!name || !*name || s->oom) return;
    for (int i = 0; i < s->n; i++)
        if (!strcmp(s->v[i], name)) return;
    if (s->n == s->cap) {
        int cap = s->cap ? s->cap * 2 : 8;
        char **v = realloc(s->v, (size_t)cap * sizeof *v);
        if (!v) {
            s->oom = true;
            return;
        }
        s->v = v;
        s->cap = cap;
    }
    if (!(s->v[s->n] = strdup(name)))
        s->oom = true;
    else
        s->n++;
}

static void collect(const sgc_node *n, name_set *s)
{
    if (!n) return;
    for (int i = 0; i < n->nkids; i++) collect(n->kids[i], s);
    if (n->kind != SGC_N_CHECK || !is_name_field(n->lhs) || !n->rhs) return;
    if (n->op != SGC_OP_EQ && n->op != SGC_OP_NE && n->op != SGC_OP_IN) return;
    if (n->rhs->kind == SGC_V_STRING)
        add_name(s, n->rhs->str);
    else if (n->rhs->kind == SGC_V_LIST)
        for (int i = 0; i < n->rhs->nitems; i++) {
            sgc_value tmp;
            const sgc_value *it = sgc_list_item(n->rhs, i, &tmp);
            if (it->kind == SGC_V_STRING) add_name(s, it->str);
        }
}

int sgc_dns_rule_names(const sgc_ruleset *rs, char ***names)
{
    name_set s = {0};
    for (int i = 0; i < rs->nrules; i++)
        if (rs->rules[i]->enabled) collect(rs->rules[i]->resolved, &s);
    if (s.oom) {
        sgc_dns_names_free(s.v, s.n);
        *names = NULL;
        return -1;
    }
    *names = s.v;
    return s.n;
}

void sgc_dns_names_free(char **names, int n)
{
    for (int i = 0; i < n; i++) free(names[i]);
    free(names);
}

/* ---- the resolver thread ------------------------------------------------------ */

struct sgc_dns_resolver {
    sgc_dnsnames *d;
    char **names;
    int n;
    unsigned refresh_s, timeout_ms;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop;
    unsigned rounds;
};

static struct timespec deadline_in_ms(unsigned ms)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    t.tv_sec += ms / 1000;
    t.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000L;
    }
    return t;
}

static bool stopping(sgc_dns_resolver *r)
{
    pthread_mutex_lock(&r->mu);
    bool stop = r->stop;
    pthread_mutex_unlock(&r->mu);
    return stop;
}

/* One name, bounded by the timeout (getaddrinfo_a: the lookup runs in
 * glibc's helper thread, and is cancelled when it takes too long). */
static void resolve_one(sgc_dns_resolver *r, const char *name)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
    struct gaicb req = {.ar_name = name, .ar_request = &hints};
    struct gaicb *list[1] = {&req};
    if (getaddrinfo_a(GAI_NOWAIT, list, 1, NULL) != 0) return;
    /* wait in slices, so that stopping does not wait for a slow lookup */
    const struct gaicb *wait[1] = {&req};
    const struct timespec slice = {.tv_sec = 0, .tv_nsec = 100 * 1000000L};
    for (unsigned waited = 0; waited < r->timeout_ms && gai_error(&req) == EAI_INPROGRESS;
         waited += 100) {
        if (stopping(r)) break;
        gai_suspend(wait, 1, &slice);
    }
    if (gai_error(&req) == EAI_INPROGRESS) {
        if (gai_cancel(&req) == EAI_NOTCANCELED) {
            /* still running in glibc's thread: wait for it, it owns req */
            while (gai_error(&req) == EAI_INPROGRESS) gai_suspend(wait, 1, NULL);
        }
    }
    if (gai_error(&req) != 0) {
        if (req.ar_result) freeaddrinfo(req.ar_result);
        return;
    }
    sgc_dns_addr addrs[32];
    int n = 0;
    for (struct addrinfo *ai = req.ar_result; ai && n < 32; ai = ai->ai_next) {
        sgc_dns_addr a = {.family = ai->ai_family};
        if (ai->ai_family == AF_INET)
            memcpy(a.addr, &((struct sockaddr_in *)ai->ai_addr)->sin_addr, 4);
        else if (ai->ai_family == AF_INET6)
            memcpy(a.addr, &((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr, 16);
        else
            continue;
        bool dup = false;
        for (int i = 0; i < n && !dup; i++)
            dup = addrs[i].family == a.family && !memcmp(addrs[i].addr, a.addr, 16);
        if (!dup) addrs[n++] = a;
    }
    freeaddrinfo(req.ar_result);
    sgc_dnsnames_set(r->d, name, addrs, n);
}

static void *resolver_main(void *arg)
{
    sgc_dns_resolver *r = arg;
    pthread_mutex_lock(&r->mu);
    while (!r->stop) {
        pthread_mutex_unlock(&r->mu);
        for (int i = 0; i < r->n && !stopping(r); i++) resolve_one(r, r->names[i]);
        pthread_mutex_lock(&r->mu);
        r->rounds++;
        struct timespec t = deadline_in_ms(r->refresh_s * 1000u);
        while (!r->stop && pthread_cond_timedwait(&r->cv, &r->mu, &t) != ETIMEDOUT);
    }
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

sgc_dns_resolver *sgc_dns_resolver_start(sgc_dnsnames *d, char *const *names, int n,
                                         unsigned refresh_s, unsigned timeout_ms)
{
    if (n <= 0) return NULL;
    sgc_dns_resolver *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->d = d;
    r->refresh_s = refresh_s ? refresh_s : 1;
    r->timeout_ms = timeout_ms ? timeout_ms : 1;
    r->names = calloc((size_t)n, sizeof *r->names);
    for (int i = 0; r->names && i < n; i++)
        if ((r->names[i] = strdup(names[i]))) r->n++;
    pthread_mutex_init(&r->mu, NULL);
    pthread_cond_init(&r->cv, NULL);
    if (!r->names || r->n != n || pthread_create(&r->thread, NULL, resolver_main, r) != 0) {
        sgc_dns_names_free(r->names, r->n);
        pthread_cond_destroy(&r->cv);
        pthread_mutex_destroy(&r->mu);
        free(r);
        return NULL;
    }
    return r;
}

void sgc_dns_resolver_stop(sgc_dns_resolver *r)
{
    if (!r) return;
    pthread_mutex_lock(&r->mu);
    r->stop = true;
    pthread_cond_signal(&r->cv);
    pthread_mutex_unlock(&r->mu);
    pthread_join(r->thread, NULL);
    sgc_dns_names_free(r->names, r->n);
    pthread_cond_destroy(&r->cv);
    pthread_mutex_destroy(&r->mu);
    free(r);
}

unsigned sgc_dns_resolver_rounds(sgc_dns_resolver *r)
{
    pthread_mutex_lock(&r->mu);
    unsigned n = r->rounds;
    pthread_mutex_unlock(&r->mu);
    return n;
}
