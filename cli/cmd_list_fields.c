/* sgc list-fields [--json | --markdown] [--source S]: the field catalog of
 * each event source (syscall, k8s_audit). */
#include "commands.h"
#include "fields.h"
#include "systables.h"

#include <stdio.h>
#include <string.h>

static void usage(FILE *out)
{
    fprintf(out, "usage: sgc list-fields [--json | --markdown] [--source syscall|k8s_audit]\n\n"
                 "Print every field conditions and outputs can use, per event source, grouped\n"
                 "by class. A rule's `source:` decides which catalog its fields come from.\n\n"
                 "  --json      a JSON array of {id, name, class, type, arg, list, deprecated,\n"
                 "              filter_only, kernel, desc, sources}\n"
                 "  --markdown  the reference page (docs/fields.md is generated with it)\n"
                 "  --source S  only the fields of source S\n");
}

/* How the field is written, for people: "proc.aname[N]", "evt.arg.NAME, evt.arg[N]". */
static const char *signature(const sgc_field_def *f, char *buf, size_t size)
{
    unsigned a = f->arg;
    const char *key = (a & SGC_ARG_NUMERIC) ? "N" : "KEY";
    const char *dkey = (a & SGC_ARG_NUMERIC) ? "NAME" : "KEY";
    if ((a & SGC_ARG_BRACKET) && (a & SGC_ARG_DOTTED))
        snprintf(buf, size, "%s.%s, %s[%s]", f->name, dkey, f->name, key);
    else if (a & SGC_ARG_DOTTED)
        snprintf(buf, size, "%s.KEY", f->name);
    else if (a & SGC_ARG_BRACKET)
        snprintf(buf, size, "%s[%s]", f->name, key);
    else
        snprintf(buf, size, "%s", f->name);
    return buf;
}

static void json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c < 0x20)
            fprintf(out, "\\u%04x", c);
        else
            fputc(c, out);
    }
    fputc('"', out);
}

/* Is field F listed when SRC (-1 = every source) is asked for? */
static bool wanted(const sgc_field_def *f, int src)
{
    return src < 0 || sgc_field_in_source(f, (sgc_evsource)src);
}

static void print_json(FILE *out, const sgc_field_def *all, int n, int src)
{
    char cls[32];
    fputs("[\n", out);
    bool first = true;
    for (int i = 0; i < n; i++) {
        const sgc_field_def *f = &all[i];
        if (!wanted(f, src)) continue;
        fputs(first ? "" : ",\n", out);
        first = false;
        fprintf(out, "  {\"id\": %d, \"name\": ", (int)f->id);
        json_string(out, f->name);
        fputs(", \"class\": ", out);
        json_string(out, sgc_field_class(f, cls, sizeof cls));
        fprintf(out,
                ", \"type\": \"%s\", \"arg\": \"%s\", \"list\": %s, \"deprecated\": %s, "
                "\"filter_only\": %s, \"kernel\": \"%s\", \"desc\": ",
                sgc_ftype_name(f->type), sgc_field_arg_desc(f),
                (f->flags & SGC_FF_LIST) ? "true" : "false",
                (f->flags & SGC_FF_DEPRECATED) ? "true" : "false",
                (f->flags & SGC_FF_FILTER_ONLY) ? "true" : "false", sgc_fkernel_name(f->kernel));
        json_string(out, f->desc);
        fputs(", \"sources\": [", out);
        for (int s = 0, k = 0; s < SGC_SRC__COUNT; s++)
            if (sgc_field_in_source(f, (sgc_evsource)s))
                fprintf(out, "%s\"%s\"", k++ ? ", " : "", sgc_evsource_name((sgc_evsource)s));
        fputs("]}", out);
    }
    fputs(first ? "]\n" : "\n]\n", out);
}

/* Classes in order of first appearance in the catalog. */
static int classes(const sgc_field_def *all, int n, int src, char names[][32], int max)
{
    int nc = 0;
    for (int i = 0; i < n; i++) {
        char cls[32];
        if (!wanted(&all[i], src)) continue;
        sgc_field_class(&all[i], cls, sizeof cls);
        int j = 0;
        while (j < nc && strcmp(names[j], cls)) j++;
        if (j == nc && nc < max) strcpy(names[nc++], cls);
    }
    return nc;
}

