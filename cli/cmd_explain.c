/* sgc explain [--rule NAME] [--format text|json] [FILE...]
 * For each rule: its event types, which atoms the kernel filter decides (at
 * which syscalls, exactly or partially), what stays in userspace and why,
 * and whether the kernel decides the rule completely. docs/explain.md. */
#include "codegen_bpf.h"
#include "codegen_lint.h"
#include "commands.h"
#include "diag_format.h"
#include "enforce.h"
#include "frontend.h"
#include "pushdown.h"
#include "systables.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out)
{
    fputs("usage: sgc explain [--rule NAME] [--format text|json] [FILE...]\n"
          "\n"
          "Show what the kernel filter decides for each rule and what stays in\n"
          "userspace: the rule's event types, each condition atom with its class\n"
          "(kernel-exact, kernel-partial, userspace-only) and the reason, and whether\n"
          "the kernel decides the rule completely. With no FILE, the embedded rules.\n"
          "\n"
          "options:\n"
          "  --rule NAME    only this rule (may be repeated)\n"
          "  --enforce RULE=kill|audit\n"
          "                 show where `sgc run --enforce` kills for RULE: in the kernel\n"
          "                 (per syscall where the filter decides it) or from userspace\n"
          "  --format FMT   text (default) or json\n"
          "  -h, --help     show this help\n"
          "\n"
          "exit status: 0 ok, 1 rules with errors or an unknown --rule, 2 usage error\n",
          out);
}

/* ---- per-atom summary over the syscalls of a rule ------------------------- */

typedef struct atom_row {
    int atom;
    sgc_pd_class cls;
    const char *why;
    bool folded; /* evt.type: a constant per syscall */
    int *nrs;
    int nnrs;
} atom_row;

typedef struct rule_report {
    atom_row *rows;
    int nrows;
} rule_report;

static void add_row(rule_report *rep, int atom, sgc_pd_verdict v, int nr)
{
    bool folded = v.katom < 0 && v.cls == SGC_PD_EXACT;
    for (int i = 0; i < rep->nrows; i++) {
        atom_row *r = &rep->rows[i];
        if (r->atom == atom && r->cls == v.cls && r->folded == folded &&
            (r->why == v.why || (r->why && v.why && !strcmp(r->why, v.why)))) {
            r->nrs = realloc(r->nrs, (size_t)(r->nnrs + 1) * sizeof *r->nrs);
            r->nrs[r->nnrs++] = nr;
            return;
        }
    }
    rep->rows = realloc(rep->rows, (size_t)(rep->nrows + 1) * sizeof *rep->rows);
    atom_row *r = &rep->rows[rep->nrows++];
    *r = (atom_row){atom, v.cls, v.why, folded, malloc(sizeof(int)), 1};
    r->nrs[0] = nr;
}

static rule_report analyse(sgc_pushdown *pd, int rule)
{
    rule_report rep = {0};
    int *atoms = NULL, natoms = 0;
    sgc_ir_collect_atoms(pd->rules[rule].cond, &atoms, &natoms);
    for (int nr = 0; nr <= pd->max_nr; nr++) {
        if (!sgc_syscall_name(nr) || !sgc_pushdown_rule_has_nr(pd, rule, nr)) continue;
        for (int i = 0; i < natoms; i++)
            add_row(&rep, atoms[i], sgc_pushdown_classify(pd, atoms[i], nr), nr);
    }
    /* atoms of a rule with no syscall: userspace only */
    if (!rep.nrows)
        for (int i = 0; i < natoms; i++) {
            rep.rows = realloc(rep.rows, (size_t)(rep.nrows + 1) * sizeof *rep.rows);
            rep.rows[rep.nrows++] = (atom_row){atoms[i],
                                               SGC_PD_USERSPACE,
                                               "no syscall hook for this rule's event types",
                                               false,
                                               NULL,
                                               0};
        }
    free(atoms);
    return rep;
}

