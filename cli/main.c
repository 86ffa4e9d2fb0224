/* sgc: compile Falco-style rules into eBPF filters, lint them, run them. */
#include "bpf_loader.h"
#include "caps.h"
#include "commands.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    const char *name;
    int (*fn)(int, char **);
    const char *synopsis;
} command;

static const command commands[] = {
    {"lint", cmd_lint,
     "lint [--format text|json|sarif] [--strict] RULES...   check rules files offline"},
    {"parse", cmd_parse,
     "parse [--syntax-only] EXPR                        print a condition's AST"},
    {"compile", cmd_compile,
     "compile RULES... -o FILE                          build a loadable artifact"},
    {"explain", cmd_explain,
     "explain RULES... [--rule NAME] [--format json]    what runs in the kernel and why"},
    {"run", cmd_run,
     "run [RULES.yaml | ARTIFACT]...                    detect (default: embedded rules)"},
    {"replay", cmd_replay,
     "replay [--json] EVENTS RULES...                   evaluate recorded events offline"},
    {"record", cmd_record,
     "record -o EVENTS                                  capture events for replay"},
    {"report", cmd_report,
     "report [FILES...|-] [-o report.html] [--format F]   dashboards from alert files"},
    {"respond", cmd_respond,
     "respond -c respond.yaml [--check]                act on alerts with playbooks (Talon "
     "format)"},
    {"list-fields", cmd_list_fields,
     "list-fields [--json]                              print the field catalog"},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: sgc COMMAND [OPTIONS] [ARGS]\n\n"
                 "Compile Falco-style runtime security rules into eBPF filters.\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %s\n", commands[i].synopsis);
    fprintf(out, "  version                                           print the version\n"
                 "\n'sgc COMMAND --help' describes a command.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
        printf("sgc %s\n", SGC_VERSION);
        return 0;
    }
    if (!strcmp(cmd, "run") || !strcmp(cmd, "record")) {
        /* capture: least privilege before any thread starts (capabilities
         * are per thread: later threads inherit), after the tracefs mount
         * the hook may need */
        sgc_bpf_pick_strategy();
        char err[256];
        if (sgc_caps_restrict(err, sizeof err) != 0)
            fprintf(stderr, "sgc %s: warning: %s\n", cmd, err);
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(cmd, commands[i].name)) return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "sgc: unknown command '%s'\n", cmd);
    usage(stderr);
    return 2;
}
