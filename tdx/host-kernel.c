// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Facts about the running kernel: whether it has tdx_sys_disable() (the
 * TDH.SYS.DISABLE series, Linux 7.2), and the TDX lines of its log.
 *
 * /proc/kallsyms answers the first question but costs tens of milliseconds
 * on a distribution kernel (the kernel formats every symbol), so the BTF
 * of vmlinux (/sys/kernel/btf/vmlinux, a few milliseconds) is asked first:
 * a FUNC named tdx_sys_disable settles it; FUNCs of the TDX host code
 * without it settle it the other way.  Anything else falls back to
 * kallsyms.  The BTF layout is Documentation/bpf/btf.rst.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/bytes.h"
#include "base/iface.h"
#include "base/io.h"
#include "tdx/tdx-internal.h"
#include "base/parse.h"
#include "base/sysroot.h"

#define BTF_MAX (256u << 20)

/*
 * The symbols asked about: tdx_sys_disable() (the TDH.SYS.DISABLE path,
 * arch/x86/virt/vmx/tdx/tdx.c, Linux 7.2) and the per-CPU
 * cache_state_incoherent that the 6.18 kexec cache flush added
 * (arch/x86/kernel/process.c, commit 83214a775f33 "x86/sme: Use percpu
 * boolean to control WBINVD during kexec"; relocate_kernel flushes caches
 * when it is set).  BTF answers only "yes" (a FUNC or VAR of that name):
 * pahole may leave a function out, so a "no" is always confirmed in
 * /proc/kallsyms.
 */
enum { SYM_DISABLE, SYM_FLUSH, SYM_NR };

struct sym_query {
	const char *name;
	unsigned int btf_kind;		/* BTF_KIND_FUNC 12, BTF_KIND_VAR 14 */
	bool text;			/* kallsyms type t or T */
	struct tdx_bool *fact;
	enum tdx_symsrc *src;
	bool want, found;
};

static void sym_queries(struct tdx_facts *f, bool disable, bool flush, struct sym_query *q)
{
	q[SYM_DISABLE] = (struct sym_query){ "tdx_sys_disable", 12, true, &f->disable_path,
					     &f->disable_src, disable, false };
	q[SYM_FLUSH] = (struct sym_query){ "cache_state_incoherent", 14, false, &f->kexec_flush,
					   &f->flush_src, flush, false };
}

/* Bytes that follow a struct btf_type of this kind (btf.rst, "Type encoding"). */
static long btf_extra(unsigned int kind, unsigned int vlen)
{
	switch (kind) {
	case 2: case 7: case 8: case 9: case 10: case 11: case 12: case 16: case 18:
		return 0;	/* PTR FWD TYPEDEF VOLATILE CONST RESTRICT FUNC FLOAT TYPE_TAG */
	case 1: case 14: case 17:
		return 4;		/* INT VAR DECL_TAG */
	case 3:
		return 12;		/* ARRAY */
	case 4: case 5: case 15: case 19:
		return 12L * vlen;	/* STRUCT UNION DATASEC ENUM64 */
	case 6: case 13:
		return 8L * vlen;	/* ENUM FUNC_PROTO */
	default:
		return -1;
	}
}

struct btf_strings {
	const char *strs;	/* the string section, NUL-terminated */
	uint32_t slen;
};

/* Note a FUNC or VAR; only "tdx..." and "cache_..." names can matter, so most cost a compare. */
static void btf_name(const struct btf_strings *st, unsigned int kind, uint32_t name,
		     struct sym_query *q)
{
	const char *s = st->strs + name;
	int i;

	if (name >= st->slen || (s[0] != 't' && s[0] != 'c'))
		return;
	for (i = 0; i < SYM_NR; i++)
		if (q[i].want && kind == q[i].btf_kind && strcmp(s, q[i].name) == 0)
			q[i].found = true;
}

static int btf_walk(const uint8_t *p, size_t len, const struct btf_strings *st,
		    struct sym_query *q)
{
	size_t off = 0;