static void report_free(rule_report *rep)
{
    for (int i = 0; i < rep->nrows; i++) free(rep->rows[i].nrs);
    free(rep->rows);
}

static const char *status_text(sgc_pd_rule_status s)
{
    switch (s) {
    case SGC_PD_RULE_COMPLETE:
        return "completely (no userspace evaluation needed for its syscalls)";
    case SGC_PD_RULE_PARTIAL: return "partially (events it cannot decide are passed as candidates)";
    case SGC_PD_RULE_USERSPACE: return "not at all (every event of its syscalls is passed)";
    case SGC_PD_RULE_NO_SYSCALL: return "not at all (its event types have no syscall hook)";
    case SGC_PD_RULE_NEVER: return "trivially: the condition folds to false";
    }
    return "?";
}

/* sgc explain --enforce RULE=kill|audit: where each enforced rule's kill
 * happens, per syscall (codegen_bpf.h: in the kernel where the filter
 * decides the rule exactly, from userspace elsewhere). */
static sgc_enforce g_enf;

typedef struct enf_split {
    int *kernel, nkernel, *user, nuser;
} enf_split;

static enf_split enforcement_split(sgc_pushdown *pd, int rule)
{
    enf_split e = {0};
    e.kernel = calloc((size_t)pd->max_nr + 2, sizeof(int));
    e.user = calloc((size_t)pd->max_nr + 2, sizeof(int));
    for (int nr = 0; nr <= pd->max_nr; nr++) {
        if (!sgc_syscall_name(nr) || !sgc_pushdown_rule_has_nr(pd, rule, nr)) continue;
        if (sgc_codegen_rule_exact_at(pd, rule, nr))
            e.kernel[e.nkernel++] = nr;
        else
            e.user[e.nuser++] = nr;
    }
    return e;
}

static void text_enforcement(FILE *o, sgc_pushdown *pd, int rule)
{
    sgc_enf_action a = sgc_enforce_action(&g_enf, pd->rules[rule].name ? pd->rules[rule].name : "");
    if (a == SGC_ENF_NONE) return;
    enf_split e = enforcement_split(pd, rule);
    fprintf(o, "  enforcement (%s):\n", sgc_enf_action_name(a));
    if (e.nkernel) {
        fputs("    in the kernel (SIGKILL at the syscall exit) on ", o);
        for (int i = 0; i < e.nkernel; i++)
            fprintf(o, "%s%s", i ? ", " : "", sgc_syscall_name(e.kernel[i]));
        fputc('\n', o);
    }
    if (e.nuser) {
        fputs("    from userspace (after evaluation) on ", o);
        for (int i = 0; i < e.nuser; i++)
            fprintf(o, "%s%s", i ? ", " : "", sgc_syscall_name(e.user[i]));
        fputc('\n', o);
    }
    if (!e.nkernel && !e.nuser)
        fputs("    from userspace (after evaluation): the rule has no syscall hook\n", o);
    free(e.kernel);
    free(e.user);
}

static void print_nrs(FILE *o, const atom_row *r, int max)
{
    for (int i = 0; i < r->nnrs && i < max; i++)
        fprintf(o, "%s%s", i ? ", " : "", sgc_syscall_name(r->nrs[i]));
    if (r->nnrs > max) fprintf(o, " ... (%d syscalls)", r->nnrs);
}

/* A rule of a source without a kernel part (k8s_audit): all of it runs in
 * userspace, on that source's events. */
static void text_rule_other_source(FILE *o, const sgc_pd_rule *r, const sgc_rule *sr)
{
    fprintf(o,
            "rule: %s\n  bit: %d\n  source: %s\n  event types: none (not a syscall rule)\n"
            "  kernel decides it: not at all: %s events are evaluated in userspace only\n"
            "  in userspace:\n",
            r->name ? r->name : "?", r->bit, r->source, r->source);
    char *cond = sr && sr->resolved ? sgc_node_to_condition(sr->resolved) : NULL;
    if (cond && strlen(cond) > 150)
        fprintf(o, "    %.140s ... (%zu chars)\n", cond, strlen(cond));
    else if (cond)
        fprintf(o, "    %s\n", cond);
    fprintf(o, "      userspace-only: the %s source has no kernel part\n\n", r->source);
    free(cond);
}

