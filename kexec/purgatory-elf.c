// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The loader side of the purgatory: lay out the SHF_ALLOC sections of the
 * relocatable object (contents first, then NOBITS as memsz), apply its
 * RELA relocations for the address the plan gave it, and fill its
 * parameters by symbol name with exact size checks.  Relocation semantics:
 * the x86-64 psABI, table "Relocation Types" (S + A, S + A - P).
 */
#include "config.h"

#include <errno.h>
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "kexec/abi.h"
#include "base/bytes.h"
#include "base/ctx.h"
#include "kexec/purgatory.h"

#define NOT_LOADED UINT64_MAX
/* Ours is about 70 KiB; a section, an alignment or the whole above this is not one. */
#define PURGATORY_MAX (16u << 20)

struct kx_purgatory {
	void *elfbuf;		/* our copy of the object; libelf reads it in place */
	Elf *elf;
	size_t shnum;
	uint64_t *sec_off;	/* per section: offset in the image, or NOT_LOADED */
	uint8_t *sec_nobits;
	Elf_Data *symtab;
	size_t nsyms, strndx;
	uint64_t bufsz, memsz, align;
	uint8_t *image;		/* bufsz bytes, valid after relocation */
	uint64_t base;
	bool relocated;
};

/* Names for the relocation types a compiler might emit, for error messages. */
static const char *const rel_names[] = {
	[R_X86_64_NONE] = "R_X86_64_NONE",	[R_X86_64_64] = "R_X86_64_64",
	[R_X86_64_PC32] = "R_X86_64_PC32",	[R_X86_64_GOT32] = "R_X86_64_GOT32",
	[R_X86_64_PLT32] = "R_X86_64_PLT32",	[R_X86_64_COPY] = "R_X86_64_COPY",
	[R_X86_64_GLOB_DAT] = "R_X86_64_GLOB_DAT",
	[R_X86_64_JUMP_SLOT] = "R_X86_64_JUMP_SLOT",
	[R_X86_64_RELATIVE] = "R_X86_64_RELATIVE",
	[R_X86_64_GOTPCREL] = "R_X86_64_GOTPCREL", [R_X86_64_32] = "R_X86_64_32",
	[R_X86_64_32S] = "R_X86_64_32S",	[R_X86_64_16] = "R_X86_64_16",
	[R_X86_64_PC16] = "R_X86_64_PC16",	[R_X86_64_8] = "R_X86_64_8",
	[R_X86_64_PC8] = "R_X86_64_PC8",	[R_X86_64_DTPMOD64] = "R_X86_64_DTPMOD64",
	[R_X86_64_DTPOFF64] = "R_X86_64_DTPOFF64", [R_X86_64_TPOFF64] = "R_X86_64_TPOFF64",
	[R_X86_64_TLSGD] = "R_X86_64_TLSGD",	[R_X86_64_TLSLD] = "R_X86_64_TLSLD",
	[R_X86_64_DTPOFF32] = "R_X86_64_DTPOFF32", [R_X86_64_GOTTPOFF] = "R_X86_64_GOTTPOFF",
	[R_X86_64_TPOFF32] = "R_X86_64_TPOFF32", [R_X86_64_PC64] = "R_X86_64_PC64",
	[R_X86_64_GOTOFF64] = "R_X86_64_GOTOFF64", [R_X86_64_GOTPC32] = "R_X86_64_GOTPC32",
	[R_X86_64_SIZE32] = "R_X86_64_SIZE32",	[R_X86_64_SIZE64] = "R_X86_64_SIZE64",
	[R_X86_64_GOTPCRELX] = "R_X86_64_GOTPCRELX",
	[R_X86_64_REX_GOTPCRELX] = "R_X86_64_REX_GOTPCRELX",
};

static const char *rel_name(unsigned int type)
{
	if (type < sizeof(rel_names) / sizeof(rel_names[0]) && rel_names[type])
		return rel_names[type];
	return "an unknown type";
}

static int elf_fail(struct kx_ctx *ctx, const char *what)
{
	return kx_fail(ctx, -EINVAL, "purgatory object: %s: %s", what, elf_errmsg(-1));
}

static int get_shdr(struct kx_ctx *ctx, const struct kx_purgatory *p, size_t i, GElf_Shdr *sh)
{
	Elf_Scn *scn = elf_getscn(p->elf, i);

	if (!scn || !gelf_getshdr(scn, sh))
		return elf_fail(ctx, "cannot read a section header");
	return 0;
}

