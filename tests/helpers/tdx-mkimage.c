// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Write a synthetic bzImage for the CLI tests (not a test itself):
 *   test-tdx-mkimage OUT VERSION [none|gzip|xz|lz4 [CONFIG-FILE]]
 * The image has a setup header and a fake payload, optionally carrying
 * CONFIG-FILE as IKCONFIG.  It is enough for the loader's probe and for
 * --dry-run, and must never be booted.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/test-tdx-util.h"

static char *slurp(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0, n = 0, r;

	if (!fp)
		return NULL;
	do {
		char *p = realloc(buf, cap += 65536);

		if (!p)
			break;
		buf = p;
		r = fread(buf + n, 1, cap - n - 1, fp);
		n += r;
	} while (r > 0);
	fclose(fp);
	if (buf)
		buf[n] = '\0';
	return buf;
}

int main(int argc, char *argv[])
{
	const char *comp = argc > 3 ? argv[3] : "none";
	char *config = argc > 4 ? slurp(argv[4]) : NULL;
	uint8_t *img;
	size_t len;
	FILE *out;

	if (argc < 3 || argc > 5 || (argc > 4 && !config)) {
		fprintf(stderr, "usage: %s OUT VERSION [none|gzip|xz|lz4 [CONFIG-FILE]]\n",
			argv[0]);
		return 2;
	}
	if (tt_mkimage(argv[2], comp, config, &img, &len) < 0) {
		fprintf(stderr, "%s: cannot build a %s image\n", argv[0], comp);
		return 1;
	}
	out = fopen(argv[1], "wb");
	if (!out || fwrite(img, 1, len, out) != len || fclose(out) != 0) {
		perror(argv[1]);
		return 1;
	}
	free(img);
	free(config);
	return 0;
}