static void text_rule(FILE *o, sgc_pushdown *pd, int rule)
{
    const sgc_pd_rule *r = &pd->rules[rule];
    rule_report rep = analyse(pd, rule);
    char *types = sgc_evtset_to_string(&r->types, 12);
    fprintf(o, "rule: %s\n  bit: %d\n  event types: %s\n  kernel decides it: %s\n",
            r->name ? r->name : "?", r->bit, types,
            status_text(sgc_pushdown_rule_status(pd, rule)));
    free(types);
    text_enforcement(o, pd, rule);
    for (int pass = 0; pass < 2; pass++) {
        bool header = false;
        for (int i = 0; i < rep.nrows; i++) {
            const atom_row *row = &rep.rows[i];
            bool kernel = row->cls != SGC_PD_USERSPACE;
            if (kernel != (pass == 0)) continue;
            if (!header) fprintf(o, pass == 0 ? "  in the kernel:\n" : "  in userspace:\n");
            header = true;
            const char *t = pd->atoms.v[row->atom]->text;
            if (strlen(t) > 150)
                fprintf(o, "    %.140s ... (%zu chars)\n", t, strlen(t));
            else
                fprintf(o, "    %s\n", t);
            fprintf(o, "      %s", sgc_pd_class_name(row->cls));
            if (row->folded) fputs(" (folded into the syscall dispatch)", o);
            if (row->nnrs) {
                fputs(" on ", o);
                print_nrs(o, row, 6);
            }
            if (row->why) fprintf(o, ": %s", row->why);
            fputc('\n', o);
        }
    }
    fputc('\n', o);
    report_free(&rep);
}

static void json_str(FILE *o, const char *s)
{
    fputc('"', o);
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(o, "\\%c", c);
        else if (c < 0x20)
            fprintf(o, "\\u%04x", c);
        else
            fputc(c, o);
    }
    fputc('"', o);
}

static void json_rule(FILE *o, sgc_pushdown *pd, int rule, bool first)
{
    const sgc_pd_rule *r = &pd->rules[rule];
    rule_report rep = analyse(pd, rule);
    fputs(first ? "\n    {" : ",\n    {", o);
    fputs("\"name\": ", o);
    json_str(o, r->name);
    if (r->source) {
        fprintf(o, ", \"bit\": %d, \"source\": ", r->bit);
        json_str(o, r->source);
        fputs(", \"kernel\": \"userspace-source\", \"event_types\": [], \"atoms\": []}", o);
        report_free(&rep);
        return;
    }
    fprintf(o, ", \"bit\": %d, \"source\": \"syscall\", \"kernel\": \"%s\", \"event_types\": [",
            r->bit, sgc_pd_rule_status_name(sgc_pushdown_rule_status(pd, rule)));
    bool f = true;
    for (int id = 0; id < r->types.nbits; id++)
        if (sgc_evtset_has(&r->types, id)) {
            if (!f) fputs(", ", o);
            f = false;
            json_str(o, sgc_event_name(id));
        }
    fputs("], \"atoms\": [", o);
    for (int i = 0; i < rep.nrows; i++) {
        const atom_row *row = &rep.rows[i];
        fputs(i ? ", {" : "{", o);
        fputs("\"atom\": ", o);
        json_str(o, pd->atoms.v[row->atom]->text);
        fprintf(o, ", \"class\": \"%s\", \"folded\": %s, \"syscalls\": [",
                sgc_pd_class_name(row->cls), row->folded ? "true" : "false");
        for (int j = 0; j < row->nnrs; j++) {
            if (j) fputs(", ", o);
            json_str(o, sgc_syscall_name(row->nrs[j]));
        }
        fputs("], \"why\": ", o);
        if (row->why)
            json_str(o, row->why);
        else
            fputs("null", o);
        fputc('}', o);
    }
    fputc(']', o);
    sgc_enf_action ea = sgc_enforce_action(&g_enf, r->name ? r->name : "");
    if (ea != SGC_ENF_NONE) {
        enf_split e = enforcement_split(pd, rule);
        fprintf(o, ", \"enforcement\": {\"action\": \"%s\", \"in_kernel\": [",
                sgc_enf_action_name(ea));
        for (int i = 0; i < e.nkernel; i++) {
            if (i) fputs(", ", o);
            json_str(o, sgc_syscall_name(e.kernel[i]));
        }
        fputs("], \"userspace\": [", o);
        for (int i = 0; i < e.nuser; i++) {
            if (i) fputs(", ", o);
            json_str(o, sgc_syscall_name(e.user[i]));
        }
        fputs("]}", o);
        free(e.kernel);
        free(e.user);
    }
    fputc('}', o);
    report_free(&rep);
}

