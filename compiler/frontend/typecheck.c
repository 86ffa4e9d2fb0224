/* Type checking of conditions: fields, operators, literals, event types,
 * transformers. */
#include "typecheck_int.h"

#include "syscall_args.h"
#include "systables.h"

#include <stdarg.h>
#include <stdio.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    sgc_diags *d;
    const char *code; /* error code: condition or output */
    int errors;
    const sgc_typecheck_opts *opts;
} tc;

/* What an operand (field, transformer chain, val()) evaluates to. */
typedef struct {
    bool ok;
    sgc_ftype type;
    bool list;
    const sgc_field_def *f; /* the field, for a plain field operand */
    bool any_ancestor;      /* proc.aname & co. without an index */
} optype;

static const optype BAD = {false, SGC_FT_STRING, false, NULL, false};

static void report(tc *c, sgc_severity sev, const char *code, sgc_loc loc, const char *f, ...)
    __attribute__((format(printf, 5, 6)));
static void report(tc *c, sgc_severity sev, const char *code, sgc_loc loc, const char *f, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, f);
    vsnprintf(buf, sizeof buf, f, ap);
    va_end(ap);
    sgc_diag_at(c->d, sev, code, loc, "%s", buf);
    if (sev == SGC_SEV_ERROR) c->errors++;
}

#define ERR(c, loc, ...)        report((c), SGC_SEV_ERROR, (c)->code, (loc), __VA_ARGS__)
#define WARN(c, code, loc, ...) report((c), SGC_SEV_WARNING, (code), (loc), __VA_ARGS__)

/* ---- transformers ---- */

static const sgc_transformer_sig transformers[] = {
    {"tolower", 1, 1, false},  {"toupper", 1, 1, false}, {"b64", 1, 1, false},
    {"basename", 1, 1, false}, {"len", 1, 1, false},     {"join", 2, 2, false},
    {"concat", 2, -1, false},  {"getopt", 2, 2, true}, /* getopt's [OPTION] is optional */
};

const sgc_transformer_sig *sgc_tc_transformer(const char *name)
{
    for (size_t i = 0; name && i < sizeof transformers / sizeof transformers[0]; i++)
        if (!strcmp(transformers[i].name, name)) return &transformers[i];
    return NULL;
}

bool sgc_transformer_known(const char *name) { return sgc_tc_transformer(name) != NULL; }

/* ---- operands ---- */

static optype check_operand(tc *c, sgc_value *v, const char *arg_override);

static optype check_field(tc *c, sgc_value *v, const char *arg_override)
{
    const char *arg = v->arg ? v->arg : arg_override;
    const char *dotted = NULL;
    char *err = NULL;
    sgc_evsource src = c->opts ? c->opts->source : SGC_SRC_SYSCALL;
    const sgc_field_def *f = sgc_field_resolve_src(src, v->field, arg, &dotted, &err);
    if (!f) {
        /* A known field with a bad argument: point at the argument. */
        const sgc_field_def *known = sgc_field_lookup(v->field);
        sgc_loc at = v->arg && sgc_field_in_source(known, src) ? v->arg_loc : v->loc;
        ERR(c, at, "%s", err ? err : "invalid field");
        free(err);
        return BAD;
    }
    v->fdef = f;
    if (f->flags & SGC_FF_DEPRECATED)
        WARN(c, SGC_CODE_DEPRECATED, v->loc, "field %s is deprecated", f->name);
    if (f->id == SGC_F_EVT_TYPE_IS && dotted && sgc_event_id(dotted) < 0)
        ERR(c, v->loc, "unknown event type '%s' in %s", dotted, v->field);
    /* The argument names come from the runtime's syscall descriptions: a name
     * none of them has can never be extracted (a typo, or a syscall sgc does
     * not decode yet). */
    if ((f->id == SGC_F_EVT_ARG || f->id == SGC_F_EVT_RAWARG) && dotted &&
        !sgc_syscall_argname_known(dotted))
        WARN(c, SGC_CODE_UNKNOWN_EVT_ARG, v->loc,
             "no syscall has an argument named '%s', so %s never has a value", dotted, v->field);
    optype r = {true, f->type, (f->flags & SGC_FF_LIST) != 0, f,
                (f->flags & SGC_FF_ANY_ANCESTOR) && !arg};
    return r;
}

