/* SPDX-License-Identifier: MIT */
/*
 * dtype_create.c: derived datatype constructors. Each builds the flattened typemap of one
 * element (struct mpii_seg runs, merged as they are appended so that regular layouts stay
 * a handful of segments) and the bounds MPI-3.1 4.1 defines for it.
 */
#include <stdlib.h>
#include "mpii_impl.h"

struct build {
	struct mpii_dtype *t;
	int cap;
	int have_bounds, have_true;
	int nomem;
};

static MPI_Aint bext(int basic)
{
	return mpii_basics[basic].extent;
}

static void push(struct build *b, const struct mpii_seg *s)
{
	struct mpii_dtype *t = b->t;
	struct mpii_seg *l;

	if (s->blen == 0 || s->cnt == 0 || b->nomem)
		return;
	if (t->nseg) {
		l = &t->seg[t->nseg - 1];
		if (l->basic == s->basic) {
			MPI_Aint run = (MPI_Aint)l->blen * bext(l->basic);

			/* one run continuing the last one */
			if (l->cnt == 1 && s->cnt == 1 && s->disp == l->disp + run) {
				l->blen += s->blen;
				return;
			}
			/* equal blocks at a regular stride */
			if (l->blen == s->blen) {
				if (l->cnt == 1 && s->cnt == 1) {
					l->stride = s->disp - l->disp;
					l->cnt = 2;
					return;
				}
				if (s->cnt == 1 && s->disp == l->disp + (MPI_Aint)l->cnt * l->stride) {
					l->cnt++;
					return;
				}
				if (s->cnt > 1 && l->cnt > 1 && s->stride == l->stride &&
				    s->disp == l->disp + (MPI_Aint)l->cnt * l->stride) {
					l->cnt += s->cnt;
					return;
				}
			}
		}
	}
	if (t->nseg == b->cap) {
		int cap = b->cap ? 2 * b->cap : 4;
		struct mpii_seg *p = realloc(t->seg, (size_t)cap * sizeof(*p));

		if (!p) {
			b->nomem = 1;
			return;
		}
		t->seg = p;
		b->cap = cap;
	}
	t->seg[t->nseg++] = *s;
}

/* Appends one copy of old's typemap at displacement disp. */
static void append(struct build *b, const struct mpii_dtype *old, MPI_Aint disp)
{
	int i;

	for (i = 0; i < old->nseg; i++) {
		struct mpii_seg s = old->seg[i];

		s.disp += disp;
		push(b, &s);
	}
}

/* Appends n copies of old, the k-th at disp + k * extent(old). */
static void append_run(struct build *b, const struct mpii_dtype *old, MPI_Aint disp,
		       MPI_Count n)
{
	MPI_Aint ext = mpii_extent(old);
	MPI_Count k;

	/* A dense single-run type repeats as one longer run. */
	if (old->nseg == 1 && old->seg[0].cnt == 1 &&
	    (MPI_Aint)old->seg[0].blen * bext(old->seg[0].basic) == ext) {
		struct mpii_seg s = old->seg[0];

		s.disp += disp;
		s.blen *= n;
		push(b, &s);
		return;
	}
	for (k = 0; k < n && !b->nomem; k++)
		append(b, old, disp + (MPI_Aint)k * ext);
}

/*
 * Copies of old at displacements from dmin to dmax widen the bounds. The bounds are
 * markers (MPI-3.1 4.1.6): the lowest lb marker and the highest ub marker of the copies,
 * even when old's extent is negative (its ub below its lb).
 */
static void bounds(struct build *b, MPI_Aint dmin, MPI_Aint dmax, const struct mpii_dtype *old)
{
	struct mpii_dtype *t = b->t;

	if (!b->have_bounds || dmin + old->lb < t->lb)
		t->lb = dmin + old->lb;
	if (!b->have_bounds || dmax + old->ub > t->ub)
		t->ub = dmax + old->ub;
	b->have_bounds = 1;
	if (old->size > 0) {
		if (!b->have_true || dmin + old->true_lb < t->true_lb)
			t->true_lb = dmin + old->true_lb;
		if (!b->have_true || dmax + old->true_ub > t->true_ub)
			t->true_ub = dmax + old->true_ub;
		b->have_true = 1;
	}
	if (old->align > t->align)
		t->align = old->align;
	if (old->sticky)
		t->sticky = 1;
}

