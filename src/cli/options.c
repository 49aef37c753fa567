#include "options.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fetch.h"
#include "input.h"
#include "xalloc.h"

const char ropts_help[] =
	"Sample selection and granularity:\n"
	"  -i, --sample-index=NAME|N  sample type to report (default: the profile's\n"
	"                             default type, else the last one: inuse_space)\n"
	"      --granularity=G        functions (default), filefunctions, files, lines,\n"
	"                             addresses\n"
	"      --functions, --filefunctions, --files, --lines, --addresses\n"
	"                             short forms of --granularity\n"
	"      --noinlines            attribute inlined calls to their caller\n"
	"Trimming and sorting:\n"
	"      --flat | --cum         sort by flat (default) or cumulative value\n"
	"      --nodecount=N          show at most N nodes (top: all; graphs: 80)\n"
	"      --nodefraction=F       hide nodes below F of the total (default 0.005)\n"
	"      --edgefraction=F       hide edges below F of the total (default 0.001)\n"
	"Filtering (POSIX extended regular expressions):\n"
	"      --focus=RE             only samples with a frame matching RE\n"
	"      --ignore=RE            drop samples with a frame matching RE\n"
	"      --hide=RE              drop frames matching RE\n"
	"      --show=RE              keep only frames matching RE\n"
	"      --show-from=RE         drop the frames above the outermost match of RE\n"
	"      --prune-from=RE        drop the frames below (callees of) a match of RE\n"
	"      --tagfocus=[KEY=]RE[,RE...] | [KEY=]RANGE\n"
	"                             only samples with a matching label; RE matches\n"
	"                             KEY:VALUE (each RE of a list must match), or VALUE\n"
	"                             of KEY; RANGE is N, N:, :N or N:M with a unit\n"
	"                             (400kb:, 1mb:2gb, :10ms) for numeric labels\n"
	"      --tagignore=[KEY=]RE[,RE...] | [KEY=]RANGE\n"
	"                             drop samples with a matching label\n"
	"      --tagshow=RE, --taghide=RE  keep / remove labels whose key matches RE\n"
	"      --all-frames           keep the frames the profile's drop_frames names\n"
	"      --relative-percentages percentages of the filtered total, not the whole\n"
	"      --add-comment=TEXT     add TEXT to the profile's comments\n"
	"Output:\n"
	"      --unit=UNIT            minimum (default), auto, or a unit (B, kB, MB, ms...)\n"
	"      --compact-labels       omit the File/Type/Time header\n"
	"      --color=WHEN           colour in text output: auto (default: a terminal\n"
	"                             and no NO_COLOR), always, never\n"
	"  -o, --output=FILE          write to FILE instead of stdout\n"
	"Input:\n"
	"      --max-size=BYTES       refuse inputs larger than this after inflating\n"
	"                             (default 1 GiB)\n"
	"      --trim, --divide-by=1  accepted for pprof compatibility, ignored\n"
	"Live services (any FILE may be http[s]://... or host:port):\n"
	"      --timeout=SECONDS      give up on a fetch after SECONDS (default 30)\n"
	"      --no-gc                do not ask heap endpoints for a GC first (gc=1)\n"
	"Comparing (pprof's -diff_base, -base, -normalize; repeatable):\n"
	"      --diff-base=FILE       subtract FILE; percentages of FILE's total\n"
	"      --base=FILE            subtract FILE; percentages of the absolute sum\n"
	"      --normalize            scale the profile to the base's total first\n";

enum {
	OPT_GRAN = 256,
	OPT_FUNCTIONS,
	OPT_FILEFUNCTIONS,
	OPT_FILES,
	OPT_LINES,
	OPT_ADDRESSES,
	OPT_NOINLINES,
	OPT_FLAT,
	OPT_CUM,
	OPT_NODECOUNT,
	OPT_NODEFRACTION,
	OPT_EDGEFRACTION,
	OPT_FOCUS,
	OPT_IGNORE,
	OPT_HIDE,
	OPT_SHOW,
	OPT_SHOW_FROM,
	OPT_TAGFOCUS,
	OPT_TAGIGNORE,
	OPT_TAGSHOW,
	OPT_TAGHIDE,
	OPT_PRUNE_FROM,
	OPT_ADD_COMMENT,
	OPT_RELPCT,
	OPT_UNIT,
	OPT_COMPACT,
	OPT_ALL_FRAMES,
	OPT_CALL_TREE,
	OPT_DROP_NEGATIVE,
	OPT_FORMAT,
	OPT_DIFF_BASE,
	OPT_BASE,
	OPT_NORMALIZE,
	OPT_MAX_SIZE,
	OPT_TRIM,
	OPT_DIVIDE_BY,
	OPT_TITLE,
	OPT_HELP,
	OPT_TIMEOUT,
	OPT_NO_GC,
	OPT_ALL,
	OPT_COLOR,
};