static bool is_literal(const sgc_value *v) { return v->kind == SGC_V_STRING; }

static optype transform_result(tc *c, sgc_value *v, const sgc_transformer_sig *sig,
                               const optype *args);

static optype check_transform(tc *c, sgc_value *v)
{
    const sgc_transformer_sig *sig = sgc_tc_transformer(v->str);
    if (!sig) {
        ERR(c, v->loc, "unknown transformer '%s'", v->str ? v->str : "");
        return BAD;
    }
    if (v->nitems < sig->min_args || (sig->max_args >= 0 && v->nitems > sig->max_args)) {
        if (sig->min_args == sig->max_args)
            ERR(c, v->loc, "transformer %s() takes %d argument%s, got %d", sig->name, sig->min_args,
                sig->min_args == 1 ? "" : "s", v->nitems);
        else
            ERR(c, v->loc, "transformer %s() takes at least %d arguments, got %d", sig->name,
                sig->min_args, v->nitems);
        return BAD;
    }
    if (v->arg && !sig->bracket_arg) {
        ERR(c, v->arg_loc, "transformer %s() does not take an argument in brackets", sig->name);
        return BAD;
    }
    if (v->arg && strlen(v->arg) != 1) {
        ERR(c, v->arg_loc, "%s()[%s]: the option is a single character", sig->name, v->arg);
        return BAD;
    }

    /* Check operands first, so every bad field is reported. */
    int n = v->nitems;
    optype *args = calloc((size_t)n, sizeof *args);
    if (!args) return BAD;
    bool ok = true;
    for (int i = 0; i < n; i++) {
        sgc_value *a = v->items[i];
        args[i] = BAD;
        if (a->kind == SGC_V_FIELD || a->kind == SGC_V_TRANSFORM) {
            args[i] = check_operand(c, a, NULL);
            if (!args[i].ok) {
                ok = false;
            } else if (args[i].f && args[i].f->id == SGC_F_EVT_RAWARG) {
                ERR(c, a->loc, "%s cannot be used in a transformer (its type depends on the event)",
                    a->field);
                ok = false;
            } else if (args[i].any_ancestor) {
                ERR(c, a->loc, "field %s needs an index to be used in a transformer", a->field);
                ok = false;
            }
        }
    }
    optype r = ok ? transform_result(c, v, sig, args) : BAD;
    free(args);
    return r;
}

/* Text as libsinsp's charbuf (strings, paths, names), not a byte buffer. */
static bool is_text(sgc_ftype t)
{
    return sgc_ftype_class(t) == SGC_FCLASS_STRING && t != SGC_FT_BYTEBUF;
}

