// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer targets for every parser that reads bytes it did not write.  One
 * binary: the environment variable KX_FUZZ_TARGET picks the parser, and
 * `fuzz-targets -list` lists them.  Targets that read files get them through
 * a sysroot in a temporary directory, so the real readers (openat2, the read
 * loop, the line splitter) are fuzzed, not copies.  Inputs with several parts
 * separate them with a line "##".  Build and run: tests/fuzz/run.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/bzimage.h"
#include "base/cpuinfo.h"
#include "base/ctx.h"
#include "base/decompress.h"
#include "base/htoken.h"
#include "base/image-bound.h"
#include "base/json.h"
#include "base/sysroot.h"
#include "base/uki.h"
#include "cli/options.h"
#include "freestanding/gate-record.h"
#include "kexec/load.h"
#include "kexec/memmap.h"
#include "kexec/crash.h"
#include "kexec/image.h"
#include "kexec/precheck.h"
#include "kexec/purgatory.h"
#include "kexec/staged.h"
#include "kexec/zeropage.h"
#include "tdx/tdx.h"
#include "tests/helpers/testimage.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* --- a sysroot in a temporary directory ------------------------------------ */

static char root_dir[64];
static struct kx_sysroot *root;
static struct kx_ctx ctx;
static struct tdx_ctx *tctx;
static struct tdx_facts facts;

static void cleanup(void)
{
	char cmd[128];

	if (!root_dir[0])
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "fuzz: cannot remove %s\n", root_dir);
}

static void mkdirs(const char *rel)
{
	char path[512], *p;

	snprintf(path, sizeof(path), "%s/%s", root_dir, rel);
	for (p = path + strlen(root_dir) + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
}

/* Write @rel (relative to the root) with @len bytes of @data. */
static void put(const char *rel, const void *data, size_t len)
{
	char path[512];
	int fd;

	mkdirs(rel);
	snprintf(path, sizeof(path), "%s/%s", root_dir, rel);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || (len && write(fd, data, len) != (ssize_t)len)) {
		perror(path);
		abort();
	}
	close(fd);
}

static void put_str(const char *rel, const char *s)
{
	put(rel, s, strlen(s));
}

static void drop(const char *rel)
{
	char path[512], cmd[600];

	snprintf(path, sizeof(path), "%s/%s", root_dir, rel);
	if (access(path, F_OK) != 0)
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
	if (system(cmd) != 0)
		abort();
}

static void setup_root(void)
{
	const char *tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";

	snprintf(root_dir, sizeof(root_dir), "%s/kx-fuzz-XXXXXX", tmp);
	if (!mkdtemp(root_dir) || kx_sysroot_new(root_dir, &root) < 0) {
		fprintf(stderr, "fuzz: cannot make a sysroot in %s\n", tmp);
		exit(1);
	}
	atexit(cleanup);
	ctx.root = root;
	if (tdx_ctx_new(&ctx, root, &tctx) < 0)
		exit(1);
}

/* Split @data at "##\n" into at most @n parts; returns how many. */
static size_t split(const uint8_t *data, size_t size, const uint8_t **part, size_t *len,
		    size_t n)
{
	size_t k = 0, start = 0, i;

	for (i = 0; i + 3 <= size && k + 1 < n; i++) {
		if (memcmp(data + i, "##\n", 3) != 0)
			continue;
		part[k] = data + start;
		len[k++] = i - start;
		start = i + 3;
		i += 2;
	}
	part[k] = data + start;
	len[k++] = size - start;
	return k;
}

