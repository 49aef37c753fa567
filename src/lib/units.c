#include "units.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct unit {
	const char *name;
	const char *aliases[4];
	double factor;
};

struct unit_type {
	const struct unit *units;
	size_t n;
	struct unit dflt;
};

static const struct unit mem_units[] = {
	{ "B", { "b", "byte" }, 1 },
	{ "kB", { "kb", "kbyte", "kilobyte" }, 1024.0 },
	{ "MB", { "mb", "mbyte", "megabyte" }, 1048576.0 },
	{ "GB", { "gb", "gbyte", "gigabyte" }, 1073741824.0 },
	{ "TB", { "tb", "tbyte", "terabyte" }, 1099511627776.0 },
	{ "PB", { "pb", "pbyte", "petabyte" }, 1125899906842624.0 },
};
static const struct unit time_units[] = {
	{ "ns", { "ns", "nanosecond" }, 1 },
	{ "us", { "\xce\xbcs", "us", "microsecond" }, 1e3 },
	{ "ms", { "ms", "millisecond" }, 1e6 },
	{ "s", { "s", "sec", "second" }, 1e9 },
	{ "hrs", { "hour", "hr" }, 3600e9 },
};
static const struct unit gcu_units[] = {
	{ "n*GCU", { "nanogcu" }, 1e-9 }, { "u*GCU", { "microgcu" }, 1e-6 },
	{ "m*GCU", { "milligcu" }, 1e-3 }, { "GCU", { "gcu" }, 1 },
	{ "k*GCU", { "kilogcu" }, 1e3 },  { "M*GCU", { "megagcu" }, 1e6 },
	{ "G*GCU", { "gigagcu" }, 1e9 },  { "T*GCU", { "teragcu" }, 1e12 },
	{ "P*GCU", { "petagcu" }, 1e15 },
};

static const struct unit_type unit_types[] = {
	{ mem_units, sizeof(mem_units) / sizeof(mem_units[0]), { "B", { "b", "byte" }, 1 } },
	{ time_units, sizeof(time_units) / sizeof(time_units[0]), { "s", { NULL }, 1e9 } },
	{ gcu_units, sizeof(gcu_units) / sizeof(gcu_units[0]), { "GCU", { NULL }, 1 } },
};

/* pprof's sniffUnit: lower-case, drop one trailing "s" when longer than
 * two characters, then match an alias. */
static const struct unit *sniff(const struct unit_type *ut, const char *unit)
{
	char low[64];
	size_t n = strlen(unit), i, k;

	if (n >= sizeof(low))
		return NULL;
	for (i = 0; i < n; i++)
		low[i] = (char)tolower((unsigned char)unit[i]);
	low[n] = 0;
	if (n > 2 && low[n - 1] == 's')
		low[--n] = 0;
	for (i = 0; i < ut->n; i++)
		for (k = 0; k < 4 && ut->units[i].aliases[k]; k++)
			if (strcmp(low, ut->units[i].aliases[k]) == 0)
				return &ut->units[i];
	return NULL;
}

static int auto_scale(const struct unit_type *ut, double value, double *out, const char **unit)
{
	double f = 0;
	size_t i;

	*unit = NULL;
	for (i = 0; i < ut->n; i++) {
		if (ut->units[i].factor >= f && value / ut->units[i].factor >= 1.0) {
			f = ut->units[i].factor;
			*unit = ut->units[i].name;
		}
	}
	if (f == 0)
		return 0;
	*out = value / f;
	return 1;
}

static int convert(const struct unit_type *ut, int64_t value, const char *from, const char *to, double *out,
		   const char **unit)
{
	const struct unit *fu = sniff(ut, from), *tu;
	double v;

	if (!fu)
		return 0;
	v = (double)value * fu->factor;
	if (strcmp(to, "minimum") == 0 || strcmp(to, "auto") == 0) {
		if (auto_scale(ut, v, out, unit))
			return 1;
		*out = v / ut->dflt.factor;
		*unit = ut->dflt.name;
		return 1;
	}
	tu = sniff(ut, to);
	if (!tu) {
		*out = v / ut->dflt.factor;
		*unit = ut->dflt.name;
		return 1;
	}
	*out = v / tu->factor;
	*unit = tu->name;
	return 1;
}

double units_scale(int64_t value, const char *from, const char *to, const char **out_unit)
{
	size_t i;
	double v;

	/* Go's Scale: "value < 0 && -value > 0", where -INT64_MIN wraps to
	 * itself, so INT64_MIN is scaled as it is (negative); in C the
	 * negation would be undefined. */
	if (value < 0 && value != INT64_MIN) {
		v = units_scale(-value, from, to, out_unit);
		return -v;
	}
	for (i = 0; i < sizeof(unit_types) / sizeof(unit_types[0]); i++)
		if (convert(&unit_types[i], value, from, to, &v, out_unit))
			return v;
	if (!strcmp(to, "count") || !strcmp(to, "sample") || !strcmp(to, "unit") || !strcmp(to, "minimum") ||
	    !strcmp(to, "auto"))
		*out_unit = "";
	else
		*out_unit = to;
	return (double)value;
}

char *units_label(int64_t value, const char *from, const char *to, char *out, size_t n)
{
	const char *u;
	double v = units_scale(value, from, to, &u);
	char num[64];
	size_t l;

	snprintf(num, sizeof(num), "%.2f", v);
	l = strlen(num);
	if (l >= 3 && strcmp(num + l - 3, ".00") == 0)
		num[l - 3] = 0;
	if (strcmp(num, "0") == 0 || strcmp(num, "-0") == 0) {
		snprintf(out, n, "0");
		return out;
	}
	snprintf(out, n, "%s%s", num, u);
	return out;
}

char *units_percentage(int64_t value, int64_t total, char *out, size_t n)
{
	double ratio = 0;

	if (total != 0)
		ratio = fabs((double)value / (double)total) * 100;
	if (ratio >= 99.95 && ratio <= 100.05)
		snprintf(out, n, "  100%%");
	else if (ratio >= 1.0)
		snprintf(out, n, "%5.2f%%", ratio);
	else
		snprintf(out, n, "%5.2g%%", ratio);
	return out;
}

int units_known(const char *unit)
{
	size_t i;

	for (i = 0; i < sizeof(unit_types) / sizeof(unit_types[0]); i++)
		if (sniff(&unit_types[i], unit))
			return 1;
	return 0;
}

int units_compatible(const char *t1, const char *u1, const char *t2, const char *u2)
{
	size_t l1 = strlen(t1), l2 = strlen(t2), i;

	if (l1 && t1[l1 - 1] == 's')
		l1--;
	if (l2 && t2[l2 - 1] == 's')
		l2--;
	if (l1 != l2 || strncmp(t1, t2, l1) != 0)
		return 0;
	if (strcmp(u1, u2) == 0)
		return 1;
	for (i = 0; i < sizeof(unit_types) / sizeof(unit_types[0]); i++)
		if (sniff(&unit_types[i], u1) && sniff(&unit_types[i], u2))
			return 1;
	return 0;
}

int units_parse_value(const char *s, double *value, const char **kind)
{
	char *end;
	double v;
	size_t i;

	while (isspace((unsigned char)*s))
		s++;
	v = strtod(s, &end);
	if (end == s)
		return -1;
	*kind = "";
	if (*end == 0) {
		*value = v;
		return 0;
	}
	for (i = 0; i < 2; i++) {
		const struct unit *u = sniff(&unit_types[i], end);
		if (u) {
			*value = v * u->factor;
			*kind = i == 0 ? "bytes" : "nanoseconds";
			return 0;
		}
	}
	return -1;
}