static struct mpii_dtype *start(struct build *b, const struct mpii_dtype *hint)
{
	memset(b, 0, sizeof(*b));
	b->t = calloc(1, sizeof(*b->t));
	if (!b->t)
		return NULL;
	b->t->refs = 1;
	b->t->align = 1;
	b->t->elem = hint ? hint->elem : 0;
	return b->t;
}

int mpii_dtype_one_run(const struct mpii_dtype *t)
{
	return t->nseg == 1 && t->seg[0].cnt == 1 && t->seg[0].disp == t->lb &&
	       mpii_basics[t->seg[0].basic].size == mpii_basics[t->seg[0].basic].extent &&
	       t->size == t->ub - t->lb;
}

/* Derives size, homogeneity and density from the segments. */
static struct mpii_dtype *finish(struct build *b)
{
	struct mpii_dtype *t = b->t;
	int i;

	if (b->nomem) {
		free(t->seg);
		free(t);
		return NULL;
	}
	if (!b->have_bounds)
		t->lb = t->ub = 0;
	if (!b->have_true) {
		t->true_lb = t->lb;
		t->true_ub = t->lb;
	}
	t->size = 0;
	t->nbasic = 0;
	t->nelem = 0;
	for (i = 0; i < t->nseg; i++) {
		const struct mpii_seg *s = &t->seg[i];
		const struct mpii_basic *bs = &mpii_basics[s->basic];
		MPI_Count items = s->blen * s->cnt;

		t->size += items * bs->size;
		t->nbasic += items * (bs->pair ? 2 : 1);
		t->nelem += items;
		if (i == 0)
			t->elem = s->basic;
		else if (t->elem != s->basic)
			t->elem = 0;
	}
	t->contig = mpii_dtype_one_run(t);
	if (t->nseg == 0 && t->ub == t->lb)
		t->contig = 1;
	t->combiner = 0;
	return t;
}

struct mpii_dtype *mpii_mk_hvector(MPI_Count count, MPI_Count blen, MPI_Aint stride,
				   struct mpii_dtype *old)
{
	struct build b;
	MPI_Aint ext = mpii_extent(old);
	MPI_Count i;

	if (!start(&b, old))
		return NULL;
	for (i = 0; i < count && blen > 0 && !b.nomem; i++) {
		append_run(&b, old, (MPI_Aint)i * stride, blen);
		/* A block that is one run: the blocks make one strided segment, in closed form
		 * (what pushing them one by one would build; a vector of 2^30 blocks is built
		 * at once). */
		if (i == 0 && count > 1 && b.t->nseg == 1 && b.t->seg[0].cnt == 1) {
			struct mpii_seg *g = &b.t->seg[0];

			if (stride == (MPI_Aint)g->blen * bext(g->basic)) {
				g->blen *= count;
			} else {
				g->stride = stride;
				g->cnt = count;
			}
			break;
		}
	}
	if (count > 0 && blen > 0) {
		MPI_Aint c0 = 0, c1 = (MPI_Aint)(count - 1) * stride;
		MPI_Aint k1 = (MPI_Aint)(blen - 1) * ext;
		MPI_Aint lo = (c0 < c1 ? c0 : c1) + (k1 < 0 ? k1 : 0);
		MPI_Aint hi = (c0 < c1 ? c1 : c0) + (k1 < 0 ? 0 : k1);

		bounds(&b, lo, hi, old);
	}
	return finish(&b);
}

struct mpii_dtype *mpii_mk_hindexed(int count, const MPI_Count *blens, const MPI_Aint *disps,
				    struct mpii_dtype *old)
{
	struct build b;
	MPI_Aint ext = mpii_extent(old);
	int i;

	if (!start(&b, old))
		return NULL;
	for (i = 0; i < count && !b.nomem; i++) {
		MPI_Aint k1;

		if (blens[i] <= 0)
			continue;
		append_run(&b, old, disps[i], blens[i]);
		k1 = (MPI_Aint)(blens[i] - 1) * ext;
		bounds(&b, disps[i] + (k1 < 0 ? k1 : 0), disps[i] + (k1 < 0 ? 0 : k1), old);
	}
	return finish(&b);
}

