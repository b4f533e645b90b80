// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What was staged: the record a load leaves in /run/kexec-tdx (the kernel
 * itself only says whether something is loaded), --show-staged, and the
 * decision a kexec reboot check leaves in /var/lib/kexec-tdx for the next
 * boot.  The records are kexec/staged.c's; this file decides when to write
 * them and prints them.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/ctx.h"
#include "base/iface.h"
#include "cli/cli.h"
#include "cli/options.h"
#include "kexec/load.h"
#include "kexec/staged.h"

/* The program that ran us (systemctl, kdump-tools' script, a shell): its comm. */
static void parent_comm(char *out, size_t len)
{
	char path[64];
	FILE *f;

	snprintf(out, len, "pid %ld", (long)getppid());
	/* the real /proc, not the sysroot: who ran this program, not a fact of the host */
	if (kx_if_fmt(path, sizeof(path), KX_IF_PROC_COMM, (long)getppid()) < 0)
		return;
	f = fopen(path, "re");
	if (!f)
		return;
	if (fgets(out, (int)len, f))
		out[strcspn(out, "\n")] = '\0';
	fclose(f);
}

void kx_cli_staged_record(struct kx_ctx *ctx, const struct kx_opts *o,
			  const struct kx_load_req *req, bool file_syscall,
			  const struct kx_cli_tdx_outcome *tdx)
{
	struct kx_staged s;
	int rc;

	if (!o->run_dir)
		return;
	rc = kx_staged_from_req(ctx, req, file_syscall, &s);
	if (rc == 0) {
		snprintf(s.tdx, sizeof(s.tdx), "%s", tdx->verdict[0] ? tdx->verdict : "not checked");
		snprintf(s.tdx_detail, sizeof(s.tdx_detail), "%s", tdx->detail);
		snprintf(s.release, sizeof(s.release), "%s", tdx->release);
		s.time = (long long)time(NULL);
		s.uid = (unsigned int)getuid();
		parent_comm(s.by, sizeof(s.by));
		rc = kx_staged_write(ctx, o->run_dir, &s);
	}
	if (rc < 0)
		kx_cli_err("warning: the %s kernel is loaded, but kexec-tdx could not record "
			   "what it staged (%s); --show-staged and the reboot check will treat it "
			   "as loaded by another program", req->crash ? "crash" : "new",
			   ctx->err[0] ? ctx->err : strerror(-rc));
	kx_staged_free(&s);
	kx_clear_err(ctx);
}

void kx_cli_staged_forget(struct kx_ctx *ctx, const struct kx_opts *o, bool crash)
{
	if (o->run_dir && kx_staged_remove(ctx, o->run_dir, crash) < 0)
		kx_cli_err("warning: %s", ctx->err);
	kx_clear_err(ctx);
}

void kx_cli_decision_record(struct kx_ctx *ctx, const struct kx_opts *o, bool allowed,
			    const char *image, const char *release, const char *reason)
{
	struct kx_decision d = { .allowed = allowed };

	if (!o->state_dir)
		return;
	snprintf(d.image, sizeof(d.image), "%s", image ? image : "");
	snprintf(d.release, sizeof(d.release), "%s", release ? release : "");
	snprintf(d.reason, sizeof(d.reason), "%s", reason);
	d.time = (long long)time(NULL);
	kx_boot_id(ctx, d.boot_id);
	if (kx_decision_write(ctx, o->state_dir, &d) < 0)
		kx_cli_err("warning: the next boot will not know why: %s", ctx->err);
	kx_clear_err(ctx);
}

void kx_cli_decision_exec(struct kx_ctx *ctx, const struct kx_opts *o, bool allowed,
			  const struct kx_cli_tdx_outcome *tdx)
{
	struct kx_staged s;
	char reason[512];
	bool have = o->run_dir && kx_staged_read(ctx, o->run_dir, false, &s) == 0;

	kx_clear_err(ctx);
	snprintf(reason, sizeof(reason), "%s at kexec -e%s%s", tdx->verdict,
		 tdx->detail[0] ? ": " : "", tdx->detail);
	kx_cli_decision_record(ctx, o, allowed, have ? s.image : "a kernel kexec-tdx did not stage",
			       have ? s.release : NULL, reason);
	if (have)
		kx_staged_free(&s);
}

/* --show-staged */

