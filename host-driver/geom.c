// SPDX-License-Identifier: MIT
/*
 * geom.c: board geometries: the presets, the board file format (key = value lines, '#'
 * comments, optional `base = PRESET` first), the checks every geometry must pass, and the
 * LUT that maps each core's 4 GB onto the board as board.h lays out.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "hd_impl.h"

/*
 * Private DRAM is generous, as on the SCC (whose 32 GB boards gave each of the 48 cores
 * about 640 MB): the backing files are sparse, so an untouched megabyte costs nothing, at
 * board creation or at job start (docs/board.md has the figures). 1024 cores of mesh32x32
 * get 256 MB each, 256 GB of address space in files of which only the touched pages exist.
 */
static const struct tessera_geom presets[] = {
	/* The SCC: 6x4 tiles, 2 P54C cores each, 16 KB MPB per tile, 533/800/800 MHz. */
	{ .mesh_x = 6, .mesh_y = 4, .cores_per_tile = 2, .mpb_bytes = 16384,
	  .line_bytes = TESSERA_LINE_BYTES, .private_mb = 640, .shared_mb = 64,
	  .core_mhz = 533, .mesh_mhz = 800, .mem_mhz = 800, .hop_cycles = 4, .name = "scc48" },
	{ .mesh_x = 8, .mesh_y = 8, .cores_per_tile = 1, .mpb_bytes = 16384,
	  .line_bytes = TESSERA_LINE_BYTES, .private_mb = 512, .shared_mb = 64,
	  .core_mhz = 533, .mesh_mhz = 800, .mem_mhz = 800, .hop_cycles = 4, .name = "mesh8x8" },
	{ .mesh_x = 32, .mesh_y = 32, .cores_per_tile = 1, .mpb_bytes = 16384,
	  .line_bytes = TESSERA_LINE_BYTES, .private_mb = 256, .shared_mb = 256,
	  .core_mhz = 533, .mesh_mhz = 800, .mem_mhz = 800, .hop_cycles = 4, .name = "mesh32x32" },
};

/* A preset, or "meshXxY": a generated X by Y mesh with mesh8x8's other figures. */
int hd_geom_preset(const char *name, struct tessera_geom *g)
{
	unsigned x, y;
	char end;

	for (size_t i = 0; i < sizeof(presets) / sizeof(presets[0]); i++) {
		if (!strcmp(name, presets[i].name)) {
			*g = presets[i];
			return 0;
		}
	}
	if (sscanf(name, "mesh%ux%u%c", &x, &y, &end) == 2 && x >= 1 && x <= 64 && y >= 1 &&
	    y <= 64 && strlen(name) < sizeof(g->name)) {
		struct tessera_geom m = presets[1];
		m.mesh_x = x;
		m.mesh_y = y;
		snprintf(m.name, sizeof(m.name), "%s", name);
		if (hd_geom_check(&m))
			return -EINVAL;
		*g = m;
		return 0;
	}
	return -ENOENT;
}

int hd_geom_check(const struct tessera_geom *g)
{
	uint32_t tiles = g->mesh_x * g->mesh_y;

	if (g->mesh_x < 1 || g->mesh_x > 64 || g->mesh_y < 1 || g->mesh_y > 64)
		return hd_fail(-EINVAL, "mesh_x and mesh_y must be 1..64 (got %ux%u)",
			       g->mesh_x, g->mesh_y);
	if (g->cores_per_tile < 1 || g->cores_per_tile > TESSERA_MAX_CORES_PER_TILE)
		return hd_fail(-EINVAL, "cores_per_tile must be 1..%u (got %u)",
			       TESSERA_MAX_CORES_PER_TILE, g->cores_per_tile);
	if (tiles > TESSERA_MAX_TILES || tiles * g->cores_per_tile > TESSERA_MAX_CORES)
		return hd_fail(-EINVAL, "at most %u tiles and %u cores (got %u tiles, %u cores)",
			       TESSERA_MAX_TILES, TESSERA_MAX_CORES, tiles,
			       tiles * g->cores_per_tile);
	if (g->mpb_bytes < 4096 || g->mpb_bytes > (1u << 20) || g->mpb_bytes % 4096 ||
	    (g->mpb_bytes / g->cores_per_tile) % TESSERA_LINE_BYTES ||
	    g->mpb_bytes / g->cores_per_tile < 2048)
		return hd_fail(-EINVAL, "mpb_bytes must be a multiple of 4096 up to 1 MB that "
			       "gives each core at least 2 KB in whole lines (got %u)", g->mpb_bytes);
	if (g->line_bytes != TESSERA_LINE_BYTES)
		return hd_fail(-EINVAL, "line_bytes must be %u (the P54C's)", TESSERA_LINE_BYTES);
	if (g->private_mb < 4 || g->private_mb > 2048)
		return hd_fail(-EINVAL, "private_mb must be 4..2048 (got %u)", g->private_mb);
	if ((uint64_t)g->shared_mb << 20 > TESSERA_SHARED_MAX_BYTES)
		return hd_fail(-EINVAL, "shared_mb must be 0..1024 (got %u)", g->shared_mb);
	if ((uint64_t)tiles * tessera_tile_stride(g) > TESSERA_MPB_WINDOW_BYTES)
		return hd_fail(-EINVAL, "%u tiles of %u bytes do not fit the 384 MB MPB window",
			       tiles, tessera_tile_stride(g));
	if (!g->core_mhz || !g->mesh_mhz || !g->mem_mhz)
		return hd_fail(-EINVAL, "clock figures must not be 0");
	return 0;
}