struct mpii_dtype *mpii_mk_struct(int count, const MPI_Count *blens, const MPI_Aint *disps,
				  struct mpii_dtype *const *types)
{
	struct build b;
	struct mpii_dtype *t;
	int i;

	if (!start(&b, count > 0 ? types[0] : NULL))
		return NULL;
	for (i = 0; i < count && !b.nomem; i++) {
		MPI_Aint k1;

		if (blens[i] <= 0)
			continue;
		append_run(&b, types[i], disps[i], blens[i]);
		k1 = (MPI_Aint)(blens[i] - 1) * mpii_extent(types[i]);
		bounds(&b, disps[i] + (k1 < 0 ? k1 : 0), disps[i] + (k1 < 0 ? 0 : k1), types[i]);
	}
	t = finish(&b);
	/* MPI-3.1 4.1.6: the extent is padded to the strictest alignment of the members. */
	if (t && !t->sticky && t->align > 1) {
		MPI_Aint ext = t->ub - t->lb, r = ext % t->align;

		if (r)
			t->ub += t->align - r;
		t->contig = t->contig && t->size == t->ub - t->lb;
	}
	return t;
}

struct mpii_dtype *mpii_mk_resized(struct mpii_dtype *old, MPI_Aint lb, MPI_Aint extent)
{
	struct build b;
	struct mpii_dtype *t;

	if (!start(&b, old))
		return NULL;
	append(&b, old, 0);
	b.t->align = old->align;
	t = finish(&b);
	if (!t)
		return NULL;
	t->lb = lb;
	t->ub = lb + extent;
	t->true_lb = old->true_lb;
	t->true_ub = old->true_ub;
	t->sticky = 1;
	t->contig = mpii_dtype_one_run(t);
	return t;
}

struct mpii_dtype *mpii_dtype_clone(const struct mpii_dtype *old)
{
	struct mpii_dtype *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	*t = *old;
	t->handle = 0;
	t->refs = 1;
	t->predefined = 0;
	t->user_freed = 0;
	t->attrs = NULL;
	t->ints = NULL;
	t->aints = NULL;
	t->types = NULL;
	t->ni = t->na = t->nd = 0;
	t->name[0] = 0;
	t->seg = malloc((size_t)(old->nseg ? old->nseg : 1) * sizeof(*t->seg));
	if (!t->seg) {
		free(t);
		return NULL;
	}
	memcpy(t->seg, old->seg, (size_t)old->nseg * sizeof(*t->seg));
	return t;
}

int mpii_dtype_set_contents(struct mpii_dtype *t, int combiner, int ni, const int *ints,
			    int na, const MPI_Aint *aints, int nd, struct mpii_dtype *const *types)
{
	int i;

	t->combiner = combiner;
	t->ints = malloc((size_t)(ni ? ni : 1) * sizeof(int));
	t->aints = malloc((size_t)(na ? na : 1) * sizeof(MPI_Aint));
	t->types = malloc((size_t)(nd ? nd : 1) * sizeof(*t->types));
	if (!t->ints || !t->aints || !t->types)
		return MPI_ERR_NO_MEM;
	t->ni = ni;
	t->na = na;
	t->nd = nd;
	if (ni)
		memcpy(t->ints, ints, (size_t)ni * sizeof(int));
	if (na)
		memcpy(t->aints, aints, (size_t)na * sizeof(MPI_Aint));
	for (i = 0; i < nd; i++)
		t->types[i] = mpii_dtype_ref(types[i]);
	return MPI_SUCCESS;
}

int mpii_dtype_publish(struct mpii_dtype *t, MPI_Datatype *newtype)
{
	t->handle = mpii_handle_new(MPII_K_DTYPE, t);
	if (!t->handle) {
		t->refs = 1;
		mpii_dtype_unref(t);
		return MPI_ERR_NO_MEM;
	}
	*newtype = t->handle;
	return MPI_SUCCESS;
}

/* ---- MPI entry points ---- */

/* A type argument of a constructor: live (committed or not); 0 or MPI_ERR_TYPE. */
static int oldtype(MPI_Datatype h, struct mpii_dtype **out)
{
	*out = mpii_dtype_get(h);
	return *out ? MPI_SUCCESS : MPI_ERR_TYPE;
}

