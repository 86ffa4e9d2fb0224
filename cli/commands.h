/* One function per `sgc` subcommand; each parses its own options and returns
 * the process exit status (0 ok, 1 findings/errors, 2 usage error). */
#ifndef SGC_COMMANDS_H
#define SGC_COMMANDS_H

int cmd_parse(int argc, char **argv);
int cmd_lint(int argc, char **argv);
int cmd_list_fields(int argc, char **argv);
int cmd_compile(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_record(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_respond(int argc, char **argv);

/* The default rule set compiled into the binary (stdlib-rules/). */
extern const char sgc_embedded_rules[];
extern const unsigned long sgc_embedded_rules_len;
extern const char sgc_embedded_rules_name[];

#endif
