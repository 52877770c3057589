// SPDX-License-Identifier: MIT
/*
 * image.c: tile images. An image is a static ELF executable linked at TESSERA_ADDR_IMAGE that
 * carries the tessera note (struct tessera_note_desc: ABI version and arch): position
 * independent for the emu arch (static-pie, relocated for each core's view base), a plain
 * executable for i386. Everything in
 * the file is input: every offset and size is checked before it is used.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "hd_impl.h"

const char *hd_arch_name(uint32_t arch)
{
	switch (arch) {
	case TESSERA_ARCH_EMU:
		return "emu";
	case TESSERA_ARCH_I386:
		return "i386";
	default:
		return "unknown";
	}
}

static int range_ok(uint64_t off, uint64_t n, uint64_t size)
{
	return off <= size && n <= size - off;
}

/* Find the tessera note in [p, p + n); 0 and *arch, or -ENOENT. */
static int find_note(const uint8_t *p, uint64_t n, uint32_t *arch, uint32_t *abi)
{
	uint64_t at = 0;

	while (at + 12 <= n) {
		uint32_t namesz, descsz, type;

		memcpy(&namesz, p + at, 4);
		memcpy(&descsz, p + at + 4, 4);
		memcpy(&type, p + at + 8, 4);
		uint64_t name_at = at + 12, desc_at = name_at + ((namesz + 3ull) & ~3ull);
		uint64_t next = desc_at + ((descsz + 3ull) & ~3ull);
		if (next > n)
			break;
		if (type == TESSERA_NOTE_TYPE && namesz == sizeof(TESSERA_NOTE_NAME) &&
		    !memcmp(p + name_at, TESSERA_NOTE_NAME, namesz) &&
		    descsz >= sizeof(struct tessera_note_desc)) {
			struct tessera_note_desc d;
			memcpy(&d, p + desc_at, sizeof(d));
			*arch = d.arch;
			*abi = d.abi_version;
			return 0;
		}
		at = next;
	}
	return -ENOENT;
}

/* The program headers of either class, as 64-bit values. */
struct phdr {
	uint32_t type, flags;
	uint64_t off, vaddr, filesz, memsz;
};

static int get_phdr(const uint8_t *d, size_t size, int is64, uint64_t phoff, unsigned i,
		    struct phdr *ph)
{
	if (is64) {
		Elf64_Phdr p;
		if (!range_ok(phoff + (uint64_t)i * sizeof(p), sizeof(p), size))
			return -EINVAL;
		memcpy(&p, d + phoff + (uint64_t)i * sizeof(p), sizeof(p));
		*ph = (struct phdr){ p.p_type, p.p_flags, p.p_offset, p.p_vaddr, p.p_filesz,
				     p.p_memsz };
	} else {
		Elf32_Phdr p;
		if (!range_ok(phoff + (uint64_t)i * sizeof(p), sizeof(p), size))
			return -EINVAL;
		memcpy(&p, d + phoff + (uint64_t)i * sizeof(p), sizeof(p));
		*ph = (struct phdr){ p.p_type, p.p_flags, p.p_offset, p.p_vaddr, p.p_filesz,
				     p.p_memsz };
	}
	return 0;
}

/* The file offset of image address vaddr with n bytes there in one loaded segment; or -1. */
static int64_t file_off(const struct hd_image *img, uint64_t vaddr, uint64_t n)
{
	for (unsigned i = 0; i < img->nseg; i++)
		if (vaddr >= img->seg[i].vaddr && n <= img->seg[i].filesz &&
		    vaddr - img->seg[i].vaddr <= img->seg[i].filesz - n)
			return (int64_t)(img->seg[i].off + vaddr - img->seg[i].vaddr);
	return -1;
}

/* Whether [vaddr, vaddr + 8) lies in the file bytes of a writable segment. */
static int in_writable(const struct hd_image *img, uint64_t vaddr)
{
	for (unsigned i = 0; i < img->nseg; i++)
		if (img->seg[i].writable && vaddr >= img->seg[i].vaddr && img->seg[i].filesz >= 8 &&
		    vaddr - img->seg[i].vaddr <= img->seg[i].filesz - 8)
			return 1;
	return 0;
}