/* The type a transformer produces from checked arguments (reports misuse). */
static optype transform_result(tc *c, sgc_value *v, const sgc_transformer_sig *sig,
                               const optype *args)
{
    int n = v->nitems;
    optype r = {true, SGC_FT_STRING, false, NULL, false};
    const char *name = sig->name;
    if (!strcmp(name, "join")) {
        /* the separator: a string or a single-valued field / transformer */
        if (!is_literal(v->items[0]) && !(args[0].ok && !args[0].list)) {
            ERR(c, v->items[0]->loc,
                "join() takes a separator string as its first argument (not a list)");
            return BAD;
        }
        sgc_value *l = v->items[1];
        if (l->kind != SGC_V_LIST && !(args[1].ok && args[1].list)) {
            ERR(c, l->loc,
                "join() takes a list as its second argument (a list field or (a, b, ...))");
            return BAD;
        }
        return r;
    }
    if (!strcmp(name, "concat")) {
        /* libsinsp: every argument a (non-list) charbuf */
        for (int i = 0; i < n; i++) {
            if (v->items[i]->kind == SGC_V_LIST || (args[i].ok && args[i].list)) {
                ERR(c, v->items[i]->loc, "concat() takes fields and strings, not lists");
                return BAD;
            }
            if (args[i].ok && !is_text(args[i].type)) {
                ERR(c, v->items[i]->loc, "concat() takes strings, but this argument is of type %s",
                    sgc_ftype_name(args[i].type));
                return BAD;
            }
        }
        return r;
    }
    if (!strcmp(name, "getopt")) {
        /* getopt(LIST, OPTSTRING)[OPTION]: a list of strings (a literal list
         * or a list field) and a string; without [OPTION] a list */
        if (v->items[0]->kind != SGC_V_LIST &&
            !(args[0].ok && args[0].list && is_text(args[0].type))) {
            ERR(c, v->items[0]->loc,
                "getopt() takes a list of arguments first: a list field or (a, b, ...)");
            return BAD;
        }
        if (v->items[1]->kind == SGC_V_LIST ||
            (args[1].ok && (args[1].list || !is_text(args[1].type)))) {
            ERR(c, v->items[1]->loc, "getopt() takes the option string (e.g. \"ab:c\") second");
            return BAD;
        }
        r.list = v->arg == NULL;
        return r;
    }
    /* Unary: tolower, toupper, b64, basename, len. */
    if (!args[0].ok) {
        ERR(c, v->items[0]->loc, "transformer %s() takes a field or a transformer, not a literal",
            name);
        return BAD;
    }
    bool is_len = !strcmp(name, "len");
    if (!args[0].list && sgc_ftype_class(args[0].type) != SGC_FCLASS_STRING &&
        args[0].type != SGC_FT_DYN) {
        ERR(c, v->items[0]->loc,
            "transformer %s() needs a string%s, but its argument is of type %s", name,
            is_len ? " or a list" : "", sgc_ftype_name(args[0].type));
        return BAD;
    }
    if (is_len) {
        r.type = SGC_FT_UINT64;
        return r;
    }
    r.list = args[0].list;
    return r;
}

static optype check_operand(tc *c, sgc_value *v, const char *arg_override)
{
    switch (v->kind) {
    case SGC_V_FIELD: return check_field(c, v, arg_override);
    case SGC_V_TRANSFORM: return check_transform(c, v);
    case SGC_V_VAL: {
        if (v->nitems < 1) return BAD;
        optype r = check_operand(c, v->items[0], v->arg);
        if (r.ok && r.any_ancestor) {
            ERR(c, v->loc, "val() needs an index for the ancestor field %s", v->items[0]->field);
            return BAD;
        }
        return r;
    }
    default: return BAD;
    }
}

/* ---- operators ---- */

/* libsinsp's flt_is_comparable, per class; strings split into text
 * (charbuf, paths: ordering compares byte-wise) and byte buffers. */
static bool op_allowed(sgc_ftype type, sgc_fclass cls, sgc_op op)
{
    switch (cls) {
    case SGC_FCLASS_STRING:
        if (type == SGC_FT_BYTEBUF)
            return op == SGC_OP_EQ || op == SGC_OP_NE || op == SGC_OP_CONTAINS || op == SGC_OP_IN ||
                   op == SGC_OP_EXISTS || op == SGC_OP_STARTSWITH || op == SGC_OP_ENDSWITH ||
                   op == SGC_OP_INTERSECTS || op == SGC_OP_BCONTAINS || op == SGC_OP_BSTARTSWITH;
        return op != SGC_OP_BCONTAINS && op != SGC_OP_BSTARTSWITH;
    case SGC_FCLASS_NUMERIC:
        return op == SGC_OP_EQ || op == SGC_OP_NE || sgc_op_is_numeric(op) || op == SGC_OP_IN ||
               op == SGC_OP_INTERSECTS || op == SGC_OP_EXISTS;
    case SGC_FCLASS_BOOL:
    case SGC_FCLASS_IP:
        return op == SGC_OP_EQ || op == SGC_OP_NE || op == SGC_OP_IN || op == SGC_OP_INTERSECTS ||
               op == SGC_OP_EXISTS;
    case SGC_FCLASS_DYN: return true;
    }
    return true;
}

