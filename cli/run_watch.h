/* watch_config_files: notice a change of a loaded configuration or rules
 * file (written, replaced by rename as editors and `kubectl` ConfigMap
 * updates do, created or deleted), or of a .yaml/.yml file in a rules
 * directory, with inotify on the files' directories. In a ConfigMap volume
 * the kubelet swaps the "..data" link the files point through: that counts
 * as a change of every file there. Non-blocking: the
 * caller polls from its loop. */
#ifndef SGC_CLI_RUN_WATCH_H
#define SGC_CLI_RUN_WATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct run_watch run_watch;

/* Watch these files and rules directories. NULL with a message in err when
 * inotify is unavailable. */
run_watch *run_watch_new(const char *const *files, int nfiles, const char *const *dirs, int ndirs,
                         char *err, size_t errlen);
void run_watch_free(run_watch *w);

/* Read pending notifications; true once a change has been followed by
 * quiet_ms without another (editors write in several steps), then the
 * change is consumed. now_ms: a monotonic clock. */
bool run_watch_changed(run_watch *w, uint64_t now_ms, uint64_t quiet_ms);

#endif