enum record_state {
	REC_OURS,	/* a record of this boot */
	REC_NONE,
	REC_OTHER_BOOT,
	REC_DAMAGED,
};

struct shown {
	bool crash;
	int loaded;		/* 1, 0, or -errno */
	enum record_state state;
	struct kx_staged s;
	char path[PATH_MAX];
	char why[512];		/* REC_DAMAGED: what is wrong */
	int changed;		/* REC_OURS: 1 a file changed since, 0 not, -1 unknown */
	char changed_why[512];
};

static void look(struct kx_ctx *ctx, const struct kx_opts *o, struct shown *sh)
{
	char boot[40];
	int rc;

	sh->crash = o->crash;
	sh->loaded = kx_loaded(ctx, sh->crash);
	kx_staged_path(o->run_dir, sh->crash, sh->path, sizeof(sh->path));
	rc = kx_staged_read(ctx, o->run_dir, sh->crash, &sh->s);
	sh->state = rc == 0 ? REC_OURS : rc == -ENOENT ? REC_NONE : REC_DAMAGED;
	if (sh->state == REC_DAMAGED)
		snprintf(sh->why, sizeof(sh->why), "%.500s", ctx->err);
	kx_boot_id(ctx, boot);
	if (sh->state == REC_OURS && boot[0] && sh->s.boot_id[0] && strcmp(boot, sh->s.boot_id))
		sh->state = REC_OTHER_BOOT;
	kx_clear_err(ctx);
	sh->changed = -1;
	if (sh->state == REC_OURS && sh->loaded == 1) {
		rc = kx_staged_check_files(ctx, &sh->s);
		sh->changed = rc == -ESTALE;
		if (rc < 0)
			snprintf(sh->changed_why, sizeof(sh->changed_why), "%.500s", ctx->err);
		kx_clear_err(ctx);
	}
}

static void when(long long t, char *out, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) || !strftime(out, len, "%Y-%m-%d %H:%M:%S UTC", &tm))
		snprintf(out, len, "%lld", t);
}

static void print_record_text(const struct shown *sh)
{
	const struct kx_staged *s = &sh->s;
	char at[64];

	when(s->time, at, sizeof(at));
	printf("  image:         %s%s%s%s\n", s->image, s->release[0] ? " (" : "", s->release,
	       s->release[0] ? ")" : "");
	printf("  image sha256:  %s\n", s->image_sha256);
	if (s->initrd)
		printf("  initrd:        %s\n  initrd sha256: %s\n", s->initrd, s->initrd_sha256);
	else
		printf("  initrd:        none\n");
	printf("  command line:  %s\n", s->cmdline);
	printf("  syscall:       %s", s->file_syscall ? "kexec_file_load" : "kexec_load");
	if (!s->file_syscall)
		printf(" (purgatory TDX gate: %s)", s->gate == KX_TDX_GATE_MODE_ENFORCE ? "enforce" :
		       s->gate == KX_TDX_GATE_MODE_RECORD ? "record" : "off");
	printf("\n  TDX check:     %s%s%s%s\n", s->tdx, s->tdx_detail[0] ? " (" : "",
	       s->tdx_detail, s->tdx_detail[0] ? ")" : "");
	printf("  staged:        %s by uid %u via %s\n", at, s->uid, s->by[0] ? s->by : "?");
	if (sh->changed == 1)
		printf("  CHANGED:       %s; a kexec reboot check will not load it again\n",
		       sh->changed_why);
	printf("  record:        %s\n", sh->path);
}

static void print_text(const struct shown *sh)
{
	const char *kind = sh->crash ? "crash kernel" : "kernel";

	if (sh->loaded < 0)
		printf("whether a %s is loaded is unknown: /sys/kernel/kexec_%sloaded is unreadable "
		       "(%s)\n", kind, sh->crash ? "crash_" : "", strerror(-sh->loaded));
	else if (sh->loaded == 0)
		printf("no %s is loaded\n", kind);
	else if (sh->state == REC_OURS)
		printf("a %s is loaded; kexec-tdx staged it:\n", kind);
	else
		printf("a %s is loaded, but not by kexec-tdx: the kernel does not say which image "
		       "it holds (systemd 260 or later, kexec-tools or another program may have "
		       "loaded it)\n", kind);
	if (sh->state == REC_OURS && sh->loaded != 0)
		print_record_text(sh);
	else if (sh->state == REC_OURS)
		printf("kexec-tdx's record of %s (%s) is stale: something else unloaded it\n",
		       sh->s.image, sh->path);
	else if (sh->state == REC_OTHER_BOOT)
		printf("%s is from another boot (boot id %s) and does not count\n", sh->path,
		       sh->s.boot_id);
	else if (sh->state == REC_DAMAGED)
		printf("%s is damaged and does not count: %s\n", sh->path, sh->why);
}

