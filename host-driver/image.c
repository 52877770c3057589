// SPDX-License-Identifier: MIT
/*
 * image.c: tile images. An image is a static ELF executable linked at TESSERA_ADDR_IMAGE that
 * carries the tessera note (struct tessera_note_desc: ABI version and arch). Everything in
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
	uint32_t type;
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
		*ph = (struct phdr){ p.p_type, p.p_offset, p.p_vaddr, p.p_filesz, p.p_memsz };
	} else {
		Elf32_Phdr p;
		if (!range_ok(phoff + (uint64_t)i * sizeof(p), sizeof(p), size))
			return -EINVAL;
		memcpy(&p, d + phoff + (uint64_t)i * sizeof(p), sizeof(p));
		*ph = (struct phdr){ p.p_type, p.p_offset, p.p_vaddr, p.p_filesz, p.p_memsz };
	}
	return 0;
}

int hd_image_parse(const char *name, uint8_t *d, size_t size, uint64_t dram_bytes,
		   struct hd_image *img)
{
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
	if (type != ET_EXEC || (machine != EM_X86_64 && machine != EM_386) || !phnum) {
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
		if (ph.type != PT_LOAD || !ph.memsz)
			continue;
		if (!range_ok(ph.off, ph.filesz, size) || ph.filesz > ph.memsz) {
			hd_fail(rc, "%s: truncated ELF file (segment %u lies beyond the end)", name, i);
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
	img->data = d;
	img->size = size;
	img->key = 14695981039346656037ull;
	for (size_t i = 0; i < size; i++)
		img->key = (img->key ^ d[i]) * 1099511628211ull;
	return 0;
fail:
	free(d);
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
	memset(img, 0, sizeof(*img));
}
