/* units: pprof's measurement package: scaling values between units and
 * formatting them exactly as pprof prints them ("512kB", "1.50MB",
 * "10ms", "  100%"). */
#ifndef DRIP_UNITS_H
#define DRIP_UNITS_H
#include <stddef.h>
#include <stdint.h>

/* units_scale: value in from_unit converted to to_unit ("minimum" and
 * "auto" pick a unit by magnitude).  *out_unit is set to the canonical
 * unit name (static storage) or to to_unit when nothing matches. */
double units_scale(int64_t value, const char *from_unit, const char *to_unit, const char **out_unit);

/* units_label: pprof's ScaledLabel: "%.2f" with ".00" trimmed, plus the
 * unit; "0" for zero.  Writes into out (size n), returns out. */
char *units_label(int64_t value, const char *from_unit, const char *to_unit, char *out, size_t n);

/* units_percentage: pprof's Percentage(value, total) ("  100%", "98.21%",
 * " 0.89%", "    0%"). */
char *units_percentage(int64_t value, int64_t total, char *out, size_t n);

/* units_compatible: pprof's compatibleValueTypes for two (type, unit). */
int units_compatible(const char *t1, const char *u1, const char *t2, const char *u2);

/* units_known: 1 when unit is a recognised memory/time/gcu unit. */
int units_known(const char *unit);

/* units_parse_value: parse "10MB", "512kb", "1.5s", "100" into the base
 * unit of its kind (bytes, nanoseconds); *unit_kind gets "bytes",
 * "nanoseconds" or "" (a plain number).  Returns 0, -1 on bad text. */
int units_parse_value(const char *s, double *value, const char **unit_kind);

#endif
