// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The audit trail: one journal entry, with a stable MESSAGE_ID, for each
 * decision an operator or a fleet may have to account for later (a refused
 * load, an override, a load checked against another machine's facts, a load
 * the policy let through unchecked, the reboot check's decision, the
 * verification in the new kernel).  Sent over the journal's native protocol
 * (systemd's "Native Journal Protocol" document): one datagram of KEY=value
 * lines, a value holding a newline sent as KEY, newline, its 64-bit
 * little-endian length, the bytes, newline.  Without a journal (no systemd,
 * a container) nothing is sent and nothing fails.  The message IDs and their
 * explanations are in dist/kexec-tdx.catalog.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "base/buf.h"
#include "cli/cli.h"
#include "cli/options.h"

struct audit_kind {
	const char *id;
	int priority;		/* syslog(3) levels */
};

static const struct audit_kind kinds[] = {
	[KX_AUDIT_REFUSED] = { "77f7ee9a9fbc4e63b0100ba68b7d8174", 4 },
	[KX_AUDIT_FORCED] = { "8872fcf0ed784a2f8a84d199fa3941cd", 4 },
	[KX_AUDIT_SYSROOT_LOAD] = { "1ee374232dd94f10b004dc9c153a07ed", 4 },
	[KX_AUDIT_UNCHECKED] = { "69460cc33c68419bb7fea818a6f5ab7b", 5 },
	[KX_AUDIT_REBOOT_ALLOWED] = { "99ea5cc4362d4b639093e25f2b1acc44", 5 },
	[KX_AUDIT_REBOOT_REFUSED] = { "b77a112c92d64c809223c6d6e311d0c0", 3 },
	[KX_AUDIT_UNLOAD_FAILED] = { "92452498cc71474e9315cb7f2eeaea41", 2 },
	[KX_AUDIT_VERIFY] = { "d8f04c479da54ae79f8131000588202c", 5 },
	[KX_AUDIT_PLANNED_MISSED] = { "5284beaf7e8b48c288b5054a8276257b", 4 },
};

static void field(struct kx_buf *b, const char *key, const char *val)
{
	uint64_t len = strlen(val);
	uint8_t le[8];
	int i;

	if (!strchr(val, '\n')) {
		kx_buf_printf(b, "%s=%s\n", key, val);
		return;
	}
	for (i = 0; i < 8; i++)
		le[i] = (uint8_t)(len >> (8 * i));
	kx_buf_printf(b, "%s\n", key);
	kx_buf_append(b, le, sizeof(le));
	kx_buf_append(b, val, len);
	kx_buf_append(b, "\n", 1);
}

static void send_entry(const char *socket_path, const struct kx_buf *b)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (b->err || strlen(socket_path) >= sizeof(sa.sun_path))
		return;
	strcpy(sa.sun_path, socket_path);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	/* an entry too large for one datagram is dropped: ours are a few KiB */
	(void)sendto(fd, b->p, b->len, MSG_NOSIGNAL, (struct sockaddr *)&sa, sizeof(sa));
	close(fd);
}

void kx_cli_audit(const struct kx_opts *o, enum kx_audit what, const char *const *fields,
		  const char *fmt, ...)
{
	struct kx_buf b = KX_BUF_INIT(256 * 1024);
	char msg[2048];
	va_list ap;

	if (!o->journal)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	field(&b, "MESSAGE", msg);
	field(&b, "MESSAGE_ID", kinds[what].id);
	kx_buf_printf(&b, "PRIORITY=%d\nSYSLOG_IDENTIFIER=kexec\n", kinds[what].priority);
	for (; fields && fields[0]; fields += 2)
		if (fields[1])
			field(&b, fields[0], fields[1]);
	send_entry(o->journal, &b);
	kx_buf_free(&b);
}