static Elf_Data *sec_data(const struct kx_purgatory *p, size_t i)
{
	return elf_getdata(elf_getscn(p->elf, i), NULL);
}

static const char *sym_name(const struct kx_purgatory *p, const GElf_Sym *sym)
{
	const char *n = elf_strptr(p->elf, p->strndx, sym->st_name);

	return n ? n : "?";
}

static int check_header(struct kx_ctx *ctx, struct kx_purgatory *p)
{
	GElf_Ehdr eh;

	if (elf_kind(p->elf) != ELF_K_ELF || !gelf_getehdr(p->elf, &eh))
		return kx_fail(ctx, -ENOEXEC, "purgatory object: not an ELF file");
	if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh.e_machine != EM_X86_64 || eh.e_type != ET_REL)
		return kx_fail(ctx, -ENOEXEC,
			       "purgatory object: not a little-endian x86_64 relocatable object");
	if (elf_getshdrnum(p->elf, &p->shnum))
		return elf_fail(ctx, "cannot count sections");
	p->sec_off = calloc(p->shnum, sizeof(*p->sec_off));
	p->sec_nobits = calloc(p->shnum, 1);
	if (!p->sec_off || !p->sec_nobits)
		return kx_fail(ctx, -ENOMEM, "out of memory");
	return 0;
}

/* Place the SHF_ALLOC sections with contents (@nobits false) or without. */
static int layout_pass(struct kx_ctx *ctx, struct kx_purgatory *p, bool nobits, uint64_t *off)
{
	GElf_Shdr sh;
	size_t i;
	int err;

	for (i = 1; i < p->shnum; i++) {
		uint64_t al;

		err = get_shdr(ctx, p, i, &sh);
		if (err)
			return err;
		if (!(sh.sh_flags & SHF_ALLOC) || (sh.sh_type == SHT_NOBITS) != nobits)
			continue;
		al = sh.sh_addralign ? sh.sh_addralign : 1;
		if (al & (al - 1) || al > PURGATORY_MAX || sh.sh_size > PURGATORY_MAX)
			return kx_fail(ctx, -EINVAL, "purgatory object: section %zu has alignment "
				       "%#llx and size %#llx", i, (unsigned long long)al,
				       (unsigned long long)sh.sh_size);
		if (al > p->align)
			p->align = al;
		*off = KX_ALIGN_UP(*off, al);
		p->sec_off[i] = *off;
		p->sec_nobits[i] = nobits;
		*off += sh.sh_size;
		/* many sections of the largest size must not add up to any size */
		if (*off > PURGATORY_MAX)
			return kx_fail(ctx, -EINVAL, "purgatory object: its sections need more than "
				       "%u MiB; expected a few pages", PURGATORY_MAX >> 20);
	}
	return 0;
}

static int layout(struct kx_ctx *ctx, struct kx_purgatory *p)
{
	uint64_t off = 0;
	size_t i;
	int err;

	for (i = 0; i < p->shnum; i++)
		p->sec_off[i] = NOT_LOADED;
	p->align = 16;
	err = layout_pass(ctx, p, false, &off);
	if (err)
		return err;
	p->bufsz = off;
	err = layout_pass(ctx, p, true, &off);
	if (err)
		return err;
	p->memsz = off;
	if (!p->bufsz)
		return kx_fail(ctx, -EINVAL, "purgatory object: no loadable contents");
	p->image = calloc(1, p->bufsz);
	return p->image ? 0 : kx_fail(ctx, -ENOMEM, "out of memory");
}

static int find_symtab(struct kx_ctx *ctx, struct kx_purgatory *p)
{
	GElf_Shdr sh;
	size_t i;
	int err;

	for (i = 1; i < p->shnum; i++) {
		err = get_shdr(ctx, p, i, &sh);
		if (err)
			return err;
		if (sh.sh_type == SHT_REL && sh.sh_info < p->shnum &&
		    p->sec_off[sh.sh_info] != NOT_LOADED)
			return kx_fail(ctx, -EINVAL, "purgatory object: SHT_REL relocations "
				       "(section %zu) are not supported on x86_64", i);
		if (sh.sh_type != SHT_SYMTAB)
			continue;
		if (p->symtab)
			return kx_fail(ctx, -EINVAL,
				       "purgatory object: more than one symbol table");
		p->symtab = sec_data(p, i);
		p->strndx = sh.sh_link;
		p->nsyms = sh.sh_entsize ? sh.sh_size / sh.sh_entsize : 0;
	}
	if (!p->symtab)
		return kx_fail(ctx, -EINVAL, "purgatory object: no symbol table");
	return 0;
}

