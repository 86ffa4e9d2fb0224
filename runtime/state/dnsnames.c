/* See dnsnames.h. A flat array of (name, address) pairs: rules name a few
 * dozen domains, so a scan is cheaper than a hash, and it runs only for
 * events whose rules ask for an fd.*ip.name. */
#include "dnsnames.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

typedef struct pair {
    char *name; /* owned; shared by the pairs of one name */
    bool owns_name;
    sgc_dns_addr a;
} pair;

struct sgc_dnsnames {
    pthread_rwlock_t lock;
    pair *v;
    size_t n, cap;
};

sgc_dnsnames *sgc_dnsnames_new(void)
{
    sgc_dnsnames *d = calloc(1, sizeof *d);
    if (d && pthread_rwlock_init(&d->lock, NULL) != 0) {
        free(d);
        return NULL;
    }
    return d;
}

static void free_pair(pair *p)
{
    if (p->owns_name) free(p->name);
}

void sgc_dnsnames_free(sgc_dnsnames *d)
{
    if (!d) return;
    for (size_t i = 0; i < d->n; i++) free_pair(&d->v[i]);
    free(d->v);
    pthread_rwlock_destroy(&d->lock);
    free(d);
}

static size_t addr_len(int family) { return family == AF_INET6 ? 16 : 4; }

static bool same_addr(const sgc_dns_addr *x, int family, const uint8_t addr[16])
{
    return x->family == family && !memcmp(x->addr, addr, addr_len(family));
}

/* Drop the pairs of a name (keeping the order of the others). */
static void remove_name(sgc_dnsnames *d, const char *name)
{
    char *owned = NULL; /* freed last: the name's other pairs share it */
    size_t o = 0;
    for (size_t i = 0; i < d->n; i++) {
        if (!strcmp(d->v[i].name, name)) {
            if (d->v[i].owns_name) owned = d->v[i].name;
            continue;
        }
        d->v[o++] = d->v[i];
    }
    d->n = o;
    free(owned);
}

int sgc_dnsnames_set(sgc_dnsnames *d, const char *name, const sgc_dns_addr *addrs, int n)
{
    char *copy = strdup(name);
    if (!copy) return -1;
    int rc = 0;
    pthread_rwlock_wrlock(&d->lock);
    remove_name(d, name);
    if (d->n + (size_t)n > d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 16;
        while (cap < d->n + (size_t)n) cap *= 2;
        pair *v = realloc(d->v, cap * sizeof *v);
        if (!v) {
            rc = -1;
            goto out;
        }
        d->v = v;
        d->cap = cap;
    }
    for (int i = 0; i < n; i++) {
        pair *p = &d->v[d->n++];
        p->name = copy;
        p->owns_name = i == 0;
        p->a = addrs[i];
    }
out:
    pthread_rwlock_unlock(&d->lock);
    if (rc != 0 || n == 0) free(copy);
    return rc;
}

int sgc_dnsnames_names_of(sgc_dnsnames *d, int family, const uint8_t addr[16], sgc_arena *a,
                          const char ***names, size_t **lens)
{
    int found = 0;
    *names = NULL;
    *lens = NULL;
    pthread_rwlock_rdlock(&d->lock);
    for (size_t i = 0; i < d->n; i++) found += same_addr(&d->v[i].a, family, addr);
    if (found) {
        *names = sgc_arena_alloc(a, (size_t)found * sizeof **names);
        *lens = sgc_arena_alloc(a, (size_t)found * sizeof **lens);
        int k = 0;
        for (size_t i = 0; *names && *lens && i < d->n; i++) {
            if (!same_addr(&d->v[i].a, family, addr)) continue;
            size_t len = strlen(d->v[i].name);
            (*names)[k] = sgc_arena_strndup(a, d->v[i].name, len);
            (*lens)[k] = len;
            if ((*names)[k]) k++;
        }
        found = *names && *lens ? k : 0;
    }
    pthread_rwlock_unlock(&d->lock);
    return found;
}

size_t sgc_dnsnames_size(sgc_dnsnames *d)
{
    pthread_rwlock_rdlock(&d->lock);
    size_t n = d->n;
    pthread_rwlock_unlock(&d->lock);
    return n;
}

void sgc_dnsnames_foreach(sgc_dnsnames *d,
                          void (*fn)(const char *name, const sgc_dns_addr *a, void *ud), void *ud)
{
    pthread_rwlock_rdlock(&d->lock);
    for (size_t i = 0; i < d->n; i++) fn(d->v[i].name, &d->v[i].a, ud);
    pthread_rwlock_unlock(&d->lock);
}
