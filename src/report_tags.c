/* Placeholder until `drip tags` lands. */
#include "error.h"
#include "report.h"

int report_tags(struct report *r, FILE *f)
{
	(void)r;
	(void)f;
	return err_set("tags is not implemented yet");
}