/* Every symbol must be defined: in a section, or absolute. */
static int check_symbols(struct kx_ctx *ctx, struct kx_purgatory *p)
{
	GElf_Sym sym;
	size_t i;

	for (i = 1; i < p->nsyms; i++) {
		if (!gelf_getsym(p->symtab, (int)i, &sym))
			return elf_fail(ctx, "cannot read a symbol");
		if (sym.st_shndx == SHN_UNDEF)
			return kx_fail(ctx, -EINVAL, "purgatory object: undefined symbol %s",
				       sym_name(p, &sym));
		if (sym.st_shndx == SHN_COMMON)
			return kx_fail(ctx, -EINVAL, "purgatory object: common symbol %s "
				       "(build with -fno-common)", sym_name(p, &sym));
		if (sym.st_shndx != SHN_ABS && sym.st_shndx >= p->shnum)
			return kx_fail(ctx, -EINVAL, "purgatory object: symbol %s has section "
				       "index %#x", sym_name(p, &sym), sym.st_shndx);
	}
	return 0;
}

void kx_purgatory_free(struct kx_purgatory *p)
{
	if (!p)
		return;
	if (p->elf)
		elf_end(p->elf);
	free(p->elfbuf);
	free(p->sec_off);
	free(p->sec_nobits);
	free(p->image);
	free(p);
}

int kx_purgatory_new(struct kx_ctx *ctx, const void *elf, size_t len, struct kx_purgatory **out)
{
	struct kx_purgatory *p;
	int err;

	*out = NULL;
	if (elf_version(EV_CURRENT) == EV_NONE)
		return elf_fail(ctx, "libelf is unusable");
	p = calloc(1, sizeof(*p));
	if (!p || !(p->elfbuf = malloc(len ? len : 1))) {
		free(p);
		return kx_fail(ctx, -ENOMEM, "out of memory");
	}
	memcpy(p->elfbuf, elf, len);
	p->elf = elf_memory(p->elfbuf, len);
	err = p->elf ? 0 : elf_fail(ctx, "cannot parse");
	if (!err)
		err = check_header(ctx, p);
	if (!err)
		err = layout(ctx, p);
	if (!err)
		err = find_symtab(ctx, p);
	if (!err)
		err = check_symbols(ctx, p);
	if (err) {
		kx_purgatory_free(p);
		return err;
	}
	*out = p;
	return 0;
}

void kx_purgatory_size(const struct kx_purgatory *p, uint64_t *bufsz, uint64_t *memsz,
		       uint64_t *align)
{
	*bufsz = p->bufsz;
	*memsz = p->memsz;
	*align = p->align;
}

const void *kx_purgatory_buf(const struct kx_purgatory *p)
{
	return p->relocated ? p->image : NULL;
}

/* Copy every loaded section's contents into the image. */
static int copy_sections(struct kx_ctx *ctx, struct kx_purgatory *p)
{
	GElf_Shdr sh;
	size_t i;
	int err;

	memset(p->image, 0, p->bufsz);
	for (i = 1; i < p->shnum; i++) {
		Elf_Data *d;

		if (p->sec_off[i] == NOT_LOADED || p->sec_nobits[i])
			continue;
		err = get_shdr(ctx, p, i, &sh);
		if (err)
			return err;
		d = sec_data(p, i);
		if (!d || d->d_size != sh.sh_size)
			return elf_fail(ctx, "cannot read a section");
		if (d->d_size)
			memcpy(p->image + p->sec_off[i], d->d_buf, d->d_size);
	}
	return 0;
}

struct reloc {
	unsigned int type;
	const char *sym;	/* for messages */
	uint64_t S, A, P;	/* symbol value, addend, place (psABI names) */
	uint8_t *where;
	uint64_t room;		/* bytes left in the target section at @where */
};

static int overflow(struct kx_ctx *ctx, const struct kx_purgatory *p, const struct reloc *r,
		    uint64_t v)
{
	return kx_fail(ctx, -ERANGE, "purgatory object: %s against %s does not fit: value %#llx "
		       "at %#llx (purgatory at %#llx)", rel_name(r->type), r->sym,
		       (unsigned long long)v, (unsigned long long)r->P,
		       (unsigned long long)p->base);
}

