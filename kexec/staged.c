// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/ctx.h"
#include "base/iface.h"
#include "base/io.h"
#include "base/kvfile.h"
#include "base/parse.h"
#include "base/sysroot.h"
#include "freestanding/sha256.h"
#include "kexec/staged.h"

int kx_staged_path(const char *dir, bool crash, char *out, size_t len)
{
	int n = snprintf(out, len, "%s/%s", dir, crash ? "staged-crash" : "staged");

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int kx_file_sha256_hex(struct kx_ctx *ctx, const char *path, char hex[KX_SHA256_HEX])
{
	static const char digits[] = "0123456789abcdef";
	uint8_t buf[65536], out[KX_SHA256_LEN];
	struct kx_sha256 s;
	ssize_t r;
	int fd = open(path, O_RDONLY | O_CLOEXEC), i;

	if (fd < 0)
		return kx_fail(ctx, -errno, "cannot open %s: %s", path, strerror(errno));
	kx_sha256_init(&s);
	while ((r = kx_read(fd, buf, sizeof(buf))) > 0)
		kx_sha256_update(&s, buf, (size_t)r);
	close(fd);
	if (r < 0)
		return kx_fail(ctx, (int)r, "cannot read %s: %s", path, strerror((int)-r));
	kx_sha256_final(&s, out);
	for (i = 0; i < KX_SHA256_LEN; i++) {
		hex[2 * i] = digits[out[i] >> 4];
		hex[2 * i + 1] = digits[out[i] & 15];
	}
	hex[2 * KX_SHA256_LEN] = '\0';
	return 0;
}

void kx_boot_id(struct kx_ctx *ctx, char out[40])
{
	char *buf = NULL;
	size_t len;

	out[0] = '\0';
	if (kx_sysroot_read(ctx->root, kx_if(KX_IF_BOOT_ID), 64, &buf, &len) == 0) {
		buf[strcspn(buf, "\n")] = '\0';
		snprintf(out, 40, "%s", buf);
	}
	free(buf);
}

void kx_staged_free(struct kx_staged *s)
{
	free(s->image);
	free(s->initrd);
	free(s->cmdline);
	free(s->type);
	memset(s, 0, sizeof(*s));
}

static int absolute(struct kx_ctx *ctx, const char *path, char **out)
{
	*out = realpath(path, NULL);
	if (!*out)
		return kx_fail(ctx, -errno, "cannot resolve %s: %s", path, strerror(errno));
	return 0;
}

static int dup_str(const char *s, char **out)
{
	*out = s ? strdup(s) : NULL;
	return s && !*out ? -ENOMEM : 0;
}

int kx_staged_from_req(struct kx_ctx *ctx, const struct kx_load_req *req, bool file_syscall,
		       struct kx_staged *s)
{
	int rc;

	memset(s, 0, sizeof(*s));
	s->crash = req->crash;
	s->file_syscall = file_syscall;
	rc = absolute(ctx, req->kernel, &s->image);
	if (rc == 0 && req->initrd)
		rc = absolute(ctx, req->initrd, &s->initrd);
	if (rc == 0)
		rc = kx_file_sha256_hex(ctx, s->image, s->image_sha256);
	if (rc == 0 && s->initrd)
		rc = kx_file_sha256_hex(ctx, s->initrd, s->initrd_sha256);
	if (rc == 0 && (dup_str(req->cmdline ? req->cmdline : "", &s->cmdline) < 0 ||
			dup_str(req->type, &s->type) < 0))
		rc = kx_fail(ctx, -ENOMEM, "out of memory");
	if (rc < 0) {
		kx_staged_free(s);
		return rc;
	}
	s->debug = req->debug;
	s->no_cma = req->no_cma;
	s->force_dtb = req->force_dtb;
	s->no_checks = req->no_checks;
	s->noefi = req->noefi;
	s->reuse_video_type = req->reuse_video_type;
	s->expect_tdx = req->expect_tdx;
	s->halt_on_mismatch = req->on_mismatch == KX_MISMATCH_HALT;
	s->mem_min = req->mem_min;
	s->mem_max = req->mem_max;
	s->console = req->console;
	s->gate = req->gate;
	kx_boot_id(ctx, s->boot_id);
	return 0;
}

void kx_staged_to_req(const struct kx_staged *s, struct kx_load_req *req)
{
	memset(req, 0, sizeof(*req));
	req->kernel = s->image;
	req->initrd = s->initrd;
	req->cmdline = s->cmdline;
	req->crash = s->crash;
	req->debug = s->debug;
	req->no_cma = s->no_cma;
	req->force_dtb = s->force_dtb;
	req->type = s->type;
	req->mem_min = s->mem_min;
	req->mem_max = s->mem_max;
	req->no_checks = s->no_checks;
	req->noefi = s->noefi;
	req->reuse_video_type = s->reuse_video_type;
	req->console = s->console;
	req->gate = s->gate;
	req->expect_tdx = s->expect_tdx;
	req->on_mismatch = s->halt_on_mismatch ? KX_MISMATCH_HALT : KX_MISMATCH_RESET;
}

/* Booleans go in as one word listing the ones that are set. */
struct flag {
	const char *name;
	size_t off;
};

#define FLAG(f) { #f, offsetof(struct kx_staged, f) }
static const struct flag staged_flags[] = {
	FLAG(debug), FLAG(no_cma), FLAG(force_dtb), FLAG(no_checks), FLAG(noefi),
	FLAG(reuse_video_type), FLAG(expect_tdx), FLAG(halt_on_mismatch),
	{ "console_serial", offsetof(struct kx_staged, console.serial) },
	{ "console_vga", offsetof(struct kx_staged, console.vga) },
	{ "reset_vga", offsetof(struct kx_staged, console.reset_vga) },
};

static void put_flags(struct kx_buf *b, const struct kx_staged *s)
{
	char list[256] = "";
	size_t i;

	for (i = 0; i < sizeof(staged_flags) / sizeof(staged_flags[0]); i++) {
		if (!*(const bool *)((const char *)s + staged_flags[i].off))
			continue;
		if (list[0])
			strcat(list, " ");
		strcat(list, staged_flags[i].name);
	}
	kx_kv_put(b, "flags", list);
}

static int set_flags(struct kx_staged *s, const char *val)
{
	char word[32];
	size_t i, n;

	while (*val) {
		n = strcspn(val, " ");
		if (n && n < sizeof(word)) {
			memcpy(word, val, n);
			word[n] = '\0';
			for (i = 0; i < sizeof(staged_flags) / sizeof(staged_flags[0]); i++)
				if (!strcmp(word, staged_flags[i].name))
					break;
			if (i == sizeof(staged_flags) / sizeof(staged_flags[0]))
				return -EBADMSG;
			*(bool *)((char *)s + staged_flags[i].off) = true;
		}
		val += n;
		val += strspn(val, " ");
	}
	return 0;
}

static const char *const gate_names[] = { "off", "record", "enforce" };

int kx_staged_write(struct kx_ctx *ctx, const char *dir, const struct kx_staged *s)
{
	struct kx_buf b = KX_BUF_INIT(64 * 1024);
	char path[PATH_MAX];
	int rc;

	if (kx_staged_path(dir, s->crash, path, sizeof(path)) < 0)
		return kx_fail(ctx, -ENAMETOOLONG, "%s: path too long", dir);
	kx_buf_printf(&b, "# What kexec-tdx staged; see kexec --show-staged.\n");
	kx_kv_putf(&b, "version", "%d", KX_STAGED_VERSION);
	kx_kv_put(&b, "kind", s->crash ? "crash" : "normal");
	kx_kv_put(&b, "syscall", s->file_syscall ? "kexec_file_load" : "kexec_load");
	kx_kv_put(&b, "image", s->image);
	kx_kv_put(&b, "image_sha256", s->image_sha256);
	kx_kv_put(&b, "initrd", s->initrd);
	kx_kv_put(&b, "initrd_sha256", s->initrd ? s->initrd_sha256 : NULL);
	kx_kv_put(&b, "cmdline", s->cmdline);
	kx_kv_put(&b, "type", s->type);
	put_flags(&b, s);
	kx_kv_putf(&b, "mem_min", "0x%llx", (unsigned long long)s->mem_min);
	kx_kv_putf(&b, "mem_max", "0x%llx", (unsigned long long)s->mem_max);
	kx_kv_putf(&b, "serial_base", "0x%x", s->console.serial_base);
	kx_kv_putf(&b, "serial_baud", "%u", s->console.serial_baud);
	kx_kv_put(&b, "gate", gate_names[s->gate <= KX_TDX_GATE_MODE_ENFORCE ? s->gate : 0]);
	kx_kv_put(&b, "tdx", s->tdx);
	kx_kv_put(&b, "tdx_detail", s->tdx_detail);
	kx_kv_put(&b, "release", s->release);
	kx_kv_putf(&b, "time", "%lld", s->time);
	kx_kv_putf(&b, "uid", "%u", s->uid);
	kx_kv_put(&b, "by", s->by);
	kx_kv_put(&b, "boot_id", s->boot_id);
	rc = kx_kv_write(ctx, path, &b, 0644);
	kx_buf_free(&b);
	return rc;
}

struct staged_parse {
	struct kx_staged *s;
	const char *path;
	struct kx_ctx *ctx;
	bool have_version, have_image;
};

static int set_str(char **dst, const char *val)
{
	free(*dst);
	*dst = strdup(val);
	return *dst ? 0 : -ENOMEM;
}

static void set_fixed(char *dst, size_t len, const char *val)
{
	snprintf(dst, len, "%s", val);
}

static int set_num(const char *val, uint64_t *out)
{
	return kx_parse_u64(val, 0, out);
}

static int staged_strings(struct staged_parse *p, const char *key, const char *val)
{
	struct kx_staged *s = p->s;

	if (!strcmp(key, "image")) {
		p->have_image = true;
		return set_str(&s->image, val);
	}
	if (!strcmp(key, "initrd"))
		return set_str(&s->initrd, val);
	if (!strcmp(key, "cmdline"))
		return set_str(&s->cmdline, val);
	if (!strcmp(key, "type"))
		return set_str(&s->type, val);
	if (!strcmp(key, "image_sha256"))
		set_fixed(s->image_sha256, sizeof(s->image_sha256), val);
	else if (!strcmp(key, "initrd_sha256"))
		set_fixed(s->initrd_sha256, sizeof(s->initrd_sha256), val);
	else if (!strcmp(key, "tdx"))
		set_fixed(s->tdx, sizeof(s->tdx), val);
	else if (!strcmp(key, "tdx_detail"))
		set_fixed(s->tdx_detail, sizeof(s->tdx_detail), val);
	else if (!strcmp(key, "release"))
		set_fixed(s->release, sizeof(s->release), val);
	else if (!strcmp(key, "by"))
		set_fixed(s->by, sizeof(s->by), val);
	else if (!strcmp(key, "boot_id"))
		set_fixed(s->boot_id, sizeof(s->boot_id), val);
	else
		return 1;
	return 0;
}

static int staged_numbers(struct staged_parse *p, const char *key, const char *val)
{
	struct kx_staged *s = p->s;
	uint64_t v = 0;
	int rc = set_num(val, &v);

	if (!strcmp(key, "version")) {
		p->have_version = rc == 0 && v == KX_STAGED_VERSION;
		return p->have_version ? 0 : -EBADMSG;
	}
	if (!strcmp(key, "mem_min"))
		s->mem_min = v;
	else if (!strcmp(key, "mem_max"))
		s->mem_max = v;
	else if (!strcmp(key, "serial_base") && v <= 0xffff)
		s->console.serial_base = (uint16_t)v;
	else if (!strcmp(key, "serial_baud") && v <= UINT32_MAX)
		s->console.serial_baud = (uint32_t)v;
	else if (!strcmp(key, "time"))
		s->time = (long long)v;
	else if (!strcmp(key, "uid") && v <= UINT32_MAX)
		s->uid = (unsigned int)v;
	else
		return 1;
	return rc;
}

static int staged_words(struct kx_staged *s, const char *key, const char *val)
{
	size_t i;

	if (!strcmp(key, "kind")) {
		s->crash = !strcmp(val, "crash");
		return s->crash || !strcmp(val, "normal") ? 0 : -EBADMSG;
	}
	if (!strcmp(key, "syscall")) {
		s->file_syscall = !strcmp(val, "kexec_file_load");
		return s->file_syscall || !strcmp(val, "kexec_load") ? 0 : -EBADMSG;
	}
	if (!strcmp(key, "flags"))
		return set_flags(s, val);
	if (!strcmp(key, "gate")) {
		for (i = 0; i < 3; i++)
			if (!strcmp(val, gate_names[i]))
				s->gate = (enum kx_tdx_gate_mode)i;
		return 0;
	}
	return 1;
}

static int staged_line(void *arg, const char *key, const char *val, unsigned int line)
{
	struct staged_parse *p = arg;
	int rc = staged_strings(p, key, val);

	if (rc == 1)
		rc = staged_numbers(p, key, val);
	if (rc == 1)
		rc = staged_words(p->s, key, val);
	if (rc == 1)
		rc = 0;		/* a key from a later version: not needed here */
	if (rc == -ENOMEM)
		return kx_fail(p->ctx, rc, "out of memory");
	if (rc < 0)
		return kx_fail(p->ctx, -EBADMSG, "%s: line %u: %s='%.60s' is not valid", p->path,
			       line, key, val);
	return 0;
}

int kx_staged_read(struct kx_ctx *ctx, const char *dir, bool crash, struct kx_staged *s)
{
	struct staged_parse p = { .s = s, .ctx = ctx };
	char path[PATH_MAX];
	int rc;

	memset(s, 0, sizeof(*s));
	if (kx_staged_path(dir, crash, path, sizeof(path)) < 0)
		return kx_fail(ctx, -ENAMETOOLONG, "%s: path too long", dir);
	p.path = path;
	rc = kx_kv_read(ctx, path, staged_line, &p);
	if (rc == 0 && (!p.have_version || !p.have_image || s->crash != crash || !s->cmdline))
		rc = kx_fail(ctx, -EBADMSG, "%s: not a version %d record of a %s image", path,
			     KX_STAGED_VERSION, crash ? "crash" : "normal");
	if (rc < 0)
		kx_staged_free(s);
	return rc;
}

int kx_staged_remove(struct kx_ctx *ctx, const char *dir, bool crash)
{
	char path[PATH_MAX];

	if (kx_staged_path(dir, crash, path, sizeof(path)) < 0)
		return kx_fail(ctx, -ENAMETOOLONG, "%s: path too long", dir);
	return kx_kv_remove(ctx, path);
}

static int check_one(struct kx_ctx *ctx, const char *path, const char *want)
{
	char now[KX_SHA256_HEX];
	int rc = kx_file_sha256_hex(ctx, path, now);

	if (rc < 0) {
		kx_fail_prefix(ctx, "the staged file is gone or unreadable: ");
		return -ESTALE;
	}
	if (strcmp(now, want) != 0)
		return kx_fail(ctx, -ESTALE, "%s changed since it was staged (SHA-256 %.12s..., "
			       "staged %.12s...)", path, now, want);
	return 0;
}

int kx_staged_check_files(struct kx_ctx *ctx, const struct kx_staged *s)
{
	int rc = check_one(ctx, s->image, s->image_sha256);

	if (rc == 0 && s->initrd)
		rc = check_one(ctx, s->initrd, s->initrd_sha256);
	return rc;
}

/* The reboot check's decision. */

static int decision_path(const char *dir, const char *name, char *out, size_t len)
{
	int n = snprintf(out, len, "%s/%s", dir, name);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int kx_decision_write(struct kx_ctx *ctx, const char *dir, const struct kx_decision *d)
{
	struct kx_buf b = KX_BUF_INIT(16 * 1024);
	char path[PATH_MAX];
	int rc;

	if (decision_path(dir, "last-kexec", path, sizeof(path)) < 0)
		return kx_fail(ctx, -ENAMETOOLONG, "%s: path too long", dir);
	kx_buf_printf(&b, "# The last kexec reboot kexec-tdx checked; see kexec --tdx-verify.\n");
	kx_kv_putf(&b, "version", "%d", KX_STAGED_VERSION);
	kx_kv_put(&b, "outcome", d->allowed ? "allowed" : "refused");
	kx_kv_put(&b, "image", d->image);
	kx_kv_put(&b, "release", d->release);
	kx_kv_put(&b, "reason", d->reason);
	kx_kv_putf(&b, "time", "%lld", d->time);
	kx_kv_put(&b, "boot_id", d->boot_id);
	rc = kx_kv_write(ctx, path, &b, 0644);
	kx_buf_free(&b);
	return rc;
}

struct decision_parse {
	struct kx_decision *d;
	bool have_outcome;
};

static int decision_line(void *arg, const char *key, const char *val, unsigned int line)
{
	struct decision_parse *p = arg;
	struct kx_decision *d = p->d;
	uint64_t v;

	(void)line;
	if (!strcmp(key, "outcome")) {
		d->allowed = !strcmp(val, "allowed");
		p->have_outcome = d->allowed || !strcmp(val, "refused");
	} else if (!strcmp(key, "image")) {
		set_fixed(d->image, sizeof(d->image), val);
	} else if (!strcmp(key, "release")) {
		set_fixed(d->release, sizeof(d->release), val);
	} else if (!strcmp(key, "reason")) {
		set_fixed(d->reason, sizeof(d->reason), val);
	} else if (!strcmp(key, "boot_id")) {
		set_fixed(d->boot_id, sizeof(d->boot_id), val);
	} else if (!strcmp(key, "time") && set_num(val, &v) == 0) {
		d->time = (long long)v;
	}
	return 0;
}

int kx_decision_read(struct kx_ctx *ctx, const char *dir, struct kx_decision *d)
{
	struct decision_parse p = { .d = d };
	char path[PATH_MAX];
	int rc;

	memset(d, 0, sizeof(*d));
	if (decision_path(dir, "last-kexec", path, sizeof(path)) < 0)
		return kx_fail(ctx, -ENAMETOOLONG, "%s: path too long", dir);
	rc = kx_kv_read(ctx, path, decision_line, &p);
	if (rc == 0 && !p.have_outcome)
		rc = kx_fail(ctx, -EBADMSG, "%s: no outcome=allowed or outcome=refused", path);
	return rc;
}

int kx_decision_consume(struct kx_ctx *ctx, const char *dir)
{
	char from[PATH_MAX], to[PATH_MAX];

	if (decision_path(dir, "last-kexec", from, sizeof(from)) < 0 ||
	    decision_path(dir, "last-kexec.reported", to, sizeof(to)) < 0)
		return kx_fail(ctx, -ENAMETOOLONG, "%s: path too long", dir);
	if (rename(from, to) < 0 && errno != ENOENT)
		return kx_fail(ctx, -errno, "cannot rename %s: %s", from, strerror(errno));
	return 0;
}
