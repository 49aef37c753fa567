/* libFuzzer target for one of Go's text formats (textprof.c), chosen at
 * build time with -DTEXT_KIND=TEXTPROF_HEAP | TEXTPROF_GOROUTINE1 |
 * TEXTPROF_GOROUTINE2.  Inputs that do not start with that format's
 * header get a valid header put in front, so the fuzzer spends its time
 * inside the chosen grammar instead of failing detection. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_common.h"
#include "prune.h"
#include "textprof.h"

#ifndef TEXT_KIND
#error "define TEXT_KIND"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *header(void)
{
	switch (TEXT_KIND) {
	case TEXTPROF_HEAP:
		return "heap profile: 1: 1024 [2: 2048] @ heap/524288\n";
	case TEXTPROF_GOROUTINE1:
		return "goroutine profile: total 1\n";
	default:
		return "goroutine 1 [running]:\n";
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct profile *p;
	char *buf = NULL;
	const char *text = (const char *)data;
	size_t len = size;

	if (textprof_detect(text, len) != TEXT_KIND) {
		const char *h = header();
		size_t hl = strlen(h);

		buf = malloc(hl + size);
		if (!buf)
			return 0;
		memcpy(buf, h, hl);
		if (size)
			memcpy(buf + hl, data, size);
		text = buf;
		len = hl + size;
	}
	/* no NUL terminator: the parser must respect len */
	p = textprof_parse(text, len);
	if (p && profile_check_values(p) == 0 && profile_remove_uninteresting(p) == 0)
		fuzz_reports(p);
	profile_free(p);
	free(buf);
	strtab_free();
	return 0;
}
