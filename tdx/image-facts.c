// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Facts about the kernel being loaded: its version string (setup header),
 * its configuration, and its command line.  The configuration comes from
 * /boot/config-<release> under the sysroot, then config-<release> next to
 * the image, then the image itself when it was built with CONFIG_IKCONFIG
 * (kernel/configs.c wraps the gzip'd .config in "IKCFG_ST" ... "IKCFG_ED";
 * scripts/extract-ikconfig looks for the same marker).  The files come
 * first because finding IKCONFIG means decompressing the whole payload,
 * which takes far longer than the rest of the preflight.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/iface.h"
#include "base/bzimage.h"
#include "base/uki.h"
#include "base/ctx.h"
#include "tdx/tdx-internal.h"
#include "base/file.h"
#include "base/sysroot.h"

#define CONFIG_MAX (8u << 20)

struct cfg_opt {
	const char *name;
	size_t off;	/* of the struct tdx_bool in struct tdx_facts */
};

static const struct cfg_opt cfg_opts[] = {
	{ "CONFIG_INTEL_TDX_HOST", offsetof(struct tdx_facts, cfg_tdx_host) },
	{ "CONFIG_HIBERNATION", offsetof(struct tdx_facts, cfg_hibernation) },
};

#define NR_CFG (sizeof(cfg_opts) / sizeof(cfg_opts[0]))

static struct tdx_bool *cfg_fact(struct tdx_facts *f, size_t i)
{
	return (struct tdx_bool *)((char *)f + cfg_opts[i].off);
}

/* One .config line; @seen counts CONFIG_ assignments. */
static int config_line(struct tdx_facts *f, const char *line, bool *yes, unsigned int *seen)
{
	const char *eq;
	size_t i;

	if (strncmp(line, "# CONFIG_", 9) == 0 && strstr(line, " is not set")) {
		(*seen)++;
		return 0;
	}
	if (!*line || *line == '#')
		return 0;
	eq = strchr(line, '=');
	if (strncmp(line, "CONFIG_", 7) != 0 || !eq || eq == line + 7)
		return -EBADMSG;
	(*seen)++;
	for (i = 0; i < NR_CFG; i++)
		if (strlen(cfg_opts[i].name) == (size_t)(eq - line) &&
		    strncmp(line, cfg_opts[i].name, (size_t)(eq - line)) == 0)
			yes[i] = strcmp(eq + 1, "y") == 0;
	return 0;
}

int tdx_config_parse(const char *name, const char *text, size_t len, struct tdx_facts *f)
{
	bool yes[NR_CFG] = { false };
	unsigned int no = 1, seen = 0;
	const char *p = text, *nl;
	char line[512];
	size_t i;

	if (!f->image_config.f.source[0])
		tdx_fact_source(&f->image_config.f, "%s", name);
	for (; p < text + len; p = nl + 1, no++) {
		nl = memchr(p, '\n', (size_t)(text + len - p));
		if (!nl)
			nl = text + len;
		if ((size_t)(nl - p) >= sizeof(line) || memchr(p, '\0', (size_t)(nl - p)))
			goto bad;
		memcpy(line, p, (size_t)(nl - p));
		line[nl - p] = '\0';
		if (config_line(f, line, yes, &seen) < 0)
			goto bad;
	}
	if (!seen) {
		tdx_fact_malformed(&f->image_config.f, "no CONFIG_ lines; expected a kernel "
				   ".config");
		return -EBADMSG;
	}
	for (i = 0; i < NR_CFG; i++) {
		cfg_fact(f, i)->v = yes[i];
		tdx_fact_known(&cfg_fact(f, i)->f);
	}
	return 0;
bad:
	tdx_fact_malformed(&f->image_config.f, "line %u: expected CONFIG_<name>=<value> or a "
			   "# comment", no);
	return -EBADMSG;
}

/*
 * The kernel inside the bzImage (a vmlinux), decompressed: never more than
 * the size the build appended to it, or init_size, which must hold it.
 */
static int unpack_payload(struct kx_ctx *kx, const struct kx_bzimage *bz, const uint8_t *p,
			  size_t len, uint8_t **out, size_t *outlen)
{
	enum kx_comp c = kx_comp_detect(p, len);
	size_t max = bz->payload_olen ? bz->payload_olen : bz->init_size;

	if (c != KX_COMP_NONE)
		return kx_decompress(kx, "the kernel inside the bzImage", p, len, c,
				     max < KX_MAX_DECOMPRESSED ? max : KX_MAX_DECOMPRESSED, out,
				     outlen);
	*out = malloc(len ? len : 1);
	if (!*out)
		return -ENOMEM;
	memcpy(*out, p, len);
	*outlen = len;
	return 0;
}