struct key {
	const char *name;
	size_t off;
	uint32_t min, max;
};

#define K(f, lo, hi) { #f, offsetof(struct tessera_geom, f), lo, hi }
static const struct key keys[] = {
	K(mesh_x, 1, 64), K(mesh_y, 1, 64), K(cores_per_tile, 1, TESSERA_MAX_CORES_PER_TILE),
	K(mpb_bytes, 4096, 1u << 20), K(private_mb, 4, 2048), K(shared_mb, 0, 1024),
	K(core_mhz, 1, 100000), K(mesh_mhz, 1, 100000), K(mem_mhz, 1, 100000),
	K(hop_cycles, 0, 1000),
};

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = 0;
	return s;
}

/* A number with an optional K or M suffix (times 1024). */
static int parse_u32(const char *v, uint32_t *out)
{
	char *end;
	unsigned long long n;

	if (!isdigit((unsigned char)*v))
		return -EINVAL;
	errno = 0;
	n = strtoull(v, &end, 0);
	if (errno)
		return -EINVAL;
	/* the suffix multiplies only what fits: 2^44M must not wrap to 0 */
	if ((*end == 'K' || *end == 'k') && n <= UINT32_MAX >> 10)
		n <<= 10, end++;
	else if ((*end == 'M' || *end == 'm') && n <= UINT32_MAX >> 20)
		n <<= 20, end++;
	if (*end || n > UINT32_MAX)
		return -EINVAL;
	*out = (uint32_t)n;
	return 0;
}

static int parse_line(char *line, const char *fname, int lineno, struct tessera_geom *g,
		      int *seen_key)
{
	char *eq = strchr(line, '=');
	char *k, *v;

	if (!eq)
		return hd_fail(-EINVAL, "%s:%d: expected `key = value`, got `%s`", fname, lineno,
			       line);
	*eq = 0;
	k = trim(line);
	v = trim(eq + 1);
	if (!strcmp(k, "base")) {
		if (*seen_key)
			return hd_fail(-EINVAL, "%s:%d: key 'base' must come before other keys",
				       fname, lineno);
		if (hd_geom_preset(v, g))
			return hd_fail(-EINVAL, "%s:%d: key 'base': unknown preset '%s'", fname,
				       lineno, v);
		return 0;
	}
	*seen_key = 1;
	if (!strcmp(k, "name")) {
		if (!*v || strlen(v) >= sizeof(g->name))
			return hd_fail(-EINVAL, "%s:%d: key 'name': must be 1..%zu characters",
				       fname, lineno, sizeof(g->name) - 1);
		snprintf(g->name, sizeof(g->name), "%s", v);
		return 0;
	}
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		uint32_t n;

		if (strcmp(k, keys[i].name))
			continue;
		if (parse_u32(v, &n))
			return hd_fail(-EINVAL, "%s:%d: key '%s': '%s' is not a number", fname,
				       lineno, k, v);
		if (n < keys[i].min || n > keys[i].max)
			return hd_fail(-EINVAL, "%s:%d: key '%s': %u is out of range %u..%u",
				       fname, lineno, k, n, keys[i].min, keys[i].max);
		*(uint32_t *)((char *)g + keys[i].off) = n;
		return 0;
	}
	return hd_fail(-EINVAL, "%s:%d: unknown key '%s'", fname, lineno, k);
}

int hd_geom_parse(const char *text, const char *fname, struct tessera_geom *g)
{
	char *copy = strdup(text), *save = NULL, *line;
	int lineno = 0, seen_key = 0, rc = 0;

	if (!copy)
		return hd_fail(-ENOMEM, "out of memory");
	hd_geom_preset("scc48", g);
	snprintf(g->name, sizeof(g->name), "%s", fname);
	for (line = copy; line; line = save) {
		char *nl = strchr(line, '\n'), *hash, *t;

		save = nl ? nl + 1 : NULL;
		if (nl)
			*nl = 0;
		lineno++;
		hash = strchr(line, '#');
		if (hash)
			*hash = 0;
		t = trim(line);
		if (!*t)
			continue;
		rc = parse_line(t, fname, lineno, g, &seen_key);
		if (rc)
			break;
	}
	free(copy);
	if (!rc && (rc = hd_geom_check(g)))
		hd_fail(rc, "%s: %s", fname, hd_last_error());
	return rc;
}

