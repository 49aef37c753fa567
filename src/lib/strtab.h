/* strtab: run-wide string interning (STYLE 8).  Equal text gives the
 * same pointer, so names from a base and a new profile compare by
 * pointer and hash by address.  Interned strings are never freed before
 * strtab_free() at exit. */
#ifndef DRIP_STRTAB_H
#define DRIP_STRTAB_H
#include <stddef.h>

/* Intern n bytes at s (need not be NUL-terminated). Returns the
 * interned, NUL-terminated copy: borrowed, lives until strtab_free(). */
const char *intern_n(const char *s, size_t n);
const char *intern(const char *s);
/* The interned empty string. */
const char *intern_empty(void);
void strtab_free(void);
/* Changes at every strtab_free(): lets a caller keep an interned
 * pointer across calls (intern once, not once per sample) and know when
 * it must intern again. */
unsigned strtab_generation(void);

#endif
