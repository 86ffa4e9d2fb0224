/* Small helpers every part uses: a strdup that cannot fail (allocation
 * failure aborts, for builders whose data is bounded by their input) and the
 * monotonic clock in milliseconds (for timeouts and progress), mkdir -p. */
#ifndef SGC_UTIL_H
#define SGC_UTIL_H

/* strdup of s (NULL when s is NULL); aborts when out of memory. */
char *sgc_xstrdup(const char *s);

/* CLOCK_MONOTONIC in milliseconds, with a fractional part. */
double sgc_now_ms(void);

/* mkdir -p: the directories of dir that are missing are created with mode
 * 0700 (private: caches). Returns 0, or -1 with errno. */
int sgc_mkdirs(const char *dir);

#endif
