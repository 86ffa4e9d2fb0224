/* Emitting socket atoms (compiler/pushdown/pushdown_sock.c): the value of
 * the field comes from sgc_f_sock_val() of bpf-templates/filter_sock.h,
 * which says UNKNOWN or "absent" (every comparison false, as in the
 * evaluator, `!=` included) before the comparison is made. */
#include "codegen_bpf.h"
#include "sgc_sockview.h"

#include <inttypes.h>

/* A socket atom of field `field` (-1: any). */
static bool has_sock_field(const sgc_pushdown *pd, int field)
{
    for (int i = 0; i < pd->nkatoms; i++)
        if (pd->katoms[i]->src == SGC_KV_SOCK && (field < 0 || pd->katoms[i]->idx == field))
            return true;
    return false;
}

bool sgc_codegen_has_sock(const sgc_pushdown *pd) { return has_sock_field(pd, -1); }

bool sgc_codegen_has_sockaddr(const sgc_pushdown *pd) { return has_sock_field(pd, SGC_KS_ADDR); }

/* The address the last sgc_f_sock_val(.., SGC_KS_IP, ..) kept (family fam)
 * in one of the networks of k: (addr & mask) == (net & mask) per half. */
static void cidr_match(FILE *o, const sgc_katom *k, const char *fam)
{
    fputs("(0", o);
    for (int i = 0; i + 2 < k->nnums; i += 3) {
        int f = (int)(k->nums[i] >> 8), bits = (int)(k->nums[i] & 0xff);
        uint64_t mh = bits >= 64 ? ~UINT64_C(0) : bits == 0 ? 0 : ~UINT64_C(0) << (64 - bits);
        uint64_t ml = bits <= 64 ? 0 : ~UINT64_C(0) << (128 - bits);
        uint64_t nh = (uint64_t)k->nums[i + 1] & mh, nl = (uint64_t)k->nums[i + 2] & ml;
        fprintf(o,
                " || (%s == %d && (_sk->cur_hi & 0x%" PRIx64 "ULL) == 0x%" PRIx64
                "ULL && (_sk->cur_lo & 0x%" PRIx64 "ULL) == 0x%" PRIx64 "ULL)",
                fam, f, mh, nh, ml, nl);
    }
    fputc(')', o);
}

bool sgc_codegen_addr_in_map(const sgc_katom *k)
{
    return k->src == SGC_KV_SOCK && k->kop == SGC_KOP_CIDR && k->nnums / 3 > SGC_KSOCK_MAX_ITEMS;
}

/* Whether the address of family fam (the last sgc_f_sock_val) is in k's
 * networks: inline, or a lookup in sgc_fset_addr for a long list. */
static void cidr_test(FILE *o, const sgc_katom *k, const char *fam)
{
    if (sgc_codegen_addr_in_map(k))
        fprintf(o, "sgc_f_addr_in(s, %s, %d)", fam, k->id);
    else
        cidr_match(o, k, fam);
}

/* The ends a rendering of each shape shows, first and second. */
static void shape_ends(int shape, int *e1, int *e2)
{
    *e1 = shape == SGC_KSN_PAIR  ? SGC_KSE_CLIENT
          : shape == SGC_KSN_ONE ? SGC_KSE_LOCAL
          : shape == SGC_KSN_SA  ? SGC_KSE_SA
                                 : SGC_KSE_RAWLOCAL;
    *e2 = shape == SGC_KSN_PAIR ? SGC_KSE_SERVER : shape == SGC_KSN_RAW ? SGC_KSE_RAWREMOTE : -1;
}

/* fd.name / evt.arg.tuple (_v: the shape of the rendering) is one of the
 * constants of k: the shape, then each end (sgc_f_sock_ep_is). */
static void sockname_test(FILE *o, const sgc_katom *k)
{
    fprintf(o, "            _r = sgc_f_bool(%s(0", k->negate ? "!" : "");
    for (int i = 0; i + 5 < k->nnums; i += 6) {
        int shape = (int)(k->nums[i] >> 8), fam = (int)(k->nums[i] & 0xff), e1, e2;
        uint32_t ports = (uint32_t)k->nums[i + 5];
        shape_ends(shape, &e1, &e2);
        fprintf(o,
                "\n                || (_v == %d && sgc_f_sock_ep_is(s, %ldL, 0x%" PRIx64
                "ULL, 0x%" PRIx64 "ULL)",
                shape, (long)e1 << 24 | (long)fam << 16 | (long)(ports >> 16),
                (uint64_t)k->nums[i + 1], (uint64_t)k->nums[i + 2]);
        if (e2 >= 0)
            fprintf(o, " && sgc_f_sock_ep_is(s, %ldL, 0x%" PRIx64 "ULL, 0x%" PRIx64 "ULL)",
                    (long)e2 << 24 | (long)fam << 16 | (long)(ports & 0xffff),
                    (uint64_t)k->nums[i + 3], (uint64_t)k->nums[i + 4]);
        fputc(')', o);
    }
    fputs("));\n", o);
}

void sgc_codegen_sock_atom(FILE *o, const sgc_katom *k)
{
    fprintf(o,
            "({ long _v = sgc_f_sock_val(s, %d, %d); __u8 _r;\n"
            "        if (_v == SGC_KSV_UNKNOWN) _r = SGC_F_UNKNOWN;\n"
            "        else if (_v < 0) _r = SGC_F_FALSE;\n"
            "        else {\n",
            k->idx, k->sock_end);
    switch (k->kop) {
    case SGC_KOP_NUM_CMP: {
        const char *op = k->cmp == SGC_OP_EQ   ? "=="
                         : k->cmp == SGC_OP_NE ? "!="
                                               : sgc_op_name(k->cmp);
        fprintf(o, "            _r = sgc_f_bool(_v %s %" PRId64 "L);\n", op, k->num);
        break;
    }
    case SGC_KOP_NUM_IN:
        fprintf(o, "            _r = sgc_f_bool(%s(0", k->negate ? "!" : "");
        for (int i = 0; i < k->nnums; i++) fprintf(o, " || _v == %" PRId64 "L", k->nums[i]);
        fputs("));\n", o);
        break;
    case SGC_KOP_CIDR:
        fputs("            struct sgc_fsock *_sk = sgc_f_sk(s);\n"
              "            (void)_sk;\n"
              "            int _m = ",
              o);
        cidr_test(o, k, "_v");
        fputs(";\n", o);
        if (k->sock_end == SGC_KSE_EITHER0) {
            /* fd.ip / fd.net: either end matches; `!=` when neither does */
            fprintf(o,
                    "            if (!_m) {\n"
                    "                long _w = sgc_f_sock_val(s, %d, %d);\n"
                    "                if (_w == SGC_KSV_UNKNOWN) _m = -1;\n"
                    "                else if (_w >= 0) _m = ",
                    k->idx, SGC_KSE_EITHER1);
            cidr_test(o, k, "_w");
            fputs(";\n            }\n", o);
        }
        fprintf(o, "            _r = _m < 0 ? SGC_F_UNKNOWN : sgc_f_bool(%s_m);\n",
                k->negate ? "!" : "");
        break;
    case SGC_KOP_SOCKNAME: sockname_test(o, k); break;
    default: fputs("            _r = SGC_F_UNKNOWN;\n", o); break;
    }
    fputs("        }\n        _r; })", o);
}