static bool fits_s32(uint64_t v)
{
	return (int64_t)v >= INT32_MIN && (int64_t)v <= INT32_MAX;
}

static int apply_one(struct kx_ctx *ctx, const struct kx_purgatory *p, const struct reloc *r)
{
	uint64_t v;
	unsigned int width = r->type == R_X86_64_64 ? 8 : 4;

	if (r->type == R_X86_64_NONE)
		return 0;
	if (r->room < width)
		return kx_fail(ctx, -EINVAL,
			       "purgatory object: %s against %s runs past its section",
			       rel_name(r->type), r->sym);
	switch (r->type) {
	case R_X86_64_64:
		kx_put64(r->where, 0, r->S + r->A);
		return 0;
	case R_X86_64_32:
		v = r->S + r->A;
		if (v > UINT32_MAX)
			return overflow(ctx, p, r, v);
		break;
	case R_X86_64_32S:
		v = r->S + r->A;
		if (!fits_s32(v))
			return overflow(ctx, p, r, v);
		break;
	case R_X86_64_PC32:
	case R_X86_64_PLT32:	/* no PLT here: same as PC32 */
		v = r->S + r->A - r->P;
		if (!fits_s32(v))
			return overflow(ctx, p, r, v);
		break;
	default:
		return kx_fail(ctx, -ENOEXEC, "purgatory object: unsupported relocation %s (%u) "
			       "against %s", rel_name(r->type), r->type, r->sym);
	}
	kx_put32(r->where, 0, (uint32_t)v);
	return 0;
}

static int sym_value(struct kx_ctx *ctx, const struct kx_purgatory *p, size_t idx,
		     struct reloc *r)
{
	GElf_Sym sym;

	if (idx >= p->nsyms || !gelf_getsym(p->symtab, (int)idx, &sym))
		return kx_fail(ctx, -EINVAL, "purgatory object: relocation against symbol %zu, "
			       "which does not exist", idx);
	r->sym = idx ? sym_name(p, &sym) : "*ABS*";
	if (sym.st_shndx == SHN_ABS || idx == 0) {
		r->S = idx ? sym.st_value : 0;
		return 0;
	}
	if (p->sec_off[sym.st_shndx] == NOT_LOADED)
		return kx_fail(ctx, -EINVAL, "purgatory object: relocation against %s, which is "
			       "not in a loaded section", r->sym);
	r->S = p->base + p->sec_off[sym.st_shndx] + sym.st_value;
	return 0;
}

static int apply_section(struct kx_ctx *ctx, struct kx_purgatory *p, size_t i,
			 const GElf_Shdr *sh)
{
	size_t target = sh->sh_info, n, k;
	Elf_Data *d = sec_data(p, i);
	GElf_Shdr tsh;
	int err;

	if (target >= p->shnum || p->sec_off[target] == NOT_LOADED)
		return 0;	/* relocations for debug info and the like */
	if (p->sec_nobits[target] || !d || sh->sh_entsize != sizeof(Elf64_Rela))
		return kx_fail(ctx, -EINVAL, "purgatory object: bad relocation section %zu", i);
	err = get_shdr(ctx, p, target, &tsh);
	if (err)
		return err;
	n = d->d_size / sizeof(Elf64_Rela);
	for (k = 0; k < n; k++) {
		struct reloc r = { 0 };
		GElf_Rela rela;

		if (!gelf_getrela(d, (int)k, &rela))
			return elf_fail(ctx, "cannot read a relocation");
		if (rela.r_offset >= tsh.sh_size)
			return kx_fail(ctx, -EINVAL,
				       "purgatory object: relocation outside section %zu", target);
		r.type = (unsigned int)GELF_R_TYPE(rela.r_info);
		r.A = (uint64_t)rela.r_addend;
		r.P = p->base + p->sec_off[target] + rela.r_offset;
		r.where = p->image + p->sec_off[target] + rela.r_offset;
		r.room = tsh.sh_size - rela.r_offset;
		err = sym_value(ctx, p, GELF_R_SYM(rela.r_info), &r);
		if (!err)
			err = apply_one(ctx, p, &r);
		if (err)
			return err;
	}
	return 0;
}