/* evt.rawarg.NAME whose argument is a socket address or tuple (in the
 * first syscall that has one named so): libsinsp compares those with
 * nothing (only `exists`). */
static bool rawarg_op_allowed(const sgc_value *lhs, sgc_op op)
{
    if (op == SGC_OP_EXISTS) return true;
    const char *name = lhs->arg ? lhs->arg : strchr(lhs->field + strlen("evt.rawarg"), '.');
    if (!name) return true;
    if (*name == '.') name++;
    /* the type of the first syscall that has the argument, as libsinsp
     * takes the first event of its table */
    int n;
    const sgc_syscall_desc *d = sgc_syscall_descs(&n);
    for (int i = 0; i < n; i++) {
        int k = sgc_syscall_desc_arg(&d[i], name);
        if (k >= 0)
            return d[i].args[k].type != SGC_AT_SOCKADDR && d[i].args[k].type != SGC_AT_SOCKTUPLE;
    }
    return true;
}

static const char *class_word(sgc_fclass cls)
{
    switch (cls) {
    case SGC_FCLASS_STRING: return "string";
    case SGC_FCLASS_NUMERIC: return "numeric";
    case SGC_FCLASS_BOOL: return "boolean";
    case SGC_FCLASS_IP: return "IP address";
    case SGC_FCLASS_DYN: return "dynamic";
    }
    return "?";
}

/* ---- literal values ---- */

static const char *closest_event(const char *name)
{
    const char *best = NULL;
    int best_d = 3;
    for (int id = 0; id < sgc_event_count(); id++) {
        int d = sgc_name_distance(name, sgc_event_name(id));
        if (d < best_d) {
            best_d = d;
            best = sgc_event_name(id);
        }
    }
    return best;
}

static const char *closest_in_set(sgc_flagset set, const char *name)
{
    int n;
    const sgc_flag_name *t = sgc_flagset_table(set, &n);
    const char *best = NULL;
    int best_d = 3;
    for (int i = 0; i < n; i++) {
        int d = sgc_name_distance(name, t[i].name);
        if (d < best_d) {
            best_d = d;
            best = t[i].name;
        }
    }
    return best;
}

static bool looks_like_constant(const char *s)
{
    if (!s[0] || s[0] < 'A' || s[0] > 'Z') return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_')) return false;
    return true;
}

/* Which constant set a name with this spelling would belong to. */
static int set_for_prefix(const char *s)
{
    static const struct {
        const char *prefix;
        sgc_flagset set;
    } prefixes[] = {
        {"O_", SGC_FLAGSET_OPEN},           {"CAP_", SGC_FLAGSET_CAP},
        {"CLONE_", SGC_FLAGSET_CLONE},      {"AF_", SGC_FLAGSET_SOCKET_FAMILY},
        {"SOCK_", SGC_FLAGSET_SOCKET_TYPE}, {"PTRACE_", SGC_FLAGSET_PTRACE},
        {"S_I", SGC_FLAGSET_MODE},
    };
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
        if (!strncmp(s, prefixes[i].prefix, strlen(prefixes[i].prefix)))
            return (int)prefixes[i].set;
    return -1;
}

/* Names Falco renders that no system header defines. */
static bool falco_only_constant(const char *s)
{
    return !strcmp(s, "O_F_CREATED") || !strcmp(s, "O_NONE");
}

/* Warns about values that look like constant names but name nothing, for
 * fields rendered with such names: they can never match. */
static void check_constant_name(tc *c, const sgc_field_def *f, const sgc_value *lit)
{
    const char *s = lit->str;
    if (!f || !looks_like_constant(s) || falco_only_constant(s)) return;
    if (f->id == SGC_F_EVT_RES) {
        if (strcmp(s, "SUCCESS") && s[0] == 'E' && sgc_errno_value(s) < 0) {
            const char *sugg = closest_in_set(SGC_FLAGSET_ERRNO, s);
            WARN(c, SGC_CODE_UNKNOWN_CONSTANT, lit->loc,
                 "'%s' is not an errno name, so %s never renders as it%s%s%s", s, f->name,
                 sugg ? " (did you mean " : "", sugg ? sugg : "", sugg ? "?)" : "");
        }
        return;
    }
    if (f->type != SGC_FT_FLAGS && f->id != SGC_F_EVT_ARG) return;
    int set = set_for_prefix(s);
    if (set < 0 || sgc_flagset_of_name(s) >= 0) return;
    const char *sugg = closest_in_set((sgc_flagset)set, s);
    WARN(c, SGC_CODE_UNKNOWN_CONSTANT, lit->loc, "'%s' is not a known %s name%s%s%s", s,
         sgc_flagset_name((sgc_flagset)set), sugg ? " (did you mean " : "", sugg ? sugg : "",
         sugg ? "?)" : "");
}

