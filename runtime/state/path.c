#include "path.h"

#include <stdbool.h>
#include <string.h>

bool sgc_path_is_clean(const char *p, size_t len)
{
    if (len == 0 || p[0] != '/') return false;
    if (len == 1) return true;
    if (p[len - 1] == '/') return false;
    for (size_t i = 0; i < len; i++) {
        if (p[i] != '/') continue;
        /* component after this '/' */
        size_t j = i + 1;
        size_t k = j;
        while (k < len && p[k] != '/') k++;
        size_t n = k - j;
        if (n == 0 || (n == 1 && p[j] == '.') || (n == 2 && p[j] == '.' && p[j + 1] == '.'))
            return false;
    }
    return true;
}

size_t sgc_path_normalize(char *p, size_t len)
{
    /* Walk components, writing the result in place (never longer). */
    size_t w = 0, r = 0;
    bool abs = len && p[0] == '/';
    if (abs) p[w++] = '/';
    while (r < len) {
        while (r < len && p[r] == '/') r++;
        size_t start = r;
        while (r < len && p[r] != '/') r++;
        size_t n = r - start;
        if (n == 0 || (n == 1 && p[start] == '.')) continue;
        if (n == 2 && p[start] == '.' && p[start + 1] == '.') {
            /* drop the last written component (never above the root) */
            size_t floor = abs ? 1 : 0;
            if (w > floor) {
                size_t k = w;
                while (k > floor && p[k - 1] != '/') k--;
                if (k > floor) k--; /* the separator before it */
                w = k;
            }
            continue;
        }
        if (w > 0 && p[w - 1] != '/') p[w++] = '/';
        memmove(p + w, p + start, n);
        w += n;
    }
    if (w == 0 && abs) w = 1;
    p[w] = '\0';
    return w;
}

char *sgc_path_resolve(sgc_arena *a, const char *dir, size_t dir_len, const char *path,
                       size_t path_len, size_t *out_len)
{
    bool rel = !(path_len && path[0] == '/');
    size_t dl = rel && dir ? dir_len : 0;
    char *buf = sgc_arena_alloc(a, dl + 1 + path_len + 1);
    if (!buf) return NULL;
    size_t o = 0;
    if (dl) {
        memcpy(buf, dir, dl);
        o = dl;
        buf[o++] = '/';
    }
    memcpy(buf + o, path, path_len);
    o += path_len;
    buf[o] = '\0';
    size_t n = sgc_path_normalize(buf, o);
    if (out_len) *out_len = n;
    return buf;
}

void sgc_path_split(const char *p, size_t len, size_t *dir_len, const char **base, size_t *base_len)
{
    size_t i = len;
    while (i > 0 && p[i - 1] != '/') i--;
    *base = p + i;
    *base_len = len - i;
    if (i == 0)
        *dir_len = 0;
    else if (i == 1)
        *dir_len = 1; /* "/x" -> "/" */
    else
        *dir_len = i - 1;
}
