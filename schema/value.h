/* A field value extracted from an event, as the evaluator compares it and the
 * outputs render it. Strings point into the event, the process table or the
 * per-event scratch arena; they are valid until the next event. */
#ifndef SGC_VALUE_H
#define SGC_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    SGC_VAL_NA = 0, /* missing: rendered "<NA>", matches nothing but exists=false */
    SGC_VAL_STR,
    SGC_VAL_S64,
    SGC_VAL_U64,
    SGC_VAL_BOOL,
    SGC_VAL_IP,  /* family 4 or 6 */
    SGC_VAL_LIST /* list-valued field (proc.args list form, fd.types, ...) */
} sgc_val_kind;

typedef struct sgc_val {
    sgc_val_kind kind;
    union {
        struct {
            const char *p;
            size_t len;
        } str;
        int64_t s64;
        uint64_t u64;
        bool b;
        struct {
            uint8_t family;
            uint8_t addr[16];
        } ip;
        struct {
            const struct sgc_val *items;
            int n;
        } list;
    };
} sgc_val;

#endif
