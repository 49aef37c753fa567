/* options: the option groups drip's commands share, as parse_options
 * tables (parse_options.h), spelled as GNU long options from pprof's
 * flags (pprof's -sample_index=x is --sample-index=x; both spellings
 * are accepted), and struct ropts, where they are parsed into.
 *
 * A command lists the groups it honours, each under a heading:
 *
 *	struct popt opts[] = {
 *		POPT_GROUP(RG_SAMPLE), ROPTS_SAMPLE(&o), ROPTS_GRAN(&o),
 *		POPT_GROUP(RG_FILTER), ROPTS_FILTER(&o),
 *		POPT_GROUP(RG_OUTPUT), ROPTS_OUTPUT(&o),
 *		POPT_END(),
 *	};
 *	first = ropts_parse(&o, argc, argv, opts, &usage);
 */
#ifndef DRIP_OPTIONS_H
#define DRIP_OPTIONS_H
#include <stdbool.h>
#include <stdio.h>

#include "parse_options.h"
#include "report.h"
#include "session.h"

/* ropts: a report command's parsed options: the engine's option structs
 * plus what only the command line has (output file, format, operands). */
struct ropts {
	struct report_opts r;     /* sample type, granularity, trimming, filters */
	struct load_opts load;    /* bases, --all-frames, --add-comment */
	const char *output;       /* -o FILE, NULL/"-" = stdout */
	const char *format;       /* --format=..., NULL = the command's default */
	int verbose;
	int dashdash;             /* argv index of the first operand after "--", or -1 */
	enum color_mode { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER } color; /* --color */
};

/* color_mode_parse: --color=auto|always|never; 0, or -1 after printing a
 * usage error naming cmd. */
int color_mode_parse(const char *cmd, const char *arg, enum color_mode *mode);
/* color_wanted: whether to colour text written to f: always, never, or
 * (auto) when f is a terminal and NO_COLOR is unset or empty. */
bool color_wanted(enum color_mode mode, FILE *f);

void ropts_init(struct ropts *o);
/* ropts_release: free what parsing allocated (the --diff-base / --base
 * lists); the strings themselves are argv's. */
void ropts_release(struct ropts *o);

/* ropts_parse: parse argv (argv[0] is the command name) against opts
 * (parse_options()), then derive what the engine is told (report
 * base lists, filter verbosity, the DRIP_DIFF_* test switches).  Returns
 * the index of the first operand, or -1 after printing a usage error, or
 * -2 when --help was printed; on -1 and -2 nothing stays allocated. */
int ropts_parse(struct ropts *o, int argc, char **argv, const struct popt *opts, const struct popt_usage *u);

/* ropts_known: every option name a drip command takes (for "does not
 * apply to drip CMD" rather than "unknown"). */
const struct popt *ropts_known(void);

/* ropts_operands: the BASE and NEW sides of `drip diff` and `drip
 * check`: --base=BASE (or --diff-base) NEW..., BASE... -- NEW...
 * (when dashdash allows it), or BASE NEW.  *bases is malloc'ed (caller
 * frees), the names borrowed from argv and o.  0, or -1 after printing
 * a usage error. */
int ropts_operands(const struct ropts *o, int argc, char **argv, int first, bool dashdash,
		   const char ***bases, int *nbases, char ***news, int *nnews);

/* Parse --max-size=BYTES / --timeout=SECONDS into so; 0, or -1 after
 * printing a usage error naming cmd. */
int opt_max_size(const char *cmd, const char *arg, struct source_opts *so);
int opt_timeout(const char *cmd, const char *arg, struct source_opts *so);

/* The shared options' callbacks (value: the field they set). */
popt_fn ropts_cb_sample, ropts_cb_color, ropts_cb_gran, ropts_cb_gran_set, ropts_cb_nodecount, ropts_cb_fraction, ropts_cb_base,
	ropts_cb_max_size, ropts_cb_timeout, ropts_cb_no_gc, ropts_cb_divide_by, ropts_cb_ignored;

/* Group headings. */
#define RG_INPUT "Input (FILE may be '-' for stdin, http[s]://... or host:port):"
#define RG_SAMPLE "Sample selection and granularity:"
#define RG_TRIM "Sorting and trimming:"
#define RG_FILTER "Filtering (regexes in Go's syntax, as pprof's; \\1 and (?=) are refused):"
#define RG_COMPARE "Comparing (pprof's -diff_base, -base, -normalize; repeatable):"
#define RG_OUTPUT "Output:"