/* counts[5]: rules of other sources (userspace only, not "never"). */
static void summary_counts(sgc_pushdown *pd, const int *sel, int nsel, int counts[6])
{
    memset(counts, 0, 6 * sizeof *counts);
    for (int i = 0; i < nsel; i++) {
        if (pd->rules[sel[i]].source)
            counts[5]++;
        else
            counts[sgc_pushdown_rule_status(pd, sel[i])]++;
    }
}

/* The ruleset rule behind pushdown rule I (the I-th enabled rule). */
static const sgc_rule *rule_of(const sgc_ruleset *rs, int i)
{
    for (int k = 0; k < rs->nrules; k++)
        if (rs->rules[k]->enabled && i-- == 0) return rs->rules[k];
    return NULL;
}

int cmd_explain(int argc, char **argv)
{
    bool json = false;
    const char **files = calloc((size_t)argc + 1, sizeof *files);
    const char **only = calloc((size_t)argc + 1, sizeof *only);
    int nfiles = 0, nonly = 0, status = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || !strcmp(a, "-")) {
            files[nfiles++] = a;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            goto done;
        } else if (!strcmp(a, "--enforce") && i + 1 < argc) {
            char err[256];
            if (sgc_enforce_add(&g_enf, argv[++i], err, sizeof err)) {
                fprintf(stderr, "sgc explain: %s\n", err);
                status = 2;
                goto done;
            }
        } else if (!strcmp(a, "--rule") && i + 1 < argc) {
            only[nonly++] = argv[++i];
        } else if (!strncmp(a, "--rule=", 7)) {
            only[nonly++] = a + 7;
        } else if ((!strcmp(a, "--format") && i + 1 < argc) || !strncmp(a, "--format=", 9)) {
            const char *v = a[8] == '=' ? a + 9 : argv[++i];
            if (strcmp(v, "text") && strcmp(v, "json")) {
                fprintf(stderr, "sgc explain: unknown format '%s' (text or json)\n", v);
                status = 2;
                goto done;
            }
            json = !strcmp(v, "json");
        } else {
            fprintf(stderr, "sgc explain: unknown option or missing value '%s'\n", a);
            usage(stderr);
            status = 2;
            goto done;
        }
    }

    sgc_frontend_opts opts = {
        .embedded = sgc_embedded_rules,
        .embedded_len = sgc_embedded_rules_len,
        .embedded_name = sgc_embedded_rules_name,
    };
    sgc_frontend fe;
    int errors = sgc_frontend_run(&fe, files, nfiles, &opts);
    if (errors) {
        sgc_diags_print(stderr, SGC_FMT_TEXT, fe.diags, fe.inputs, fe.ninputs);
        sgc_frontend_free(&fe);
        status = 1;
        goto done;
    }
    sgc_pushdown *pd = sgc_pushdown_build(fe.rs);
    int *sel = calloc((size_t)pd->nrules + 1, sizeof *sel), nsel = 0;
    for (int r = 0; r < pd->nrules; r++) {
        bool want = nonly == 0;
        for (int j = 0; j < nonly && !want; j++)
            want = pd->rules[r].name && !strcmp(pd->rules[r].name, only[j]);
        if (want) sel[nsel++] = r;
    }
    for (int j = 0; j < nonly; j++) {
        bool found = false;
        for (int r = 0; r < pd->nrules && !found; r++)
            found = pd->rules[r].name && !strcmp(pd->rules[r].name, only[j]);
        if (!found) {
            fprintf(stderr, "sgc explain: no enabled rule named '%s'\n", only[j]);
            status = 1;
        }
    }
    sgc_bpf_gen gen;
    sgc_codegen_bpf(pd, &gen);
    /* the filter's shape as sgc lint and sgc compile count it (the warnings
     * themselves, naming the rules, are lint's) */
    sgc_kernel_filter_stats shape;
    sgc_diags shape_diags;
    sgc_diags_init(&shape_diags);
    sgc_kernel_filter_lint_pd(fe.rs, pd, &shape_diags, &shape);
    sgc_diags_free(&shape_diags);
    int counts[6];
    summary_counts(pd, sel, nsel, counts);
    if (json) {
        printf("{\n  \"rules\": [");
        for (int i = 0; i < nsel; i++) json_rule(stdout, pd, sel[i], i == 0);
        printf("\n  ],\n  \"summary\": {\"rules\": %d, \"complete\": %d, \"partial\": %d, "
               "\"userspace\": %d,"
               " \"no_syscall\": %d, \"never\": %d, \"syscall_groups\": %d, \"kernel_atoms\": %d,"
               " \"constant_sets\": %d, \"map_entries\": %d, \"candidate_words\": %d,"
               " \"userspace_sources\": %d, \"split_groups\": %d, \"split_functions\": %d,"
               " \"unguarded_functions\": %d, \"size_limit\": {\"rules_too_large\": %d,"
               " \"long_list_checks\": %d, \"comm_sets_beyond_map\": %d}}\n}\n",
               nsel, counts[0], counts[1], counts[2], counts[3], counts[4], pd->ngroups,
               pd->nkatoms, pd->nsets, gen.nentries, pd->cand_words, counts[5], shape.split_groups,
               shape.functions, shape.unguarded, shape.kept_rules, shape.long_lists,
               shape.comm_overflow);
    } else {
        for (int i = 0; i < nsel; i++) {
            if (pd->rules[sel[i]].source)
                text_rule_other_source(stdout, &pd->rules[sel[i]], rule_of(fe.rs, sel[i]));
            else
                text_rule(stdout, pd, sel[i]);
        }
        printf(
            "%d rules: %d decided completely in the kernel, %d partially, %d not at all"
            " (%d without a syscall hook, %d never match)\n"
            "kernel filter: %d syscall groups, %d kernel atoms, %d constant sets (%d map entries),"
            " %d-word candidate bitmap\n",
            nsel - counts[5], counts[0], counts[1], counts[2] + counts[3], counts[3], counts[4],
            pd->ngroups, pd->nkatoms, pd->nsets, gen.nentries, pd->cand_words);
        fputs("kernel filter shape: ", stdout);
        sgc_kernel_filter_stats_print(stdout, &shape);
        fputs(shape.kept_rules || shape.long_lists || shape.comm_overflow || shape.split_groups
                  ? " (sgc lint names the rules)\n"
                  : "\n",
              stdout);
        if (counts[5])
            printf("%d rules of other sources (k8s_audit) besides: evaluated in userspace only, no "
                   "kernel part\n",
                   counts[5]);
    }
    sgc_bpf_gen_free(&gen);
    free(sel);
    sgc_pushdown_free(pd);
    sgc_frontend_free(&fe);
done:
    sgc_enforce_free(&g_enf);
    free(files);
    free(only);
    return status;
}