/* libsinsp's compiler warnings on a constant (sinsp_filter_compiler::
 * check_value_and_add_warnings): a field name or a transformer call written
 * as a value (a forgotten val()), a regex that a simpler operator does. */
static bool looks_like_field(const char *s)
{
    if (!isalpha((unsigned char)s[0]))
        return false; /* every field name starts with a letter:
                                                         IPs and paths of big lists stop here */
    const char *br = strchr(s, '[');
    char *name = strndup(s, br ? (size_t)(br - s) : strlen(s));
    char *arg = NULL;
    if (br && s[strlen(s) - 1] == ']') arg = strndup(br + 1, strlen(br + 1) - 1);
    /* no message: an IP or a file name with a dot is no field, and the
     * message's suggestion measures the distance to every field */
    bool ok = name && strchr(name, '.') && (!br || arg) && sgc_field_resolve(name, arg, NULL, NULL);
    free(name);
    free(arg);
    return ok;
}

static bool regex_is_plain(const char *v)
{
    size_t len = strlen(v);
    for (size_t i = 0; i < len; i++) {
        if ((i == 0 && v[i] == '^') || (i == len - 1 && v[i] == '$')) continue;
        if (((i == 0 && len > 1) || i + 2 == len) && v[i] == '.' && strchr("+*?", v[i + 1])) {
            i++;
            continue;
        }
        if (strchr(".+*?^$()[]{}|\\", v[i])) return false;
    }
    return true;
}

static void warn_literal(tc *c, sgc_op op, const sgc_value *lit)
{
    const char *v = lit->str;
    char *ns = malloc(strlen(v) + 1);
    if (!ns) return;
    size_t n = 0;
    for (const char *p = v; *p; p++)
        if (*p != ' ' && (*p < '\t' || *p > '\r')) ns[n++] = *p; /* not " \t\n\v\f\r" */
    ns[n] = '\0';
    if (op == SGC_OP_REGEX && regex_is_plain(v))
        WARN(c, SGC_CODE_COMPILE_CONDITION_WARN, lit->loc,
             "regex check with '%s' may be optimized with simpler operators such as '=', "
             "'contains', "
             "'startswith', 'endswith'",
             v);
    if (looks_like_field(ns))
        WARN(c, SGC_CODE_COMPILE_CONDITION_WARN, lit->loc,
             "'%s' may be a valid field misused as a const string value", v);
    static const char *const tfs[] = {"tolower", "toupper", "b64",    "basename", "len",
                                      "join",    "concat",  "getopt", "val",      NULL};
    /* a call looks like NAME(...): most literals (list items) stop here */
    for (int i = 0; n >= 3 && ns[n - 1] == ')' && tfs[i]; i++) {
        size_t tl = strlen(tfs[i]);
        if (n >= tl + 2 && !strncmp(ns, tfs[i], tl) && ns[tl] == '(' && ns[n - 1] == ')')
            WARN(c, SGC_CODE_COMPILE_CONDITION_WARN, lit->loc,
                 "'%s' may be a valid field transformer misused as a const string value", v);
    }
    free(ns);
}

