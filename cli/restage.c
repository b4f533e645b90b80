// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * --tdx-restage: the check a kexec reboot starts with, run by
 * kexec-tdx-preflight.service in kexec.target once the virtual machines are
 * gone.  On a TDX host it never trusts the kernel it finds staged: the kernel
 * says only that something is loaded, and systemd 260 and later load the
 * default boot entry with kexec_file_load themselves, so no check of ours
 * ran.  It loads again, with the full TDX check of a load the reboot follows
 * at once, either the files kexec-tdx's record names (their SHA-256
 * unchanged) or, for a kernel someone else loaded, the default boot entry
 * bootctl reports; or it unloads, so the reboot goes through firmware.  What
 * it decided goes to the journal and to /var/lib/kexec-tdx/last-kexec for
 * the next boot.  If what is loaded cannot be unloaded it fails, and the
 * unit's FailureAction=reboot-force turns the reboot into a firmware reboot.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/ctx.h"
#include "base/io.h"
#include "base/json.h"
#include "cli/cli.h"
#include "cli/options.h"
#include "kexec/load.h"
#include "kexec/staged.h"

/* What to load again, and where that came from. */
struct source {
	char from[320];
	struct kx_staged s;
	bool bootctl;		/* from the default boot entry: kexec_load, else kexec_file_load */
};

