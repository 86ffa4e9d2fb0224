/* Placeholder until the command is built: refuses clearly. */
#include "commands.h"
#include <stdio.h>

int cmd_parse(int argc, char **argv) {
    (void)argc;
    fprintf(stderr, "sgc %s: not implemented yet\n", argv[0]);
    return 2;
}
