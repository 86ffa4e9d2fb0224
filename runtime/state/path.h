/* Path helpers with Falco's rules: joining a relative path to a directory
 * and normalizing ("//", "/./", "/../" collapsed lexically, no symlinks). */
#ifndef SGC_PATH_H
#define SGC_PATH_H

#include "arena.h"
#include <stdbool.h>
#include <stddef.h>

/* Absolute, normalized path of `path` relative to `dir` (ignored when path is
 * absolute). dir may be NULL when path is absolute. Arena string. */
char *sgc_path_resolve(sgc_arena *a, const char *dir, size_t dir_len, const char *path,
                       size_t path_len, size_t *out_len);
/* Is p[0..len) absolute and already normalized (no empty, "." or ".."
 * component, no trailing '/')? Then it is its own resolution. */
bool sgc_path_is_clean(const char *p, size_t len);
/* In-place lexical normalization of an absolute path; returns the new length. */
size_t sgc_path_normalize(char *p, size_t len);
/* Directory part ("/etc" for "/etc/passwd", "/" for "/x"), and last component. */
void sgc_path_split(const char *p, size_t len, size_t *dir_len, const char **base,
                    size_t *base_len);

#endif