static int done(struct mpii_dtype *t, int combiner, int ni, const int *ints, int na,
		const MPI_Aint *aints, int nd, struct mpii_dtype *const *types,
		MPI_Datatype *newtype, const char *fname)
{
	int rc;

	if (!t)
		return mpii_raise(NULL, MPI_ERR_NO_MEM, fname);
	rc = mpii_dtype_set_contents(t, combiner, ni, ints, na, aints, nd, types);
	if (!rc)
		rc = mpii_dtype_publish(t, newtype);
	else
		mpii_dtype_unref(t);
	return rc ? mpii_raise(NULL, rc, fname) : MPI_SUCCESS;
}

int PMPI_Type_contiguous(int count, MPI_Datatype oldh, MPI_Datatype *newtype)
{
	static const char fname[] = "MPI_Type_contiguous";
	struct mpii_dtype *old;

	MPII_ENTER(fname);
	if (count < 0)
		return mpii_raise(NULL, MPI_ERR_COUNT, fname);
	if (oldtype(oldh, &old))
		return mpii_raise(NULL, MPI_ERR_TYPE, fname);
	if (!newtype)
		return mpii_raise(NULL, MPI_ERR_ARG, fname);
	return done(mpii_mk_hvector(1, count, 0, old), MPI_COMBINER_CONTIGUOUS, 1, &count, 0, NULL,
		    1, &old, newtype, fname);
}
MPII_ALIAS(MPI_Type_contiguous)

int PMPI_Type_vector(int count, int blocklength, int stride, MPI_Datatype oldh,
		     MPI_Datatype *newtype)
{
	static const char fname[] = "MPI_Type_vector";
	struct mpii_dtype *old;
	int ints[3] = { count, blocklength, stride };

	MPII_ENTER(fname);
	if (count < 0 || blocklength < 0)
		return mpii_raise(NULL, MPI_ERR_COUNT, fname);
	if (oldtype(oldh, &old))
		return mpii_raise(NULL, MPI_ERR_TYPE, fname);
	if (!newtype)
		return mpii_raise(NULL, MPI_ERR_ARG, fname);
	return done(mpii_mk_hvector(count, blocklength, (MPI_Aint)stride * mpii_extent(old), old),
		    MPI_COMBINER_VECTOR, 3, ints, 0, NULL, 1, &old, newtype, fname);
}
MPII_ALIAS(MPI_Type_vector)

int PMPI_Type_create_hvector(int count, int blocklength, MPI_Aint stride, MPI_Datatype oldh,
			     MPI_Datatype *newtype)
{
	static const char fname[] = "MPI_Type_create_hvector";
	struct mpii_dtype *old;
	int ints[2] = { count, blocklength };

	MPII_ENTER(fname);
	if (count < 0 || blocklength < 0)
		return mpii_raise(NULL, MPI_ERR_COUNT, fname);
	if (oldtype(oldh, &old))
		return mpii_raise(NULL, MPI_ERR_TYPE, fname);
	if (!newtype)
		return mpii_raise(NULL, MPI_ERR_ARG, fname);
	return done(mpii_mk_hvector(count, blocklength, stride, old), MPI_COMBINER_HVECTOR, 2,
		    ints, 1, &stride, 1, &old, newtype, fname);
}
MPII_ALIAS(MPI_Type_create_hvector)

int PMPI_Type_hvector(int count, int blocklength, MPI_Aint stride, MPI_Datatype oldh,
		      MPI_Datatype *newtype)
{
	return PMPI_Type_create_hvector(count, blocklength, stride, oldh, newtype);
}
MPII_ALIAS(MPI_Type_hvector)

/*
 * The indexed family: blocks given per block or one length for all (blocklength >= 0),
 * displacements in elements (int) or bytes (MPI_Aint).
 */
