// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The loader's inputs: the sysroot (reads stay inside a recorded tree), the
 * kernel file (mapped, or decompressed from gzip/xz/zstd), the bzImage probe,
 * and the command line built from --reuse-cmdline and --append.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#ifdef HAVE_LZMA
#include <lzma.h>
#endif
#ifdef HAVE_ZSTD
#include <zstd.h>
#endif

#include "tests/helpers/testimage.h"
#include "tests/unit/unit.h"
#include "base/bytes.h"
#include "base/bzimage.h"
#include "base/file.h"
#include "kexec/load.h"
#include "kexec/precheck.h"

static char dir[64];

static void mkfile(const char *rel, const void *data, size_t len)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
}

static int setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/kx-inputs-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd);
}

/* Absolute symlinks and ".." in a recorded tree resolve inside the tree. */
static void test_sysroot_contained(void **state)
{
	struct kx_sysroot *root;
	char path[256], *buf;

	snprintf(path, sizeof(path), "%s/proc", dir);
	mkdir(path, 0755);
	mkfile("proc/cmdline", "inside\n", 7);
	snprintf(path, sizeof(path), "%s/escape", dir);
	assert_int_equal(symlink("/proc/cmdline", path), 0);
	assert_int_equal(kx_sysroot_new(dir, &root), 0);
	assert_false(kx_sysroot_is_host(root));
	assert_int_equal(kx_sysroot_read(root, "/escape", 100, &buf, NULL), 0);
	assert_string_equal(buf, "inside\n");
	free(buf);
	assert_int_equal(kx_sysroot_read(root, "/../../proc/cmdline", 100, &buf, NULL), 0);
	assert_string_equal(buf, "inside\n");
	free(buf);
	assert_int_equal(kx_sysroot_read(root, "/nope", 100, &buf, NULL), -ENOENT);
	assert_int_equal(kx_sysroot_read(root, "relative", 100, &buf, NULL), -EINVAL);
	assert_int_equal(kx_sysroot_read(root, "/proc", 100, &buf, NULL), -EISDIR);
	assert_int_equal(kx_sysroot_read(root, "/proc/cmdline", 3, &buf, NULL), -EFBIG);
	kx_sysroot_free(root);
	assert_int_equal(kx_sysroot_new("/nonexistent-kx", &root), -ENOENT);
}

/* /proc files report size 0; the reader must not trust st_size. */
static void test_sysroot_proc(void **state)
{
	struct kx_sysroot *root;
	char *buf;
	size_t len;

	assert_int_equal(kx_sysroot_new(NULL, &root), 0);
	assert_true(kx_sysroot_is_host(root));
	assert_int_equal(kx_sysroot_read(root, "/proc/self/status", 1 << 20, &buf, &len), 0);
	assert_true(len > 100);
	assert_non_null(strstr(buf, "Name:"));
	free(buf);
	kx_sysroot_free(root);
}

static size_t make_kernel(uint8_t *img, size_t size)
{
	struct ti_bzimage p;
	size_t i;

	memset(img, 0, size);
	ti_bzimage_defaults(&p);
	p.setup_sects = 4;
	p.version = "6.18.0-tdx (builder@host) #1 SMP PREEMPT_DYNAMIC";
	p.xloadflags = 0x3;
	p.init_size = 0x2000000;
	ti_bzimage_header(img, size, &p);
	for (i = 5 * 512; i < size; i++)
		img[i] = (uint8_t)(i * 7);
	return size;
}

static void open_and_probe(const char *rel, size_t want_size, enum kx_comp want)
{
	struct kx_file f = KX_FILE_INIT;
	struct unit_ctx u;
	struct kx_bzimage bz;
	char path[256], rel_out[64];

	unit_ctx_init(&u, NULL);
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	if (kx_file_open(&u.ctx, "kernel", path, true, &f) != 0)
		fail_msg("%s: %s", rel, u.ctx.err);
	assert_int_equal(f.comp, want);
	assert_int_equal(f.size, want_size);
	assert_true(f.mapped == (want == KX_COMP_NONE));
	assert_int_equal(kx_bzimage_parse(&u.ctx, rel, f.data, f.size, &bz), 0);
	assert_string_equal(bz.version, "6.18.0-tdx (builder@host) #1 SMP PREEMPT_DYNAMIC");
	kx_bzimage_release(&bz, rel_out, sizeof(rel_out));
	assert_string_equal(rel_out, "6.18.0-tdx");
	assert_int_equal(bz.setup_size, 5 * 512);
	assert_int_equal(bz.init_size, 0x2000000);
	kx_file_close(&f);
	unit_ctx_fini(&u);
}

