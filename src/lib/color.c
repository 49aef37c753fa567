#include "color.h"

static const char *const ansi[] = {
	[COLOR_GREW] = "\033[31m",   /* red */
	[COLOR_SHRANK] = "\033[34m", /* blue */
	[COLOR_PASS] = "\033[32m",   /* green */
	[COLOR_UNSURE] = "\033[33m", /* yellow */
	[COLOR_DIM] = "\033[2m",
};

static const char *const hex[] = {
	[COLOR_GREW] = "#d62728",
	[COLOR_SHRANK] = "#1f77b4",
	[COLOR_PASS] = "#2ca02c",
	[COLOR_UNSURE] = "#bcbd22",
	[COLOR_DIM] = "#7f7f7f",
};

void color_fputs(FILE *f, bool on, enum color_role role, const char *s)
{
	if (on)
		fputs(ansi[role], f);
	fputs(s, f);
	if (on)
		fputs("\033[0m", f);
}

int color_for_delta(long long delta)
{
	return delta > 0 ? COLOR_GREW : delta < 0 ? COLOR_SHRANK : -1;
}

const char *color_hex(enum color_role role)
{
	return hex[role];
}
