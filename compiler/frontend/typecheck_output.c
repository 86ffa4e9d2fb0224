/* Type checking of output templates: every %field must exist and be
 * printable. */
#include "typecheck_int.h"

#include "output_fmt.h"

#include <stdlib.h>
#include <string.h>

static sgc_loc at(const sgc_source *out, uint32_t off)
{
    sgc_loc l = {out, off};
    return l;
}

/* Checks one field reference NAME[ARG] at offset OFF. */
static int check_ref(const sgc_source *out, sgc_diags *d, const char *name, const char *arg,
                     uint32_t off, sgc_evsource src)
{
    char *err = NULL;
    const sgc_field_def *f = sgc_field_resolve_src(src, name, arg, NULL, &err);
    if (!f) {
        sgc_diag_at(d, SGC_SEV_ERROR, SGC_CODE_COMPILE_OUTPUT, at(out, off),
                    "invalid output field %%%s%s%s%s: %s", name, arg ? "[" : "", arg ? arg : "",
                    arg ? "]" : "", err ? err : "unknown field");
        free(err);
        return 1;
    }
    if (f->flags & SGC_FF_FILTER_ONLY) {
        sgc_diag_at(d, SGC_SEV_ERROR, SGC_CODE_COMPILE_OUTPUT, at(out, off),
                    "field %s can only be used in conditions, not in outputs", f->name);
        return 1;
    }
    if ((f->flags & SGC_FF_ANY_ANCESTOR) && !arg) {
        sgc_diag_at(d, SGC_SEV_ERROR, SGC_CODE_COMPILE_OUTPUT, at(out, off),
                    "field %s needs an index in outputs, e.g. %%%s[1]", f->name, f->name);
        return 1;
    }
    if (f->flags & SGC_FF_DEPRECATED)
        sgc_diag_at(d, SGC_SEV_WARNING, SGC_CODE_DEPRECATED, at(out, off), "field %s is deprecated",
                    f->name);
    return 0;
}

/* %fn(field) or %fn(field[arg]): the transformer must exist and take one field. */
static int check_transform(const sgc_source *out, sgc_diags *d, const sgc_oseg *s, sgc_evsource src)
{
    const sgc_transformer_sig *sig = sgc_tc_transformer(s->text);
    if (!sig) {
        sgc_diag_at(d, SGC_SEV_ERROR, SGC_CODE_COMPILE_OUTPUT, at(out, s->name_off),
                    "unknown transformer '%s' in output", s->text);
        return 1;
    }
    const char *inside = s->arg ? s->arg : "";
    size_t n = strcspn(inside, "[");
    char *name = strndup(inside, n);
    char *arg = NULL;
    if (inside[n] == '[') {
        const char *close = strchr(inside + n, ']');
        if (close && close[1] == 0) arg = strndup(inside + n + 1, (size_t)(close - inside - n - 1));
    }
    int errors;
    if (sig->min_args != 1 || (inside[n] == '[' && !arg) || strchr(name, ',') ||
        strchr(name, '(')) {
        sgc_diag_at(d, SGC_SEV_ERROR, SGC_CODE_COMPILE_OUTPUT, at(out, s->arg_off),
                    "output transformer %%%s(...) must be applied to one field", s->text);
        errors = 1;
    } else {
        errors = check_ref(out, d, name, arg, s->arg_off, src);
    }
    free(name);
    free(arg);
    return errors;
}

int sgc_typecheck_output(const sgc_source *out, sgc_diags *d)
{
    return sgc_typecheck_output_src(out, d, SGC_SRC_SYSCALL);
}

int sgc_typecheck_output_src(const sgc_source *out, sgc_diags *d, sgc_evsource src)
{
    if (!out || !out->text) return 0;
    sgc_output_fmt fmt;
    uint32_t err_off = 0;
    char *err = NULL;
    int errors = 0;
    if (sgc_output_fmt_parse(out->text, out->len, &fmt, &err_off, &err) < 0) {
        sgc_diag_at(d, SGC_SEV_ERROR, SGC_CODE_COMPILE_OUTPUT, at(out, err_off), "%s",
                    err ? err : "invalid output");
        free(err);
        errors++;
    }
    for (int i = 0; i < fmt.nsegs; i++) {
        const sgc_oseg *s = &fmt.segs[i];
        if (s->dropped)
            sgc_diag_at(d, SGC_SEV_WARNING, SGC_CODE_DEPRECATED, at(out, s->off),
                        "%%container.info is deprecated and no more useful, and will be dropped by "
                        "Falco 1.0.0 (it is replaced by nothing)");
        if (s->kind == SGC_OSEG_FIELD)
            errors += check_ref(out, d, s->text, s->arg, s->name_off, src);
        else if (s->kind == SGC_OSEG_TRANSFORM)
            errors += check_transform(out, d, s, src);
    }
    sgc_output_fmt_free(&fmt);
    return errors;
}