static void test_kernel_files(void **state)
{
	static uint8_t img[256 * 1024], out[300 * 1024];
	size_t n = make_kernel(img, sizeof(img));
	uLongf zlen = sizeof(out);
	z_stream zs;

	mkfile("plain", img, n);
	open_and_probe("plain", n, KX_COMP_NONE);
	/* gzip framing (deflateInit2 with 16 + window bits) */
	memset(&zs, 0, sizeof(zs));
	assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, 16 + 15, 8, Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = img;
	zs.avail_in = (uInt)n;
	zs.next_out = out;
	zs.avail_out = (uInt)zlen;
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	mkfile("k.gz", out, zs.total_out);
	deflateEnd(&zs);
	open_and_probe("k.gz", n, KX_COMP_GZIP);
	/* a truncated gzip file is an error naming the file, not a crash */
	mkfile("trunc.gz", out, zs.total_out / 2);
	{
		struct kx_file f = KX_FILE_INIT;
		struct unit_ctx u;
		char path[256];

		unit_ctx_init(&u, NULL);
		snprintf(path, sizeof(path), "%s/trunc.gz", dir);
		assert_int_equal(kx_file_open(&u.ctx, "kernel", path, true, &f), -EBADMSG);
		assert_non_null(strstr(u.ctx.err, "trunc.gz: corrupt or truncated gzip data"));
		unit_ctx_fini(&u);
	}
#ifdef HAVE_LZMA
	{
		size_t pos = 0;

		assert_int_equal(lzma_easy_buffer_encode(6, LZMA_CHECK_CRC32, NULL, img, n, out, &pos,
							 sizeof(out)), LZMA_OK);
		mkfile("k.xz", out, pos);
		open_and_probe("k.xz", n, KX_COMP_XZ);
	}
#endif
#ifdef HAVE_ZSTD
	{
		size_t z = ZSTD_compress(out, sizeof(out), img, n, 3);

		assert_false(ZSTD_isError(z));
		mkfile("k.zst", out, z);
		open_and_probe("k.zst", n, KX_COMP_ZSTD);
	}
#endif
}

static void test_unsupported_compression(void **state)
{
	static const uint8_t lz4f[64] = { 0x04, 0x22, 0x4d, 0x18 }, bz2[64] = { 'B', 'Z', 'h', '9' };
	static const uint8_t lz4[64] = { 0x02, 0x21, 0x4c, 0x18 };
	struct kx_file f = KX_FILE_INIT;
	struct unit_ctx u;
	char path[256];

	unit_ctx_init(&u, NULL);
	mkfile("k.lz4", lz4f, sizeof(lz4f));
	snprintf(path, sizeof(path), "%s/k.lz4", dir);
	assert_int_equal(kx_file_open(&u.ctx, "kernel", path, true, &f), -ENOEXEC);
	assert_non_null(strstr(u.ctx.err, "is lz4 frame-compressed, which this build cannot "
			       "decompress; gzip"));
	/* the legacy frame Linux uses is decompressed; this one is not valid */
	mkfile("k.lz4l", lz4, sizeof(lz4));
	snprintf(path, sizeof(path), "%s/k.lz4l", dir);
	assert_int_equal(kx_file_open(&u.ctx, "kernel", path, true, &f), -EBADMSG);
	assert_non_null(strstr(u.ctx.err, "corrupt or truncated lz4 data"));
	mkfile("k.bz2", bz2, sizeof(bz2));
	snprintf(path, sizeof(path), "%s/k.bz2", dir);
	assert_int_equal(kx_file_open(&u.ctx, "kernel", path, true, &f), -ENOEXEC);
	assert_non_null(strstr(u.ctx.err, "bzip2"));
	/* without decompression a compressed initrd is passed as is */
	assert_int_equal(kx_file_open(&u.ctx, "initrd", path, false, &f), 0);
	assert_int_equal(f.size, sizeof(bz2));
	kx_file_close(&f);
	mkfile("empty", "", 0);
	snprintf(path, sizeof(path), "%s/empty", dir);
	assert_int_equal(kx_file_open(&u.ctx, "initrd", path, false, &f), -EINVAL);
	assert_non_null(strstr(u.ctx.err, "is empty"));
	assert_int_equal(kx_file_open(&u.ctx, "initrd", dir, false, &f), -EINVAL);
	assert_non_null(strstr(u.ctx.err, "is a directory; expected a regular file"));
	unit_ctx_fini(&u);
}

