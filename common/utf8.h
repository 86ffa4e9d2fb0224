/* UTF-8 validation shared by everything that writes JSON or HTML from
 * outside text (alert rendering, sgc report's scanner and page). */
#ifndef SGC_UTF8_H
#define SGC_UTF8_H

#include <stddef.h>

/* Length of the valid UTF-8 sequence at s[0..n) (1..4: overlong forms,
 * surrogates and code points above U+10FFFF are invalid), or 0. n >= 1. */
size_t sgc_utf8_seq(const unsigned char *s, size_t n);

#endif
