/* See syscall_interest.h. */
#include "syscall_interest.h"

#include "bpf_syscalls.h"
#include "evttypes.h"
#include "systables.h"

#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

bool sgc_interest_rule_runs(const sgc_rule *r)
{
    return r->enabled && r->resolved && !r->unknown_source &&
           (!r->source || !strcmp(r->source, "syscall"));
}

bool sgc_interest_capturable(int nr) { return sgc_syscall_by_nr(nr) != NULL; }

static bool value_reads(const sgc_value *v, const char *field)
{
    if (!v) return false;
    if ((v->kind == SGC_V_FIELD || v->kind == SGC_V_VAL) && v->field && !strcmp(v->field, field))
        return true;
    /* a named list's items are strings, never fields: not walked for every
     * rule and field (10,000 rules over 100,000-item lists, issue 18) */
    if (v->share || v->pack) return false;
    for (int i = 0; i < v->nitems; i++)
        if (value_reads(v->items[i], field)) return true;
    return false;
}

static bool node_reads(const sgc_node *n, const char *field)
{
    if (!n) return false;
    if (n->kind == SGC_N_CHECK) return value_reads(n->lhs, field) || value_reads(n->rhs, field);
    for (int i = 0; i < n->nkids; i++)
        if (node_reads(n->kids[i], field)) return true;
    return false;
}

/* `%field` or `%field[...]` in an output format (also inside transformers). */
static bool output_reads(const char *out, const char *field)
{
    size_t fl = strlen(field);
    for (const char *p = out; p && (p = strstr(p, field)); p += fl) {
        char before = p == out ? ' ' : p[-1];
        char after = p[fl];
        bool start = before == '%' || before == '(' || before == ' ' || before == ',';
        bool end = !(after == '.' || after == '_' || (after >= 'a' && after <= 'z') ||
                     (after >= '0' && after <= '9'));
        if (start && end) return true;
    }
    return false;
}

bool sgc_rule_reads_field(const sgc_rule *r, const char *field)
{
    return node_reads(r->resolved, field) ||
           (r->output_src && output_reads(r->output_src->text, field));
}

static bool reads_data(const sgc_rule *r)
{
    return sgc_rule_reads_field(r, "evt.buffer") || sgc_rule_reads_field(r, "evt.arg.data") ||
           sgc_rule_reads_field(r, "evt.rawarg.data");
}

/* The data syscalls of a rule that reads data buffers: its event types that
 * have a buffer (every one when the rule does not restrict evt.type). */
static void add_data_nrs(sgc_interest *out, const sgc_evtset *types)
{
    struct sgc_syscall_spec probe;
    for (size_t i = 0; i < sgc_syscall_table_len; i++) {
        int nr = sgc_syscall_table[i].nr;
        if (!sgc_syscall_data_spec(nr, &probe)) continue;
        bool want = sgc_evtset_is_all(types);
        for (int id = 0; !want && id < sgc_event_count(); id++)
            want = sgc_evtset_has(types, id) && sgc_event_syscall_nr(id) == nr;
        bool dup = false;
        for (int k = 0; k < out->ndata; k++) dup |= out->data_nrs[k] == nr;
        if (want && !dup) out->data_nrs[out->ndata++] = nr;
    }
}

/* Event types the runtime receives without a syscall of its own. */
static bool comes_from_proc_events(const char *name) { return !strcmp(name, "procexit"); }

/* Can a rule of these types match a process lifecycle record? Fork records
 * are judged as clone/clone3/fork/vfork events and exit records as procexit
 * (schema/evtype.c). */
static bool matches_lifecycle(const sgc_evtset *types)
{
    static const char *const names[] = {"procexit", "clone", "clone3", "fork", "vfork"};
    if (sgc_evtset_is_all(types)) return true;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        int id = sgc_event_id(names[i]);
        if (id >= 0 && sgc_evtset_has(types, id)) return true;
    }
    return false;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

int sgc_interest_build(const sgc_ruleset *rs, sgc_interest *out)
{
    memset(out, 0, sizeof *out);
    sgc_evtset all;
    sgc_evtset_init(&all, false);
    for (int i = 0; i < rs->nrules; i++) {
        const sgc_rule *r = rs->rules[i];
        if (!sgc_interest_rule_runs(r)) continue;
        out->nrules++;
        sgc_evtset types;
        sgc_condition_evttypes(r->resolved, &types);
        if (sgc_evtset_is_all(&types)) out->nrules_any_type++;
        out->reads_env |= sgc_rule_reads_field(r, "proc.env");
        out->reads_lifecycle |= matches_lifecycle(&types);
        if (reads_data(r)) {
            if (!out->data_nrs)
                out->data_nrs = malloc(sgc_syscall_table_len * sizeof *out->data_nrs);
            if (!out->data_nrs) {
                sgc_evtset_free(&types);
                sgc_evtset_free(&all);
                return -1;
            }
            add_data_nrs(out, &types);
        }
        sgc_evtset_union(&all, &types);
        sgc_evtset_free(&types);
    }

    int nevents = sgc_event_count();
    out->nrs = malloc(sgc_syscall_table_len * sizeof *out->nrs);
    out->missing = malloc(((size_t)nevents + sgc_syscall_table_len) * sizeof *out->missing);
    if (!out->nrs || !out->missing) {
        sgc_evtset_free(&all);
        sgc_interest_free(out);
        return -1;
    }
    if (out->nrules_any_type) {
        /* such a rule can match any syscall: capture all we know */
        for (size_t i = 0; i < sgc_syscall_table_len; i++)
            out->nrs[out->n++] = sgc_syscall_table[i].nr;
    } else {
        for (int id = 0; id < nevents; id++) {
            if (!sgc_evtset_has(&all, id)) continue;
            const char *name = sgc_event_name(id);
            int nr = sgc_event_syscall_nr(id);
            if (nr >= 0 && sgc_syscall_by_nr(nr)) {
                bool dup = false;
                for (int k = 0; k < out->n; k++) dup |= out->nrs[k] == nr;
                if (!dup) out->nrs[out->n++] = nr;
            } else if (name && !comes_from_proc_events(name)) {
                out->missing[out->nmissing++] = name;
            }
        }
    }
    sgc_evtset_free(&all);
    qsort(out->nrs, (size_t)out->n, sizeof *out->nrs, cmp_int);
    return 0;
}

void sgc_interest_free(sgc_interest *in)
{
    free(in->nrs);
    free(in->missing);
    free(in->data_nrs);
    memset(in, 0, sizeof *in);
}

static const char *const tracefs_dirs[] = {
    "/sys/kernel/tracing/events/syscalls",
    "/sys/kernel/debug/tracing/events/syscalls",
};

void sgc_interest_drop_untraceable(sgc_interest *in)
{
    const char *dir = NULL;
    for (size_t i = 0; i < sizeof tracefs_dirs / sizeof tracefs_dirs[0] && !dir; i++)
        if (faccessat(AT_FDCWD, tracefs_dirs[i], F_OK, AT_EACCESS) == 0) dir = tracefs_dirs[i];
    if (!dir) return;
    int kept = 0;
    for (int i = 0; i < in->n; i++) {
        const struct sgc_syscall_info *info = sgc_syscall_by_nr(in->nrs[i]);
        char path[512];
        snprintf(path, sizeof path, "%s/sys_exit_%s", dir, info->tracepoint);
        if (faccessat(AT_FDCWD, path, F_OK, AT_EACCESS) == 0)
            in->nrs[kept++] = in->nrs[i];
        else
            in->missing[in->nmissing++] = info->name;
    }
    in->n = kept;
}