static void test_probe_rejects(void **state)
{
	static uint8_t img[8192];
	struct unit_ctx u;
	struct kx_bzimage bz;

	unit_ctx_init(&u, NULL);
	make_kernel(img, sizeof(img));
	kx_put16(img, KX_BZ_BOOT_FLAG, 0);
	assert_int_equal(kx_bzimage_parse(&u.ctx, "k", img, sizeof(img), &bz), -ENOEXEC);
	make_kernel(img, sizeof(img));
	img[KX_BZ_LOADFLAGS] = 0;
	assert_int_equal(kx_bzimage_parse(&u.ctx, "k", img, sizeof(img), &bz), -ENOEXEC);
	assert_non_null(strstr(u.ctx.err, "it is a zImage"));
	make_kernel(img, sizeof(img));
	kx_put32(img, KX_BZ_KERNEL_ALIGNMENT, 0x300000);
	assert_int_equal(kx_bzimage_parse(&u.ctx, "k", img, sizeof(img), &bz), -ENOEXEC);
	assert_non_null(strstr(u.ctx.err, "not a power of two"));
	make_kernel(img, sizeof(img));
	assert_int_equal(kx_bzimage_parse(&u.ctx, "k", img, 5 * 512, &bz), -ENOEXEC);
	assert_non_null(strstr(u.ctx.err, "fills the whole file"));
	memcpy(img, "\177ELF", 4);
	kx_put16(img, KX_BZ_BOOT_FLAG, 0);
	assert_int_equal(kx_bzimage_parse(&u.ctx, "vmlinux", img, sizeof(img), &bz), -ENOEXEC);
	assert_non_null(strstr(u.ctx.err, "vmlinux is an ELF file (an uncompressed vmlinux?)"));
	unit_ctx_fini(&u);
}

/* Each size in the header must agree with the file (base/bzimage.c check_sizes). */
static void test_probe_sizes(void **state)
{
	static uint8_t img[64 * 1024];
	size_t n = sizeof(img), setup = 5 * 512;
	struct unit_ctx u;
	struct kx_bzimage bz;
	struct {
		size_t off;
		uint32_t val;
		size_t len;
		const char *msg;
	} cases[] = {
		{ 0, 0, n - 1, "k is truncated: it has 65535 bytes, but its setup header says "
		  "(setup_sects 4 + 1) * 512 + syssize 0xf60 * 16 = 65536" },
		{ 0, 0, setup + 16, "k is truncated: it has 2576 bytes" },
		{ 0, 0, 2000, "its setup code (setup_sects 4: 2560 bytes) reaches past the end" },
		{ KX_BZ_SYSSIZE, 0, n, "k: its setup header says syssize 0" },
		{ KX_BZ_SYSSIZE, 0xf61, n, "syssize 0xf61 * 16 = 65552" },
		{ KX_BZ_SYSSIZE, 0xffffffff, n, "syssize 0xffffffff * 16 = 68719479280" },
		{ KX_BZ_PAYLOAD_LENGTH, 0xf600, n, "payload_length 0xf600) ends at byte 65792, "
		  "past the end of the protected-mode code (syssize * 16 = 62976 bytes)" },
		{ KX_BZ_PAYLOAD_OFFSET, 0xfffffff0, n, "payload_offset 0xfffffff0" },
		{ KX_BZ_INIT_SIZE, 0xf5ff, n, "init_size 0xf5ff is smaller than its protected-mode "
		  "code (syssize * 16 = 0xf600 bytes)" },
		{ KX_BZ_INIT_SIZE, 0, n, "init_size 0x0 is smaller" },
	};
	size_t i;

	unit_ctx_init(&u, NULL);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		make_kernel(img, n);
		if (cases[i].off)
			kx_put32(img, cases[i].off, cases[i].val);
		if (kx_bzimage_parse(&u.ctx, "k", img, cases[i].len, &bz) != -ENOEXEC ||
		    !strstr(u.ctx.err, cases[i].msg))
			fail_msg("case %zu: '%s'; expected '%s'", i, u.ctx.err, cases[i].msg);
	}
	/* a signature after the image is fine; the sizes are the header's */
	make_kernel(img, n);
	assert_int_equal(kx_bzimage_parse(&u.ctx, "k", img, n, &bz), 0);
	assert_int_equal(bz.kernel_size, n);
	kx_put32(img, KX_BZ_SYSSIZE, 0xf00);
	kx_put32(img, KX_BZ_PAYLOAD_LENGTH, 0x1000);
	assert_int_equal(kx_bzimage_parse(&u.ctx, "k", img, n, &bz), 0);
	assert_int_equal(bz.kernel_size, setup + 0xf000);
	unit_ctx_fini(&u);
}