static int indexed(int count, const int *blens, int blocklength, const int *idisp,
		   const MPI_Aint *adisp, MPI_Datatype oldh, MPI_Datatype *newtype,
		   int combiner, const char *fname)
{
	struct mpii_dtype *old, *t;
	MPI_Count *bl = NULL;
	MPI_Aint *dp = NULL;
	int *ints = NULL, ni, i, rc;

	MPII_ENTER(fname);
	if (count < 0 || blocklength < -1)
		return mpii_raise(NULL, blocklength < -1 ? MPI_ERR_ARG : MPI_ERR_COUNT, fname);
	if (count > 0 && ((blocklength < 0 && !blens) || (!idisp && !adisp)))
		return mpii_raise(NULL, MPI_ERR_ARG, fname);
	if (oldtype(oldh, &old))
		return mpii_raise(NULL, MPI_ERR_TYPE, fname);
	if (!newtype)
		return mpii_raise(NULL, MPI_ERR_ARG, fname);
	for (i = 0; blocklength < 0 && i < count; i++)
		if (blens[i] < 0)
			return mpii_raise(NULL, MPI_ERR_ARG, fname);
	bl = malloc((size_t)(count + 1) * sizeof(*bl));
	dp = malloc((size_t)(count + 1) * sizeof(*dp));
	ni = 1 + (blocklength < 0 ? count : 1) + (idisp ? count : 0);
	ints = malloc((size_t)ni * sizeof(int));
	if (!bl || !dp || !ints) {
		rc = MPI_ERR_NO_MEM;
		goto out;
	}
	ints[0] = count;
	ni = 1;
	if (blocklength >= 0)
		ints[ni++] = blocklength;
	for (i = 0; i < count; i++) {
		bl[i] = blocklength < 0 ? blens[i] : blocklength;
		dp[i] = idisp ? (MPI_Aint)idisp[i] * mpii_extent(old) : adisp[i];
		if (blocklength < 0)
			ints[ni++] = blens[i];
	}
	for (i = 0; idisp && i < count; i++)
		ints[ni++] = idisp[i];
	t = mpii_mk_hindexed(count, bl, dp, old);
	free(bl);
	free(dp);
	rc = done(t, combiner, ni, ints, idisp ? 0 : count, adisp, 1, &old, newtype, fname);
	free(ints);
	return rc;
out:
	free(bl);
	free(dp);
	free(ints);
	return mpii_raise(NULL, rc, fname);
}

int PMPI_Type_indexed(int count, const int array_of_blocklengths[],
		      const int array_of_displacements[], MPI_Datatype oldh,
		      MPI_Datatype *newtype)
{
	return indexed(count, array_of_blocklengths, -1, array_of_displacements, NULL, oldh,
		       newtype, MPI_COMBINER_INDEXED, "MPI_Type_indexed");
}
MPII_ALIAS(MPI_Type_indexed)

int PMPI_Type_create_hindexed(int count, const int array_of_blocklengths[],
			      const MPI_Aint array_of_displacements[], MPI_Datatype oldh,
			      MPI_Datatype *newtype)
{
	return indexed(count, array_of_blocklengths, -1, NULL, array_of_displacements, oldh,
		       newtype, MPI_COMBINER_HINDEXED, "MPI_Type_create_hindexed");
}
MPII_ALIAS(MPI_Type_create_hindexed)

int PMPI_Type_hindexed(int count, int array_of_blocklengths[],
		       MPI_Aint array_of_displacements[], MPI_Datatype oldh,
		       MPI_Datatype *newtype)
{
	return PMPI_Type_create_hindexed(count, array_of_blocklengths, array_of_displacements,
					 oldh, newtype);
}
MPII_ALIAS(MPI_Type_hindexed)

int PMPI_Type_create_indexed_block(int count, int blocklength,
				   const int array_of_displacements[], MPI_Datatype oldh,
				   MPI_Datatype *newtype)
{
	if (blocklength < 0)
		blocklength = -2;	/* reported as MPI_ERR_ARG */
	return indexed(count, NULL, blocklength, array_of_displacements, NULL, oldh, newtype,
		       MPI_COMBINER_INDEXED_BLOCK, "MPI_Type_create_indexed_block");
}
MPII_ALIAS(MPI_Type_create_indexed_block)

int PMPI_Type_create_hindexed_block(int count, int blocklength,
				    const MPI_Aint array_of_displacements[], MPI_Datatype oldh,
				    MPI_Datatype *newtype)
{
	if (blocklength < 0)
		blocklength = -2;
	return indexed(count, NULL, blocklength, NULL, array_of_displacements, oldh, newtype,
		       MPI_COMBINER_HINDEXED_BLOCK, "MPI_Type_create_hindexed_block");
}
MPII_ALIAS(MPI_Type_create_hindexed_block)