	while (off + 12 <= len) {
		uint32_t name = kx_get32(p, off), info = kx_get32(p, off + 4);
		unsigned int kind = (info >> 24) & 0x1f;
		long extra = btf_extra(kind, info & 0xffff);

		if (extra < 0)
			return -EBADMSG;
		if (kind == 12 || kind == 14)
			btf_name(st, kind, name, q);
		off += 12 + (size_t)extra;
	}
	return off == len ? 0 : -EBADMSG;
}

/* Mark what BTF has; 0, or -EBADMSG when it is not BTF. */
static int btf_scan(const uint8_t *b, size_t len, struct sym_query *q)
{
	uint32_t hdr, toff, tlen, soff, slen;
	struct btf_strings st;

	if (len < 24 || kx_get16(b, 0) != 0xeb9f)
		return -EBADMSG;
	hdr = kx_get32(b, 4);
	toff = kx_get32(b, 8);
	tlen = kx_get32(b, 12);
	soff = kx_get32(b, 16);
	slen = kx_get32(b, 20);
	if (hdr < 24 || hdr > len || (uint64_t)toff + tlen > len - hdr ||
	    (uint64_t)soff + slen > len - hdr || slen == 0 || b[hdr + soff + slen - 1] != '\0')
		return -EBADMSG;
	b += hdr;
	st.strs = (const char *)b + soff;
	st.slen = slen;
	return btf_walk(b + toff, tlen, &st, q);
}

/* The "yes" answers BTF gives; @btf keeps why it gave none, when it could not be read. */
static void btf_read(struct tdx_ctx *t, struct sym_query *q, struct tdx_fact *btf)
{
	const char *path = kx_if(KX_IF_BTF_VMLINUX);
	char *buf = NULL;
	size_t len;
	int i;

	tdx_fact_init(btf, path);
	if (tdx_read_text(t, path, BTF_MAX, &buf, &len, btf) < 0)
		return;
	if (btf_scan((const uint8_t *)buf, len, q) < 0)
		tdx_fact_malformed(btf, "not BTF type information");
	free(buf);
	for (i = 0; i < SYM_NR; i++) {
		if (!q[i].want || !q[i].found)
			continue;
		tdx_fact_init(&q[i].fact->f, path);
		q[i].fact->v = true;
		*q[i].src = TDX_SYM_BTF;
		tdx_fact_known(&q[i].fact->f);
		q[i].want = false;
	}
}

struct sym_scan {
	struct tdx_fact *fact;	/* where a malformed line is reported */
	struct sym_query *q;
	int left;		/* symbols still wanted */
};

/*
 * One kallsyms line: "<hex address> <type> <name>[\t[<module>]]".  Module
 * symbols follow the whole kernel's, so the first one ends the scan.
 */
static int kallsyms_line(void *arg, char *line, size_t len, bool last)
{
	struct sym_scan *s = arg;
	char *sp = strchr(line, ' '), *name;
	int i;

	if (!sp || sp == line || strspn(line, "0123456789abcdef") != (size_t)(sp - line) ||
	    !sp[1] || sp[2] != ' ' || !sp[3]) {
		tdx_fact_malformed(s->fact, "expected '<address> <type> <symbol>' lines, "
				   "found '%.60s'", line);
		return -EBADMSG;
	}
	name = sp + 3;
	if (strchr(name, '\t'))
		return 1;
	for (i = 0; i < SYM_NR; i++) {
		struct sym_query *q = &s->q[i];

		if (!q->want || q->found || strcmp(name, q->name) != 0 ||
		    (q->text && sp[1] != 't' && sp[1] != 'T'))
			continue;
		q->found = true;
		s->left--;
	}
	return s->left == 0;
}

#define KALLSYMS_LINE (64 * 1024)

/*
 * Answer what BTF left open from /proc/kallsyms.  Without kallsyms the answer
 * is unknown: for the reason BTF could not be read, else kallsyms' own.
 */