/*
 * kernel/configs.c: "IKCFG_ST", the gzip'd .config, "IKCFG_ED".  -ENOENT
 * without the start marker; a start without an end, or a config that does not
 * decompress, is an error (ctx->err), never "no IKCONFIG".
 */
int tdx_ikconfig(struct kx_ctx *kx, const struct kx_bzimage *bz, char **text, size_t *len)
{
	static const char marker[] = "IKCFG_ST\x1f\x8b";
	size_t start = bz->setup_size + bz->payload_offset, vlen, glen;
	uint8_t *vm, *cfg = NULL;
	const uint8_t *m, *e;
	int rc;

	if (!bz->payload_length || start > bz->size || bz->payload_length > bz->size - start)
		return -ENOENT;
	rc = unpack_payload(kx, bz, bz->data + start, bz->payload_length, &vm, &vlen);
	if (rc < 0)
		return rc;
	m = memmem(vm, vlen, marker, sizeof(marker) - 1);
	e = m ? memmem(m + 8, vlen - (size_t)(m + 8 - vm), "IKCFG_ED", 8) : NULL;
	if (!m || !e) {
		free(vm);
		return m ? kx_fail(kx, -EBADMSG, "the kernel inside the bzImage has IKCFG_ST "
				   "without IKCFG_ED; expected the configuration between them") :
			   -ENOENT;
	}
	rc = kx_decompress(kx, "IKCONFIG", m + 8, (size_t)(e - m - 8), KX_COMP_GZIP, CONFIG_MAX,
			   &cfg, &glen);
	free(vm);
	if (rc < 0)
		return rc;
	*text = (char *)cfg;
	*len = glen;
	return 0;
}

/* config-<release> next to the image: a path the user gave, like the image's. */
static int read_sibling(const char *image, const char *release, char *path, size_t size,
			char **buf, size_t *len)
{
	const char *slash = strrchr(image, '/');
	struct kx_ctx tmp = { 0 };
	struct kx_file k = KX_FILE_INIT;
	int rc;

	if (slash)
		snprintf(path, size, "%.*s/config-%s", (int)(slash - image), image, release);
	else
		snprintf(path, size, "config-%s", release);
	if (access(path, R_OK) < 0)
		return -errno;
	rc = kx_file_open(&tmp, "config", path, false, &k);
	if (rc < 0)
		return rc;
	*buf = malloc(k.size + 1);
	if (*buf) {
		memcpy(*buf, k.data, k.size);
		(*buf)[k.size] = '\0';
		*len = k.size;
	}
	kx_file_close(&k);
	return *buf ? 0 : -ENOMEM;
}

static void set_config_source(struct tdx_facts *f, const char *src)
{
	tdx_copy_str(f->image_config.v, sizeof(f->image_config.v), src, strlen(src));
	tdx_fact_source(&f->image_config.f, "%s", src);
}

/* Find and parse the image's configuration. */
static void image_config(struct tdx_ctx *t, const char *path, const struct kx_bzimage *bz,
			 const char *release, struct tdx_facts *f)
{
	struct tdx_fact *fact = &f->image_config.f;
	char src[160], *text = NULL;
	size_t len = 0;
	int rc;

	/* the release names files (/boot/config-<release>): it must not be a path */
	if (strchr(release, '/') || strstr(release, "..") || !release[0]) {
		tdx_fact_init(fact, path);
		tdx_fact_malformed(fact, "the kernel release '%.60s' in its setup header is not a "
				   "release name (it is empty, or holds '/' or '..')", release);
		tdx_fact_copy(&f->cfg_tdx_host.f, fact);
		tdx_fact_copy(&f->cfg_hibernation.f, fact);
		return;
	}
	kx_if_fmt(src, sizeof(src), KX_IF_BOOT_CONFIG, release);
	tdx_fact_init(fact, src);
	rc = tdx_read_text(t, src, CONFIG_MAX, &text, &len, fact);
	if (rc == -ENOENT)
		rc = read_sibling(path, release, src, sizeof(src), &text, &len);
	if (rc == -ENOENT) {
		kx_clear_err(&t->kx);
		rc = tdx_ikconfig(&t->kx, bz, &text, &len);
		snprintf(src, sizeof(src), "IKCONFIG in %s", path);
	}
	if (rc == 0) {
		set_config_source(f, src);
		if (tdx_config_parse(src, text, len, f) == 0)
			tdx_fact_known(fact);
	} else if (rc == -ENOENT) {
		tdx_fact_init(fact, "");
		kx_if_fmt(fact->source, sizeof(fact->source), KX_IF_BOOT_CONFIG, release);
		tdx_fact_errno(fact, ENOENT);
	} else if (fact->state == TDX_NOT_READ) {
		tdx_fact_source(fact, "%s", src);
		tdx_fact_errno(fact, rc);
		if (t->kx.err[0])	/* why the image's IKCONFIG could not be read */
			tdx_fact_detail(fact, "%s", t->kx.err);
	}
	free(text);
	tdx_fact_copy(&f->cfg_tdx_host.f, fact);
	tdx_fact_copy(&f->cfg_hibernation.f, fact);
}

