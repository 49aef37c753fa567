/* drip info: what is in a profile. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "error.h"
#include "json.h"
#include "options.h"
#include "output.h"
#include "report.h"
#include "session.h"
#include "units.h"

static const struct popt_usage usage = {
	"info", "[OPTIONS] FILE...",
	"Describe a profile: format, sample types with units and totals, the\n"
	"default type, period, time, duration, and the numbers of samples,\n"
	"locations, functions and mappings.  Each FILE is described on its own;\n"
	"filters and bases apply to each.\n",
	NULL,
};

static void time_str(int64_t nanos, char *out, size_t n)
{
	time_t t = (time_t)(nanos / 1000000000);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void info_text(const char *name, const struct profile *p, FILE *f)
{
	int dflt = profile_sample_index(p, NULL);
	size_t i;
	char a[64];

	fprintf(f, "File: %s\n", name);
	fprintf(f, "Format: %s\n", profile_format_name(p->format));
	fprintf(f, "Sample types:\n");
	for (i = 0; i < p->ntypes; i++) {
		int64_t t = profile_total(p, (int)i);
		units_label(t, p->types[i].unit, "auto", a, sizeof(a));
		fprintf(f, "  %-16s %-12s total %s (%lld)%s\n", p->types[i].type, p->types[i].unit, a, (long long)t,
			(int)i == dflt ? "  [default]" : "");
	}
	if (*p->period_type.type || p->period)
		fprintf(f, "Period: %lld %s %s\n", (long long)p->period, p->period_type.type, p->period_type.unit);
	if (p->time_nanos) {
		time_str(p->time_nanos, a, sizeof(a));
		fprintf(f, "Time: %s\n", a);
	}
	if (p->duration_nanos) {
		units_label(p->duration_nanos, "nanoseconds", "auto", a, sizeof(a));
		fprintf(f, "Duration: %s\n", a);
	}
	fprintf(f, "Samples: %zu\nLocations: %zu\nFunctions: %zu\nMappings: %zu\n", p->nsamples, p->nlocations,
		p->nfunctions, p->nmappings);
	for (i = 0; i < p->ncomments; i++)
		fprintf(f, "Comment: %s\n", p->comments[i]);
}

static void info_json(const char *name, const struct profile *p, FILE *f)
{
	int dflt = profile_sample_index(p, NULL);
	size_t i;
	char a[64];
	struct json j;

	json_init(&j, f);
	json_begin_object(&j);
	json_kstr(&j, "schema", "drip.info/1");
	json_kstr(&j, "file", name ? name : "");
	json_kstr(&j, "format", profile_format_name(p->format));
	json_key(&j, "sample_types");
	json_begin_array(&j);
	for (i = 0; i < p->ntypes; i++) {
		json_begin_object(&j);
		json_kstr(&j, "type", p->types[i].type ? p->types[i].type : "");
		json_kstr(&j, "unit", p->types[i].unit ? p->types[i].unit : "");
		json_kint(&j, "total", profile_total(p, (int)i));
		json_kbool(&j, "default", (int)i == dflt);
		json_end_object(&j);
	}
	json_end_array(&j);
	json_key(&j, "period_type");
	json_begin_object(&j);
	json_kstr(&j, "type", p->period_type.type ? p->period_type.type : "");
	json_kstr(&j, "unit", p->period_type.unit ? p->period_type.unit : "");
	json_end_object(&j);
	json_kint(&j, "period", p->period);
	json_kint(&j, "time_nanos", p->time_nanos);
	if (p->time_nanos) {
		time_str(p->time_nanos, a, sizeof(a));
		json_kstr(&j, "time", a);
	}
	json_kint(&j, "duration_nanos", p->duration_nanos);
	json_key(&j, "samples");
	json_uint(&j, p->nsamples);
	json_key(&j, "locations");
	json_uint(&j, p->nlocations);
	json_key(&j, "functions");
	json_uint(&j, p->nfunctions);
	json_key(&j, "mappings");
	json_uint(&j, p->nmappings);
	json_key(&j, "comments");
	json_begin_array(&j);
	for (i = 0; i < p->ncomments; i++)
		json_str(&j, p->comments[i] ? p->comments[i] : "");
	json_end_array(&j);
	json_end_object(&j);
	json_finish(&j);
}

int cmd_info(int argc, char **argv)
{
	struct ropts o;
	struct output out;
	int first, i, rc = EXIT_OK, json;

	struct popt opts[] = {
		POPT_GROUP(RG_FILTER), ROPTS_FILTER(&o), ROPTS_ALL_FRAMES(&o),
		POPT_GROUP(RG_COMPARE), ROPTS_BASES(&o), ROPTS_NORMALIZE(&o),
		POPT_GROUP(RG_OUTPUT),
		POPT_STRING(0, "format", &o.format, "text|json", "text (default), or json (drip.info/1)"),
		ROPTS_ADD_COMMENT(&o), ROPTS_OUTPUT(&o), ROPTS_VERBOSE(&o),
		POPT_GROUP(RG_INPUT), ROPTS_INPUT(&o),
		POPT_END(),
	};

	ropts_init(&o);
	first = ropts_parse(&o, argc, argv, opts, &usage);
	if (first == -2)
		return EXIT_OK;
	if (first < 0)
		return EXIT_TROUBLE;
	if (first >= argc) {
		fprintf(stderr, "drip info: missing FILE\nTry 'drip info --help'.\n");
		ropts_release(&o);
		return EXIT_TROUBLE;
	}
	json = o.format && strcmp(o.format, "json") == 0;
	if (o.format && !json && strcmp(o.format, "text") != 0) {
		fprintf(stderr, "drip info: unknown format '%s' (want text or json)\n", o.format);
		ropts_release(&o);
		return EXIT_TROUBLE;
	}
	if (output_open(&out, o.output) < 0) {
		err_print();
		ropts_release(&o);
		return EXIT_TROUBLE;
	}
	for (i = first; i < argc; i++) {
		struct profile *p = session_load((const char *const *)&argv[i], 1, &o.load, &o.r);
		if (!p) {
			err_print();
			rc = EXIT_TROUBLE;
			continue;
		}
		if (json)
			info_json(argv[i], p, out.f);
		else {
			if (i > first)
				fputc('\n', out.f);
			info_text(argv[i], p, out.f);
		}
		profile_free(p);
	}
	if (output_close(&out, rc == EXIT_OK) < 0) {
		err_print();
		rc = EXIT_TROUBLE;
	}
	ropts_release(&o);
	return rc;
}
