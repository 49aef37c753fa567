/* libFuzzer target: `drip check` rules files (gate_read_rules: one rule
 * per line, comments) read from a temporary file. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_common.h"
#include "gate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];

static void remove_path(void)
{
	unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gate g;
	FILE *f;

	if (!path[0]) {
		int fd;

		snprintf(path, sizeof(path), "/tmp/drip-fuzz-rules.XXXXXX");
		fd = mkstemp(path);
		if (fd < 0)
			abort();
		close(fd);
		atexit(remove_path);
	}
	f = fopen(path, "w");
	if (!f)
		abort();
	if (size)
		fwrite(data, 1, size, f);
	fclose(f);
	memset(&g, 0, sizeof(g));
	(void)gate_read_rules(&g, path);
	gate_release(&g);
	strtab_free();
	return 0;
}