/*
 * A static-pie's relocations, from its dynamic section: R_X86_64_RELATIVE only (a static
 * image binds nothing by name), each in a writable segment (the text is shared by every core
 * and must read the same for all). 0, or -ENOEXEC with the reason recorded.
 */
static int pie_relocs(const char *name, const uint8_t *d, size_t size, const struct phdr *dyn,
		      struct hd_image *img)
{
	uint64_t rela = 0, relasz = 0, relaent = sizeof(Elf64_Rela);
	int64_t at;

	if (!range_ok(dyn->off, dyn->filesz, size))
		return hd_fail(-ENOEXEC, "%s: truncated ELF file (dynamic section)", name);
	for (uint64_t i = 0; i + sizeof(Elf64_Dyn) <= dyn->filesz; i += sizeof(Elf64_Dyn)) {
		Elf64_Dyn e;

		memcpy(&e, d + dyn->off + i, sizeof(e));
		if (e.d_tag == DT_NULL)
			break;
		switch (e.d_tag) {
		case DT_RELA: rela = e.d_un.d_ptr; break;
		case DT_RELASZ: relasz = e.d_un.d_val; break;
		case DT_RELAENT: relaent = e.d_un.d_val; break;
		case DT_NEEDED: case DT_REL: case DT_JMPREL: case DT_TEXTREL:
			return hd_fail(-ENOEXEC, "%s: not a static tile image (dynamic tag %lld: "
				       "shared libraries, text relocations or PLT); build it with "
				       "tessera-mpicc", name, (long long)e.d_tag);
		case DT_FLAGS:
			if (e.d_un.d_val & DF_TEXTREL)
				return hd_fail(-ENOEXEC, "%s: text relocations", name);
			break;
		}
	}
	if (!relasz)
		return 0;
	if (relaent != sizeof(Elf64_Rela) || relasz % relaent || (at = file_off(img, rela, relasz)) < 0)
		return hd_fail(-ENOEXEC, "%s: bad relocation table", name);
	img->rel = malloc(relasz / relaent * 2 * sizeof(uint64_t));
	if (!img->rel)
		return hd_fail(-ENOMEM, "%s: out of memory", name);
	for (uint64_t i = 0; i < relasz; i += relaent) {
		Elf64_Rela r;

		memcpy(&r, d + at + i, sizeof(r));
		if (ELF64_R_TYPE(r.r_info) == R_X86_64_NONE)
			continue;
		if (ELF64_R_TYPE(r.r_info) != R_X86_64_RELATIVE || ELF64_R_SYM(r.r_info))
			return hd_fail(-ENOEXEC, "%s: relocation of type %u: a tile image may hold "
				       "only relative ones (build it with tessera-mpicc)", name,
				       (unsigned)ELF64_R_TYPE(r.r_info));
		if (!in_writable(img, r.r_offset))
			return hd_fail(-ENOEXEC, "%s: relocation at 0x%llx outside the writable "
				       "segments", name, (unsigned long long)r.r_offset);
		img->rel[2 * img->nrel] = r.r_offset;
		img->rel[2 * img->nrel + 1] = (uint64_t)r.r_addend;
		img->nrel++;
	}
	return 0;
}

/* The shared text of a static-pie: its read-only segments, below every writable page. */
static int pie_text(const char *name, struct hd_image *img)
{
	uint64_t lo = UINT64_MAX, hi = 0, wlo = UINT64_MAX;

	for (unsigned i = 0; i < img->nseg; i++) {
		uint64_t s = img->seg[i].vaddr, e = s + img->seg[i].memsz;

		if (img->seg[i].writable) {
			wlo = s < wlo ? s : wlo;
			continue;
		}
		lo = s < lo ? s : lo;
		hi = e > hi ? e : hi;
	}
	if (lo == UINT64_MAX || lo % TESSERA_PAGE_BYTES ||
	    tessera_round_page(hi) > (wlo & ~(uint64_t)(TESSERA_PAGE_BYTES - 1)))
		return hd_fail(-ENOEXEC, "%s: its read-only segments are not page-aligned below "
			       "its writable ones (link it with tessera-mpicc)", name);
	img->text_lo = lo;
	img->text_hi = tessera_round_page(hi);
	return 0;
}