/* With SKIP_SHARED, the fields the syscall source also has are named in one
 * line instead (they were listed with it). */
static void print_text_source(FILE *out, const sgc_field_def *all, int n, int src, bool heading,
                              bool skip_shared)
{
    char names[32][32];
    int nc = classes(all, n, src, names, 32);
    if (heading)
        fprintf(out, "Source %s%s:\n\n", sgc_evsource_name((sgc_evsource)src),
                sgc_evsource_in_kernel((sgc_evsource)src) ? "" : " (evaluated in userspace only)");
    if (skip_shared) {
        fputs("(with the syscall source's", out);
        for (int i = 0; i < n; i++)
            if (wanted(&all[i], src) && sgc_field_in_source(&all[i], SGC_SRC_SYSCALL))
                fprintf(out, " %s", all[i].name);
        fputs(")\n\n", out);
    }
    for (int c = 0, shown = 0; c < nc; c++) {
        bool any = false;
        for (int i = 0; i < n; i++) {
            const sgc_field_def *f = &all[i];
            char cls[32], sig[128];
            if (!wanted(f, src) || strcmp(sgc_field_class(f, cls, sizeof cls), names[c])) continue;
            if (skip_shared && sgc_field_in_source(f, SGC_SRC_SYSCALL)) continue;
            if (!any) fprintf(out, "%s%s fields:\n", shown++ ? "\n" : "", names[c]);
            any = true;
            fprintf(out, "  %-42s %-9s %s%s%s%s\n", signature(f, sig, sizeof sig),
                    sgc_ftype_name(f->type), (f->flags & SGC_FF_DEPRECATED) ? "(deprecated) " : "",
                    (f->flags & SGC_FF_LIST) ? "(list) " : "",
                    (f->flags & SGC_FF_FILTER_ONLY) ? "(conditions only) " : "", f->desc);
        }
    }
}

static void print_text(FILE *out, const sgc_field_def *all, int n, int src)
{
    if (src >= 0) {
        print_text_source(out, all, n, src, false, false);
        return;
    }
    for (int s = 0; s < SGC_SRC__COUNT; s++) {
        if (s) fputc('\n', out);
        print_text_source(out, all, n, s, true, s != SGC_SRC_SYSCALL);
    }
}

/* Text inside a Markdown table cell: '|' would end the cell. */
static void md_cell(FILE *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '|') fputc('\\', out);
        fputc(*s, out);
    }
}

static void print_markdown_classes(FILE *out, const sgc_field_def *all, int n, int src)
{
    char names[32][32];
    int nc = classes(all, n, src, names, 32);
    for (int c = 0; c < nc; c++) {
        fprintf(out,
                "\n## %s\n\n| Field | Type | Argument | Kernel | Description |\n"
                "|---|---|---|---|---|\n",
                names[c]);
        for (int i = 0; i < n; i++) {
            const sgc_field_def *f = &all[i];
            char cls[32], sig[128];
            if (!wanted(f, src) || strcmp(sgc_field_class(f, cls, sizeof cls), names[c])) continue;
            fprintf(out, "| `%s` | %s%s | %s | %s | %s%s", signature(f, sig, sizeof sig),
                    sgc_ftype_name(f->type), (f->flags & SGC_FF_LIST) ? " list" : "",
                    sgc_field_arg_desc(f), sgc_fkernel_name(f->kernel),
                    (f->flags & SGC_FF_DEPRECATED) ? "**Deprecated.** " : "",
                    (f->flags & SGC_FF_FILTER_ONLY) ? "Conditions only. " : "");
            md_cell(out, f->desc);
            fputs(" |\n", out);
        }
    }
}

static int count_in(const sgc_field_def *all, int n, int src)
{
    int k = 0;
    for (int i = 0; i < n; i++) k += wanted(&all[i], src);
    return k;
}

/* The k8s_audit source's part of the page, after the syscall fields. */
static void print_markdown_k8saudit(FILE *out, const sgc_field_def *all, int n)
{
    fprintf(out,
            "\n# Fields of the k8s_audit source\n\n"
            "Rules with `source: k8s_audit` see these %d fields and no others: the\n"
            "k8saudit plugin's `ka.*` fields, the json plugin's `jevt.*`/`json.*` fields\n"
            "and the generic `evt.*` fields every source has. They are evaluated in\n"
            "userspace only. Every `ka.*` value is a string, as the plugin's; a list\n"
            "field with nothing to list is `<NA>`. docs/k8s-audit.md explains them.\n",
            count_in(all, n, SGC_SRC_K8S_AUDIT));
    print_markdown_classes(out, all, n, SGC_SRC_K8S_AUDIT);
}