static void __attribute__((format(printf, 1, 2))) say(const char *fmt, ...)
{
	va_list ap;

	fputs("kexec: reboot check: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Run bootctl list --json=short; its stdout (at most 1 MiB) in @out. */
static int run_bootctl(const struct kx_opts *o, struct kx_buf *out, char *why, size_t len)
{
	int pipefd[2], status, rc;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		rc = -errno;
		close(pipefd[0]);
		close(pipefd[1]);
		return rc;
	}
	if (pid == 0) {
		dup2(pipefd[1], STDOUT_FILENO);
		execlp(o->bootctl, o->bootctl, "list", "--json=short", "--no-pager", (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	rc = kx_read_all(pipefd[0], out);
	close(pipefd[0]);
	if (rc < 0)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (rc == 0 && (!WIFEXITED(status) || WEXITSTATUS(status) != 0)) {
		snprintf(why, len, "%s list --json=short %s %d", o->bootctl,
			 WIFEXITED(status) ? "exited with" : "was killed by signal",
			 WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
		if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
			snprintf(why, len, "%s cannot be run (not installed?)", o->bootctl);
		return -ENOENT;
	}
	if (rc < 0)
		snprintf(why, len, "reading %s's output: %s", o->bootctl, strerror(-rc));
	return rc;
}

/* @path inside @root, as systemd joins them (an entry's paths are relative to its root). */
static char *join(const char *root, const char *path)
{
	struct kx_buf b = KX_BUF_INIT(4096);

	if (!root)
		return strdup(path);
	kx_buf_printf(&b, "%s", root);
	while (b.len && b.p[b.len - 1] == '/')
		b.len--;
	kx_buf_printf(&b, "/%s", path + strspn(path, "/"));
	return kx_buf_steal(&b);
}

/* The entry systemd would kexec: the one bootctl marks isDefault (systemd 253 and later). */
static const struct kx_json *default_entry(const struct kx_json *top)
{
	const struct kx_json *list = top;
	size_t i;

	/* 253 and later print one array; 252 one object after another */
	if (top->n == 1 && top->item[0].type == KX_JSON_ARRAY)
		list = &top->item[0];
	for (i = 0; i < list->n; i++)
		if (kx_json_get_bool(&list->item[i], "isDefault") == 1)
			return &list->item[i];
	return NULL;
}

static int entry_files(const struct kx_json *e, struct source *src, char *why, size_t len)
{
	const struct kx_json *initrd = kx_json_get(e, "initrd");
	const char *root = kx_json_get_str(e, "root"), *kernel = kx_json_get_str(e, "linux");
	const char *opts = kx_json_get_str(e, "options"), *id = kx_json_get_str(e, "id");

	snprintf(src->from, sizeof(src->from), "the default boot entry %s (bootctl)",
		 id ? id : "(no id)");
	if (!kernel) {
		snprintf(why, len, "%s names no kernel (\"linux\")", src->from);
		return -ENOENT;
	}
	if (initrd && (initrd->type != KX_JSON_ARRAY || initrd->n > 1 ||
		       (initrd->n == 1 && initrd->item[0].type != KX_JSON_STRING))) {
		snprintf(why, len, "%s has more than one initrd; kexec-tdx loads one", src->from);
		return -EINVAL;
	}
	src->s.image = join(root, kernel);
	if (initrd && initrd->n == 1)
		src->s.initrd = join(root, initrd->item[0].s);
	src->s.cmdline = strdup(opts ? opts : "");
	if (!src->s.image || !src->s.cmdline || (initrd && initrd->n == 1 && !src->s.initrd)) {
		snprintf(why, len, "out of memory");
		return -ENOMEM;
	}
	src->bootctl = true;
	/* kexec's defaults for what an entry does not say */
	src->s.mem_max = UINT64_MAX;
	src->s.console.serial_base = 0x3f8;
	return 0;
}

static int from_bootctl(const struct kx_opts *o, struct source *src, char *why, size_t len)
{
	struct kx_buf out = KX_BUF_INIT(1 << 20);
	const struct kx_json *e;
	struct kx_json *top = NULL;
	char err[160];
	int rc = run_bootctl(o, &out, why, len);

	if (rc == 0) {
		rc = kx_json_parse((const char *)out.p, out.len, true, &top, err, sizeof(err));
		if (rc < 0)
			snprintf(why, len, "%s list --json=short: %s", o->bootctl, err);
	}
	if (rc == 0) {
		e = default_entry(top);
		rc = e ? entry_files(e, src, why, len) : -ENOENT;
		if (!e)
			snprintf(why, len, "bootctl names no default boot entry");
	}
	kx_json_free(top);
	kx_buf_free(&out);
	return rc;
}

/* Our record of this boot, its files unchanged; else the default boot entry. */
static int find_source(struct kx_ctx *ctx, const struct kx_opts *o, struct source *src,
		       char *why, size_t len)
{
	char boot[40];
	int rc = o->run_dir ? kx_staged_read(ctx, o->run_dir, false, &src->s) : -ENOENT;

	kx_boot_id(ctx, boot);
	if (rc == 0 && boot[0] && strcmp(boot, src->s.boot_id) != 0) {
		kx_staged_free(&src->s);
		rc = -ENOENT;
	}
	if (rc == 0) {
		snprintf(src->from, sizeof(src->from), "kexec-tdx's record (%s/staged)", o->run_dir);
		rc = kx_staged_check_files(ctx, &src->s);
		if (rc < 0)
			snprintf(why, len, "%.500s", ctx->err);
		return rc;
	}
	if (rc != -ENOENT)
		say("%s; looking for the default boot entry instead", ctx->err);
	kx_clear_err(ctx);
	say("the staged kernel was not loaded by kexec-tdx; loading the default boot entry "
	    "in its place");
	memset(&src->s, 0, sizeof(src->s));
	rc = from_bootctl(o, src, why, len);
	if (rc < 0 && !strstr(why, "bootctl"))
		snprintf(why + strlen(why), len - strlen(why), " (from bootctl)");
	return rc;
}

/* Load @src again with the full check; 0, or the exit code with @why. */
static int reload(struct kx_ctx *ctx, const struct kx_opts *o, struct source *src,
		  struct kx_cli_tdx_outcome *tdx)
{
	struct kx_opts o2;
	int rc;

	if (src->bootctl)
		src->s.file_syscall = false;	/* the purgatory gate, where kexec_load is allowed */
	kx_cli_opts_from_staged(o, &src->s, &o2);
	rc = kx_cli_load(ctx, &o2, tdx);
	if (rc == KX_EXIT_FAILED && src->bootctl && ctx->failed_call) {
		say("kexec_load was refused; trying kexec_file_load");
		o2.syscall = KX_SYSCALL_FILE;
		rc = kx_cli_load(ctx, &o2, tdx);
	}
	return rc;
}

/* Leave nothing staged: 0 once /sys/kernel/kexec_loaded says 0. */
static int unload_all(struct kx_ctx *ctx, const struct kx_opts *o)
{
	struct kx_opts u = *o;

	u.load = u.exec = u.shutdown = u.crash = false;
	u.unload = true;
	u.syscall = KX_SYSCALL_AUTO;
	if (kx_cli_unload(ctx, &u) != KX_EXIT_OK) {
		u.syscall = KX_SYSCALL_CLASSIC;
		kx_cli_unload(ctx, &u);
	}
	return kx_loaded(ctx, false) == 0 ? 0 : -EBUSY;
}

static int refuse(struct kx_ctx *ctx, const struct kx_opts *o, const struct source *src,
		  const char *why)
{
	const char *image = src->s.image ? src->s.image : "the staged kernel";
	const char *fields[] = { "KEXEC_TDX_IMAGE", src->s.image, "KEXEC_TDX_REASON", why, NULL };
	char reason[700];

	if (unload_all(ctx, o) < 0) {
		snprintf(reason, sizeof(reason), "%s; and what is staged could not be unloaded: "
			 "the unit fails, and its FailureAction reboots through firmware", why);
		kx_cli_err("reboot check: NO KEXEC: %s", reason);
		kx_cli_audit(o, KX_AUDIT_UNLOAD_FAILED, fields, "kexec reboot refused, but %s "
			     "could not be unloaded: %s", image, why);
		kx_cli_decision_record(ctx, o, false, src->s.image, src->s.release, reason);
		return KX_EXIT_FAILED;
	}
	kx_cli_err("reboot check: no kexec: %s; nothing is staged, so this reboot goes through "
		   "firmware", why);
	kx_cli_audit(o, KX_AUDIT_REBOOT_REFUSED, fields, "kexec reboot into %s refused; the "
		     "reboot goes through firmware: %s", image, why);
	kx_cli_decision_record(ctx, o, false, src->s.image, src->s.release, why);
	return KX_EXIT_TDX_NOGO;
}

static int allow(struct kx_ctx *ctx, const struct kx_opts *o, const struct source *src,
		 const struct kx_cli_tdx_outcome *tdx)
{
	const char *fields[] = { "KEXEC_TDX_IMAGE", src->s.image, "KEXEC_TDX_VERDICT",
				 tdx->verdict, "KEXEC_TDX_FINDINGS", tdx->detail, NULL };
	char reason[512];

	snprintf(reason, sizeof(reason), "%s when the kexec reboot started%s%s", tdx->verdict,
		 tdx->detail[0] ? ": " : "", tdx->detail);
	fprintf(stderr, "kexec: reboot check: %s loaded from %s; TDX check: %s\n",
		src->s.image, src->from, reason);
	kx_cli_audit(o, KX_AUDIT_REBOOT_ALLOWED, fields, "kexec reboot into %s allowed: %s",
		     src->s.image, reason);
	kx_cli_decision_record(ctx, o, true, src->s.image, tdx->release, reason);
	return KX_EXIT_OK;
}

/* Not a TDX host, nothing loaded, or the policy wants no check: nothing to do. */
static bool nothing_to_do(struct kx_ctx *ctx, const struct kx_opts *o)
{
	bool explicit_policy;
	const char *fields[] = { NULL };

	if (kx_loaded(ctx, false) == 0) {
		fputs("kexec: reboot check: nothing is staged\n", stderr);
		return true;
	}
	kx_clear_err(ctx);
	if (!kx_cli_tdx_host(ctx, &explicit_policy)) {
		fputs("kexec: reboot check: not a TDX host; the staged kernel is left as it is\n",
		      stderr);
		return true;
	}
	if (explicit_policy && !o->tdx_disable) {
		fputs("kexec: reboot check: TDX host, but preflight = explicit: the staged kernel "
		      "is left as it is, unchecked\n", stderr);
		kx_cli_audit(o, KX_AUDIT_UNCHECKED, fields, "TDX host, but preflight = explicit: "
			     "kexec reboot without a TDX check");
		return true;
	}
	return false;
}

int kx_cli_tdx_restage(struct kx_ctx *ctx, const struct kx_opts *o)
{
	struct kx_cli_tdx_outcome tdx = { { 0 } };
	struct source src;
	char why[700] = "";
	int rc;

	if (nothing_to_do(ctx, o))
		return KX_EXIT_OK;
	memset(&src, 0, sizeof(src));
	rc = find_source(ctx, o, &src, why, sizeof(why));
	if (rc == 0) {
		rc = reload(ctx, o, &src, &tdx);
		if (rc == KX_EXIT_TDX_NOGO)
			snprintf(why, sizeof(why), "TDX handover no-go: %s", tdx.detail);
		else if (rc != KX_EXIT_OK)
			snprintf(why, sizeof(why), "loading %s again failed (exit %d, see above)",
				 src.s.image, rc);
	}
	if (tdx.release[0])
		snprintf(src.s.release, sizeof(src.s.release), "%s", tdx.release);
	rc = rc == 0 ? allow(ctx, o, &src, &tdx) : refuse(ctx, o, &src, why);
	kx_staged_free(&src.s);
	return rc;
}
