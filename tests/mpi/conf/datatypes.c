/* SPDX-License-Identifier: MIT */
/* datatypes: constructors, bounds, decoding, communication with derived types, packing. */
#include <stddef.h>
#include "conf.h"

static void show(const char *name, MPI_Datatype t)
{
	int sz;
	MPI_Aint lb, ext, tlb, text;
	MPI_Count szx, lbx, extx;

	MPI_Type_size(t, &sz);
	MPI_Type_get_extent(t, &lb, &ext);
	MPI_Type_get_true_extent(t, &tlb, &text);
	MPI_Type_size_x(t, &szx);
	MPI_Type_get_extent_x(t, &lbx, &extx);
	if (rank == 0)
		printf("%-16s size %d lb %ld extent %ld true_lb %ld true_extent %ld%s\n", name, sz,
		       (long)lb, (long)ext, (long)tlb, (long)text,
		       szx == sz && lbx == lb && extx == ext ? "" : " (_x differs)");
}

static const char *combiner(int c)
{
#define C(x) if (c == x) return #x;
	C(MPI_COMBINER_DUP) C(MPI_COMBINER_CONTIGUOUS) C(MPI_COMBINER_VECTOR)
	C(MPI_COMBINER_HVECTOR) C(MPI_COMBINER_INDEXED) C(MPI_COMBINER_HINDEXED)
	C(MPI_COMBINER_INDEXED_BLOCK) C(MPI_COMBINER_HINDEXED_BLOCK) C(MPI_COMBINER_STRUCT)
	C(MPI_COMBINER_SUBARRAY) C(MPI_COMBINER_DARRAY) C(MPI_COMBINER_RESIZED)
#undef C
	return "other";
}

static void envelope(const char *name, MPI_Datatype t)
{
	int ni, na, nd, comb, ints[32], k;
	MPI_Aint adr[32];
	MPI_Datatype types[32];

	MPI_Type_get_envelope(t, &ni, &na, &nd, &comb);
	if (comb == MPI_COMBINER_NAMED) {
		if (rank == 0)
			printf("%-16s named\n", name);
		return;
	}
	/* exact sizes: Open MPI 4.1 reads max_* entries and may fault past them */
	MPI_Type_get_contents(t, ni, na, nd, ints, adr, types);
	if (rank == 0) {
		printf("%-16s %s ints", name, combiner(comb));
		/* subarray and darray carry MPI constants whose values differ between MPIs */
		if (comb == MPI_COMBINER_SUBARRAY || comb == MPI_COMBINER_DARRAY)
			ni = 3;
		for (k = 0; k < ni; k++)
			printf(" %d", ints[k]);
		printf(" addrs");
		for (k = 0; k < na; k++)
			printf(" %ld", (long)adr[k]);
		printf(" types %d\n", nd);
	}
	for (k = 0; k < nd; k++) {
		int a, b, c, d;

		MPI_Type_get_envelope(types[k], &a, &b, &c, &d);
		if (d != MPI_COMBINER_NAMED)
			MPI_Type_free(&types[k]);
	}
}

struct part {
	char c;
	double d;
	int i[3];
};