/* The input options, so a struct source_opts *. */
#define POPT_SOURCE(so) \
	POPT_CALLBACK(0, "max-size", (so), "BYTES", "refuse inputs larger than this after inflating\n(default 1 GiB; memory for reading stays near it)", ropts_cb_max_size), \
	POPT_CALLBACK(0, "timeout", (so), "SECONDS", "give up on a fetch after SECONDS (default 30)", ropts_cb_timeout), \
	POPT_CALLBACK(0, "no-gc", (so), NULL, "do not ask heap endpoints for a GC first (gc=1)", ropts_cb_no_gc)
/* The shared options, o a struct ropts *. */
#define ROPTS_INPUT(o) POPT_SOURCE(&(o)->load.src)
#define ROPTS_ALL_FRAMES(o) \
	POPT_BOOL(0, "all-frames", &(o)->load.all_frames, "keep the frames the profile's drop_frames names")
#define ROPTS_ADD_COMMENT(o) \
	POPT_STRING(0, "add-comment", &(o)->load.add_comment, "TEXT", "add TEXT to the profile's comments")
#define ROPTS_PPROF_IGNORED \
	POPT_CALLBACK(0, "trim", NULL, NULL, "accepted for pprof compatibility, ignored", ropts_cb_ignored), \
	POPT_CALLBACK(0, "divide-by", NULL, "1", "accepted for pprof compatibility, ignored", ropts_cb_divide_by)
#define ROPTS_SAMPLE(o) \
	POPT_STRING('i', "sample-index", &(o)->r.sample_index, "NAME|N", "sample type to report (default: the profile's\ndefault type, else the last one: inuse_space)"), \
	POPT_CALLBACK(0, "inuse-space", &(o)->r.sample_index, NULL, "short for --sample-index=inuse_space (pprof's\n-inuse_space)", ropts_cb_sample), \
	POPT_CALLBACK(0, "inuse-objects", &(o)->r.sample_index, NULL, "short for --sample-index=inuse_objects", ropts_cb_sample), \
	POPT_CALLBACK(0, "alloc-space", &(o)->r.sample_index, NULL, "short for --sample-index=alloc_space", ropts_cb_sample), \
	POPT_CALLBACK(0, "alloc-objects", &(o)->r.sample_index, NULL, "short for --sample-index=alloc_objects", ropts_cb_sample)
/* Granularity into an enum granularity *g and a bool *noinl. */
#define OPTS_GRAN_AT(g, noinl) \
	POPT_CALLBACK(0, "granularity", (g), "G", "functions (default), filefunctions, files, lines,\naddresses", ropts_cb_gran), \
	POPT_CALLBACK_DEF(0, "functions", (g), NULL, "short for --granularity=functions", ropts_cb_gran_set, GRAN_FUNCTIONS), \
	POPT_CALLBACK_DEF(0, "filefunctions", (g), NULL, "short for --granularity=filefunctions", ropts_cb_gran_set, GRAN_FILEFUNCTIONS), \
	POPT_CALLBACK_DEF(0, "files", (g), NULL, "short for --granularity=files", ropts_cb_gran_set, GRAN_FILES), \
	POPT_CALLBACK_DEF(0, "lines", (g), NULL, "short for --granularity=lines", ropts_cb_gran_set, GRAN_LINES), \
	POPT_CALLBACK_DEF(0, "addresses", (g), NULL, "short for --granularity=addresses", ropts_cb_gran_set, GRAN_ADDRESSES), \
	POPT_BOOL(0, "noinlines", (noinl), "attribute inlined calls to their caller")
#define ROPTS_GRAN(o) OPTS_GRAN_AT(&(o)->r.gran, &(o)->r.noinlines)
#define ROPTS_SORT(o) \
	POPT_SET_BOOL(0, "flat", &(o)->r.cum, 0, "sort by flat value (default)"), \
	POPT_SET_BOOL(0, "cum", &(o)->r.cum, 1, "sort by cumulative value")