int kx_purgatory_relocate(struct kx_ctx *ctx, struct kx_purgatory *p, uint64_t base)
{
	GElf_Shdr sh;
	size_t i;
	int err;

	p->relocated = false;
	if (base & (p->align - 1))
		return kx_fail(ctx, -EINVAL, "purgatory base %#llx is not aligned to %#llx",
			       (unsigned long long)base, (unsigned long long)p->align);
	if (base + p->memsz < base)
		return kx_fail(ctx, -ERANGE, "purgatory base %#llx is too high",
			       (unsigned long long)base);
	p->base = base;
	err = copy_sections(ctx, p);
	for (i = 1; !err && i < p->shnum; i++) {
		err = get_shdr(ctx, p, i, &sh);
		if (!err && sh.sh_type == SHT_RELA)
			err = apply_section(ctx, p, i, &sh);
	}
	if (err)
		return err;
	p->relocated = true;
	return 0;
}

/* A GLOBAL symbol by name, defined in a loaded section. */
static int find_sym(struct kx_ctx *ctx, const struct kx_purgatory *p, const char *name,
		    GElf_Sym *out)
{
	size_t i;

	for (i = 1; i < p->nsyms; i++) {
		GElf_Sym sym;

		if (!gelf_getsym(p->symtab, (int)i, &sym) || strcmp(sym_name(p, &sym), name))
			continue;
		if (GELF_ST_BIND(sym.st_info) != STB_GLOBAL)
			continue;
		if (sym.st_shndx == SHN_ABS || p->sec_off[sym.st_shndx] == NOT_LOADED)
			return kx_fail(ctx, -EINVAL,
				       "purgatory symbol %s is not in a loaded section", name);
		*out = sym;
		return 0;
	}
	return kx_fail(ctx, -ENOENT, "the purgatory has no global symbol %s", name);
}

/* The image bytes of @sym, which must be exactly @size bytes of contents. */
static int sym_bytes(struct kx_ctx *ctx, const struct kx_purgatory *p, const char *name,
		     size_t size, uint8_t **where)
{
	GElf_Sym sym;
	int err;

	if (!p->relocated)
		return kx_fail(ctx, -EINVAL, "the purgatory is not relocated yet");
	err = find_sym(ctx, p, name, &sym);
	if (err)
		return err;
	if (p->sec_nobits[sym.st_shndx])
		return kx_fail(ctx, -EINVAL, "purgatory symbol %s is in .bss, which the loader "
			       "cannot fill", name);
	if (sym.st_size != size)
		return kx_fail(ctx, -EINVAL, "purgatory symbol %s is %llu bytes, not %zu", name,
			       (unsigned long long)sym.st_size, size);
	if (p->sec_off[sym.st_shndx] + sym.st_value + size > p->bufsz)
		return kx_fail(ctx, -EINVAL, "purgatory symbol %s lies outside its section", name);
	*where = p->image + p->sec_off[sym.st_shndx] + sym.st_value;
	return 0;
}

int kx_purgatory_set(struct kx_ctx *ctx, struct kx_purgatory *p, const char *sym,
		     const void *val, size_t size)
{
	uint8_t *where;
	int err = sym_bytes(ctx, p, sym, size, &where);

	if (!err)
		memcpy(where, val, size);
	return err;
}

int kx_purgatory_get(struct kx_ctx *ctx, const struct kx_purgatory *p, const char *sym,
		     void *val, size_t size)
{
	uint8_t *where;
	int err = sym_bytes(ctx, p, sym, size, &where);

	if (!err)
		memcpy(val, where, size);
	return err;
}

int kx_purgatory_symaddr(struct kx_ctx *ctx, const struct kx_purgatory *p, const char *sym,
			 uint64_t *addr)
{
	GElf_Sym s;
	int err;

	if (!p->relocated)
		return kx_fail(ctx, -EINVAL, "the purgatory is not relocated yet");
	err = find_sym(ctx, p, sym, &s);
	if (!err)
		*addr = p->base + p->sec_off[s.st_shndx] + s.st_value;
	return err;
}

uint64_t kx_purgatory_base(const struct kx_purgatory *p)
{
	return p->base;
}

uint64_t kx_purgatory_entry(const struct kx_purgatory *p)
{
	struct kx_ctx ctx = { 0 };
	uint64_t addr = 0;

	return kx_purgatory_symaddr(&ctx, p, "purgatory_start", &addr) ? 0 : addr;
}
