// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kexec/ops.h"
#include "freestanding/sha256.h"

/* ------------------------------------------------------------ real kernel */

/* The uapi struct kexec_segment: four pointer-sized fields. */
struct kexec_segment_uapi {
	const void *buf;
	size_t bufsz;
	unsigned long mem;
	size_t memsz;
};

static int real_kexec_load(void *data, const struct kx_plan *plan)
{
	struct kexec_segment_uapi segs[KX_MAX_SEGMENTS];
	size_t i;

	for (i = 0; i < plan->nr; i++) {
		segs[i].buf = plan->seg[i].buf;
		segs[i].bufsz = plan->seg[i].bufsz;
		segs[i].mem = plan->seg[i].mem;
		segs[i].memsz = plan->seg[i].memsz;
	}
	if (syscall(KX_NR_KEXEC_LOAD, plan->entry, plan->nr, plan->nr ? segs : NULL,
		    plan->flags) != 0)
		return -errno;
	return 0;
}

static int real_kexec_file_load(void *data, const struct kx_file_req *req)
{
	if (syscall(KX_NR_KEXEC_FILE_LOAD, req->kernel_fd, req->initrd_fd,
		    req->cmdline_len, req->cmdline, req->flags) != 0)
		return -errno;
	return 0;
}

static int real_reboot_kexec(void *data)
{
	/* reboot(2) magic numbers: LINUX_REBOOT_MAGIC1 and MAGIC2 */
	syscall(SYS_reboot, 0xfee1deadUL, 672274793UL, (unsigned long)KX_REBOOT_CMD_KEXEC, NULL);
	return -errno;
}

static void real_sync(void *data)
{
	sync();
}

/* Take every interface but loopback down, as kexec-tools does before exec. */
static int real_ifdown(void *data)
{
	struct if_nameindex *ifs, *it;
	int sock, rc = 0;

	ifs = if_nameindex();
	if (!ifs)
		return -errno;
	sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sock < 0) {
		rc = -errno;
		if_freenameindex(ifs);
		return rc;
	}
	for (it = ifs; it->if_index; it++) {
		struct ifreq ifr;

		memset(&ifr, 0, sizeof(ifr));
		strncpy(ifr.ifr_name, it->if_name, IFNAMSIZ - 1);
		if (ioctl(sock, SIOCGIFFLAGS, &ifr) < 0 || (ifr.ifr_flags & IFF_LOOPBACK))
			continue;
		if (!(ifr.ifr_flags & IFF_UP))
			continue;
		ifr.ifr_flags &= ~IFF_UP;
		if (ioctl(sock, SIOCSIFFLAGS, &ifr) < 0 && !rc)
			rc = -errno;
	}
	close(sock);
	if_freenameindex(ifs);
	return rc;
}

/* Run "shutdown -r now" from the first of the usual places that has it. */
static int real_shutdown(void *data)
{
	static const char *const paths[] = { "/sbin/shutdown", "/etc/shutdown", "/bin/shutdown",
					     "/usr/sbin/shutdown" };
	size_t i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		if (access(paths[i], X_OK) == 0) {
			fflush(NULL);
			execl(paths[i], "shutdown", "-r", "now", (char *)NULL);
			return -errno;
		}
	}
	return -ENOENT;
}

const struct kx_ops kx_ops_real = {
	.name = "kernel",
	.kexec_load = real_kexec_load,
	.kexec_file_load = real_kexec_file_load,
	.reboot_kexec = real_reboot_kexec,
	.sync = real_sync,
	.ifdown = real_ifdown,
	.shutdown = real_shutdown,
	.loaded = NULL,
};

/* ------------------------------------------------------------ recorder */

static struct kx_call *rec_push(struct kx_recorder *rec, enum kx_call_kind kind)
{
	struct kx_call *calls = realloc(rec->calls, (rec->nr + 1) * sizeof(*calls));

	if (!calls)
		return NULL;
	rec->calls = calls;
	memset(&calls[rec->nr], 0, sizeof(calls[0]));
	calls[rec->nr].kind = kind;
	return &calls[rec->nr++];
}