static void kallsyms_read(struct tdx_ctx *t, struct sym_query *q, const struct tdx_fact *btf)
{
	const struct kx_lines how = { .max_line = KALLSYMS_LINE };
	const char *path = kx_if(KX_IF_KALLSYMS);
	struct sym_scan s = { .q = q };
	struct tdx_fact file;
	int fd, rc, i;

	for (i = 0; i < SYM_NR; i++)
		s.left += q[i].want;
	if (!s.left)
		return;
	tdx_fact_init(&file, path);
	s.fact = &file;
	fd = kx_sysroot_open(t->root, path, O_RDONLY);
	if (fd < 0) {
		tdx_fact_errno(&file, fd);
	} else {
		rc = kx_read_lines(fd, &how, kallsyms_line, &s);
		close(fd);
		if (rc == -E2BIG)
			tdx_fact_malformed(&file, "a line longer than %d bytes", KALLSYMS_LINE);
		else if (rc < 0 && rc != -EBADMSG)
			tdx_fact_errno(&file, rc);
	}
	for (i = 0; i < SYM_NR; i++) {
		if (!q[i].want)
			continue;
		tdx_fact_init(&q[i].fact->f, path);
		*q[i].src = TDX_SYM_NONE;
		if (file.state == TDX_ABSENT && btf->state == TDX_UNREADABLE) {
			tdx_fact_source(&q[i].fact->f, "%s", btf->source);
			tdx_fact_copy(&q[i].fact->f, btf);
			continue;
		}
		if (file.state != TDX_NOT_READ) {
			tdx_fact_copy(&q[i].fact->f, &file);
			continue;
		}
		q[i].fact->v = q[i].found;
		*q[i].src = TDX_SYM_KALLSYMS;
		tdx_fact_known(&q[i].fact->f);
	}
}

/* Look up the symbols asked for: BTF first (cheap), kallsyms for the rest. */
static void read_symbols(struct tdx_ctx *t, struct tdx_facts *f, bool disable, bool flush)
{
	struct sym_query q[SYM_NR];
	struct tdx_fact btf;

	sym_queries(f, disable, flush, q);
	btf_read(t, q, &btf);
	kallsyms_read(t, q, &btf);
}

void tdx_read_disable_path(struct tdx_ctx *t, struct tdx_facts *f)
{
	read_symbols(t, f, true, false);
}

void tdx_read_kexec_flush(struct tdx_ctx *t, struct tdx_facts *f)
{
	read_symbols(t, f, false, true);
}

struct log_pattern {
	unsigned int bit;
	const char *text;
};

/*
 * Mainline arch/x86/virt/vmx/tdx/tdx.c (pr_fmt "virt/tdx: "),
 * machine_kexec_64.c (pr_fmt "kexec: "; "not allowed" in earlier revisions of
 * the patch), the update series' seamldr.c, and older vendor wording.  A line
 * counts only when its text starts with one of these: the TDX code prints
 * them with its prefix first, while a device's product string or a message
 * that quotes them has them in the middle.
 */
static const struct log_pattern log_patterns[] = {
	{ TDX_LOG_MODULE_INIT, "virt/tdx: TDX-Module initialized" },
	{ TDX_LOG_MODULE_INIT, "virt/tdx: module initialized" },
	{ TDX_LOG_INIT_FAILED, "virt/tdx: TDX-Module initialization failed" },
	{ TDX_LOG_NOT_LOADED, "virt/tdx: module not loaded" },
	{ TDX_LOG_HIBERNATION, "virt/tdx: initialization failed: Hibernation support is enabled" },
	{ TDX_LOG_FEW_KEYIDS, "virt/tdx: initialization failed: too few private KeyIDs" },
	{ TDX_LOG_KEXEC_REFUSED, "kexec: Not allowed on platform with tdx_pw_mce bug" },
	{ TDX_LOG_KEXEC_REFUSED, "kexec: not allowed on platform with tdx_pw_mce bug" },
	{ TDX_LOG_UPDATE_FAILED, "seamldr: update failed" },
	{ TDX_LOG_BIOS_ENABLED, "virt/tdx: BIOS enabled: private KeyID range" },
};

