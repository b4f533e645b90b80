// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vmcore-check [--marker TEXT] [--read-all] [FILE]: read a crash dump
 * (/proc/vmcore in a kdump kernel) the way a dump reader does, and print one
 * line "E2E:S2:VMCORE-CHECK ok|fail key=value..." saying what it found:
 *  - size: the file's size against the size its own ELF header promises
 *    (fs/proc/vmcore.c lays it out: the program headers rounded up to a
 *    page, the one merged PT_NOTE rounded up to a page, then each PT_LOAD as
 *    the whole pages it touches, in header order);
 *  - nonotes: that size without the notes' pages, which the loader can
 *    predict at load time (kexec -d prints it);
 *  - the vmcoreinfo note: OSRELEASE, and the printk ring's symbols;
 *  - with --marker: TEXT in the crashed kernel's printk ring, reached the way
 *    makedumpfile --dump-dmesg reaches it: SYMBOL(prb) through the kernel
 *    text PT_LOAD, the ring's data through the direct-map PT_LOADs (their
 *    p_vaddr), so a wrong virtual address in the header fails the check;
 *  - with --read-all: every byte of the file reads.
 * Exit 0 when every check passed.  A test helper for tests/e2e; it only reads.
 */
#include "config.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PAGE		4096ULL
#define ROUND_UP(x)	(((x) + PAGE - 1) & ~(PAGE - 1))
#define MAX_PHDRS	65535
#define MAX_NOTES	(16 << 20)
#define MAX_RING	(64 << 20)

struct dump {
	int fd;
	uint64_t size;
	Elf64_Ehdr eh;
	Elf64_Phdr *ph;
	char *vmcoreinfo;	/* NUL-terminated text, or NULL */
	char why[256];
};

/* Keep the first reason: @why and @detail (which may be ""). */
static int fail(struct dump *d, const char *why, const char *detail)
{
	if (!d->why[0])
		snprintf(d->why, sizeof(d->why), "%s%s", why, detail);
	return -1;
}