static int rec_kexec_load(void *data, const struct kx_plan *plan)
{
	struct kx_recorder *rec = data;
	struct kx_call *c = rec_push(rec, KX_CALL_KEXEC_LOAD);
	size_t i;

	if (!c)
		return -ENOMEM;
	c->plan = *plan;
	for (i = 0; i < plan->nr; i++) {
		struct kx_sha256 s;

		kx_sha256_init(&s);
		kx_sha256_update(&s, plan->seg[i].buf, plan->seg[i].bufsz);
		kx_sha256_update_zero(&s, plan->seg[i].memsz - plan->seg[i].bufsz);
		kx_sha256_final(&s, c->seg_sha256[i]);
		c->plan.seg[i].buf = NULL;
		if (plan->seg[i].bufsz && plan->seg[i].bufsz <= KX_RECORD_KEEP) {
			c->seg_data[i] = malloc(plan->seg[i].bufsz);
			if (!c->seg_data[i])
				return -ENOMEM;
			memcpy(c->seg_data[i], plan->seg[i].buf, plan->seg[i].bufsz);
		}
	}
	if (rec->load_errno && plan->nr)
		return rec->load_errno;
	if (rec->unload_errno && !plan->nr)
		return rec->unload_errno;
	if (plan->flags & KX_KEXEC_ON_CRASH) {
		rec->crash_loaded = plan->nr > 0;
		rec->crash_known = true;
	} else {
		rec->loaded = plan->nr > 0;
		rec->known = true;
	}
	return 0;
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static uint64_t fd_size(int fd)
{
	struct stat st;

	return fd >= 0 && fstat(fd, &st) == 0 ? (uint64_t)st.st_size : 0;
}

static int rec_kexec_file_load(void *data, const struct kx_file_req *req)
{
	struct kx_recorder *rec = data;
	struct kx_call *c = rec_push(rec, KX_CALL_KEXEC_FILE_LOAD);
	bool unload = req->flags & KX_KEXEC_FILE_UNLOAD;

	if (!c)
		return -ENOMEM;
	c->file = *req;
	c->file.kernel_path = dup_or_null(req->kernel_path);
	c->file.initrd_path = dup_or_null(req->initrd_path);
	c->file.cmdline = dup_or_null(req->cmdline);
	c->kernel_size = fd_size(req->kernel_fd);
	c->initrd_size = fd_size(req->initrd_fd);
	if (rec->load_errno && !unload)
		return rec->load_errno;
	if (rec->unload_errno && unload)
		return rec->unload_errno;
	if (req->flags & KX_KEXEC_FILE_ON_CRASH) {
		rec->crash_loaded = !unload;
		rec->crash_known = true;
	} else {
		rec->loaded = !unload;
		rec->known = true;
	}
	return 0;
}

static int rec_simple(struct kx_recorder *rec, enum kx_call_kind kind)
{
	return rec_push(rec, kind) ? 0 : -ENOMEM;
}

static int rec_reboot_kexec(void *data)
{
	return rec_simple(data, KX_CALL_REBOOT_KEXEC);
}

static void rec_sync(void *data)
{
	rec_simple(data, KX_CALL_SYNC);
}

static int rec_ifdown(void *data)
{
	return rec_simple(data, KX_CALL_IFDOWN);
}

static int rec_shutdown(void *data)
{
	return rec_simple(data, KX_CALL_SHUTDOWN);
}

static int rec_loaded(void *data, bool crash)
{
	struct kx_recorder *rec = data;

	/* Until a call of this run changed it, the kernel's answer stands. */
	if (!(crash ? rec->crash_known : rec->known))
		return -1;
	return crash ? rec->crash_loaded : rec->loaded;
}

const struct kx_ops kx_ops_recorder = {
	.name = "recorder",
	.kexec_load = rec_kexec_load,
	.kexec_file_load = rec_kexec_file_load,
	.reboot_kexec = rec_reboot_kexec,
	.sync = rec_sync,
	.ifdown = rec_ifdown,
	.shutdown = rec_shutdown,
	.loaded = rec_loaded,
};

void kx_recorder_free(struct kx_recorder *rec)
{
	size_t i;

	for (i = 0; i < rec->nr; i++) {
		size_t j;

		for (j = 0; j < KX_MAX_SEGMENTS; j++)
			free(rec->calls[i].seg_data[j]);
		free((char *)rec->calls[i].file.kernel_path);
		free((char *)rec->calls[i].file.initrd_path);
		free((char *)rec->calls[i].file.cmdline);
	}
	free(rec->calls);
	rec->calls = NULL;
	rec->nr = 0;
}

const char *kx_call_name(enum kx_call_kind kind)
{
	switch (kind) {
	case KX_CALL_KEXEC_LOAD:	return "kexec_load";
	case KX_CALL_KEXEC_FILE_LOAD:	return "kexec_file_load";
	case KX_CALL_REBOOT_KEXEC:	return "reboot";
	case KX_CALL_SYNC:		return "sync";
	case KX_CALL_IFDOWN:		return "ifdown";
	case KX_CALL_SHUTDOWN:		return "shutdown";
	}
	return "?";
}