/* A FIFO, a device or a directory: refused by name, at once (a FIFO without a writer). */
static void test_not_regular(void **state)
{
	struct kx_file f = KX_FILE_INIT;
	struct unit_ctx u;
	char fifo[256];
	uint64_t size;

	unit_ctx_init(&u, NULL);
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	alarm(10);	/* a blocking open would hang here */
	assert_int_equal(kx_file_open(&u.ctx, "kernel", fifo, true, &f), -EINVAL);
	assert_non_null(strstr(u.ctx.err, "/fifo is a FIFO; expected a regular file"));
	assert_int_equal(kx_file_open_fd(&u.ctx, "initrd", fifo, &size), -EINVAL);
	assert_int_equal(kx_file_open(&u.ctx, "kernel", "/dev/zero", true, &f), -EINVAL);
	assert_non_null(strstr(u.ctx.err, "kernel /dev/zero is a character device"));
	assert_int_equal(kx_file_open_fd(&u.ctx, "initrd", "/dev/null", &size), -EINVAL);
	assert_non_null(strstr(u.ctx.err, "initrd /dev/null is a character device"));
	assert_int_equal(kx_file_open(&u.ctx, "kernel", "/", true, &f), -EINVAL);
	assert_non_null(strstr(u.ctx.err, "kernel / is a directory"));
	alarm(0);
	unit_ctx_fini(&u);
}

/* Bombs of every compression stop at the header's size, or at once without a header. */
static void test_bombs(void **state)
{
	static const char *const comps[] = { "gzip", "xz", "zstd", "lz4" };
	struct kx_file f = KX_FILE_INIT;
	struct ti_bzimage p;
	struct unit_ctx u;
	uint8_t *img, *b;
	size_t len, blen, i;
	char path[256];

	ti_bzimage_defaults(&p);
	assert_int_equal(ti_bzimage_build(&p, &img, &len), 0);
	unit_ctx_init(&u, NULL);
	for (i = 0; i < sizeof(comps) / sizeof(comps[0]); i++) {
		if (ti_bomb(comps[i], img, len, 2048ULL << 20, &b, &blen) < 0)
			continue;	/* not in this build */
		mkfile("bomb", b, blen);
		free(b);
		snprintf(path, sizeof(path), "%s/bomb", dir);
		assert_int_equal(kx_file_open(&u.ctx, "kernel", path, true, &f), -EFBIG);
		assert_non_null(strstr(u.ctx.err, "decompresses to more than 2111488 bytes, the most "
				       "its bzImage header"));
		assert_int_equal(ti_bomb(comps[i], NULL, 0, 2048ULL << 20, &b, &blen), 0);
		mkfile("bomb", b, blen);
		free(b);
		assert_int_equal(kx_file_open(&u.ctx, "kernel", path, true, &f), -ENOEXEC);
		assert_non_null(strstr(u.ctx.err, "does not decompress to a kernel image"));
	}
	/* a whole compressed image still opens, to the byte */
	assert_int_equal(ti_bomb("gzip", img, len, 0, &b, &blen), 0);
	mkfile("k.gz", b, blen);
	free(b);
	snprintf(path, sizeof(path), "%s/k.gz", dir);
	assert_int_equal(kx_file_open(&u.ctx, "kernel", path, true, &f), 0);
	assert_int_equal(f.size, len);
	assert_memory_equal(f.data, img, len);
	kx_file_close(&f);
	free(img);
	unit_ctx_fini(&u);
}