static void print_markdown(FILE *out, const sgc_field_def *all, int n)
{
    fprintf(out,
            "# Fields\n\n"
            "<!-- Generated by `sgc list-fields --markdown` from schema/fields.def and\n"
            "     schema/fields_k8saudit.def;\n"
            "     do not edit: run `cmake --build BUILD --target docs-fields`. -->\n\n"
            "Every field a condition or an output can name, %d in all. Types: `string`\n"
            "fields take the string operators (`contains`, `startswith`, `glob`, ...);\n"
            "numeric types (`int*`, `uint*`, `pid`, `fd`, `port`, times) take `= != < <= > >=`\n"
            "and `in`; `bool` takes `true`/`false`; `ipaddr`/`ipnet` take addresses and\n"
            "CIDR networks; `flags` and `errno` fields are rendered as names\n"
            "(`thread.cap_effective contains CAP_SYS_ADMIN`, `evt.res = ENOENT`). List\n"
            "fields take `in`, `intersects` and `exists`. An argument is written in\n"
            "brackets (`proc.aname[2]`) or after a dot (`evt.arg.flags`). The Kernel\n"
            "column says what the kernel filter can decide of a field: `exact`, `partial`\n"
            "(for some syscalls or values: docs/explain.md) or `none` (userspace). These\n"
            "are the fields of the syscall source; the k8s_audit source's follow the\n"
            "event types.\n",
            count_in(all, n, SGC_SRC_SYSCALL));
    print_markdown_classes(out, all, n, SGC_SRC_SYSCALL);
}

/* The evt.type values that are not x86_64 syscall names. Only Falco's fixed
 * names are listed, so the page does not depend on the build host. */
static void print_markdown_events(FILE *out)
{
    fputs("\n## Event types\n\n"
          "`evt.type` takes the name of any x86_64 syscall (from the kernel headers sgc\n"
          "is built with) and these Falco event names. An unknown name is an error.\n\n"
          "| Name | Kind |\n|---|---|\n",
          out);
    for (int id = 0; id < sgc_event_count(); id++) {
        const char *name = sgc_event_name(id);
        if (sgc_syscall_nr(name) >= 0) continue;
        if (sgc_event_is_syscall(id)) {
            int nr = sgc_event_syscall_nr(id);
            if (nr >= 0)
                fprintf(out, "| `%s` | Falco's name for the syscall `%s` |\n", name,
                        sgc_syscall_name(nr));
            else
                fprintf(out, "| `%s` | a syscall of other architectures (never on x86_64) |\n",
                        name);
        } else {
            fprintf(out, "| `%s` | not a syscall: %s |\n", name, sgc_event_desc(id));
        }
    }
}

int cmd_list_fields(int argc, char **argv)
{
    enum { TEXT, JSON, MARKDOWN } format = TEXT;
    int src = -1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--source") && i + 1 < argc) {
            src = sgc_evsource_parse(argv[++i]);
            if (src < 0) {
                fprintf(stderr, "sgc list-fields: unknown source '%s' (syscall, k8s_audit)\n",
                        argv[i]);
                return 2;
            }
        } else if (!strcmp(argv[i], "--json")) {
            format = JSON;
        } else if (!strcmp(argv[i], "--markdown")) {
            format = MARKDOWN;
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return 0;
        } else {
            fprintf(stderr, "sgc list-fields: unknown option '%s'\n", argv[i]);
            usage(stderr);
            return 2;
        }
    }
    int n;
    const sgc_field_def *all = sgc_fields_all(&n);
    if (format == JSON)
        print_json(stdout, all, n, src);
    else if (format == MARKDOWN) {
        print_markdown(stdout, all, n);
        print_markdown_events(stdout);
        print_markdown_k8saudit(stdout, all, n);
    } else
        print_text(stdout, all, n, src);
    return fflush(stdout) == 0 ? 0 : 1;
}
