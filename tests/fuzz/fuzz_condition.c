/* libFuzzer target: parse arbitrary bytes as a condition, exercise the
 * printers and clone on what parses, and free everything. Anything that
 * parses must print back (Falco syntax) to text that parses to the same tree. */
#include "parse.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sgc_source *src = sgc_source_new(NULL, (const char *)data, size);
    sgc_diags diags;
    sgc_diags_init(&diags);
    sgc_node *ast = sgc_parse_condition(src, NULL, &diags);
    if (ast) {
        if (diags.n != 0) abort();
        char *sexpr = sgc_node_to_sexpr(ast);
        sgc_node *copy = sgc_node_clone(ast);
        char *text = sgc_node_to_condition(copy);
        sgc_source *src2 = sgc_source_new(NULL, text, strlen(text));
        sgc_diags d2;
        sgc_diags_init(&d2);
        sgc_node *again = sgc_parse_condition(src2, NULL, &d2);
        if (!again) abort(); /* the printer wrote something the parser refuses */
        char *sexpr2 = sgc_node_to_sexpr(again);
        if (strcmp(sexpr, sexpr2)) abort(); /* printer and parser disagree */
        free(sexpr2);
        sgc_node_free(again);
        sgc_diags_free(&d2);
        sgc_source_free(src2);
        free(text);
        sgc_node_free(copy);
        free(sexpr);
        sgc_node_free(ast);
    } else if (diags.nerrors != 1) {
        abort(); /* a rejected condition has exactly one diagnostic */
    }
    sgc_diags_free(&diags);
    sgc_source_free(src);
    return 0;
}