int PMPI_Type_create_struct(int count, const int array_of_blocklengths[],
			    const MPI_Aint array_of_displacements[],
			    const MPI_Datatype array_of_types[], MPI_Datatype *newtype)
{
	static const char fname[] = "MPI_Type_create_struct";
	struct mpii_dtype **types = NULL, *t;
	MPI_Count *bl = NULL;
	int *ints = NULL, i, rc = MPI_SUCCESS;

	MPII_ENTER(fname);
	if (count < 0)
		return mpii_raise(NULL, MPI_ERR_COUNT, fname);
	if (!newtype || (count > 0 && (!array_of_blocklengths || !array_of_displacements ||
				       !array_of_types)))
		return mpii_raise(NULL, MPI_ERR_ARG, fname);
	types = malloc((size_t)(count + 1) * sizeof(*types));
	bl = malloc((size_t)(count + 1) * sizeof(*bl));
	ints = malloc((size_t)(count + 1) * sizeof(int));
	if (!types || !bl || !ints) {
		rc = MPI_ERR_NO_MEM;
		goto out;
	}
	ints[0] = count;
	for (i = 0; i < count; i++) {
		if (array_of_blocklengths[i] < 0) {
			rc = MPI_ERR_ARG;
			goto out;
		}
		if (oldtype(array_of_types[i], &types[i])) {
			rc = MPI_ERR_TYPE;
			goto out;
		}
		bl[i] = array_of_blocklengths[i];
		ints[i + 1] = array_of_blocklengths[i];
	}
	t = mpii_mk_struct(count, bl, array_of_displacements, types);
	rc = done(t, MPI_COMBINER_STRUCT, count + 1, ints, count, array_of_displacements, count,
		  types, newtype, fname);
	free(types);
	free(bl);
	free(ints);
	return rc;
out:
	free(types);
	free(bl);
	free(ints);
	return mpii_raise(NULL, rc, fname);
}
MPII_ALIAS(MPI_Type_create_struct)

int PMPI_Type_struct(int count, int array_of_blocklengths[], MPI_Aint array_of_displacements[],
		     MPI_Datatype array_of_types[], MPI_Datatype *newtype)
{
	return PMPI_Type_create_struct(count, array_of_blocklengths, array_of_displacements,
				       array_of_types, newtype);
}
MPII_ALIAS(MPI_Type_struct)

int PMPI_Type_create_resized(MPI_Datatype oldh, MPI_Aint lb, MPI_Aint extent,
			     MPI_Datatype *newtype)
{
	static const char fname[] = "MPI_Type_create_resized";
	struct mpii_dtype *old;
	MPI_Aint a[2] = { lb, extent };

	MPII_ENTER(fname);
	if (oldtype(oldh, &old))
		return mpii_raise(NULL, MPI_ERR_TYPE, fname);
	if (!newtype)
		return mpii_raise(NULL, MPI_ERR_ARG, fname);
	return done(mpii_mk_resized(old, lb, extent), MPI_COMBINER_RESIZED, 0, NULL, 2, a, 1, &old,
		    newtype, fname);
}
MPII_ALIAS(MPI_Type_create_resized)

int PMPI_Type_dup(MPI_Datatype oldh, MPI_Datatype *newtype)
{
	static const char fname[] = "MPI_Type_dup";
	struct mpii_dtype *old, *t;
	int rc;

	MPII_ENTER(fname);
	if (oldtype(oldh, &old))
		return mpii_raise(NULL, MPI_ERR_TYPE, fname);
	if (!newtype)
		return mpii_raise(NULL, MPI_ERR_ARG, fname);
	t = mpii_dtype_clone(old);
	if (!t)
		return mpii_raise(NULL, MPI_ERR_NO_MEM, fname);
	t->committed = old->committed;
	rc = mpii_attr_copy_all(MPII_AK_TYPE, old->handle, old->attrs, &t->attrs);
	if (rc) {
		mpii_dtype_unref(t);
		*newtype = MPI_DATATYPE_NULL;	/* as MPI_Comm_dup leaves MPI_COMM_NULL */
		return mpii_raise(NULL, rc, fname);
	}
	return done(t, MPI_COMBINER_DUP, 0, NULL, 0, NULL, 1, &old, newtype, fname);
}
MPII_ALIAS(MPI_Type_dup)