void hd_image_segment(const struct hd_image *img, unsigned i, uint64_t bias, uint8_t *buf)
{
	memcpy(buf, img->data + img->seg[i].off, img->seg[i].filesz);
	for (uint32_t r = 0; img->seg[i].writable && r < img->nrel; r++) {
		uint64_t at = img->rel[2 * r], v = bias + img->rel[2 * r + 1];

		if (at >= img->seg[i].vaddr && at - img->seg[i].vaddr + 8 <= img->seg[i].filesz)
			memcpy(buf + (at - img->seg[i].vaddr), &v, 8);
	}
}

int hd_image_parse(const char *name, uint8_t *d, size_t size, uint64_t dram_bytes,
		   struct hd_image *img)
{
	struct phdr dyn = { 0 };
	int interp = 0;
	uint64_t phoff, entry;
	unsigned phnum, machine, type;
	uint32_t abi = 0;
	int is64, rc = -ENOEXEC;

	memset(img, 0, sizeof(*img));
	img->arch = 0;
	if (size < EI_NIDENT || memcmp(d, ELFMAG, SELFMAG)) {
		hd_fail(rc, "%s: not an ELF file", name);
		goto fail;
	}
	is64 = d[EI_CLASS] == ELFCLASS64;
	if ((d[EI_CLASS] != ELFCLASS64 && d[EI_CLASS] != ELFCLASS32) || d[EI_DATA] != ELFDATA2LSB ||
	    size < (is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr))) {
		hd_fail(rc, "%s: truncated or not a little-endian ELF file", name);
		goto fail;
	}
	if (is64) {
		Elf64_Ehdr e;
		memcpy(&e, d, sizeof(e));
		phoff = e.e_phoff, phnum = e.e_phnum, machine = e.e_machine, type = e.e_type;
		entry = e.e_entry;
		if (phnum && e.e_phentsize != sizeof(Elf64_Phdr))
			phnum = 0;
	} else {
		Elf32_Ehdr e;
		memcpy(&e, d, sizeof(e));
		phoff = e.e_phoff, phnum = e.e_phnum, machine = e.e_machine, type = e.e_type;
		entry = e.e_entry;
		if (phnum && e.e_phentsize != sizeof(Elf32_Phdr))
			phnum = 0;
	}
	/* emu images are static-pie: position-independent code with a dynamic section of
	 * relative relocations (checked below: no interpreter, no library). GNU ld types them
	 * ET_EXEC when linked at a base other than 0, as tile.ld does (TESSERA_ADDR_IMAGE). */
	if ((type != ET_EXEC && (type != ET_DYN || machine != EM_X86_64)) ||
	    (machine != EM_X86_64 && machine != EM_386) || !phnum) {
		hd_fail(rc, "%s: not a tessera tile image (an ELF %s for machine %u; build it "
			"with tessera-mpicc)", name, type == ET_EXEC ? "executable" :
			type == ET_DYN ? "shared object or PIE" : "non-executable", machine);
		goto fail;
	}
	img->entry = entry;
	for (unsigned i = 0; i < phnum; i++) {
		struct phdr ph;

		if (get_phdr(d, size, is64, phoff, i, &ph)) {
			hd_fail(rc, "%s: truncated ELF file (program headers)", name);
			goto fail;
		}
		if (ph.type == PT_NOTE && range_ok(ph.off, ph.filesz, size))
			find_note(d + ph.off, ph.filesz, &img->arch, &abi);
		if (ph.type == PT_DYNAMIC)
			dyn = ph;
		if (ph.type == PT_INTERP)
			interp = 1;
		if (ph.type != PT_LOAD || !ph.memsz)
			continue;
		if (!range_ok(ph.off, ph.filesz, size) || ph.filesz > ph.memsz) {
			hd_fail(rc, "%s: truncated ELF file (segment %u lies beyond the end)", name, i);
			goto fail;
		}
		if (ph.vaddr < TESSERA_ADDR_IMAGE && type == ET_DYN) {
			hd_fail(rc, "%s: not a tessera tile image (an ELF shared object or PIE for "
				"machine %u; build it with tessera-mpicc)", name, machine);
			goto fail;
		}
		if (ph.vaddr < TESSERA_ADDR_IMAGE) {
			hd_fail(rc, "%s: segment %u at 0x%llx is below the image base 0x%x", name, i,
				(unsigned long long)ph.vaddr, TESSERA_ADDR_IMAGE);
			goto fail;
		}
		if (ph.memsz > dram_bytes || ph.vaddr > dram_bytes - ph.memsz ||
		    ph.vaddr + ph.memsz > dram_bytes - (2u << 20)) {
			hd_fail(-EFBIG, "%s: the image (up to 0x%llx) does not fit in %llu MB of "
				"private DRAM with room for a stack", name,
				(unsigned long long)(ph.vaddr + ph.memsz),
				(unsigned long long)(dram_bytes >> 20));
			rc = -EFBIG;
			goto fail;
		}
		if (img->nseg == HD_MAX_SEGS) {
			hd_fail(rc, "%s: more than %d loadable segments", name, HD_MAX_SEGS);
			goto fail;
		}
		img->seg[img->nseg].vaddr = ph.vaddr;
		img->seg[img->nseg].memsz = ph.memsz;
		img->seg[img->nseg].off = ph.off;
		img->seg[img->nseg].filesz = ph.filesz;
		img->seg[img->nseg].writable = (ph.flags & PF_W) != 0;
		img->nseg++;
		if (tessera_round_page(ph.vaddr + ph.memsz) > img->end)
			img->end = tessera_round_page(ph.vaddr + ph.memsz);
	}
	if (!img->arch) {
		hd_fail(rc, "%s: not a tessera tile image (no tessera note; build it with "
			"tessera-mpicc)", name);
		goto fail;
	}
	if (abi != TESSERA_ABI_VERSION || (img->arch == TESSERA_ARCH_EMU) != (machine == EM_X86_64)) {
		hd_fail(rc, "%s: tile image of ABI %u for %s does not match this tessera (ABI %u)",
			name, abi, hd_arch_name(img->arch), TESSERA_ABI_VERSION);
		goto fail;
	}
	if (!img->nseg || entry < TESSERA_ADDR_IMAGE || entry >= img->end) {
		hd_fail(rc, "%s: entry point 0x%llx is outside the image", name,
			(unsigned long long)entry);
		goto fail;
	}
	img->pie = machine == EM_X86_64 && dyn.type == PT_DYNAMIC;
	if (interp) {
		hd_fail(rc, "%s: a dynamically linked program, not a tile image (build it with "
			"tessera-mpicc)", name);
		goto fail;
	}
	if (img->pie && ((rc = pie_relocs(name, d, size, &dyn, img)) || (rc = pie_text(name, img))))
		goto fail;
	if (!img->pie && img->arch == TESSERA_ARCH_EMU) {
		hd_fail(rc = -ENOEXEC, "%s: an emu tile image must be position independent "
			"(rebuild it with tessera-mpicc)", name);
		goto fail;
	}
	img->data = d;
	img->size = size;
	img->key = 14695981039346656037ull;
	for (size_t i = 0; i < size; i++)
		img->key = (img->key ^ d[i]) * 1099511628211ull;
	return 0;