static void json_kv(struct kx_buf *b, const char *key, const char *val, bool comma)
{
	kx_buf_printf(b, "%s\"%s\":", comma ? "," : "", key);
	if (val)
		kx_buf_json_str(b, val);
	else
		kx_buf_printf(b, "null");
}

static void json_record(struct kx_buf *b, const struct shown *sh)
{
	const struct kx_staged *s = &sh->s;

	json_kv(b, "image", s->image, false);
	json_kv(b, "image_sha256", s->image_sha256, true);
	json_kv(b, "release", s->release[0] ? s->release : NULL, true);
	json_kv(b, "initrd", s->initrd, true);
	json_kv(b, "initrd_sha256", s->initrd ? s->initrd_sha256 : NULL, true);
	json_kv(b, "cmdline", s->cmdline, true);
	json_kv(b, "syscall", s->file_syscall ? "kexec_file_load" : "kexec_load", true);
	json_kv(b, "gate", s->file_syscall ? NULL : s->gate == KX_TDX_GATE_MODE_ENFORCE ?
		"enforce" : s->gate == KX_TDX_GATE_MODE_RECORD ? "record" : "off", true);
	json_kv(b, "tdx_verdict", s->tdx, true);
	json_kv(b, "tdx_detail", s->tdx_detail, true);
	kx_buf_printf(b, ",\"time\":%lld,\"uid\":%u", s->time, s->uid);
	json_kv(b, "by", s->by, true);
	json_kv(b, "boot_id", s->boot_id, true);
	kx_buf_printf(b, ",\"changed_since\":%s", sh->changed == 1 ? "true" :
		      sh->changed == 0 ? "false" : "null");
}

static int print_json(const struct shown *sh)
{
	static const char *const states[] = { "ours", "none", "other-boot", "damaged" };
	struct kx_buf b = KX_BUF_INIT(1 << 20);
	char *s;

	kx_buf_printf(&b, "{\"kind\":\"staged\",\"image_kind\":\"%s\",\"loaded\":%s",
		      sh->crash ? "crash" : "normal", sh->loaded == 1 ? "true" :
		      sh->loaded == 0 ? "false" : "null");
	kx_buf_printf(&b, ",\"staged_by_kexec_tdx\":%s,\"record_state\":\"%s\"",
		      sh->state == REC_OURS && sh->loaded == 1 ? "true" : "false",
		      states[sh->state]);
	json_kv(&b, "record_path", sh->path, true);
	kx_buf_printf(&b, ",\"record\":");
	if (sh->state == REC_OURS || sh->state == REC_OTHER_BOOT) {
		kx_buf_printf(&b, "{");
		json_record(&b, sh);
		kx_buf_printf(&b, "}");
	} else {
		kx_buf_printf(&b, "null");
	}
	json_kv(&b, "problem", sh->state == REC_DAMAGED ? sh->why : NULL, true);
	kx_buf_printf(&b, "}\n");
	s = kx_buf_steal(&b);
	if (!s) {
		kx_cli_err("out of memory");
		return KX_EXIT_FAILED;
	}
	fputs(s, stdout);
	free(s);
	return KX_EXIT_OK;
}

int kx_cli_show_staged(struct kx_ctx *ctx, const struct kx_opts *o)
{
	struct shown sh;
	int rc;

	memset(&sh, 0, sizeof(sh));
	if (!o->run_dir) {
		kx_cli_err("--show-staged reads kexec-tdx's records; a dry run has none");
		return KX_EXIT_USAGE;
	}
	look(ctx, o, &sh);
	if (o->json) {
		rc = print_json(&sh);
	} else {
		print_text(&sh);
		rc = KX_EXIT_OK;
	}
	kx_staged_free(&sh.s);
	return sh.loaded < 0 ? KX_EXIT_FAILED : rc;
}