HD_API int hd_geom_load(const char *board, struct tessera_geom *g)
{
	FILE *f;
	char buf[65536];
	struct stat st;
	size_t n;
	int fd;

	if (!board)
		board = "scc48";
	if (!g)
		return hd_fail(-EINVAL, "hd_geom_load: NULL geometry");
	if (!hd_geom_preset(board, g))
		return 0;
	/* O_NONBLOCK: a FIFO (or a terminal) given as the board file is refused, not waited on */
	fd = open(board, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return hd_fail(-errno, "board '%s': not a preset (scc48, mesh8x8, mesh32x32, meshXxY) and "
			       "not a readable board file: %s", board, strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || !(f = fdopen(fd, "r"))) {
		close(fd);
		return hd_fail(-EINVAL, "board file %s: not a regular file", board);
	}
	n = fread(buf, 1, sizeof(buf) - 1, f);
	if (!feof(f)) {
		fclose(f);
		return hd_fail(-EFBIG, "board file %s: larger than %zu bytes", board,
			       sizeof(buf) - 1);
	}
	fclose(f);
	buf[n] = 0;
	if (memchr(buf, 0, n))
		return hd_fail(-EINVAL, "board file %s: not a text file", board);
	return hd_geom_parse(buf, board, g);
}

static void lut_set(struct tessera_lut_entry *e, uint32_t kind, uint64_t off, uint64_t bytes)
{
	e->kind = kind;
	e->offset = off;
	e->bytes = (uint32_t)(bytes < TESSERA_LUT_WINDOW ? bytes : TESSERA_LUT_WINDOW);
}

/* A run of windows from core address base over `bytes` of the backing from `off`. */
static void lut_range(struct tessera_lut_entry *lut, uint32_t base, uint32_t kind, uint64_t off,
		      uint64_t bytes)
{
	for (uint64_t done = 0; done < bytes; done += TESSERA_LUT_WINDOW)
		lut_set(&lut[(base >> TESSERA_LUT_SHIFT) + done / TESSERA_LUT_WINDOW], kind,
			off + done, bytes - done);
}

void hd_lut_build(const struct tessera_geom *g, const struct tessera_layout *l, uint32_t core,
		  struct tessera_lut_entry lut[TESSERA_LUT_ENTRIES])
{
	uint32_t tiles = tessera_tiles(g), own = tessera_core_tile(g, core);

	memset(lut, 0, TESSERA_LUT_BYTES);
	lut_range(lut, TESSERA_ADDR_PRIVATE, TESSERA_LUT_PRIVATE, 0, l->private_bytes);
	lut_range(lut, TESSERA_ADDR_SHARED, TESSERA_LUT_CHIP, l->shared_off, l->shared_bytes);
	if (!tessera_fine_stride(g)) {
		/* The SCC's map: one 16 MB window per tile, only the buffer's bytes backed. */
		for (uint32_t t = 0; t < tiles; t++) {
			lut_set(&lut[tessera_mpb_addr(g, t) >> TESSERA_LUT_SHIFT], TESSERA_LUT_CHIP,
				tessera_mpb_off(l, t), g->mpb_bytes);
			lut_set(&lut[tessera_crb_addr(g, t) >> TESSERA_LUT_SHIFT], TESSERA_LUT_CHIP,
				tessera_crb_off(l, t), tessera_crb_bytes(g));
		}
	} else {
		lut_range(lut, TESSERA_ADDR_MPB, TESSERA_LUT_CHIP, l->mpb_off,
			  (uint64_t)tiles * l->mpb_bytes);
		lut_range(lut, TESSERA_ADDR_CRB, TESSERA_LUT_CHIP, l->crb_off,
			  (uint64_t)tiles * l->crb_bytes);
	}
	lut_set(&lut[TESSERA_ADDR_OWN_MPB >> TESSERA_LUT_SHIFT], TESSERA_LUT_CHIP,
		tessera_mpb_off(l, own), g->mpb_bytes);
	lut_set(&lut[TESSERA_ADDR_OWN_CRB >> TESSERA_LUT_SHIFT], TESSERA_LUT_CHIP,
		tessera_crb_off(l, own), tessera_crb_bytes(g));
	lut_set(&lut[TESSERA_ADDR_BOARDREG >> TESSERA_LUT_SHIFT], TESSERA_LUT_CHIP, l->boardreg_off,
		l->boardreg_bytes);
	lut_set(&lut[TESSERA_ADDR_HOSTWIN >> TESSERA_LUT_SHIFT], TESSERA_LUT_CHIP,
		tessera_hostwin_off(l, core), l->hostwin_bytes);
}