/*
 * The syslog facility of a record: <prio> is facility << 3 | level
 * (Documentation/ABI/testing/dev-kmsg).  The kernel's own messages have
 * facility 0; a write to /dev/kmsg from user space never does
 * (kernel/printk/printk.c devkmsg_write() starts from LOG_USER and keeps
 * only a non-zero facility from the writer's prefix).
 */
static bool from_kernel(const char *line)
{
	uint64_t prio;
	char num[24];
	size_t n = strspn(line, "0123456789");

	if (n == 0 || n >= sizeof(num))
		return false;
	memcpy(num, line, n);
	num[n] = '\0';
	return kx_parse_u64(num, 10, &prio) == 0 && (prio >> 3) == 0;
}

/* One record line: "<prio>,<seq>,<usec>,<flags>[,...];<message>" (kmsg ABI). */
static int kmsg_line(void *arg, char *line, size_t len, bool last)
{
	struct tdx_kmsg *k = arg;
	char *semi, *c1, *c2;
	uint64_t seq;
	size_t i;

	if (line[0] == ' ' || line[0] == '\0')
		return 0;	/* a dictionary line of the record before */
	semi = strchr(line, ';');
	c1 = strchr(line, ',');
	c2 = c1 ? strchr(c1 + 1, ',') : NULL;
	if (!semi || !c2 || c2 > semi || strspn(line, "0123456789") != (size_t)(c1 - line)) {
		tdx_fact_malformed(&k->f, "expected records '<prio>,<seq>,<usec>,<flags>;<text>', "
				   "found '%.50s'", line);
		return -EBADMSG;
	}
	*c2 = '\0';
	if (kx_parse_u64(c1 + 1, 10, &seq) < 0) {
		tdx_fact_malformed(&k->f, "expected a decimal sequence number, found '%.20s'",
				   c1 + 1);
		return -EBADMSG;
	}
	if (k->records++ == 0)
		k->complete = seq == 0;
	if (!from_kernel(line))
		return 0;
	for (i = 0; i < sizeof(log_patterns) / sizeof(log_patterns[0]); i++)
		if (strncmp(semi + 1, log_patterns[i].text, strlen(log_patterns[i].text)) == 0)
			k->seen |= log_patterns[i].bit;
	return 0;
}

#define KMSG_RECORD 16384
#define KMSG_MAX (16u << 20)

/*
 * /dev/kmsg gives one record per read and EAGAIN at the end (opened
 * non-blocking), EPIPE when a record was overwritten while reading; a
 * recorded tree has a plain file in the same format.
 */
void tdx_read_kmsg(struct tdx_ctx *t, struct tdx_facts *f)
{
	const struct kx_lines how = {
		.max_line = KMSG_RECORD, .max_total = KMSG_MAX,
		.eagain_ends = true, .epipe_retry = true,
	};
	const char *path = kx_if(KX_IF_KMSG);
	struct tdx_kmsg *k = &f->kmsg;
	int fd, rc;

	tdx_fact_init(&k->f, path);
	k->seen = 0;
	k->complete = false;
	k->records = 0;
	fd = kx_sysroot_open(t->root, path, O_RDONLY | O_NONBLOCK);
	if (fd < 0) {
		tdx_fact_errno(&k->f, fd);
		return;
	}
	rc = kx_read_lines(fd, &how, kmsg_line, k);
	close(fd);
	if (rc == -E2BIG)
		tdx_fact_malformed(&k->f, "a record longer than %d bytes", KMSG_RECORD);
	else if (rc < 0 && rc != -EBADMSG)
		tdx_fact_errno(&k->f, rc);
	else if (rc >= 0)
		tdx_fact_known(&k->f);
}
