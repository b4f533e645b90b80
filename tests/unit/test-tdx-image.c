// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Facts about the image being loaded: the LZ4 legacy decoder, .config
 * parsing, IKCONFIG in gzip, xz, lz4 and uncompressed payloads, and where
 * tdx_read_image() finds the configuration.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "base/bzimage.h"
#include "base/ctx.h"
#include "base/file.h"
#include "tdx/tdx.h"
#include "tests/helpers/testimage.h"
#include "tests/unit/test-tdx-util.h"

static const char tdx_config[] =
	"#\n# Automatically generated file; DO NOT EDIT.\n#\nCONFIG_CC_VERSION_TEXT=\"gcc 12\"\n"
	"CONFIG_INTEL_TDX_HOST=y\nCONFIG_HIBERNATION=y\n# CONFIG_IKCONFIG is not set\n";

static uint8_t *sample(size_t len)
{
	uint8_t *p = malloc(len);
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(i < len / 3 ? (i * 2654435761u) >> 13 : (i % 97) ^ (i / 1000));
	return p;
}

static void lz4_roundtrip(void **state)
{
	size_t sizes[] = { 0, 1, 13, 4096, 100000, (9u << 20) + 7 }, i, clen, dlen;
	uint8_t *in, *c, *d;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		in = sample(sizes[i] ? sizes[i] : 1);
		assert_int_equal(ti_lz4_legacy(in, sizes[i], &c, &clen), 0);
		assert_int_equal(kx_lz4_legacy(c, clen, 64u << 20, &d, &dlen), 0);
		assert_int_equal(dlen, sizes[i]);
		assert_memory_equal(d, in, sizes[i] ? sizes[i] : 0);
		free(d);
		/* without the size the kernel build appends, as lz4 -l writes it */
		assert_int_equal(kx_lz4_legacy(c, clen - 4, 64u << 20, &d, &dlen), 0);
		assert_int_equal(dlen, sizes[i]);
		free(d);
		free(c);
		free(in);
	}
}

static void lz4_overlapping_match(void **state)
{
	/* literal 'a', then a match of 20 at offset 1 (overlapping), then "bcdef" */
	static const uint8_t blk[] = { 0x1f, 'a', 0x01, 0x00, 0x01, 0x50, 'b', 'c', 'd', 'e', 'f' };
	uint8_t frame[4 + 4 + sizeof(blk)], *d;
	size_t dlen;

	memcpy(frame, "\x02\x21\x4c\x18", 4);
	frame[4] = sizeof(blk);
	frame[5] = frame[6] = frame[7] = 0;
	memcpy(frame + 8, blk, sizeof(blk));
	assert_int_equal(kx_lz4_legacy(frame, sizeof(frame), 1024, &d, &dlen), 0);
	assert_int_equal(dlen, 1 + 20 + 5);
	assert_memory_equal(d, "aaaaaaaaaaaaaaaaaaaaabcdef", dlen);
	free(d);
}

static void lz4_corrupt(void **state)
{
	uint8_t *in = sample(50000), *c, *d;
	size_t clen, dlen;

	assert_int_equal(ti_lz4_legacy(in, 50000, &c, &clen), 0);
	assert_int_equal(kx_lz4_legacy(c + 1, clen - 1, 1 << 20, &d, &dlen), -EINVAL);
	assert_int_equal(kx_lz4_legacy(c, clen / 2, 1 << 20, &d, &dlen), -EBADMSG);
	assert_int_equal(kx_lz4_legacy(c, clen, 1000, &d, &dlen), -EFBIG);
	c[9] ^= 0xff;	/* the first sequence's bytes */
	c[10] ^= 0xff;
	c[11] ^= 0xff;
	assert_int_not_equal(kx_lz4_legacy(c, clen, 1 << 20, &d, &dlen), 0);
	free(c);
	free(in);
}

/* The real lz4 tool, when installed, writes legacy frames with -l. */
/* Skip the running test, saying why (cmocka's TAP output carries the line). */
#define SKIP_BECAUSE(...) do { print_message("# SKIP: " __VA_ARGS__); skip(); } while (0)