static const struct option long_opts[] = {
	{ "sample-index", required_argument, NULL, 'i' },
	{ "granularity", required_argument, NULL, OPT_GRAN },
	{ "functions", no_argument, NULL, OPT_FUNCTIONS },
	{ "filefunctions", no_argument, NULL, OPT_FILEFUNCTIONS },
	{ "files", no_argument, NULL, OPT_FILES },
	{ "lines", no_argument, NULL, OPT_LINES },
	{ "addresses", no_argument, NULL, OPT_ADDRESSES },
	{ "noinlines", no_argument, NULL, OPT_NOINLINES },
	{ "flat", no_argument, NULL, OPT_FLAT },
	{ "cum", no_argument, NULL, OPT_CUM },
	{ "nodecount", required_argument, NULL, OPT_NODECOUNT },
	{ "nodefraction", required_argument, NULL, OPT_NODEFRACTION },
	{ "edgefraction", required_argument, NULL, OPT_EDGEFRACTION },
	{ "focus", required_argument, NULL, OPT_FOCUS },
	{ "ignore", required_argument, NULL, OPT_IGNORE },
	{ "hide", required_argument, NULL, OPT_HIDE },
	{ "show", required_argument, NULL, OPT_SHOW },
	{ "show-from", required_argument, NULL, OPT_SHOW_FROM },
	{ "tagfocus", required_argument, NULL, OPT_TAGFOCUS },
	{ "tagignore", required_argument, NULL, OPT_TAGIGNORE },
	{ "tagshow", required_argument, NULL, OPT_TAGSHOW },
	{ "taghide", required_argument, NULL, OPT_TAGHIDE },
	{ "prune-from", required_argument, NULL, OPT_PRUNE_FROM },
	{ "add-comment", required_argument, NULL, OPT_ADD_COMMENT },
	{ "relative-percentages", no_argument, NULL, OPT_RELPCT },
	{ "unit", required_argument, NULL, OPT_UNIT },
	{ "compact-labels", no_argument, NULL, OPT_COMPACT },
	{ "all-frames", no_argument, NULL, OPT_ALL_FRAMES },
	{ "call-tree", no_argument, NULL, OPT_CALL_TREE },
	{ "drop-negative", no_argument, NULL, OPT_DROP_NEGATIVE },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "diff-base", required_argument, NULL, OPT_DIFF_BASE },
	{ "base", required_argument, NULL, OPT_BASE },
	{ "normalize", no_argument, NULL, OPT_NORMALIZE },
	{ "max-size", required_argument, NULL, OPT_MAX_SIZE },
	{ "trim", no_argument, NULL, OPT_TRIM },
	{ "divide-by", required_argument, NULL, OPT_DIVIDE_BY },
	{ "title", required_argument, NULL, OPT_TITLE },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "no-gc", no_argument, NULL, OPT_NO_GC },
	{ "all", no_argument, NULL, OPT_ALL },
	{ "color", required_argument, NULL, OPT_COLOR },
	{ "colour", required_argument, NULL, OPT_COLOR },
	{ "output", required_argument, NULL, 'o' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int opt_max_size(const char *cmd, const char *arg)
{
	char *end;
	unsigned long long v = strtoull(arg, &end, 10);

	if (end == arg || *end || v == 0) {
		fprintf(stderr, "drip %s: invalid value '%s' for --max-size\n", cmd, arg);
		return -1;
	}
	input_set_max(v);
	return 0;
}

int opt_timeout(const char *cmd, const char *arg)
{
	char *end;
	long v = strtol(arg, &end, 10);

	if (end == arg || (*end && strcmp(end, "s") != 0) || v <= 0 || v > 86400) {
		fprintf(stderr, "drip %s: invalid value '%s' for --timeout (seconds)\n", cmd, arg);
		return -1;
	}
	fetch_set_timeout(v);
	return 0;
}

int color_mode_parse(const char *cmd, const char *arg, enum color_mode *mode)
{
	if (!strcmp(arg, "auto"))
		*mode = COLOR_AUTO;
	else if (!strcmp(arg, "always"))
		*mode = COLOR_ALWAYS;
	else if (!strcmp(arg, "never"))
		*mode = COLOR_NEVER;
	else {
		fprintf(stderr, "drip %s: invalid value '%s' for --color (want auto, always or never)\n", cmd, arg);
		return -1;
	}
	return 0;
}

bool color_wanted(enum color_mode mode, FILE *f)
{
	const char *no = getenv("NO_COLOR");

	if (mode != COLOR_AUTO)
		return mode == COLOR_ALWAYS;
	/* https://no-color.org: set and not empty turns colour off */
	return f && isatty(fileno(f)) && !(no && *no);
}

void ropts_release(struct ropts *o)
{
	free(o->load.diff_base);
	free(o->load.base);
	o->load.diff_base = o->load.base = NULL;
	o->load.ndiff_base = o->load.nbase = 0;
}

void ropts_init(struct ropts *o)
{
	memset(o, 0, sizeof(*o));
	report_opts_init(&o->r);
	o->load.diff_threads = -1;
}

static int parse_double(const char *cmd, const char *name, const char *s, double *out)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end || v < 0) {
		fprintf(stderr, "drip %s: invalid value '%s' for --%s\n", cmd, s, name);
		return -1;
	}
	*out = v;
	return 0;
}

