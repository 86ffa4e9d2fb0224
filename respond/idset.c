/* rp_idset: chained hash table plus an insertion-order ring for eviction. */
#include "idset.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct ent {
    struct ent *next;
    double t;
    char key[];
} ent;

struct rp_idset {
    ent **buckets;
    size_t nbuckets, n, max;
    char **ring; /* keys in insertion order (copies), for eviction */
    size_t head; /* oldest */
};

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

rp_idset *rp_idset_new(size_t max)
{
    rp_idset *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->max = max ? max : 1;
    s->nbuckets = 1024;
    while (s->nbuckets < s->max) s->nbuckets <<= 1;
    s->buckets = calloc(s->nbuckets, sizeof *s->buckets);
    s->ring = calloc(s->max, sizeof *s->ring);
    if (!s->buckets || !s->ring) {
        rp_idset_free(s);
        return NULL;
    }
    return s;
}

void rp_idset_free(rp_idset *s)
{
    if (!s) return;
    for (size_t i = 0; s->buckets && i < s->nbuckets; i++)
        for (ent *e = s->buckets[i], *nx; e; e = nx) {
            nx = e->next;
            free(e);
        }
    for (size_t i = 0; s->ring && i < s->max; i++) free(s->ring[i]);
    free(s->buckets);
    free(s->ring);
    free(s);
}

static ent **slot(rp_idset *s, const char *key)
{
    ent **p = &s->buckets[hash(key) & (s->nbuckets - 1)];
    while (*p && strcmp((*p)->key, key)) p = &(*p)->next;
    return p;
}

bool rp_idset_get(rp_idset *s, const char *key, double *t)
{
    ent *e = *slot(s, key);
    if (e && t) *t = e->t;
    return e != NULL;
}

static void evict_oldest(rp_idset *s)
{
    char *k = s->ring[s->head];
    if (k) {
        ent **p = slot(s, k);
        if (*p) {
            ent *e = *p;
            *p = e->next;
            free(e);
            s->n--;
        }
        free(k);
        s->ring[s->head] = NULL;
    }
}

void rp_idset_put(rp_idset *s, const char *key, double t)
{
    ent **p = slot(s, key);
    if (*p) {
        (*p)->t = t;
        return;
    }
    if (s->n == s->max) {
        evict_oldest(s);
        s->head = (s->head + 1) % s->max;
        p = slot(s, key);
    }
    size_t idx = (s->head + s->n) % s->max;
    size_t l = strlen(key);
    ent *e = malloc(sizeof *e + l + 1);
    char *copy = strdup(key);
    if (!e || !copy) {
        free(e);
        free(copy);
        return;
    }
    memcpy(e->key, key, l + 1);
    e->t = t;
    e->next = NULL;
    *p = e;
    s->ring[idx] = copy;
    s->n++;
}

size_t rp_idset_size(const rp_idset *s) { return s->n; }