static void lz4_cli(void **state)
{
	char in[] = "/tmp/tdx-lz4-XXXXXX", cmd[128];
	uint8_t *data, out[400000], *d;
	size_t n, dlen;
	FILE *fp;
	int fd;

	if (system("command -v lz4 >/dev/null 2>&1") != 0)
		SKIP_BECAUSE("the lz4 program is not installed (Debian package lz4)\n");
	data = sample(300000);

	fd = mkstemp(in);
	assert_true(fd >= 0 && write(fd, data, 300000) == 300000);
	close(fd);
	snprintf(cmd, sizeof(cmd), "lz4 -l -9 -c -q %s", in);
	fp = popen(cmd, "r");
	assert_non_null(fp);
	n = fread(out, 1, sizeof(out), fp);
	assert_int_equal(pclose(fp), 0);
	unlink(in);
	assert_int_equal(kx_lz4_legacy(out, n, 1 << 20, &d, &dlen), 0);
	assert_int_equal(dlen, 300000);
	assert_memory_equal(d, data, dlen);
	free(d);
	free(data);
}

static void config_parse(void **state)
{
	struct tdx_facts f = { 0 };

	assert_int_equal(tdx_config_parse("cfg", tdx_config, strlen(tdx_config), &f), 0);
	assert_true(f.cfg_tdx_host.v);
	assert_true(f.cfg_hibernation.v);
	assert_int_equal(f.cfg_tdx_host.f.state, TDX_KNOWN);
	assert_int_equal(tdx_config_parse("cfg", "CONFIG_INTEL_TDX_HOST=m\n"
					  "# CONFIG_HIBERNATION is not set\n", 56, &f), 0);
	assert_false(f.cfg_tdx_host.v);
	assert_false(f.cfg_hibernation.v);
	memset(&f, 0, sizeof(f));
	assert_int_equal(tdx_config_parse("cfg", "CONFIG_X=y\nnonsense\n", 20, &f), -EBADMSG);
	assert_non_null(strstr(f.image_config.f.detail, "line 2: expected CONFIG_<name>=<value>"));
	assert_int_equal(tdx_config_parse("cfg", "# nothing\n", 10, &f), -EBADMSG);
	assert_non_null(strstr(f.image_config.f.detail, "no CONFIG_ lines"));
}

static void ikconfig_in(const char *comp)
{
	struct kx_ctx kx = { 0 };
	struct kx_bzimage bz;
	uint8_t *img;
	size_t len, clen;
	char *cfg;

	assert_int_equal(ti_mkimage("7.2.0-tdx (builder@host) #1 SMP", comp, tdx_config, &img,
				    &len), 0);
	assert_int_equal(kx_bzimage_parse(&kx, "test", img, len, &bz), 0);
	assert_int_equal(tdx_ikconfig(&kx, &bz, &cfg, &clen), 0);
	assert_int_equal(clen, strlen(tdx_config));
	assert_memory_equal(cfg, tdx_config, clen);
	free(cfg);
	free(img);
	assert_int_equal(ti_mkimage("7.2.0-tdx", comp, NULL, &img, &len), 0);
	assert_int_equal(kx_bzimage_parse(&kx, "test", img, len, &bz), 0);
	assert_int_equal(tdx_ikconfig(&kx, &bz, &cfg, &clen), -ENOENT);
	free(img);
}

static void ikconfig_gzip(void **state)
{
	ikconfig_in("gzip");
}

static void ikconfig_lz4(void **state)
{
	ikconfig_in("lz4");
}

static void ikconfig_none(void **state)
{
	ikconfig_in("none");
}

static void ikconfig_xz(void **state)
{
	if (!kx_comp_supported(KX_COMP_XZ))
		SKIP_BECAUSE("this build has no liblzma (configure --without-lzma)\n");
	ikconfig_in("xz");
}

static void ikconfig_zstd(void **state)
{
	if (!kx_comp_supported(KX_COMP_ZSTD))
		SKIP_BECAUSE("this build has no libzstd (configure --without-zstd)\n");
	ikconfig_in("zstd");
}

