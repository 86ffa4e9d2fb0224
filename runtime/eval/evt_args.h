/* Rendering one syscall argument the way Falco's evt.arg.NAME shows it
 * (flags as names joined with '|', errno names, user names, socket
 * addresses), and its raw value for evt.rawarg.NAME. */
#ifndef SGC_EVT_ARGS_H
#define SGC_EVT_ARGS_H

#include "extract.h"
#include "sockaddr.h"
#include "syscall_args.h"
#include <netinet/in.h>

/* evt.arg.NAME: a string (Falco's rendering). False when the record does not
 * carry the argument. */
bool sgc_evt_arg_render(sgc_extract_ctx *cx, const sgc_argdesc *a, sgc_val *out);
/* evt.rawarg.NAME: integers as numbers, strings as strings. */
bool sgc_evt_arg_raw(sgc_extract_ctx *cx, const sgc_argdesc *a, sgc_val *out);

/* Names of the bits set in v, joined by '|'; "0"-valued names only when v is 0.
 * Returns the arena string. */
const char *sgc_render_flagset(sgc_arena *a, int flagset, uint64_t v, size_t *len);
const char *sgc_render_open_flags(sgc_arena *a, uint64_t v, size_t *len);
const char *sgc_render_mode(sgc_arena *a, uint64_t v, size_t *len);

#endif