/*
 * An LZ4 block whose first sequence has no literals, decoded into an empty
 * buffer: no memcpy(NULL, ..., 0) (UBSan's nonnull check in the sanitizer
 * build), and the match before any output is refused.
 */
static void test_lz4_no_literals(void **state)
{
	static const uint8_t f[] = { 0x02, 0x21, 0x4c, 0x18, 3, 0, 0, 0, 0x00, 0x01, 0x00 };
	static const uint8_t ok[] = { 0x02, 0x21, 0x4c, 0x18, 1, 0, 0, 0, 0x00, 0, 0, 0, 0 };
	uint8_t *out;
	size_t len;

	assert_int_equal(kx_lz4_legacy(f, sizeof(f), 1u << 20, &out, &len), -EBADMSG);
	/* an empty last sequence: nothing out, and the size 0 after it */
	assert_int_equal(kx_lz4_legacy(ok, sizeof(ok), 1u << 20, &out, &len), 0);
	assert_int_equal(len, 0);
	free(out);
}

/* A .lzma header that asks for a 2 GiB dictionary (found by fuzzing): refused, not allocated. */
static void test_lzma_dict(void **state)
{
#ifdef HAVE_LZMA
	uint8_t in[64] = { 0x5d, 0x00, 0x00, 0x00, 0x80 };	/* props, dictionary size */
	struct unit_ctx u;
	uint8_t *out;
	size_t len;

	memset(in + 5, 0xff, 8);	/* size unknown */
	unit_ctx_init(&u, NULL);
	assert_int_equal(kx_decompress(&u.ctx, "k", in, sizeof(in), KX_COMP_LZMA, 1u << 20, &out,
				       &len), -ENOBUFS);
	assert_non_null(strstr(u.ctx.err, "k: its lzma header asks for more than 128 MiB of "
			       "memory to decompress"));
	unit_ctx_fini(&u);
#else
	skip();
#endif
}

/* What kexec_file_load would refuse with EINVAL is said before the call. */
static void test_file_precheck(void **state)
{
	static uint8_t img[64 * 1024];
	struct unit_ctx u;
	struct kx_bzimage bz;
	char line[2100];

	unit_ctx_init(&u, NULL);
	make_kernel(img, sizeof(img));
	kx_put32(img, KX_BZ_CMDLINE_SIZE, 2047);
	assert_int_equal(kx_bzimage_parse(&u.ctx, "k", img, sizeof(img), &bz), 0);
	memset(line, 'a', sizeof(line));
	line[2016] = '\0';	/* 2017 bytes + 30 = 2047 */
	assert_int_equal(kx_cmdline_fits(&u.ctx, line, bz.cmdline_size, true), 0);
	assert_false(u.ctx.other_call);
	line[2016] = 'a';
	line[2017] = '\0';
	/* kexec_file_load keeps 30 bytes: -a may still try kexec_load (other_call) */
	assert_int_equal(kx_cmdline_fits(&u.ctx, line, bz.cmdline_size, true), -E2BIG);
	assert_true(u.ctx.other_call);
	assert_non_null(strstr(u.ctx.err, "the command line is 2018 bytes with its NUL; with "
			       "kexec_file_load this kernel takes at most 2017"));
	kx_clear_err(&u.ctx);
	u.ctx.other_call = false;
	/* init_size 32 MiB: more than half of 60 MiB of RAM, not of 64 MiB */
	assert_int_equal(kx_file_load_precheck(&u.ctx, "k", &bz, 64ULL << 20), 0);
	assert_int_equal(kx_file_load_precheck(&u.ctx, "k", &bz, 60ULL << 20), -EINVAL);
	assert_true(u.ctx.other_call);
	assert_non_null(strstr(u.ctx.err, "k: its init_size (32 MiB) is more than half of RAM "
			       "(MemTotal 60 MiB)"));
	unit_ctx_fini(&u);
}