/* A payload that does not decompress is an error that says why, never "no IKCONFIG". */
static void ikconfig_corrupt(void **state)
{
	static const char *const comps[] = { "gzip", "xz", "zstd", "lz4" };
	struct kx_ctx kx = { 0 };
	struct kx_bzimage bz;
	size_t len, clen, i;
	uint8_t *img;
	char *cfg;
	int rc;

	for (i = 0; i < sizeof(comps) / sizeof(comps[0]); i++) {
		if (ti_mkimage("7.2.0-tdx", comps[i], tdx_config, &img, &len) < 0)
			continue;	/* a compression this build lacks */
		assert_int_equal(kx_bzimage_parse(&kx, "test", img, len, &bz), 0);
		bz.payload_length -= bz.payload_length / 3;	/* cut short */
		kx_clear_err(&kx);
		rc = tdx_ikconfig(&kx, &bz, &cfg, &clen);
		if (rc != -EBADMSG || !strstr(kx.err, "the kernel inside the bzImage"))
			fail_msg("%s: %d, '%s'", comps[i], rc, kx.err);
		/* after the data only its size may follow: another number is refused */
		if (strcmp(comps[i], "gzip") != 0) {
			assert_int_equal(kx_bzimage_parse(&kx, "test", img, len, &bz), 0);
			img[bz.setup_size + bz.payload_offset + bz.payload_length - 1] ^= 1;
			bz.payload_olen ^= 1u << 24;
			kx_clear_err(&kx);
			assert_int_equal(tdx_ikconfig(&kx, &bz, &cfg, &clen), -EBADMSG);
			assert_non_null(strstr(kx.err, "corrupt or truncated"));
		}
		free(img);
	}
}

/* A real distribution kernel, when the environment names one (TDX_TEST_KERNEL). */
static void real_kernel_payload(void **state)
{
	const char *path = getenv("TDX_TEST_KERNEL");
	struct kx_file k = KX_FILE_INIT;
	struct kx_ctx kx = { 0 };
	struct kx_bzimage bz;
	char *cfg;
	size_t clen;
	int rc;

	if (!path || access(path, R_OK) != 0)
		SKIP_BECAUSE("no distribution kernel: set TDX_TEST_KERNEL to a readable bzImage\n");
	assert_non_null(path);
	assert_int_equal(kx_file_open(&kx, "kernel", path, true, &k), 0);
	assert_int_equal(kx_bzimage_parse(&kx, path, k.data, k.size, &bz), 0);
	rc = tdx_ikconfig(&kx, &bz, &cfg, &clen);
	/* Debian builds without IKCONFIG: the payload must decode, and hold none */
	assert_true(rc == 0 || rc == -ENOENT);
	if (rc == 0)
		free(cfg);
	kx_file_close(&k);
}

struct img_fx {
	char *root, *dir, *image;
	struct kx_ctx kx;
	struct tdx_ctx *t;
	struct tdx_facts f;
};

static int img_setup(void **state)
{
	struct img_fx *x = calloc(1, sizeof(*x));
	uint8_t *img;
	size_t len;

	x->root = tt_tree();
	x->dir = tt_tree();
	assert_int_equal(ti_mkimage("7.2.0-tdx (builder@host) #1 SMP", "gzip", NULL, &img, &len),
			 0);
	tt_write_bin(x->dir, "vmlinuz-7.2.0-tdx", img, len, 0);
	free(img);
	assert_true(asprintf(&x->image, "%s/vmlinuz-7.2.0-tdx", x->dir) > 0);
	x->t = tt_ctx(x->root, &x->kx);
	*state = x;
	return 0;
}

static int img_teardown(void **state)
{
	struct img_fx *x = *state;

	tt_ctx_free(x->t, &x->kx);
	tt_rmtree(x->root);
	tt_rmtree(x->dir);
	free(x->image);
	free(x);
	return 0;
}

static void image_boot_config(void **state)
{
	struct img_fx *x = *state;

	tt_write(x->root, "/boot/config-7.2.0-tdx", tdx_config);
	tt_write(x->dir, "config-7.2.0-tdx", "CONFIG_INTEL_TDX_HOST=n\n");
	tdx_read_image(x->t, x->image, "root=/dev/sda1 nohibernate", &x->f);
	assert_int_equal(x->f.image_version.f.state, TDX_KNOWN);
	assert_string_equal(x->f.image_version.v, "7.2.0-tdx (builder@host) #1 SMP");
	assert_int_equal(x->f.image_config.f.state, TDX_KNOWN);
	assert_string_equal(x->f.image_config.v, "/boot/config-7.2.0-tdx");
	assert_true(x->f.cfg_tdx_host.v);
	assert_int_equal(x->f.cmdline.f.state, TDX_KNOWN);
	assert_string_equal(x->f.cmdline.v, "root=/dev/sda1 nohibernate");
}

static void image_sibling_config(void **state)
{
	struct img_fx *x = *state;

	tt_write(x->dir, "config-7.2.0-tdx", "CONFIG_INTEL_TDX_HOST=n\nCONFIG_HIBERNATION=y\n");
	tdx_read_image(x->t, x->image, NULL, &x->f);
	assert_int_equal(x->f.cfg_tdx_host.f.state, TDX_KNOWN);
	assert_false(x->f.cfg_tdx_host.v);
	assert_true(x->f.cfg_hibernation.v);
	assert_non_null(strstr(x->f.image_config.v, "/config-7.2.0-tdx"));
	assert_int_equal(x->f.cmdline.f.state, TDX_NOT_READ);
}

