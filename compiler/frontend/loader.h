/* Reading rules files (YAML) into an sgc_ruleset, the way Falco reads them:
 * items rule/macro/list/required_engine_version/required_plugin_versions,
 * `append: true` and `override:`, standalone `enabled:` toggles, several
 * files and documents in order, later definitions replacing earlier ones.
 * Every diagnostic carries the file:line:col it is about. */
#ifndef SGC_LOADER_H
#define SGC_LOADER_H

#include "ruleset.h"
#include <stddef.h>

/* Load one file / buffer, appending its items in order to rs; diagnostics go
 * to rs->diags. Returns 0, or -1 when the file could not be read or parsed as
 * YAML (then nothing from that file is kept). Schema errors in single items
 * are reported and the item is skipped; the rest of the file still loads. */
int sgc_ruleset_load_file(sgc_ruleset *rs, const char *path);
int sgc_ruleset_load_buffer(sgc_ruleset *rs, const char *name, const char *buf, size_t len);

#endif