static int parse(struct ropts *o, int argc, char **argv, const char *usage)
{
	const char *cmd = argv[0];
	int c;
	char *end;

	optind = 0; /* glibc: full reset between subcommands */
	opterr = 0;
	/* leading ':': a missing value is ':', apart from unknown options */
	while ((c = getopt_long(argc, argv, ":i:o:vh", long_opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			o->r.sample_index = optarg;
			break;
		case OPT_GRAN: {
			int g = granularity_parse(optarg);
			if (g < 0) {
				fprintf(stderr, "drip %s: unknown granularity '%s' (want functions, filefunctions, files, lines or addresses)\n",
					cmd, optarg);
				return -1;
			}
			o->r.gran = (enum granularity)g;
			break;
		}
		case OPT_FUNCTIONS: o->r.gran = GRAN_FUNCTIONS; break;
		case OPT_FILEFUNCTIONS: o->r.gran = GRAN_FILEFUNCTIONS; break;
		case OPT_FILES: o->r.gran = GRAN_FILES; break;
		case OPT_LINES: o->r.gran = GRAN_LINES; break;
		case OPT_ADDRESSES: o->r.gran = GRAN_ADDRESSES; break;
		case OPT_NOINLINES: o->r.noinlines = true; break;
		case OPT_FLAT: o->r.cum = false; break;
		case OPT_CUM: o->r.cum = true; break;
		case OPT_NODECOUNT: {
			long v = strtol(optarg, &end, 10);
			if (end == optarg || *end || v < 0 || v > 1000000000) {
				fprintf(stderr, "drip %s: invalid value '%s' for --nodecount\n", cmd, optarg);
				return -1;
			}
			o->r.nodecount = (int)v;
			break;
		}
		case OPT_NODEFRACTION:
			if (parse_double(cmd, "nodefraction", optarg, &o->r.nodefraction) < 0)
				return -1;
			break;
		case OPT_EDGEFRACTION:
			if (parse_double(cmd, "edgefraction", optarg, &o->r.edgefraction) < 0)
				return -1;
			break;
		case OPT_FOCUS: o->r.filter.focus = optarg; break;
		case OPT_IGNORE: o->r.filter.ignore = optarg; break;
		case OPT_HIDE: o->r.filter.hide = optarg; break;
		case OPT_SHOW: o->r.filter.show = optarg; break;
		case OPT_SHOW_FROM: o->r.filter.show_from = optarg; break;
		case OPT_TAGFOCUS: o->r.filter.tagfocus = optarg; break;
		case OPT_TAGIGNORE: o->r.filter.tagignore = optarg; break;
		case OPT_TAGSHOW: o->r.filter.tagshow = optarg; break;
		case OPT_TAGHIDE: o->r.filter.taghide = optarg; break;
		case OPT_PRUNE_FROM: o->r.filter.prune_from = optarg; break;
		case OPT_ADD_COMMENT: o->load.add_comment = optarg; break;
		case OPT_RELPCT: o->r.relative_percentages = true; break;
		case OPT_UNIT: o->r.unit = optarg; break;
		case OPT_COMPACT: o->r.compact_labels = true; break;
		case OPT_ALL_FRAMES: o->load.all_frames = true; break;
		case OPT_CALL_TREE: o->r.call_tree = true; break;
		case OPT_DROP_NEGATIVE: o->r.drop_negative = true; break;
		case OPT_FORMAT: o->format = optarg; break;
		case OPT_DIFF_BASE:
			o->load.diff_base = xreallocarray(o->load.diff_base, (size_t)o->load.ndiff_base + 1, sizeof(char *));
			o->load.diff_base[o->load.ndiff_base++] = optarg;
			break;
		case OPT_BASE:
			o->load.base = xreallocarray(o->load.base, (size_t)o->load.nbase + 1, sizeof(char *));
			o->load.base[o->load.nbase++] = optarg;
			break;
		case OPT_NORMALIZE: o->r.normalize = true; break;
		case OPT_MAX_SIZE:
			if (opt_max_size(cmd, optarg) < 0)
				return -1;
			break;
		case OPT_TRIM: break;
		case OPT_DIVIDE_BY:
			if (strcmp(optarg, "1") != 0) {
				fprintf(stderr, "drip %s: only --divide-by=1 is supported\n", cmd);
				return -1;
			}
			break;
		case OPT_TITLE: o->r.title = optarg; break;
		case OPT_TIMEOUT:
			if (opt_timeout(cmd, optarg) < 0)
				return -1;
			break;
		case OPT_NO_GC: fetch_set_gc(false); break;
		case OPT_ALL: o->r.all_rows = true; break;
		case OPT_COLOR:
			if (color_mode_parse(cmd, optarg, &o->color) < 0)
				return -1;
			break;
		case 'o': o->output = optarg; break;
		case 'v': o->verbose++; break;
		case 'h':
			fputs(usage, stdout);
			fputs(ropts_help, stdout);
			return -2;
		case ':':
			if (optopt && optopt < 256 && strncmp(argv[optind - 1], "--", 2) != 0)
				fprintf(stderr, "drip %s: option '-%c' needs a value\n", cmd, optopt);
			else
				fprintf(stderr, "drip %s: option '%s' needs a value\n", cmd, argv[optind - 1]);
			fprintf(stderr, "Try 'drip %s --help'.\n", cmd);
			return -1;
		case '?':
		default:
			if (optopt && optopt < 256)
				fprintf(stderr, "drip %s: unknown option '-%c'\n", cmd, optopt);
			else
				fprintf(stderr, "drip %s: unknown or incomplete option '%s'\n", cmd, argv[optind - 1]);
			fprintf(stderr, "Try 'drip %s --help'.\n", cmd);
			return -1;
		}
	}
	return optind;
}

int ropts_parse(struct ropts *o, int argc, char **argv, const char *usage)
{
	int r = parse(o, argc, argv, usage);
	const char *e;

	if (r >= 0) {
		/* What the engine is told rather than reads itself. */
		o->r.filter.verbose = o->verbose > 0;
		if (o->load.ndiff_base > 0 || o->load.nbase > 0) {
			bool diff = o->load.ndiff_base > 0;
			o->r.base_mode = diff ? "diff_base" : "base";
			o->r.base_files = diff ? o->load.diff_base : o->load.base;
			o->r.nbase_files = diff ? o->load.ndiff_base : o->load.nbase;
		}
		/* Test switches for drip diff's two paths (see session.h). */
		e = getenv("DRIP_DIFF_MERGED");
		o->load.diff_merged = e && *e && strcmp(e, "0") != 0;
		e = getenv("DRIP_DIFF_THREADS");
		if (e && *e)
			o->load.diff_threads = strcmp(e, "0") != 0;
	}

	/* On --help or a usage error the caller returns at once: nothing of
	 * the parse may stay allocated. */
	if (r < 0)
		ropts_release(o);
	return r;
}