/* /proc/cmdline with a NUL in it is refused, not cut there. */
static void test_cmdline_nul(void **state)
{
	struct kx_cmdline_req o = { .reuse = true };
	struct unit_ctx u;
	char path[256], *out = NULL;

	snprintf(path, sizeof(path), "%s/proc", dir);
	mkdir(path, 0755);
	mkfile("proc/cmdline", "root=/dev/vda1\0init=/bin/sh\n", 29);
	unit_ctx_init(&u, NULL);
	kx_sysroot_free(u.ctx.root);
	assert_int_equal(kx_sysroot_new(dir, &u.ctx.root), 0);
	assert_int_equal(kx_cmdline_build(&u.ctx, &o, &out, NULL), -EBADMSG);
	assert_null(out);
	assert_non_null(strstr(u.ctx.err, "--reuse-cmdline: /proc/cmdline holds a NUL byte at "
			       "offset 14; expected one line of text"));
	mkfile("proc/cmdline", "\0", 1);
	assert_int_equal(kx_cmdline_build(&u.ctx, &o, &out, NULL), -EBADMSG);
	unit_ctx_fini(&u);
}

static void cmdline_case(const char *proc, bool reuse, bool crash, const char *append,
			 const char *want)
{
	struct unit_ctx u;
	struct kx_cmdline_req o;
	char path[256], *out;

	snprintf(path, sizeof(path), "%s/proc", dir);
	mkdir(path, 0755);
	mkfile("proc/cmdline", proc, strlen(proc));
	memset(&o, 0, sizeof(o));
	o.reuse = reuse;
	o.crash = crash;
	o.append = append;
	unit_ctx_init(&u, NULL);
	kx_sysroot_free(u.ctx.root);
	assert_int_equal(kx_sysroot_new(dir, &u.ctx.root), 0);
	assert_int_equal(kx_cmdline_build(&u.ctx, &o, &out, NULL), 0);
	assert_string_equal(out, want);
	free(out);
	unit_ctx_fini(&u);
}

static void test_cmdline(void **state)
{
	const char *p = "BOOT_IMAGE=/boot/vmlinuz-6.1 root=UUID=1 ro crashkernel=512M-:192M quiet\n";

	cmdline_case(p, false, false, NULL, "");
	cmdline_case(p, false, false, "a=b", "a=b");
	cmdline_case(p, true, false, NULL, "root=UUID=1 ro crashkernel=512M-:192M quiet");
	cmdline_case(p, true, true, "irqpoll", "root=UUID=1 ro quiet irqpoll");
	cmdline_case("  x=\"BOOT_IMAGE=inside quotes\"   BOOT_IMAGE=/v  y\n", true, false, "z",
		     "x=\"BOOT_IMAGE=inside quotes\" y z");
	cmdline_case("crashkernelx=1 crashkernel=1\n", true, true, NULL, "crashkernelx=1");
	cmdline_case("\n", true, false, "", "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sysroot_contained),
		cmocka_unit_test(test_sysroot_proc),
		cmocka_unit_test(test_kernel_files),
		cmocka_unit_test(test_unsupported_compression),
		cmocka_unit_test(test_probe_rejects),
		cmocka_unit_test(test_cmdline),
		cmocka_unit_test(test_probe_sizes),
		cmocka_unit_test(test_not_regular),
		cmocka_unit_test(test_bombs),
		cmocka_unit_test(test_file_precheck),
		cmocka_unit_test(test_cmdline_nul),
		cmocka_unit_test(test_lzma_dict),
		cmocka_unit_test(test_lz4_no_literals),
	};

	return cmocka_run_group_tests_name("inputs", tests, setup, teardown);
}
