/* targets: see targets.h. */
#include "targets.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "xalloc.h"

static int name_ok(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '.' ||
		      *s == '_' || *s == '-'))
			return 0;
	return 1;
}

int targets_read(const char *path, struct target **t, size_t *n)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	int rc = 0;

	if (!f)
		return err_set("cannot read '%s': %s", path, strerror(errno));
	while (getline(&line, &cap, f) >= 0) {
		char *field[3], *p = line, *save = NULL;
		int nf = 0;

		lineno++;
		for (; *p; p++) /* a comment: '#' first or after a blank */
			if (*p == '#' && (p == line || p[-1] == ' ' || p[-1] == '\t')) {
				*p = 0;
				break;
			}
		for (p = strtok_r(line, " \t\r\n", &save); p && nf < 3; p = strtok_r(NULL, " \t\r\n", &save))
			field[nf++] = p;
		if (nf == 0)
			continue;
		if (nf == 3) {
			rc = err_set("'%s' line %zu: want 'NAME URL' or 'URL'", path, lineno);
			break;
		}
		if (nf == 2 && (!name_ok(field[0]) || !*field[0])) {
			rc = err_set("'%s' line %zu: invalid target name '%s' (letters, digits, '.', '_' and '-')", path,
				     lineno, field[0]);
			break;
		}
		*t = xreallocarray(*t, *n + 1, sizeof(**t));
		(*t)[*n].name = nf == 2 ? xstrdup(field[0]) : NULL;
		(*t)[*n].url = xstrdup(field[nf - 1]);
		(*n)++;
	}
	if (!rc && ferror(f))
		rc = err_set("cannot read '%s': %s", path, strerror(errno));
	if (!rc && *n == 0)
		rc = err_set("'%s' names no target", path);
	free(line);
	fclose(f);
	return rc;
}

void targets_free(struct target *t, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(t[i].name);
		free(t[i].url);
	}
	free(t);
}