static void image_facts_init(const char *path, struct tdx_facts *f)
{
	tdx_fact_init(&f->image_version.f, path);
	tdx_fact_init(&f->image_config.f, path);
	tdx_fact_init(&f->cfg_tdx_host.f, path);
	tdx_fact_init(&f->cfg_hibernation.f, path);
}

static void set_cmdline(const char *cmdline, struct tdx_facts *f)
{
	tdx_fact_init(&f->cmdline.f, "the new command line");
	if (!cmdline)
		return;
	if (strlen(cmdline) >= sizeof(f->cmdline.v)) {
		tdx_fact_malformed(&f->cmdline.f, "longer than %zu bytes",
				   sizeof(f->cmdline.v) - 1);
		return;
	}
	snprintf(f->cmdline.v, sizeof(f->cmdline.v), "%s", cmdline);
	tdx_fact_known(&f->cmdline.f);
}

/* The bzImage: the file, or a unified kernel image's .linux (of its base or profile 0). */
static int image_bzimage(struct tdx_ctx *t, const char *path, struct kx_file *k,
			 struct kx_bzimage *bz)
{
	struct kx_uki u;
	int rc;

	if (!kx_uki_looks_like(k->data, k->size))
		return kx_bzimage_parse(&t->kx, path, k->data, k->size, bz);
	rc = kx_uki_parse(&t->kx, path, k->data, k->size, 0, &u);
	if (rc < 0)
		return rc;
	/* bz points into the mapped file, which outlives the parse */
	rc = kx_bzimage_parse(&t->kx, path, u.part[KX_UKI_LINUX].data,
			      u.part[KX_UKI_LINUX].size, bz);
	kx_uki_free(&u);
	return rc;
}

int tdx_read_image(struct tdx_ctx *t, const char *path, const char *cmdline, struct tdx_facts *f)
{
	struct kx_file k = KX_FILE_INIT;
	char release[128];
	struct kx_bzimage bz;

	set_cmdline(cmdline, f);
	image_facts_init(path, f);
	if (!path)
		return 0;
	kx_clear_err(&t->kx);
	if (kx_file_open(&t->kx, "kernel", path, true, &k) < 0 ||
	    image_bzimage(t, path, &k, &bz) < 0) {
		f->image_version.f.state = TDX_UNREADABLE;
		f->image_version.f.err = EINVAL;
		tdx_fact_detail(&f->image_version.f, "%s", t->kx.err);
		tdx_fact_copy(&f->image_config.f, &f->image_version.f);
		tdx_fact_copy(&f->cfg_tdx_host.f, &f->image_version.f);
		tdx_fact_copy(&f->cfg_hibernation.f, &f->image_version.f);
	} else if (!bz.version[0]) {
		tdx_fact_errno(&f->image_version.f, ENOENT);
		tdx_fact_copy(&f->image_config.f, &f->image_version.f);
		tdx_fact_copy(&f->cfg_tdx_host.f, &f->image_version.f);
		tdx_fact_copy(&f->cfg_hibernation.f, &f->image_version.f);
	} else {
		tdx_copy_str(f->image_version.v, sizeof(f->image_version.v), bz.version,
			     sizeof(bz.version));
		tdx_fact_known(&f->image_version.f);
		kx_bzimage_release(&bz, release, sizeof(release));
		image_config(t, path, &bz, release, f);
	}
	kx_file_close(&k);
	return 0;
}
