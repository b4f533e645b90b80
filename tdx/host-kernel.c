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

static const char disable_sym[] = "tdx_sys_disable";
/* Global functions of arch/x86/virt/vmx/tdx/tdx.c in every TDX host kernel since 6.8. */
static const char *const tdx_host_syms[] = {
	"tdx_cpu_enable", "tdx_enable", "tdx_get_sysinfo", "tdh_vp_enter", NULL,
};

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

struct btf_want {
	const char *strs;	/* the string section, NUL-terminated */
	uint32_t slen;
	bool has_disable, has_host;
};

/* Note a FUNC's name; only "td..." names can matter, so most cost a compare. */
static void btf_func(struct btf_want *w, uint32_t name)
{
	const char *s = w->strs + name;
	size_t i;

	if (name >= w->slen || s[0] != 't' || s[1] != 'd')
		return;
	if (strcmp(s, disable_sym) == 0)
		w->has_disable = true;
	for (i = 0; tdx_host_syms[i]; i++)
		w->has_host |= strcmp(s, tdx_host_syms[i]) == 0;
}

static int btf_walk(const uint8_t *p, size_t len, struct btf_want *w)
{
	size_t off = 0;

	while (off + 12 <= len) {
		uint32_t name = kx_get32(p, off), info = kx_get32(p, off + 4);
		unsigned int kind = (info >> 24) & 0x1f;
		long extra = btf_extra(kind, info & 0xffff);

		if (extra < 0)
			return -EBADMSG;
		if (kind == 12)
			btf_func(w, name);
		off += 12 + (size_t)extra;
	}
	return off == len ? 0 : -EBADMSG;
}

/* 1: has it, 0: has not, -errno: BTF cannot tell. */
static int btf_has_disable(const uint8_t *b, size_t len)
{
	uint32_t hdr, toff, tlen, soff, slen;
	struct btf_want w = { 0 };

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
	w.strs = (const char *)b + soff;
	w.slen = slen;
	if (btf_walk(b + toff, tlen, &w) < 0)
		return -EBADMSG;
	if (w.has_disable)
		return 1;
	return w.has_host ? 0 : -ENODATA;
}

void tdx_read_btf(struct tdx_ctx *t, struct tdx_facts *f)
{
	const char *path = kx_if(KX_IF_BTF_VMLINUX);
	char *buf = NULL;
	size_t len;
	int rc;

	tdx_fact_init(&f->disable_path.f, path);
	f->disable_src = TDX_SYM_NONE;
	rc = tdx_read_text(t, path, BTF_MAX, &buf, &len, &f->disable_path.f);
	if (rc < 0)
		return;
	rc = btf_has_disable((const uint8_t *)buf, len);
	free(buf);
	if (rc == -EBADMSG) {
		tdx_fact_malformed(&f->disable_path.f, "not BTF type information");
	} else if (rc == -ENODATA) {
		tdx_fact_errno(&f->disable_path.f, ENODATA);
		tdx_fact_detail(&f->disable_path.f, "%s describes no TDX host function", path);
	} else {
		f->disable_path.v = rc == 1;
		f->disable_src = TDX_SYM_BTF;
		tdx_fact_known(&f->disable_path.f);
	}
}

struct sym_scan {
	struct tdx_fact *fact;
	bool found;
};

/*
 * One kallsyms line: "<hex address> <type> <name>[\t[<module>]]".  Module
 * symbols follow the whole kernel's, so the first one ends the scan.
 */
static int kallsyms_line(void *arg, char *line, size_t len, bool last)
{
	struct sym_scan *s = arg;
	char *sp = strchr(line, ' '), *name;

	if (!sp || sp == line || strspn(line, "0123456789abcdef") != (size_t)(sp - line) ||
	    !sp[1] || sp[2] != ' ' || !sp[3]) {
		tdx_fact_malformed(s->fact, "expected '<address> <type> <symbol>' lines, "
				   "found '%.60s'", line);
		return -EBADMSG;
	}
	name = sp + 3;
	if (strchr(name, '\t'))
		return 1;
	if ((sp[1] == 't' || sp[1] == 'T') && strcmp(name, disable_sym) == 0)
		s->found = true;
	return s->found;
}

#define KALLSYMS_LINE (64 * 1024)

void tdx_read_kallsyms(struct tdx_ctx *t, struct tdx_facts *f)
{
	const struct kx_lines how = { .max_line = KALLSYMS_LINE };
	struct tdx_fact *fact = &f->disable_path.f;
	struct sym_scan s = { .fact = fact, .found = false };
	const char *path = kx_if(KX_IF_KALLSYMS);
	int fd, rc;

	tdx_fact_init(fact, path);
	f->disable_src = TDX_SYM_NONE;
	fd = kx_sysroot_open(t->root, path, O_RDONLY);
	if (fd < 0) {
		tdx_fact_errno(fact, fd);
		return;
	}
	rc = kx_read_lines(fd, &how, kallsyms_line, &s);
	close(fd);
	if (rc == -E2BIG)
		tdx_fact_malformed(fact, "a line longer than %d bytes", KALLSYMS_LINE);
	else if (rc < 0 && rc != -EBADMSG)
		tdx_fact_errno(fact, rc);
	if (fact->state != TDX_NOT_READ)
		return;
	f->disable_path.v = s.found;
	f->disable_src = TDX_SYM_KALLSYMS;
	tdx_fact_known(fact);
}

void tdx_read_disable_path(struct tdx_ctx *t, struct tdx_facts *f)
{
	tdx_read_btf(t, f);
	if (f->disable_path.f.state != TDX_KNOWN)
		tdx_read_kallsyms(t, f);
}

struct log_pattern {
	unsigned int bit;
	const char *text;
};

/* Mainline arch/x86/virt/vmx/tdx/tdx.c, machine_kexec_64.c, and older vendor wording. */
static const struct log_pattern log_patterns[] = {
	{ TDX_LOG_MODULE_INIT, "virt/tdx: TDX-Module initialized" },
	{ TDX_LOG_MODULE_INIT, "virt/tdx: module initialized" },
	{ TDX_LOG_INIT_FAILED, "virt/tdx: TDX-Module initialization failed" },
	{ TDX_LOG_NOT_LOADED, "virt/tdx: module not loaded" },
	{ TDX_LOG_HIBERNATION, "virt/tdx: initialization failed: Hibernation support is enabled" },
	{ TDX_LOG_FEW_KEYIDS, "virt/tdx: initialization failed: too few private KeyIDs" },
	{ TDX_LOG_KEXEC_REFUSED, "llowed on platform with tdx_pw_mce bug" },
	{ TDX_LOG_UPDATE_FAILED, "seamldr: update failed" },
	{ TDX_LOG_BIOS_ENABLED, "virt/tdx: BIOS enabled: private KeyID range" },
};

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
	for (i = 0; i < sizeof(log_patterns) / sizeof(log_patterns[0]); i++)
		if (strstr(semi + 1, log_patterns[i].text))
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
