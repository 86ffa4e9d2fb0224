/* The stdin input: one JSON alert per line (Falco's json_output to a pipe). */
#include "inputs.h"
#include "rp_alert.h"

#include <stdlib.h>
#include <string.h>

long rp_input_stream(rp_responder *r, FILE *f, volatile bool *stop)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    long handled = 0;
    while (!*stop && (len = getline(&line, &cap, f)) >= 0) {
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = 0;
        if (!len) continue;
        char err[256];
        if (rp_responder_handle(r, line, (size_t)len, "stdin", err, sizeof err) == RP_MALFORMED)
            fprintf(stderr, "sgc respond: stdin: alert ignored: %s\n", err);
        else
            handled++;
    }
    free(line);
    return handled;
}
