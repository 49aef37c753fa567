/* Placeholder until the filter module lands. */
#include "filter.h"

#include "error.h"

int filter_apply(struct profile *p, const struct ropts *o)
{
	(void)p;
	if (o->focus || o->ignore || o->hide || o->show || o->show_from || o->tagfocus || o->tagignore ||
	    o->tagshow || o->taghide)
		return err_set("filters are not implemented yet");
	return 0;
}
