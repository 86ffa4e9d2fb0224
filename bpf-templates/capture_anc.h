/* The ancestors' blob of a syscall record (SGC_BLOB_ANCESTORS), when the
 * generated filter reads proc.aname (it defines SGC_F_ANC_DEPTH and
 * includes filter_anc.h): the filter walks the real_parent chain into its
 * workspace when an atom first needs it, and a record that passes carries
 * that very walk (or one made here when no atom needed it, so every record
 * of such a rule set has its ancestors, also with --no-pushdown). Rule sets
 * without ancestor atoms pay nothing: no walk, no blob. BPF side only. */
#ifndef SGC_CAPTURE_ANC_H
#define SGC_CAPTURE_ANC_H

#include "capture_filter.h"

#ifndef SGC_F_ANC_DEPTH
#define SGC_F_ANC_DEPTH 0
#endif

/* Before the filter: nothing walked for this event yet. */
static __always_inline void sgc_anc_begin(struct sgc_scratch *s)
{
#if SGC_F_ANC_DEPTH
    sgc_f_fs(s)->anc_walked = 0;
#endif
}

/* After the filter, for a record that passes, once its ppid and pcomm are
 * filled; before the fd path, which is assembled where the workspace lies. */
static __always_inline void sgc_anc_blob(struct sgc_rec *r)
{
#if SGC_F_ANC_DEPTH
    if (!sgc_f_fs(r->s)->anc_walked) sgc_f_anc_walk(r->s); /* r->hdr is r->s->rec */
    struct sgc_fanc *a = sgc_f_anc(r->s);
    __u32 n = a->b.n;
    if (n > SGC_ANC_MAX - 1) n = SGC_ANC_MAX - 1;
    sgc_blob_kernel_buf(r, SGC_BLOB_ANCESTORS, &a->b, 8 + SGC_COMM_LEN * n, 0);
#endif
}

#endif
