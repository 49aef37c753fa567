/* libFuzzer target: rx.c, Go-syntax regexes.  The input's first line is
 * the pattern, the rest the text; a pattern that compiles is matched
 * both unanchored and anchored.  libFuzzer's -timeout catches a match
 * that is not linear. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), *nl, *text;
	struct rx *re;

	memcpy(s, data, size);
	s[size] = 0;
	nl = strchr(s, '\n');
	text = nl ? nl + 1 : s + size;
	if (nl)
		*nl = 0;
	if ((re = rx_compile(s, 0)) != NULL) {
		(void)rx_match(re, text);
		rx_free(re);
	}
	if ((re = rx_compile(s, RX_ANCHORED)) != NULL) {
		(void)rx_match(re, text);
		rx_free(re);
	}
	free(s);
	return 0;
}