int main(int argc, char **argv)
{
	MPI_Datatype t[16], tmp;
	int i, bl[4] = { 1, 2, 3, 1 }, dp[4] = { 0, 3, 7, 12 };
	MPI_Aint ad[4];
	int right, left;

	conf_init(&argc, &argv);
	right = (rank + 1) % size;
	left = (rank + size - 1) % size;
	MPI_Type_contiguous(5, MPI_INT, &t[0]);
	MPI_Type_vector(4, 2, 5, MPI_DOUBLE, &t[1]);
	MPI_Type_create_hvector(3, 1, 24, MPI_SHORT, &t[2]);
	MPI_Type_indexed(4, bl, dp, MPI_INT, &t[3]);
	for (i = 0; i < 4; i++)
		ad[i] = dp[i] * 8;
	MPI_Type_create_hindexed(4, bl, ad, MPI_FLOAT, &t[4]);
	MPI_Type_create_indexed_block(3, 2, dp, MPI_CHAR, &t[5]);
	MPI_Type_create_hindexed_block(3, 2, ad, MPI_INT, &t[6]);
	{
		int b3[3] = { 1, 1, 3 };
		MPI_Aint d3[3] = { offsetof(struct part, c), offsetof(struct part, d),
				   offsetof(struct part, i) };
		MPI_Datatype ty[3] = { MPI_CHAR, MPI_DOUBLE, MPI_INT };

		MPI_Type_create_struct(3, b3, d3, ty, &t[7]);
	}
	MPI_Type_create_resized(t[0], -4, 32, &t[8]);
	MPI_Type_dup(t[1], &t[9]);
	{
		int sizes[3] = { 4, 5, 6 }, sub[3] = { 2, 3, 2 }, st[3] = { 1, 1, 3 };

		MPI_Type_create_subarray(3, sizes, sub, st, MPI_ORDER_C, MPI_INT, &t[10]);
		MPI_Type_create_subarray(3, sizes, sub, st, MPI_ORDER_FORTRAN, MPI_DOUBLE, &t[11]);
	}
	{
		int gs[2] = { 10, 9 }, di[2] = { MPI_DISTRIBUTE_BLOCK, MPI_DISTRIBUTE_CYCLIC };
		int da[2] = { MPI_DISTRIBUTE_DFLT_DARG, 2 }, ps[2] = { 2, 3 };

		MPI_Type_create_darray(6, 4, 2, gs, di, da, ps, MPI_ORDER_C, MPI_INT, &t[12]);
		di[1] = MPI_DISTRIBUTE_NONE;
		ps[1] = 1;
		MPI_Type_create_darray(2, 1, 2, gs, di, da, ps, MPI_ORDER_FORTRAN, MPI_FLOAT, &t[13]);
	}
	MPI_Type_vector(2, 1, 3, t[3], &t[14]);
	MPI_Type_contiguous(3, MPI_2INT, &t[15]);
	for (i = 0; i < 16; i++)
		MPI_Type_commit(&t[i]);
	{
		static const char *names[16] = { "contiguous", "vector", "hvector", "indexed",
			"hindexed", "indexed_block", "hindexed_block", "struct", "resized", "dup",
			"subarray C", "subarray F", "darray C", "darray F", "vector(indexed)",
			"contig(2INT)" };

		for (i = 0; i < 16; i++)
			show(names[i], t[i]);
		for (i = 0; i < 16; i++)
			envelope(names[i], t[i]);
		envelope("MPI_INT", MPI_INT);
	}
	show("MPI_DOUBLE_INT", MPI_DOUBLE_INT);
	show("MPI_SHORT_INT", MPI_SHORT_INT);
	show("MPI_PACKED", MPI_PACKED);
	/* communication through derived types: vector out, contiguous in */
	{
		double m[40], got[8];
		int k, ok = 1;

		for (k = 0; k < 40; k++)
			m[k] = rank * 100 + k;
		MPI_Sendrecv(m, 1, t[1], right, 1, got, 8, MPI_DOUBLE, left, 1, MPI_COMM_WORLD,
			     MPI_STATUS_IGNORE);
		for (k = 0; k < 8; k++)
			ok &= got[k] == left * 100 + (k / 2) * 5 + k % 2;
		report_ok("vector -> contiguous", ok);
		/* contiguous out, vector in: the gaps stay untouched */
		for (k = 0; k < 40; k++)
			m[k] = -1;
		for (k = 0; k < 8; k++)
			got[k] = rank + k;
		MPI_Sendrecv(got, 8, MPI_DOUBLE, right, 2, m, 1, t[1], left, 2, MPI_COMM_WORLD,
			     MPI_STATUS_IGNORE);
		ok = m[2] == -1 && m[0] == left && m[1] == left + 1 && m[16] == left + 7;
		report_ok("contiguous -> vector", ok);
	}
	/* structs, several at once (the extent covers the padding) */
	{
		struct part p[3], q[3];
		int k, ok = 1;

		for (k = 0; k < 3; k++) {
			p[k].c = (char)('a' + rank + k);
			p[k].d = rank * 1.5 + k;
			p[k].i[0] = p[k].i[1] = p[k].i[2] = rank * 10 + k;
		}
		memset(q, 0, sizeof(q));
		MPI_Sendrecv(p, 3, t[7], right, 3, q, 3, t[7], left, 3, MPI_COMM_WORLD,
			     MPI_STATUS_IGNORE);
		for (k = 0; k < 3; k++)
			ok &= q[k].c == 'a' + left + k && q[k].d == left * 1.5 + k &&
			      q[k].i[2] == left * 10 + k;
		report_ok("struct array", ok);
		report_same("struct extent is sizeof", 0);
	}
	/* subarray of a 4x5x6 int array */
	{
		int a[120], b[12], k, sum = 0;

		for (k = 0; k < 120; k++)
			a[k] = k;
		MPI_Sendrecv(a, 1, t[10], rank, 4, b, 12, MPI_INT, rank, 4, MPI_COMM_WORLD,
			     MPI_STATUS_IGNORE);
		for (k = 0; k < 12; k++)
			sum = sum * 3 + b[k];
		report_same("subarray pick", sum);
		if (rank == 0) {
			printf("subarray values:");
			for (k = 0; k < 12; k++)
				printf(" %d", b[k]);
			printf("\n");
		}
	}
	/* darray: which elements of a 10x9 array process 4 of 2x3 owns */
	{
		int a[90], b[90], k, n;
		MPI_Status s;

		for (k = 0; k < 90; k++)
			a[k] = k;
		MPI_Sendrecv(a, 1, t[12], rank, 5, b, 90, MPI_INT, rank, 5, MPI_COMM_WORLD, &s);
		MPI_Get_count(&s, MPI_INT, &n);
		if (rank == 0) {
			printf("darray %d elements:", n);
			for (k = 0; k < n; k++)
				printf(" %d", b[k]);
			printf("\n");
		}
	}
	/* pack / unpack round trip across types */
	{
		char buf[256];
		int pos = 0, psz, k, vi[5] = { 1, 2, 3, 4, 5 }, vo[5];
		double d = 2.75, e;

		MPI_Pack_size(5, MPI_INT, MPI_COMM_WORLD, &psz);
		MPI_Pack(vi, 5, MPI_INT, buf, 256, &pos, MPI_COMM_WORLD);
		MPI_Pack(&d, 1, MPI_DOUBLE, buf, 256, &pos, MPI_COMM_WORLD);
		if (rank == 0)
			printf("pack: size %d position %d\n", psz, pos);
		{
			int got[2];

			/* send the packed bytes as MPI_PACKED to the right */
			MPI_Sendrecv_replace(buf, pos, MPI_PACKED, right, 6, left, 6, MPI_COMM_WORLD,
					     MPI_STATUS_IGNORE);
			k = 0;
			MPI_Unpack(buf, 256, &k, vo, 5, MPI_INT, MPI_COMM_WORLD);
			MPI_Unpack(buf, 256, &k, &e, 1, MPI_DOUBLE, MPI_COMM_WORLD);
			got[0] = vo[4];
			got[1] = (int)(e * 4);
			report_ints("unpack", got, 2);
		}
		/* pack a vector type: only its elements */
		{
			double m[40];

			for (k = 0; k < 40; k++)
				m[k] = k;
			pos = 0;
			MPI_Pack(m, 1, t[1], buf, 256, &pos, MPI_COMM_WORLD);
			if (rank == 0)
				printf("pack vector: %d bytes, last %g\n", pos,
				       ((double *)buf)[pos / 8 - 1]);
		}
	}
	/* external32: big-endian, fixed sizes */
	{
		unsigned char out[64];
		MPI_Aint pos = 0, sz;
		int v[2] = { 1, -2 };
		double d = 1.0;
		short s = 258;
		int k;

		MPI_Pack_external_size("external32", 2, MPI_INT, &sz);
		MPI_Pack_external("external32", v, 2, MPI_INT, out, 64, &pos);
		MPI_Pack_external("external32", &d, 1, MPI_DOUBLE, out, 64, &pos);
		MPI_Pack_external("external32", &s, 1, MPI_SHORT, out, 64, &pos);
		if (rank == 0) {
			printf("external32 size %ld packed %ld:", (long)sz, (long)pos);
			for (k = 0; k < pos; k++)
				printf(" %02x", out[k]);
			printf("\n");
		}
		v[0] = v[1] = 0;
		d = 0;
		s = 0;
		pos = 0;
		MPI_Unpack_external("external32", out, 64, &pos, v, 2, MPI_INT);
		MPI_Unpack_external("external32", out, 64, &pos, &d, 1, MPI_DOUBLE);
		MPI_Unpack_external("external32", out, 64, &pos, &s, 1, MPI_SHORT);
		report_ok("external32 round trip", v[0] == 1 && v[1] == -2 && d == 1.0 && s == 258);
	}
	/* names */
	{
		char name[MPI_MAX_OBJECT_NAME];
		int len;

		MPI_Type_set_name(t[0], "five ints");
		MPI_Type_get_name(t[0], name, &len);
		if (rank == 0)
			printf("name: '%s' %d\n", name, len);
		MPI_Type_get_name(MPI_DOUBLE, name, &len);
		if (rank == 0)
			printf("name: '%s'\n", name);
	}
	/* freeing a type used to build another: the other still works */
	MPI_Type_contiguous(2, MPI_INT, &tmp);
	{
		MPI_Datatype outer;
		int a[4] = { rank, rank + 1, rank + 2, rank + 3 }, b[4];

		MPI_Type_vector(2, 1, 1, tmp, &outer);
		MPI_Type_free(&tmp);
		MPI_Type_commit(&outer);
		MPI_Sendrecv(a, 1, outer, right, 7, b, 4, MPI_INT, left, 7, MPI_COMM_WORLD,
			     MPI_STATUS_IGNORE);
		report_ints("type freed early", b, 4);
		MPI_Type_free(&outer);
		report_same("type handle nulled", outer == MPI_DATATYPE_NULL);
	}
	for (i = 0; i < 16; i++)
		MPI_Type_free(&t[i]);
	conf_done();
	return 0;
}
