/* The pipeline's state, shared by pipeline.c (evaluation, outputs) and
 * pipeline_containers.c (new containers: holding their events while their
 * metadata lookup runs, the `container` event, forgetting exited ones). */
#ifndef SGC_PIPELINE_INT_H
#define SGC_PIPELINE_INT_H

#include "pipeline.h"

#include "arena.h"
#include "container_engine.h"
#include "dnsnames_resolve.h"
#include "proctable_int.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One held event: the record as it came, and its process as it was then (a
 * copy, with a private copy of the image: the table moves on meanwhile). */
typedef struct held_evt {
    struct held_evt *next;
    uint64_t evtnum;
    size_t bytes; /* what this holds, for the byte bound */
    bool has_proc;
    sgc_proc snap; /* snap.img is owned */
    uint32_t size;
    uint64_t rec[]; /* 8-byte aligned record, `size` bytes */
} held_evt;

/* A container whose metadata lookup is pending. */
typedef struct pending_ctr {
    struct pending_ctr *next;
    char id[SGC_CONTAINER_ID_MAX + 1];
    bool holding;      /* its events are held (false after a bound) */
    uint64_t since_ns; /* when its first event was held; 0: none yet */
    held_evt *head, *tail;
    uint32_t n;
} pending_ctr;

/* A rule set's userspace half: its engine and its rules' output formats. */
struct sgc_pipeline_rules {
    sgc_engine *engine;
    sgc_rule_outputs ro;
    char **dns_names; /* the fd.*ip.name names its rules compare */
    int ndns_names;
    uint32_t gen; /* set when installed */
};

struct sgc_pipeline {
    sgc_pipeline_opts opts;
    /* the rules in force, and until the next reload the ones before them,
     * for records their kernel filter passed (sgc_event_hdr.gen) */
    sgc_pipeline_rules *cur, *prev;
    const sgc_rule_outputs *matching_ro; /* of the event being evaluated */
    sgc_outputs *out;
    sgc_proctable *pt;
    sgc_usercache *users;
    sgc_containers *containers;
    sgc_dnsnames *dns;
    sgc_dns_resolver *resolver;
    sgc_arena scratch;
    const char *hostname;
    char *hostname_owned;
    const char **matched;
    int nmatched, cap;
    unsigned long long events, matches;
    uint64_t last_evtnum; /* evt.num of the last evaluated event */
    /* containers, live */
    sgc_container_engine *ce;
    sgc_containers *bundles; /* metadata from OCI bundles, learned at creation
                                   (container_bundle.h), until the lookup ends */
    unsigned long long bundles_read;
    pending_ctr *pending;
    uint32_t nholding;    /* pending entries still holding */
    uint32_t held_events; /* held right now */
    size_t held_bytes;
    uint64_t last_sweep_ns;
    unsigned long long container_events, held, released, expired, forgotten;
    /* replay: containers whose `container` event was emitted */
    char **announced;
    int nannounced, capannounced;
};

/* Frees every pending container and the events it holds. */
void sgc_pipeline_free_pending(sgc_pipeline *p);

#endif
