/* drip comments: the profile's free-form comments, one a line, as
 * pprof -comments prints them (those starting with '#' too, which the
 * report headers leave out). */
#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"
#include "error.h"
#include "options.h"
#include "output.h"
#include "session.h"

static const struct popt_usage usage = {
	"comments", "[OPTIONS] FILE...",
	"Print the comments recorded in the profile, one a line (pprof -comments).\n"
	"--add-comment=TEXT adds one first, as pprof -add_comment does.  Several\n"
	"FILEs are merged; their comments are kept in order.\n",
	NULL,
};

int cmd_comments(int argc, char **argv)
{
	struct ropts o;
	struct profile *p = NULL;
	struct output out;
	int first, rc = EXIT_TROUBLE;
	size_t i;

	struct popt opts[] = {
		POPT_GROUP("Comparing (the bases' comments are merged in; repeatable):"), ROPTS_BASES(&o),
		POPT_GROUP(RG_OUTPUT), ROPTS_ADD_COMMENT(&o), ROPTS_OUTPUT(&o),
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
		fprintf(stderr, "drip comments: missing FILE\nTry 'drip comments --help'.\n");
		goto done;
	}
	p = session_load((const char *const *)argv + first, argc - first, &o.load, &o.r);
	if (!p || output_open(&out, o.output) < 0) {
		err_print();
		goto done;
	}
	for (i = 0; i < p->ncomments; i++)
		fprintf(out.f, "%s\n", p->comments[i]);
	if (output_close(&out, 1) < 0) {
		err_print();
		goto done;
	}
	rc = EXIT_OK;
done:
	profile_free(p);
	ropts_release(&o);
	return rc;
}
