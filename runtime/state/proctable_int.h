/* Internals shared by the process-table files (not a public interface). */
#ifndef SGC_PROCTABLE_INT_H
#define SGC_PROCTABLE_INT_H

#include "proctable.h"

/* A new image (refs = 1) from spec; strings the spec leaves unknown come
 * from `old` when given, and so do the facts about the executable file
 * (exe flags, inode, times) when keep_exe_meta (not after an exec, where
 * they described the previous file). NULL on OOM. */
sgc_proc_image *sgc_proc_image_build(const sgc_proc_image_spec *spec, const sgc_proc_image *old,
                                     bool keep_exe_meta);
/* Bytes an image holds (header + strings). */
size_t sgc_proc_image_size(const sgc_proc_image *img);

#endif
