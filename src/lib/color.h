/* color: drip's one colour language for change, on terminals and in
 * pictures.  Grew is red, shrank is blue: red/blue stays apart for the
 * common red-green colour blindness (pprof's graphs use red/green), and
 * it is the flame-graph convention (flamegraph.pl's differential
 * graphs).  Green means only a passed check, yellow an uncertain verdict
 * (noisy).  Renderers take a bool "color" and never decide it: the CLI
 * does (--color=auto: a terminal and no NO_COLOR). */
#ifndef DRIP_COLOR_H
#define DRIP_COLOR_H
#include <stdbool.h>
#include <stdio.h>

enum color_role { COLOR_GREW, COLOR_SHRANK, COLOR_PASS, COLOR_UNSURE, COLOR_DIM };

/* color_fputs: s wrapped in the role's ANSI colour when on, else s. */
void color_fputs(FILE *f, bool on, enum color_role role, const char *s);

/* The role for a signed change: grew (> 0), shrank (< 0); -1 for none. */
int color_for_delta(long long delta);

/* The same roles as SVG/DOT colours (#rrggbb), for pictures. */
const char *color_hex(enum color_role role);

#endif