static void check_literal(tc *c, const optype *l, const sgc_value *lhs, sgc_op op,
                          const sgc_value *lit, const char *what)
{
    if (!lit->str) return;
    if (!strcmp(c->code, SGC_CODE_COMPILE_CONDITION)) warn_literal(c, op, lit);
    if (op != SGC_OP_PMATCH) {
        char *msg = sgc_tc_check_literal(l->type, op, lit->str, what);
        if (msg) {
            ERR(c, lit->loc, "%s", msg);
            free(msg);
            return;
        }
    }
    if (lhs->kind != SGC_V_FIELD || !l->f) return;
    bool eq_like = op == SGC_OP_EQ || op == SGC_OP_NE || op == SGC_OP_IN || op == SGC_OP_INTERSECTS;
    if ((l->f->id == SGC_F_EVT_TYPE || l->f->id == SGC_F_SYSCALL_TYPE) && eq_like) {
        int id = sgc_event_id(lit->str);
        if (id < 0) {
            const char *sugg = closest_event(lit->str);
            ERR(c, lit->loc, "unknown event type '%s'%s%s%s", lit->str,
                sugg ? " (did you mean " : "", sugg ? sugg : "", sugg ? "?)" : "");
        } else if (l->f->id == SGC_F_SYSCALL_TYPE && !sgc_event_is_syscall(id)) {
            ERR(c, lit->loc, "'%s' is not a syscall, so syscall.type never equals it", lit->str);
        }
        return;
    }
    if (eq_like || op == SGC_OP_CONTAINS || op == SGC_OP_ICONTAINS)
        check_constant_name(c, l->f, lit);
}

/* ---- checks ---- */

static void describe(const sgc_value *v, const optype *t, char *buf, size_t size)
{
    if (t->f)
        snprintf(buf, size, "field %s", t->f->name);
    else if (v->kind == SGC_V_TRANSFORM)
        snprintf(buf, size, "%s()", v->str ? v->str : "transformer");
    else
        snprintf(buf, size, "value");
}

static void check_check(tc *c, sgc_node *n)
{
    optype l = check_operand(c, n->lhs, NULL);
    if (!l.ok) return;
    char what[160];
    describe(n->lhs, &l, what, sizeof what);
    if (l.f && (l.f->flags & SGC_FF_OUTPUT_ONLY))
        ERR(c, n->lhs->loc, "field %s can only be used in outputs", l.f->name);
    sgc_op op = n->op;
    if (op == SGC_OP_EXISTS) return;
    sgc_fclass cls = sgc_ftype_class(l.type);
    if (l.list && op != SGC_OP_IN && op != SGC_OP_INTERSECTS) {
        ERR(c, n->op_loc,
            "operator '%s' cannot be used with the list %s: use in, intersects or exists",
            sgc_op_name(op), what);
        return;
    }
    if (!l.list && !op_allowed(l.type, cls, op)) {
        ERR(c, n->op_loc, "operator '%s' cannot be used with %s, which is %s (%s)", sgc_op_name(op),
            what, l.type == SGC_FT_BYTEBUF ? "a byte buffer" : class_word(cls),
            sgc_ftype_name(l.type));
        return;
    }
    if (l.type == SGC_FT_DYN && l.f && l.f->id == SGC_F_EVT_RAWARG &&
        !rawarg_op_allowed(n->lhs, op)) {
        ERR(c, n->op_loc,
            "operator '%s' cannot be used with %s: the argument is a socket address or tuple, "
            "which only supports exists",
            sgc_op_name(op), n->lhs->field);
        return;
    }
    sgc_value *r = n->rhs;
    if (n->mod != SGC_MOD_NONE && r && r->kind != SGC_V_LIST && r->kind != SGC_V_LISTREF) {
        ERR(c, r->loc, "'%s %s' takes a list or a list name", sgc_op_name(op),
            sgc_listmod_name(n->mod));
        return;
    }
    if (op == SGC_OP_REGEX && r && (r->kind == SGC_V_VAL || r->kind == SGC_V_TRANSFORM)) {
        ERR(c, r->loc, "operator 'regex' takes a constant pattern, not %s",
            r->kind == SGC_V_VAL ? "val()" : "a transformer");
        return;
    }
    if (!r) return;
    switch (r->kind) {
    case SGC_V_STRING: check_literal(c, &l, n->lhs, op, r, what); break;
    case SGC_V_LIST: {
        /* a shared list's items are checked once per (field, type, operator)
         * they passed: the findings would be the same, at the same places */
        uint64_t key = ((uint64_t)(uintptr_t)l.f & 0xffffffffffffULL) |
                       (uint64_t)(l.type & 0xff) << 48 | (uint64_t)(op & 0xff) << 56;
        if (r->share && key && r->share->checked == key) break;
        int errors0 = c->errors;
        for (int i = 0; i < r->nitems; i++) {
            sgc_value tmp;
            const sgc_value *it = sgc_list_item(r, i, &tmp);
            if (it->kind != SGC_V_STRING) continue;
            /* Before expansion, a bare item may be the name of a list. */
            if (!it->quoted && c->opts && c->opts->is_list_name &&
                c->opts->is_list_name(c->opts->ctx, it->str))
                continue;
            check_literal(c, &l, n->lhs, op, it, what);
        }
        if (r->share && c->errors == errors0) r->share->checked = key;
        break;
    }
    case SGC_V_TRANSFORM:
    case SGC_V_VAL: {
        optype rt = check_operand(c, r, NULL);
        if (!rt.ok) break;
        sgc_fclass rcls = sgc_ftype_class(rt.type);
        if (cls != rcls && cls != SGC_FCLASS_DYN && rcls != SGC_FCLASS_DYN) {
            char rwhat[160];
            describe(r->kind == SGC_V_VAL ? r->items[0] : r, &rt, rwhat, sizeof rwhat);
            ERR(c, r->loc, "cannot compare %s (%s) with %s (%s)", what, sgc_ftype_name(l.type),
                rwhat, sgc_ftype_name(rt.type));
        }
        break;
    }
    default: /* list names are the resolver's */ break;
    }
}

