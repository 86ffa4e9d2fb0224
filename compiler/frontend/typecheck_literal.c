/* Literal values checked against the type they are compared with. */
#include "typecheck_int.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

char *sgc_tc_fmt(const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    int n = vsnprintf(NULL, 0, f, ap);
    va_end(ap);
    char *s = malloc((size_t)n + 1);
    if (!s) return NULL;
    va_start(ap, f);
    vsnprintf(s, (size_t)n + 1, f, ap);
    va_end(ap);
    return s;
}

/* Decimal or 0x-hex integer with an optional sign, as Falco's number parser
 * reads them. */
static bool parse_integer(const char *s, bool *negative, uint64_t *mag)
{
    *negative = false;
    if (*s == '-' || *s == '+') {
        *negative = *s == '-';
        s++;
    }
    if (!*s) return false;
    int base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
        if (!*s) return false;
    }
    for (const char *p = s; *p; p++)
        if (base == 16 ? !isxdigit((unsigned char)*p) : !isdigit((unsigned char)*p)) return false;
    errno = 0;
    unsigned long long v = strtoull(s, NULL, base);
    if (errno == ERANGE) return false;
    *mag = v;
    return true;
}

static void int_range(sgc_ftype t, int64_t *min, uint64_t *max)
{
    switch (t) {
    case SGC_FT_INT8:
        *min = INT8_MIN;
        *max = INT8_MAX;
        break;
    case SGC_FT_INT16:
        *min = INT16_MIN;
        *max = INT16_MAX;
        break;
    case SGC_FT_INT32:
        *min = INT32_MIN;
        *max = INT32_MAX;
        break;
    case SGC_FT_UINT8:
        *min = 0;
        *max = UINT8_MAX;
        break;
    case SGC_FT_UINT16:
    case SGC_FT_PORT:
        *min = 0;
        *max = UINT16_MAX;
        break;
    case SGC_FT_UINT32:
    case SGC_FT_MODE:
        *min = 0;
        *max = UINT32_MAX;
        break;
    case SGC_FT_UINT64:
    case SGC_FT_ABSTIME:
    case SGC_FT_SYSCALLID:
        *min = 0;
        *max = UINT64_MAX;
        break;
    default:
        *min = INT64_MIN;
        *max = INT64_MAX;
        break; /* int64, pid, fd, reltime */
    }
}

static char *check_number(sgc_ftype t, const char *lit, const char *what)
{
    /* libsinsp parses the constant of a double field (thread.cpu) as an
     * integer too: "1" is taken, "1.0" is not */
    bool neg;
    uint64_t mag;
    if (!parse_integer(lit, &neg, &mag))
        return sgc_tc_fmt("'%s' is not a valid number for %s (%s)", lit, what, sgc_ftype_name(t));
    int64_t min;
    uint64_t max;
    int_range(t, &min, &max);
    if (neg && mag > 0) {
        if (min == 0)
            return sgc_tc_fmt("'%s' is negative but %s is unsigned (%s)", lit, what,
                              sgc_ftype_name(t));
        if (mag > (uint64_t)INT64_MAX + 1 || -(int64_t)(mag - 1) - 1 < min)
            return sgc_tc_fmt("'%s' is out of range for %s (%s)", lit, what, sgc_ftype_name(t));
    } else if (mag > max) {
        return sgc_tc_fmt("'%s' is out of range for %s (%s)", lit, what, sgc_ftype_name(t));
    }
    return NULL;
}

/* An IPv4/IPv6 address, optionally with a /prefix. */
static char *check_ip(const char *lit, const char *what)
{
    char buf[64];
    size_t n = strlen(lit);
    if (n >= sizeof buf)
        return sgc_tc_fmt("'%s' is not an IP address or network for %s", lit, what);
    memcpy(buf, lit, n + 1);
    char *slash = strchr(buf, '/');
    long prefix = -1;
    if (slash) {
        *slash = 0;
        char *end;
        prefix = strtol(slash + 1, &end, 10);
        if (!slash[1] || *end || prefix < 0)
            return sgc_tc_fmt("'%s' has an invalid network prefix for %s", lit, what);
    }
    unsigned char addr[16];
    if (inet_pton(AF_INET, buf, addr) == 1)
        return prefix > 32 ? sgc_tc_fmt("'%s': an IPv4 prefix is at most /32", lit) : NULL;
    if (inet_pton(AF_INET6, buf, addr) == 1)
        return prefix > 128 ? sgc_tc_fmt("'%s': an IPv6 prefix is at most /128", lit) : NULL;
    return sgc_tc_fmt("'%s' is not an IP address or network for %s", lit, what);
}

static char *check_hex(const char *lit, sgc_op op)
{
    size_t n = strlen(lit);
    for (size_t i = 0; i < n; i++)
        if (!isxdigit((unsigned char)lit[i]))
            return sgc_tc_fmt("'%s' is not a hex byte string, which %s needs", lit,
                              sgc_op_name(op));
    if (n == 0 || n % 2)
        return sgc_tc_fmt("'%s' must have an even, non-zero number of hex digits for %s", lit,
                          sgc_op_name(op));
    return NULL;
}

static char *check_regex(const char *lit)
{
    int errcode;
    PCRE2_SIZE erroff;
    pcre2_code *re =
        pcre2_compile((PCRE2_SPTR)lit, PCRE2_ZERO_TERMINATED, 0, &errcode, &erroff, NULL);
    if (re) {
        pcre2_code_free(re);
        return NULL;
    }
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(errcode, msg, sizeof msg);
    return sgc_tc_fmt("invalid regular expression '%s' at offset %zu: %s", lit, (size_t)erroff,
                      (const char *)msg);
}

char *sgc_tc_check_literal(sgc_ftype t, sgc_op op, const char *lit, const char *what)
{
    switch (sgc_ftype_class(t)) {
    case SGC_FCLASS_NUMERIC: return check_number(t, lit, what);
    case SGC_FCLASS_BOOL:
        if (strcmp(lit, "true") && strcmp(lit, "false"))
            return sgc_tc_fmt("'%s' is not a boolean for %s: use true or false", lit, what);
        return NULL;
    case SGC_FCLASS_IP: return check_ip(lit, what);
    case SGC_FCLASS_STRING:
        if (op == SGC_OP_BCONTAINS || op == SGC_OP_BSTARTSWITH) return check_hex(lit, op);
        if (op == SGC_OP_REGEX) return check_regex(lit);
        return NULL;
    case SGC_FCLASS_DYN: return NULL;
    }
    return NULL;
}