static int read_at(struct dump *d, void *buf, size_t len, uint64_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(d->fd, (char *)buf + done, len - done, (off_t)(off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return fail(d, "read error: ", n < 0 ? strerror(errno) : "short read");
		done += (size_t)n;
	}
	return 0;
}

static int read_headers(struct dump *d)
{
	size_t n;

	if (read_at(d, &d->eh, sizeof(d->eh), 0) < 0)
		return -1;
	if (memcmp(d->eh.e_ident, ELFMAG, SELFMAG) || d->eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    d->eh.e_type != ET_CORE || d->eh.e_machine != EM_X86_64 ||
	    d->eh.e_phentsize != sizeof(Elf64_Phdr) || !d->eh.e_phnum)
		return fail(d, "not an x86_64 ELF64 core", "");
	n = d->eh.e_phnum;
	d->ph = calloc(n, sizeof(*d->ph));
	if (!d->ph)
		return fail(d, "out of memory", "");
	return read_at(d, d->ph, n * sizeof(*d->ph), d->eh.e_phoff);
}

/*
 * The size fs/proc/vmcore.c gives the file, from its own (rewritten)
 * headers; sets *notes to the notes' pages.  Also checks each PT_LOAD
 * sits where that layout puts it.
 */
static uint64_t promised_size(struct dump *d, uint64_t *notes)
{
	uint64_t off = ROUND_UP(sizeof(Elf64_Ehdr) + d->eh.e_phnum * sizeof(Elf64_Phdr));
	size_t i;

	*notes = 0;
	for (i = 0; i < d->eh.e_phnum; i++) {
		const Elf64_Phdr *p = &d->ph[i];
		uint64_t in_page = p->p_offset & (PAGE - 1);

		if (p->p_type == PT_NOTE) {
			if (p->p_offset != off)
				fail(d, "the PT_NOTE is not right after the program headers", "");
			*notes = ROUND_UP(p->p_memsz);
			off += *notes;
		} else if (p->p_type == PT_LOAD) {
			if (p->p_offset - in_page != off)
				fail(d, "a PT_LOAD is not where the layout puts it", "");
			off += ROUND_UP(in_page + p->p_memsz);
		}
	}
	return off;
}

/* The VMCOREINFO note's text from the merged PT_NOTE. */
static void find_vmcoreinfo(struct dump *d)
{
	size_t i, pos;
	char *buf;

	for (i = 0; i < d->eh.e_phnum && d->ph[i].p_type != PT_NOTE; i++)
		;
	if (i == d->eh.e_phnum || d->ph[i].p_memsz > MAX_NOTES)
		return;
	buf = malloc(d->ph[i].p_memsz + 1);
	if (!buf || read_at(d, buf, d->ph[i].p_memsz, d->ph[i].p_offset) < 0) {
		free(buf);
		return;
	}
	for (pos = 0; pos + sizeof(Elf64_Nhdr) <= d->ph[i].p_memsz;) {
		Elf64_Nhdr nh;
		size_t name = pos + sizeof(nh), desc;

		memcpy(&nh, buf + pos, sizeof(nh));
		desc = name + ((nh.n_namesz + 3) & ~3U);
		if (!nh.n_namesz || desc + nh.n_descsz > d->ph[i].p_memsz)
			break;
		if (nh.n_namesz == 11 && memcmp(buf + name, "VMCOREINFO", 11) == 0) {
			d->vmcoreinfo = strndup(buf + desc, nh.n_descsz);
			break;
		}
		pos = desc + ((nh.n_descsz + 3) & ~3U);
	}
	free(buf);
}

/* KEY=value from vmcoreinfo, as a number in @base; 0 when absent. */
static uint64_t info_num(const struct dump *d, const char *key, int base)
{
	const char *p = d->vmcoreinfo;
	size_t len = strlen(key);

	while (p && *p) {
		if (strncmp(p, key, len) == 0 && p[len] == '=')
			return strtoull(p + len + 1, NULL, base);
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	return 0;
}

static const char *info_str(const struct dump *d, const char *key, char *out, size_t len)
{
	const char *p = d->vmcoreinfo ? strstr(d->vmcoreinfo, key) : NULL;

	snprintf(out, len, "%s", "?");
	if (p && (p == d->vmcoreinfo || p[-1] == '\n'))
		snprintf(out, len, "%.*s", (int)strcspn(p + strlen(key), "\n"), p + strlen(key));
	return out;
}

/* Read @len bytes at kernel virtual address @va through the PT_LOADs' p_vaddr. */
static int read_va(struct dump *d, void *buf, size_t len, uint64_t va)
{
	size_t i;

	for (i = 0; i < d->eh.e_phnum; i++) {
		const Elf64_Phdr *p = &d->ph[i];

		if (p->p_type == PT_LOAD && va >= p->p_vaddr && va - p->p_vaddr < p->p_memsz &&
		    p->p_memsz - (va - p->p_vaddr) >= len)
			return read_at(d, buf, len, p->p_offset + (va - p->p_vaddr));
	}
	snprintf(d->why, sizeof(d->why), "no PT_LOAD maps virtual address 0x%llx",
		 (unsigned long long)va);
	return -1;
}

/* The printk ring's text, found as makedumpfile finds it; *len its size. */
static char *printk_text(struct dump *d, size_t *len)
{
	uint64_t prb = info_num(d, "SYMBOL(prb)", 16);
	uint64_t ring_off = info_num(d, "OFFSET(printk_ringbuffer.text_data_ring)", 10);
	uint64_t bits_off = info_num(d, "OFFSET(prb_data_ring.size_bits)", 10);
	uint64_t data_off = info_num(d, "OFFSET(prb_data_ring.data)", 10);
	uint64_t rb, data;
	uint32_t bits;
	char *text;

	if (!prb || !info_num(d, "SIZE(prb_data_ring)", 10)) {
		fail(d, "vmcoreinfo has no printk ring symbols", "");
		return NULL;
	}
	if (read_va(d, &rb, 8, prb) < 0 || read_va(d, &bits, 4, rb + ring_off + bits_off) < 0 ||
	    read_va(d, &data, 8, rb + ring_off + data_off) < 0)
		return NULL;
	if (bits > 26) {
		fail(d, "the printk ring's size_bits is implausible", "");
		return NULL;
	}
	*len = (size_t)1 << bits;
	text = malloc(*len);
	if (text && read_va(d, text, *len, data) == 0)
		return text;
	free(text);
	return NULL;
}

static size_t count(const char *hay, size_t len, const char *needle)
{
	size_t n = 0, nl = strlen(needle);
	const char *p = hay, *end = hay + len;

	while (nl && (p = memmem(p, (size_t)(end - p), needle, nl)) != NULL) {
		n++;
		p += nl;
	}
	return n;
}

static int read_all(struct dump *d)
{
	static char buf[1 << 20];
	uint64_t off = 0;
	ssize_t n;

	while ((n = pread(d->fd, buf, sizeof(buf), (off_t)off)) > 0)
		off += (uint64_t)n;
	if (n < 0 || off != d->size)
		return fail(d, "the whole file does not read", "");
	return 0;
}

static int usage(FILE *out, int status)
{
	fputs("usage: vmcore-check [--marker TEXT] [--read-all] [FILE]\n"
	      "Check a crash dump's size against its ELF header and find TEXT in the crashed\n"
	      "kernel's printk ring; FILE defaults to /proc/vmcore.\n", out);
	return status;
}

int main(int argc, char *argv[])
{
	const char *path = "/proc/vmcore", *marker = NULL;
	struct dump d = { .fd = -1 };
	uint64_t want = 0, notes = 0;
	size_t ring_len = 0, found = 0;
	char *ring = NULL, rel[80];
	int i, all = 0, ok;
	struct stat st;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help"))
			return usage(stdout, 0);
		else if (!strcmp(argv[i], "--marker") && i + 1 < argc)
			marker = argv[++i];
		else if (!strcmp(argv[i], "--read-all"))
			all = 1;
		else if (argv[i][0] == '-')
			return usage(stderr, 2);
		else
			path = argv[i];
	}
	d.fd = open(path, O_RDONLY);
	if (d.fd < 0 || fstat(d.fd, &st) < 0)
		fail(&d, "cannot open: ", strerror(errno));
	d.size = (uint64_t)st.st_size;
	if (!d.why[0] && read_headers(&d) == 0) {
		want = promised_size(&d, &notes);
		if (want != d.size)
			fail(&d, "the size differs from what the header promises", "");
		find_vmcoreinfo(&d);
		if (!d.vmcoreinfo)
			fail(&d, "no VMCOREINFO note", "");
		if (marker && d.vmcoreinfo && (ring = printk_text(&d, &ring_len)))
			found = count(ring, ring_len, marker);
		if (marker && ring && !found)
			fail(&d, "the marker is not in the printk ring", "");
		if (all)
			read_all(&d);
	}
	ok = !d.why[0];
	printf("E2E:S2:VMCORE-CHECK %s size=%llu promised=%llu nonotes=%llu phnum=%u "
	       "osrelease=%s ring=%zu marker=%zu%s%s\n", ok ? "ok" : "fail",
	       (unsigned long long)d.size, (unsigned long long)want,
	       (unsigned long long)(want - notes), d.eh.e_phnum,
	       info_str(&d, "OSRELEASE=", rel, sizeof(rel)), ring_len, found,
	       ok ? "" : " why=", d.why);
	free(ring);
	free(d.ph);
	free(d.vmcoreinfo);
	return ok ? 0 : 1;
}