static void check_node(tc *c, sgc_node *n)
{
    if (!n) return;
    switch (n->kind) {
    case SGC_N_AND:
    case SGC_N_OR:
    case SGC_N_NOT:
        for (int i = 0; i < n->nkids; i++) check_node(c, n->kids[i]);
        break;
    case SGC_N_CHECK: check_check(c, n); break;
    case SGC_N_MACRO:
    case SGC_N_CONST: break;
    }
}

int sgc_typecheck_condition_ex(sgc_node *n, sgc_diags *d, const sgc_typecheck_opts *opts)
{
    tc c = {d, SGC_CODE_COMPILE_CONDITION, 0, opts};
    check_node(&c, n);
    return c.errors;
}

int sgc_typecheck_condition(sgc_node *n, sgc_diags *d)
{
    return sgc_typecheck_condition_ex(n, d, NULL);
}

int sgc_typecheck_condition_src(sgc_node *n, sgc_diags *d, sgc_evsource src)
{
    sgc_typecheck_opts o = {NULL, NULL, src};
    return sgc_typecheck_condition_ex(n, d, &o);
}

/* ---- operand types for later phases ---- */

bool sgc_operand_type_of(const sgc_value *v, sgc_operand_type *out)
{
    if (!v) return false;
    switch (v->kind) {
    case SGC_V_FIELD:
        if (!v->fdef) return false;
        out->type = v->fdef->type;
        out->is_list = (v->fdef->flags & SGC_FF_LIST) != 0;
        return true;
    case SGC_V_VAL: return v->nitems > 0 && sgc_operand_type_of(v->items[0], out);
    case SGC_V_TRANSFORM: {
        if (!sgc_tc_transformer(v->str)) return false;
        sgc_operand_type inner = {SGC_FT_STRING, false};
        if (v->nitems > 0 &&
            (v->items[0]->kind == SGC_V_FIELD || v->items[0]->kind == SGC_V_TRANSFORM))
            sgc_operand_type_of(v->items[0], &inner);
        out->is_list = false;
        out->type = SGC_FT_STRING;
        if (!strcmp(v->str, "len"))
            out->type = SGC_FT_UINT64;
        else if (!strcmp(v->str, "getopt"))
            out->is_list = v->arg == NULL;
        else if (strcmp(v->str, "join") && strcmp(v->str, "concat"))
            out->is_list = inner.is_list;
        return true;
    }
    default: return false;
    }
}