static void image_no_config(void **state)
{
	struct img_fx *x = *state;

	tdx_read_image(x->t, x->image, "", &x->f);
	assert_int_equal(x->f.image_config.f.state, TDX_ABSENT);
	assert_string_equal(x->f.image_config.f.source, "/boot/config-7.2.0-tdx");
	assert_int_equal(x->f.cfg_tdx_host.f.state, TDX_ABSENT);
}

static void image_bad_config(void **state)
{
	struct img_fx *x = *state;

	tt_mkdir(x->root, "/boot/config-7.2.0-tdx");
	tdx_read_image(x->t, x->image, "", &x->f);
	assert_int_equal(x->f.image_config.f.state, TDX_UNREADABLE);
	assert_int_equal(x->f.image_config.f.err, EISDIR);
}

static void image_ikconfig(void **state)
{
	struct img_fx *x = *state;
	char *path;
	uint8_t *img;
	size_t len;

	assert_int_equal(ti_mkimage("7.2.0-ik", "lz4", tdx_config, &img, &len), 0);
	tt_write_bin(x->dir, "vmlinuz-ik", img, len, 0);
	free(img);
	assert_true(asprintf(&path, "%s/vmlinuz-ik", x->dir) > 0);
	tdx_read_image(x->t, path, "", &x->f);
	assert_int_equal(x->f.image_config.f.state, TDX_KNOWN);
	assert_non_null(strstr(x->f.image_config.v, "IKCONFIG in "));
	assert_true(x->f.cfg_tdx_host.v);
	free(path);
}

/* A release from the image's header names files: one with '/' or '..' is refused. */
static void image_release_not_a_path(void **state)
{
	struct img_fx *x = *state;
	static const char *const bad[] = { "../../../etc/x (b@h) #1", "7.2/../x #1", "a/b #1" };
	uint8_t *img;
	size_t len, i;
	char *path;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(ti_mkimage(bad[i], "none", NULL, &img, &len), 0);
		tt_write_bin(x->dir, "vmlinuz-bad", img, len, 0);
		free(img);
		assert_true(asprintf(&path, "%s/vmlinuz-bad", x->dir) > 0);
		tdx_read_image(x->t, path, "", &x->f);
		assert_int_equal(x->f.image_config.f.state, TDX_UNREADABLE);
		assert_non_null(strstr(x->f.image_config.f.detail, "is not a release name"));
		assert_int_equal(x->f.cfg_tdx_host.f.state, TDX_UNREADABLE);
		free(path);
	}
}

static void image_not_a_kernel(void **state)
{
	struct img_fx *x = *state;
	char *path;

	tt_write(x->dir, "initrd.img", "070701 this is a cpio archive, not a kernel, really");
	assert_true(asprintf(&path, "%s/initrd.img", x->dir) > 0);
	tdx_read_image(x->t, path, "", &x->f);
	assert_int_equal(x->f.image_version.f.state, TDX_UNREADABLE);
	assert_non_null(strstr(x->f.image_version.f.detail, "initrd.img"));
	assert_int_equal(x->f.cfg_tdx_host.f.state, TDX_UNREADABLE);
	assert_string_equal(x->kx.err, "");	/* the library's own error is not left behind */
	free(path);
}

#define TI(fn) cmocka_unit_test_setup_teardown(fn, img_setup, img_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lz4_roundtrip), cmocka_unit_test(lz4_overlapping_match),
		cmocka_unit_test(lz4_corrupt), cmocka_unit_test(config_parse),
		cmocka_unit_test(ikconfig_gzip), cmocka_unit_test(ikconfig_lz4),
		cmocka_unit_test(ikconfig_zstd), cmocka_unit_test(ikconfig_corrupt),
		cmocka_unit_test(ikconfig_none),
		TI(image_boot_config), TI(image_sibling_config), TI(image_no_config),
		TI(image_bad_config), TI(image_ikconfig), TI(image_not_a_kernel),
		TI(image_release_not_a_path),
		/* these skip, saying why, where the machine lacks what they need */
		cmocka_unit_test(ikconfig_xz), cmocka_unit_test(lz4_cli),
		cmocka_unit_test(real_kernel_payload),
	};

	return cmocka_run_group_tests_name("tdx-image", tests, NULL, NULL);
}