#define ROPTS_TRIM(o) \
	POPT_CALLBACK(0, "nodecount", &(o)->r.nodecount, "N", "show at most N nodes (top: all; graphs: 80)", ropts_cb_nodecount), \
	POPT_CALLBACK(0, "nodefraction", &(o)->r.nodefraction, "F", "hide nodes below F of the total (default 0.005)", ropts_cb_fraction), \
	POPT_CALLBACK(0, "edgefraction", &(o)->r.edgefraction, "F", "hide edges below F of the total (default 0.001)", ropts_cb_fraction)
#define ROPTS_DROP_NEGATIVE(o) \
	POPT_BOOL(0, "drop-negative", &(o)->r.drop_negative, "leave out nodes whose value is negative")
/* The frame filters, into a struct filter_opts *f. */
#define OPTS_FRAME_FILTERS_AT(f) \
	POPT_STRING(0, "focus", &(f)->focus, "RE", "only samples with a frame matching RE"), \
	POPT_STRING(0, "ignore", &(f)->ignore, "RE", "drop samples with a frame matching RE"), \
	POPT_STRING(0, "hide", &(f)->hide, "RE", "drop frames matching RE"), \
	POPT_STRING(0, "show", &(f)->show, "RE", "keep only frames matching RE")
#define ROPTS_FILTER(o) \
	OPTS_FRAME_FILTERS_AT(&(o)->r.filter), \
	POPT_STRING(0, "show-from", &(o)->r.filter.show_from, "RE", "drop the frames above the outermost match of RE"), \
	POPT_STRING(0, "prune-from", &(o)->r.filter.prune_from, "RE", "drop the frames below (callees of) a match of RE"), \
	POPT_STRING(0, "tagfocus", &(o)->r.filter.tagfocus, "[KEY=]RE[,RE...]|[KEY=]RANGE", \
		    "only samples with a matching label; RE matches\nKEY:VALUE (each RE of a list must match), or VALUE\n" \
		    "of KEY; RANGE is N, N:, :N or N:M with a unit\n(400kb:, 1mb:2gb, :10ms) for numeric labels"), \
	POPT_STRING(0, "tagignore", &(o)->r.filter.tagignore, "[KEY=]RE[,RE...]|[KEY=]RANGE", "drop samples with a matching label"), \
	POPT_STRING(0, "tagshow", &(o)->r.filter.tagshow, "RE", "keep only the labels whose key matches RE"), \
	POPT_STRING(0, "taghide", &(o)->r.filter.taghide, "RE", "remove the labels whose key matches RE")
#define ROPTS_RELPCT(o) \
	POPT_BOOL(0, "relative-percentages", &(o)->r.relative_percentages, "percentages of the filtered total, not the whole")
#define ROPTS_BASES(o) \
	POPT_CALLBACK_DEF(0, "diff-base", &(o)->load, "FILE", "subtract FILE; percentages of FILE's total", ropts_cb_base, 1), \
	POPT_CALLBACK_DEF(0, "base", &(o)->load, "FILE", "subtract FILE; percentages of the absolute sum", ropts_cb_base, 0)
#define ROPTS_NORMALIZE(o) \
	POPT_BOOL(0, "normalize", &(o)->r.normalize, "scale the profile to the base's total first")
#define ROPTS_UNIT(o) \
	POPT_STRING(0, "unit", &(o)->r.unit, "UNIT", "minimum (default), auto, or a unit (B, kB, MB, ms...)")
#define ROPTS_COMPACT(o) \
	POPT_BOOL(0, "compact-labels", &(o)->r.compact_labels, "omit the File/Type/Time header")
#define ROPTS_COLOR(o) \
	POPT_CALLBACK(0, "color", &(o)->color, "WHEN", "colour in text output: auto (default: a terminal\nand no NO_COLOR), always, never (spelled colour too)", ropts_cb_color), \
	POPT_CALLBACK_HIDDEN(0, "colour", &(o)->color, "WHEN", ropts_cb_color)
#define ROPTS_OUTPUT(o) \
	POPT_STRING('o', "output", &(o)->output, "FILE", "write to FILE instead of stdout")
#define ROPTS_VERBOSE(o) \
	POPT_COUNT('v', "verbose", &(o)->verbose, "say more on stderr (how a tag filter was read)")

#endif