static char *text(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* --- the targets ------------------------------------------------------------ */

/* The LZ4 legacy frame decoder. */
static void t_lz4(const uint8_t *data, size_t size)
{
	uint8_t *out;
	size_t len;

	if (kx_lz4_legacy(data, size, 64u << 20, &out, &len) == 0) {
		if (len > (64u << 20))
			abort();
		free(out);
	}
}

/* The decompressors, and the bound a kernel image's headers put on them. */
static void t_decompress(const uint8_t *data, size_t size)
{
	static const enum kx_comp comps[] = { KX_COMP_GZIP, KX_COMP_XZ, KX_COMP_LZMA,
					      KX_COMP_ZSTD, KX_COMP_LZ4, KX_COMP_BZIP2 };
	enum kx_comp c;
	char why[200];
	uint8_t *out;
	size_t len;

	if (size < 1)
		return;
	c = comps[data[0] % 6];
	kx_clear_err(&ctx);
	if (kx_decompress(&ctx, "fuzz", data + 1, size - 1, c, 1u << 20, &out, &len) == 0) {
		if (len > (1u << 20))
			abort();
		free(out);
	}
	if (kx_decompress_image(&ctx, "fuzz", data + 1, size - 1, c, &out, &len) == 0) {
		/* what came out is bounded by its own head, or fits in the head */
		if (len > KX_IMAGE_HEAD && len > kx_image_bound(out, len, why, sizeof(why)))
			abort();
		free(out);
	}
	kx_image_bound(data, size, why, sizeof(why));
}

/* The bzImage setup header, and what is read from it: release, bound, prechecks, IKCONFIG. */
static void t_bzimage(const uint8_t *data, size_t size)
{
	struct kx_bzimage bz;
	char rel[64], *cfg;
	size_t clen;

	kx_clear_err(&ctx);
	if (kx_bzimage_parse(&ctx, "fuzz", data, size, &bz) < 0)
		return;
	if (bz.kernel_size > size || bz.setup_size >= size)
		abort();
	kx_bzimage_release(&bz, rel, sizeof(rel));
	kx_cmdline_fits(&ctx, "console=ttyS0", bz.cmdline_size, true);
	kx_file_load_precheck(&ctx, "fuzz", &bz, 1ULL << 30);
	/* a big payload is slow to decompress, not more interesting */
	if (bz.payload_olen <= (8u << 20) && bz.init_size <= (64u << 20) &&
	    tdx_ikconfig(&ctx, &bz, &cfg, &clen) == 0) {
		tdx_config_parse("fuzz", cfg, clen, &facts);
		free(cfg);
	}
}

/* The command-line options (argv from NUL-separated words). */
static void t_options(const uint8_t *data, size_t size)
{
	char *buf = text(data, size), *argv[64];
	struct kx_opts o;
	int argc = 0;
	size_t i = 0;

	argv[argc++] = "kexec";
	while (i < size && argc < 63) {
		argv[argc++] = buf + i;
		i += strlen(buf + i) + 1;
	}
	argv[argc] = NULL;
	kx_clear_err(&ctx);
	optind = 0;
	kx_opts_parse(&ctx, &o, argc, argv);
	free(buf);
}

/* The new kernel's command line: /proc/cmdline, then --append. */
static void t_cmdline(const uint8_t *data, size_t size)
{
	const uint8_t *part[2];
	size_t len[2], n = split(data, size, part, len, 2);
	struct kx_cmdline_req r = { .reuse = true, .crash = size && (data[0] & 1) };
	char *append = n > 1 ? text(part[1], len[1]) : NULL, *out;

	put("proc/cmdline", part[0], len[0]);
	r.append = append;
	kx_clear_err(&ctx);
	if (kx_cmdline_build(&ctx, &r, &out, NULL) == 0) {
		if (strlen(out) > len[0] + (append ? strlen(append) : 0) + 1)
			abort();
		free(out);
	}
	free(append);
}

/* /sys/kernel/btf/vmlinux, for tdx_sys_disable and cache_state_incoherent. */
static void t_btf(const uint8_t *data, size_t size)
{
	put("sys/kernel/btf/vmlinux", data, size);
	drop("proc/kallsyms");
	memset(&facts, 0, sizeof(facts));
	tdx_read_disable_path(tctx, &facts);
	tdx_read_kexec_flush(tctx, &facts);
}

/* /proc/kallsyms, without BTF. */
static void t_kallsyms(const uint8_t *data, size_t size)
{
	drop("sys/kernel/btf/vmlinux");
	put("proc/kallsyms", data, size);
	memset(&facts, 0, sizeof(facts));
	tdx_read_disable_path(tctx, &facts);
	tdx_read_kexec_flush(tctx, &facts);
}

/* /dev/kmsg records (a plain file in the same format). */
static void t_kmsg(const uint8_t *data, size_t size)
{
	put("dev/kmsg", data, size);
	memset(&facts, 0, sizeof(facts));
	tdx_read_kmsg(tctx, &facts);
}

/* /proc/cpuinfo: the base reader and the TDX facts from it. */
static void t_cpuinfo(const uint8_t *data, size_t size)
{
	struct kx_cpuinfo ci;

	put("proc/cpuinfo", data, size);
	kx_clear_err(&ctx);
	if (kx_cpuinfo_read(&ctx, &ci) == 0)
		kx_cpuinfo_free(&ci);
	memset(&facts, 0, sizeof(facts));
	tdx_read_cpuinfo(tctx, &facts);
}

/* The misc cgroup: misc.capacity ## misc.current ## a child's misc.current. */
static void t_misc(const uint8_t *data, size_t size)
{
	const uint8_t *part[3];
	size_t len[3], n = split(data, size, part, len, 3);

	put("sys/fs/cgroup/misc.capacity", part[0], len[0]);
	if (n > 1)
		put("sys/fs/cgroup/misc.current", part[1], len[1]);
	else
		drop("sys/fs/cgroup/misc.current");
	if (n > 2)
		put("sys/fs/cgroup/machine.slice/misc.current", part[2], len[2]);
	else
		drop("sys/fs/cgroup/machine.slice");
	memset(&facts, 0, sizeof(facts));
	tdx_read_misc(tctx, &facts);
	tdx_read_live_tds(tctx, &facts);
}

/* /etc/kexec-tdx.conf. */
static void t_policy(const uint8_t *data, size_t size)
{
	put("etc/kexec-tdx.conf", data, size);
	memset(&facts, 0, sizeof(facts));
	tdx_read_conf(tctx, &facts);
}

/* A kernel .config (from /boot, next to the image, or IKCONFIG). */
static void t_config(const uint8_t *data, size_t size)
{
	char *s = text(data, size);

	memset(&facts, 0, sizeof(facts));
	tdx_config_parse("fuzz", s, size, &facts);
	free(s);
}

static struct kx_memmap map;

/* /sys/firmware/memmap: each three lines are one entry's start, end and type. */
static void t_memmap(const uint8_t *data, size_t size)
{
	static unsigned int written;
	const char *f[3] = { "start", "end", "type" };
	char rel[96], *s = text(data, size), *line, *save = NULL;
	unsigned int n = 0, i;

	for (line = strtok_r(s, "\n", &save); line && n < 3 * 48;
	     line = strtok_r(NULL, "\n", &save), n++) {
		snprintf(rel, sizeof(rel), "sys/firmware/memmap/%u/%s", n / 3, f[n % 3]);
		put_str(rel, line);
	}
	if (n % 3 == 1 || n % 3 == 2) {	/* an entry with missing files */
		snprintf(rel, sizeof(rel), "sys/firmware/memmap/%u/type", n / 3);
		drop(rel);
	}
	for (i = (n + 2) / 3; i < written; i++) {
		snprintf(rel, sizeof(rel), "sys/firmware/memmap/%u", i);
		drop(rel);
	}
	written = (n + 2) / 3;
	free(s);
	kx_clear_err(&ctx);
	if (kx_memmap_read(&ctx, &map) == 0 && map.nr > KX_MAX_RANGES)
		abort();
}

/* /proc/iomem: the map, the crash reservation, the walk. */
static void t_iomem(const uint8_t *data, size_t size)
{
	struct kx_range r;

	put("proc/iomem", data, size);
	kx_clear_err(&ctx);
	kx_memmap_read_iomem(&ctx, &map);
	kx_clear_err(&ctx);
	kx_crash_range(&ctx, &r);
}

/* setup_data nodes (type ## data, twice) and the gate record in them; then --tdx-verify. */
static void t_gate(const uint8_t *data, size_t size)
{
	const uint8_t *part[4];
	size_t len[4], n = split(data, size, part, len, 4), i;
	struct tdx_gate_found g;
	struct tdx_report *rep;
	char rel[96];

	drop("sys/kernel/boot_params/setup_data");
	for (i = 0; i + 1 < n; i += 2) {
		snprintf(rel, sizeof(rel), "sys/kernel/boot_params/setup_data/%zu/type", i / 2);
		put(rel, part[i], len[i]);
		snprintf(rel, sizeof(rel), "sys/kernel/boot_params/setup_data/%zu/data", i / 2);
		put(rel, part[i + 1], len[i + 1]);
	}
	rep = calloc(1, sizeof(*rep));
	if (!rep)
		abort();
	memset(&facts, 0, sizeof(facts));
	tdx_verify(&facts, tdx_gate_record_read(tctx, &g) == 0 ? &g.rec : NULL, rep);
	free(rep);
}

static struct kx_bzimage zp_bz;
static uint8_t *zp_img;

/* This boot's boot_params ## EFI systab ## the EFI runtime map, for the new zero page. */
static void t_zeropage(const uint8_t *data, size_t size)
{
	const uint8_t *part[3];
	size_t len[3], n = split(data, size, part, len, 3);
	struct kx_load_req req = { .cmdline = "console=ttyS0 root=/dev/vda1" };
	struct kx_zeropage zp;
	char *s, *line, *save = NULL, rel[96];
	unsigned int i = 0;

	put("sys/kernel/boot_params/data", part[0], len[0]);
	put("sys/firmware/efi/systab", n > 1 ? part[1] : NULL, n > 1 ? len[1] : 0);
	drop("sys/firmware/efi/runtime-map");
	s = text(n > 2 ? part[2] : NULL, n > 2 ? len[2] : 0);
	for (line = strtok_r(s, "\n", &save); line && i < 5 * 16;
	     line = strtok_r(NULL, "\n", &save), i++) {
		static const char *const fld[] = { "type", "phys_addr", "virt_addr", "num_pages",
						   "attribute" };

		snprintf(rel, sizeof(rel), "sys/firmware/efi/runtime-map/%u/%s", i / 5, fld[i % 5]);
		put_str(rel, line);
	}
	free(s);
	req.noefi = size && (data[size - 1] & 1);
	kx_clear_err(&ctx);
	if (kx_zp_prepare(&ctx, &zp, &req, &zp_bz, &map, NULL, 0) == 0)
		kx_zp_finish(&ctx, &zp, &zp_bz, 0x90000, 0x10000000, 0x100000);
	kx_zp_free(&zp);
}

static void zeropage_init(void)
{
	struct ti_bzimage p;
	size_t len;

	ti_bzimage_defaults(&p);
	p.payload_len = 4096;
	p.init_size = 1u << 20;
	if (ti_bzimage_build(&p, &zp_img, &len) < 0 ||
	    kx_bzimage_parse(&ctx, "fuzz", zp_img, len, &zp_bz) < 0)
		abort();
	map.nr = 3;
	map.r[0] = (struct kx_range){ 0, 0x9fbff, KX_MEM_RAM };
	map.r[1] = (struct kx_range){ 0x9fc00, 0xfffff, KX_MEM_RESERVED };
	map.r[2] = (struct kx_range){ 0x100000, 0x7fffffff, KX_MEM_RAM };
	put_str("sys/firmware/efi/fw_vendor", "0x7f000000\n");
	put_str("sys/firmware/efi/runtime", "0x7f001000\n");
	put_str("sys/firmware/efi/config_table", "0x7f002000\n");
}

/* The purgatory ELF loader: raw bytes (even first byte) or mutations of the real one. */
static void t_purgatory(const uint8_t *data, size_t size)
{
	struct kx_purgatory *p = NULL;
	uint64_t bufsz, memsz, align;
	uint8_t *elf = NULL;
	size_t i;

	if (size < 1)
		return;
	if (data[0] & 1) {
		elf = malloc(kx_purgatory_blob_size);
		if (!elf)
			abort();
		memcpy(elf, kx_purgatory_blob, kx_purgatory_blob_size);
		for (i = 1; i + 4 <= size; i += 4) {
			uint32_t at = ((uint32_t)data[i] << 16 | (uint32_t)data[i + 1] << 8 |
				       data[i + 2]) % kx_purgatory_blob_size;

			elf[at] = data[i + 3];
		}
		data = elf;
		size = kx_purgatory_blob_size;
	} else {
		data++;
		size--;
	}
	kx_clear_err(&ctx);
	if (kx_purgatory_new(&ctx, data, size, &p) == 0) {
		kx_purgatory_size(p, &bufsz, &memsz, &align);
		if (memsz < (64u << 20))
			kx_purgatory_relocate(&ctx, p, 0x100000);
		kx_purgatory_free(p);
	}
	free(elf);
}

/*
 * A PE image as a UKI, profiles 0 to 2, and its .cmdline.  An odd first byte
 * puts the rest behind a real DOS and PE header, which random bytes rarely
 * reach.
 */
static void t_uki(const uint8_t *data, size_t size)
{
	static const uint8_t hdr[0x40] = { 'M', 'Z', [0x3c] = 0x40 };
	uint8_t *img = NULL;
	struct kx_uki u;
	unsigned int p;
	char *cmd;

	if (size < 1)
		return;
	if (data[0] & 1) {
		img = malloc(size + 0x46);
		if (!img)
			abort();
		memcpy(img, hdr, sizeof(hdr));
		memcpy(img + 0x40, "PE\0\0\x64\x86", 6);
		memcpy(img + 0x46, data + 1, size - 1);
		data = img;
		size += 0x45;
	} else {
		data++;
		size--;
	}
	for (p = 0; p < 3; p++) {
		kx_clear_err(&ctx);
		if (kx_uki_parse(&ctx, "fuzz", data, size, p, &u) < 0)
			continue;
		if (kx_uki_cmdline(&u, &cmd) == 0)
			free(cmd);
		kx_uki_free(&u);
	}
	free(img);
}

/* An ELF vmlinux's headers, as the elf-x86_64 type reads them. */
static void t_elf(const uint8_t *data, size_t size)
{
	char line[256];

	kx_clear_err(&ctx);
	if (kx_elf_x86_64_probe(&ctx, "fuzz", data, size) == 0)
		kx_elf_x86_64_describe(&ctx, "fuzz", data, size, line, sizeof(line));
}

/* A command line with a handover token: what parses formats back to the same word. */
static void t_htoken(const uint8_t *data, size_t size)
{
	char *line = text(data, size), why[160], word[KX_HTOKEN_MAX + 1];
	struct kx_htoken t;
	const char *v;
	size_t n;

	if (kx_htoken_find(line, &v, &n) && kx_htoken_parse(v, n, &t, why, sizeof(why)) == 0) {
		if (kx_htoken_format(&t, word, sizeof(word)) < 0 ||
		    strncmp(word + strlen(KX_HTOKEN_NAME) + 1, v, n) != 0 ||
		    strlen(word) != strlen(KX_HTOKEN_NAME) + 1 + n)
			abort();
	}
	free(line);
}

/* bootctl list --json=short, as the reboot check reads it (and one value alone). */
static void t_json(const uint8_t *data, size_t size)
{
	struct kx_json *v = NULL;
	char err[160];
	size_t i;

	if (kx_json_parse((const char *)data, size, true, &v, err, sizeof(err)) == 0) {
		for (i = 0; i < v->n; i++) {
			kx_json_get_str(&v->item[i], "linux");
			kx_json_get_bool(&v->item[i], "isDefault");
		}
		kx_json_free(v);
	}
	if (kx_json_parse((const char *)data, size, false, &v, err, sizeof(err)) == 0)
		kx_json_free(v);
}

/* kexec-tdx's records: the staged record and the reboot check's decision, as files. */
static void t_records(const uint8_t *data, size_t size)
{
	char dir[96];
	struct kx_staged s;
	struct kx_decision d;

	snprintf(dir, sizeof(dir), "%s/records", root_dir);
	put("records/staged", data, size);
	put("records/last-kexec", data, size);
	kx_clear_err(&ctx);
	if (kx_staged_read(&ctx, dir, false, &s) == 0) {
		struct kx_load_req req;

		kx_staged_to_req(&s, &req);
		kx_staged_free(&s);
	}
	kx_decision_read(&ctx, dir, &d);
}

struct target {
	const char *name;
	void (*fn)(const uint8_t *data, size_t size);
	void (*init)(void);
};

static const struct target targets[] = {
	{ "lz4", t_lz4, NULL },
	{ "decompress", t_decompress, NULL },
	{ "bzimage", t_bzimage, NULL },
	{ "options", t_options, NULL },
	{ "cmdline", t_cmdline, NULL },
	{ "btf", t_btf, NULL },
	{ "kallsyms", t_kallsyms, NULL },
	{ "kmsg", t_kmsg, NULL },
	{ "cpuinfo", t_cpuinfo, NULL },
	{ "misc", t_misc, NULL },
	{ "policy", t_policy, NULL },
	{ "config", t_config, NULL },
	{ "memmap", t_memmap, NULL },
	{ "iomem", t_iomem, NULL },
	{ "gate", t_gate, NULL },
	{ "zeropage", t_zeropage, zeropage_init },
	{ "purgatory", t_purgatory, NULL },
	{ "uki", t_uki, NULL },
	{ "elf", t_elf, NULL },
	{ "htoken", t_htoken, NULL },
	{ "json", t_json, NULL },
	{ "records", t_records, NULL },
	{ NULL, NULL, NULL },
};

static const struct target *target;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *name = getenv("KX_FUZZ_TARGET");
	const struct target *t;

	if (*argc > 1 && strcmp((*argv)[1], "-list") == 0) {
		for (t = targets; t->name; t++)
			puts(t->name);
		exit(0);
	}
	for (t = targets; name && t->name; t++)
		if (strcmp(t->name, name) == 0)
			target = t;
	if (!target) {
		fprintf(stderr, "fuzz: set KX_FUZZ_TARGET to one of:");
		for (t = targets; t->name; t++)
			fprintf(stderr, " %s", t->name);
		fputc('\n', stderr);
		exit(2);
	}
	setup_root();
	if (target->init)
		target->init();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	target->fn(data, size);
	return 0;
}
