/* The kernel filter hook. The code generator (issue 4) emits a header with
 * sgc_filter_early() and sgc_filter() for a rule set and compiles
 * capture.bpf.c with -DSGC_GENERATED_FILTER='"that_header.h"' and
 * -DSGC_CAND_WORDS=n. Without one, every event of interest passes and no
 * candidate bitmap is sent: the documented --no-pushdown mode (Falco's
 * architecture), not a filter.
 *
 * Contract for a generated filter:
 *  - sgc_f_task_fields_nr(nr): the SGC_TF_* parts of the process context
 *    (capture_task.h) the filter reads for syscall nr; only those are in
 *    the header when the filter runs (the other fields are not written
 *    yet: a filter must not read them).
 *  - sgc_filter_early(r): runs when nr, ret, the raw args and those parts
 *    of the header are filled, before any string is copied; may return
 *    SGC_DROP only when every rule that could match this event type is FALSE
 *    on them alone; otherwise SGC_PASS.
 *  - sgc_filter(r): runs after sgc_filter_early() passed and the string
 *    arguments were added as blobs (the rest of the record is built only
 *    when it passes); sets the candidate bitmap (sgc_rec_candidates(r),
 *    SGC_CAND_WORDS words) and sets SGC_EVF_CANDIDATES, or returns
 *    SGC_DROP.
 *  - live events: sgc_filter_early() runs only when sgc_f_two_pass();
 *    sgc_f_live_begin(s, args, str_args, early_ran) before sgc_filter()
 *    lets the filter copy the string arguments it needs from user memory
 *    itself (no blob yet: a dropped event copies only what an atom read);
 *    after a pass, sgc_f_str_blob(r, i) writes argument i's blob from the
 *    filter's copy, or returns 0 when the filter did not copy it whole
 *    (then the caller copies it: the filter decided nothing on it).
 *    BPF_PROG_TEST_RUN (sgc_filter_test) gives the strings as blobs.
 * BPF side only. */
#ifndef SGC_CAPTURE_FILTER_H
#define SGC_CAPTURE_FILTER_H

#include "capture_record.h"
#include "capture_task.h" /* SGC_TF_*: the generated sgc_f_task_fields_nr() names them */

enum sgc_verdict { SGC_DROP = 0, SGC_PASS = 1 };

#ifdef SGC_GENERATED_FILTER
#include SGC_GENERATED_FILTER
#else
#define SGC_FILTER_IS_PASSTHROUGH 1

static __always_inline int sgc_filter_early(struct sgc_rec *r) { return SGC_PASS; }

static __always_inline int sgc_filter(struct sgc_rec *r)
{
    r->hdr->flags |= SGC_EVF_NOPUSHDOWN;
    return SGC_PASS;
}

static __always_inline int sgc_f_two_pass(void) { return 0; }

static __always_inline __u32 sgc_f_task_fields_nr(__u32 nr) { return 0; }

static __always_inline void sgc_f_live_begin(struct sgc_scratch *s, const __u64 *args,
                                             __u8 str_args, int early_ran)
{
}

static __always_inline int sgc_f_str_blob(struct sgc_rec *r, int i) { return 0; }
#endif

#endif