fail:
	free(d);
	free(img->rel);
	memset(img, 0, sizeof(*img));
	return rc;
}

int hd_image_read(const char *path, uint64_t dram_bytes, struct hd_image *img)
{
	struct stat st;
	uint8_t *d;
	ssize_t got;
	size_t done = 0;
	/* O_NONBLOCK: a FIFO given as the image is refused below, not waited on */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC), rc;

	memset(img, 0, sizeof(*img));
	if (fd < 0)
		return hd_fail(-errno, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		rc = hd_fail(-EINVAL, "%s: not a regular file", path);
		goto out;
	}
	if ((uint64_t)st.st_size > dram_bytes + (64u << 20)) {
		rc = hd_fail(-EFBIG, "%s: %lld bytes is larger than private DRAM (%llu MB)", path,
			     (long long)st.st_size, (unsigned long long)(dram_bytes >> 20));
		goto out;
	}
	d = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!d) {
		rc = hd_fail(-ENOMEM, "%s: out of memory", path);
		goto out;
	}
	while (done < (size_t)st.st_size && (got = read(fd, d + done, st.st_size - done)) > 0)
		done += (size_t)got;
	rc = hd_image_parse(path, d, done, dram_bytes, img);
out:
	close(fd);
	return rc;
}

void hd_image_free(struct hd_image *img)
{
	free(img->data);
	free(img->rel);
	memset(img, 0, sizeof(*img));
}
