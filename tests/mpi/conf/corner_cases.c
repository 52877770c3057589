/* SPDX-License-Identifier: MIT */
/*
 * corner_cases: details of several areas that a third-party suite checks and the area
 * programs did not: datatype bounds built from types with a negative extent (the bounds are
 * markers, MPI-3.1 4.1.6), who may write status.MPI_ERROR (only the calls that complete
 * several requests, MPI-3.1 3.2.5), info hints a communicator or a window does not know
 * (ignored, not returned), MPI_Comm_dup_with_info with MPI_INFO_NULL, error codes added to predefined
 * classes; and what its second pass found: the optional sized Fortran types, MPI_Comm_dup
 * when a copy callback fails, the keys of MPI_INFO_ENV.
 */
#include <complex.h>
#include <unistd.h>
#include "conf.h"

static void show_type(const char *name, MPI_Datatype t)
{
	MPI_Aint lb, ext, tlb, text;
	int sz;

	MPI_Type_get_extent(t, &lb, &ext);
	MPI_Type_get_true_extent(t, &tlb, &text);
	MPI_Type_size(t, &sz);
	if (rank == 0)
		printf("%-28s size %d lb %ld ub %ld extent %ld true_lb %ld true_extent %ld\n", name,
		       sz, (long)lb, (long)(lb + ext), (long)ext, (long)tlb, (long)text);
}

static void negative_extents(void)
{
	MPI_Datatype bytes4, neg, neg2, t;
	int blens[3] = { 2, 1, 3 }, disps[3] = { 4, -3, 0 };
	MPI_Aint hdisps[3] = { 16, -12, 0 };
	int sizes[2] = { 4, 5 }, subs[2] = { 2, 3 }, starts[2] = { 1, 1 };

	MPI_Type_contiguous(4, MPI_BYTE, &bytes4);
	/* { (LB,6), 4*(BYTE,0), (UB,-3) }: extent -9 */
	MPI_Type_create_resized(bytes4, 6, -9, &neg);
	MPI_Type_create_resized(MPI_INT, 0, -4, &neg2);
	show_type("resized lb 6 extent -9", neg);
	show_type("resized MPI_INT 0 -4", neg2);
	MPI_Type_create_resized(MPI_INT, -12, 22, &t);
	show_type("resized MPI_INT -12 22", t);
	MPI_Type_free(&t);
#define SHOW(name, call) do { call; show_type(name, t); MPI_Type_free(&t); } while (0)
	SHOW("contiguous 3", MPI_Type_contiguous(3, neg, &t));
	SHOW("contiguous 3 (int)", MPI_Type_contiguous(3, neg2, &t));
	SHOW("vector 3 1 1", MPI_Type_vector(3, 1, 1, neg, &t));
	SHOW("vector 3 2 5", MPI_Type_vector(3, 2, 5, neg, &t));
	SHOW("vector 3 2 -5", MPI_Type_vector(3, 2, -5, neg, &t));
	SHOW("vector 3 2 -5 (int)", MPI_Type_vector(3, 2, -5, neg2, &t));
	SHOW("hvector 2 3 100", MPI_Type_create_hvector(2, 3, 100, neg, &t));
	SHOW("hvector 3 2 -40", MPI_Type_create_hvector(3, 2, -40, neg, &t));
	SHOW("indexed", MPI_Type_indexed(3, blens, disps, neg, &t));
	SHOW("hindexed", MPI_Type_create_hindexed(3, blens, hdisps, neg, &t));
	SHOW("indexed_block", MPI_Type_create_indexed_block(3, 2, disps, neg, &t));
	SHOW("resized of negative", MPI_Type_create_resized(neg, 4, 8, &t));
	SHOW("dup", MPI_Type_dup(neg, &t));
	SHOW("subarray", MPI_Type_create_subarray(2, sizes, subs, starts, MPI_ORDER_C, neg2, &t));
	{
		int sbl[2] = { 1, 1 };
		MPI_Aint sd[2] = { 0, 8 };
		MPI_Datatype st[2] = { neg2, neg };

		SHOW("struct", MPI_Type_create_struct(2, sbl, sd, st, &t));
	}
#undef SHOW
	/* data follows the typemap: three elements of neg2 run downwards from the buffer */
	{
		int a[4] = { 10, 11, 12, 13 }, packed[3] = { 0, 0, 0 }, back[4] = { 0, 0, 0, 0 };
		int pos = 0, r;

		MPI_Type_contiguous(3, neg2, &t);
		MPI_Type_commit(&t);
		MPI_Pack(&a[3], 1, t, packed, sizeof(packed), &pos, MPI_COMM_WORLD);
		MPI_Sendrecv(&a[3], 1, t, rank, 7, &back[3], 1, t, rank, 7, MPI_COMM_WORLD,
			     MPI_STATUS_IGNORE);
		r = packed[0] == 13 && packed[1] == 12 && packed[2] == 11 && back[0] == 0 &&
		    back[1] == 11 && back[2] == 12 && back[3] == 13;
		report_ok("pack and send of a negative-extent contiguous", r);
		MPI_Type_free(&t);
	}
	MPI_Type_free(&neg);
	MPI_Type_free(&neg2);
	MPI_Type_free(&bytes4);
}

#define MAGIC 12345

/* What a call left in status.MPI_ERROR: kept (MAGIC) or set (the value). */
static void err_field(const char *call, const MPI_Status *st)
{
	if (rank == 0) {
		if (st->MPI_ERROR == MAGIC)
			printf("%-26s MPI_ERROR kept\n", call);
		else
			printf("%-26s MPI_ERROR set to %s\n", call, errname(st->MPI_ERROR));
	}
}

static void status_error_field(void)
{
	int peer = (rank ^ 1) < size ? rank ^ 1 : rank, x = 1, y, flag, idx, n, two[2] = { 1, 2 };
	MPI_Status st, sts[2];
	MPI_Request r, rs[2];
	MPI_Message m;

	MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
#define FRESH (st.MPI_ERROR = MAGIC)
	FRESH;
	MPI_Sendrecv(&x, 1, MPI_INT, peer, 0, &y, 1, MPI_INT, peer, 0, MPI_COMM_WORLD, &st);
	err_field("MPI_Sendrecv", &st);
	MPI_Isend(&x, 1, MPI_INT, peer, 1, MPI_COMM_WORLD, &r);
	FRESH;
	MPI_Recv(&y, 1, MPI_INT, peer, 1, MPI_COMM_WORLD, &st);
	err_field("MPI_Recv", &st);
	FRESH;
	MPI_Wait(&r, &st);
	err_field("MPI_Wait (send)", &st);
	MPI_Irecv(&y, 1, MPI_INT, peer, 2, MPI_COMM_WORLD, &r);
	MPI_Send(&x, 1, MPI_INT, peer, 2, MPI_COMM_WORLD);
	FRESH;
	MPI_Wait(&r, &st);
	err_field("MPI_Wait (receive)", &st);
	MPI_Irecv(&y, 1, MPI_INT, peer, 3, MPI_COMM_WORLD, &r);
	MPI_Send(&x, 1, MPI_INT, peer, 3, MPI_COMM_WORLD);
	do {
		FRESH;
		MPI_Test(&r, &flag, &st);
	} while (!flag);
	err_field("MPI_Test", &st);
	MPI_Send(&x, 1, MPI_INT, peer, 4, MPI_COMM_WORLD);
	FRESH;
	MPI_Probe(peer, 4, MPI_COMM_WORLD, &st);
	err_field("MPI_Probe", &st);
	do {
		FRESH;
		MPI_Iprobe(peer, 4, MPI_COMM_WORLD, &flag, &st);
	} while (!flag);
	err_field("MPI_Iprobe", &st);
	FRESH;
	MPI_Mprobe(peer, 4, MPI_COMM_WORLD, &m, &st);
	err_field("MPI_Mprobe", &st);
	FRESH;
	MPI_Mrecv(&y, 1, MPI_INT, &m, &st);
	err_field("MPI_Mrecv", &st);
	MPI_Send(&x, 1, MPI_INT, peer, 5, MPI_COMM_WORLD);
	do {
		FRESH;
		MPI_Improbe(peer, 5, MPI_COMM_WORLD, &flag, &m, &st);
	} while (!flag);
	err_field("MPI_Improbe", &st);
	MPI_Imrecv(&y, 1, MPI_INT, &m, &r);
	FRESH;
	MPI_Wait(&r, &st);
	err_field("MPI_Imrecv + MPI_Wait", &st);
	FRESH;
	MPI_Recv(&y, 1, MPI_INT, MPI_PROC_NULL, 0, MPI_COMM_WORLD, &st);
	err_field("MPI_Recv MPI_PROC_NULL", &st);
	r = MPI_REQUEST_NULL;
	FRESH;
	MPI_Wait(&r, &st);
	err_field("MPI_Wait MPI_REQUEST_NULL", &st);
	MPI_Irecv(&y, 1, MPI_INT, peer, 6, MPI_COMM_WORLD, &r);
	MPI_Send(&x, 1, MPI_INT, peer, 6, MPI_COMM_WORLD);
	FRESH;
	MPI_Waitany(1, &r, &idx, &st);
	err_field("MPI_Waitany", &st);
	MPI_Irecv(&y, 1, MPI_INT, peer, 7, MPI_COMM_WORLD, &r);
	MPI_Send(&x, 1, MPI_INT, peer, 7, MPI_COMM_WORLD);
	do {
		FRESH;
		MPI_Testany(1, &r, &idx, &flag, &st);
	} while (!flag);
	err_field("MPI_Testany", &st);
	MPI_Irecv(&y, 1, MPI_INT, peer, 8, MPI_COMM_WORLD, &r);
	MPI_Send(&x, 1, MPI_INT, peer, 8, MPI_COMM_WORLD);
	do {
		FRESH;
		MPI_Request_get_status(r, &flag, &st);
	} while (!flag);
	err_field("MPI_Request_get_status", &st);
	MPI_Wait(&r, MPI_STATUS_IGNORE);
	/* a truncated receive: the error comes back, the status is still the caller's */
	MPI_Send(two, 2, MPI_INT, peer, 9, MPI_COMM_WORLD);
	FRESH;
	n = MPI_Recv(&y, 1, MPI_INT, peer, 9, MPI_COMM_WORLD, &st);
	if (rank == 0)
		printf("MPI_Recv truncated: %s\n", errname(n));
	err_field("MPI_Recv truncated", &st);
	/* calls completing several requests set the field (Open MPI does even on success;
	 * it does not report a truncation through them: docs/mpi.md) */
	MPI_Irecv(&y, 1, MPI_INT, peer, 10, MPI_COMM_WORLD, &rs[0]);
	MPI_Irecv(two, 2, MPI_INT, peer, 11, MPI_COMM_WORLD, &rs[1]);
	MPI_Send(&x, 1, MPI_INT, peer, 10, MPI_COMM_WORLD);
	MPI_Send(two, 2, MPI_INT, peer, 11, MPI_COMM_WORLD);
	sts[0].MPI_ERROR = sts[1].MPI_ERROR = MAGIC;
	MPI_Waitall(2, rs, sts);
	err_field("MPI_Waitall status 0", &sts[0]);
	err_field("MPI_Waitall status 1", &sts[1]);
	MPI_Irecv(&y, 1, MPI_INT, peer, 12, MPI_COMM_WORLD, &rs[0]);
	MPI_Send(&x, 1, MPI_INT, peer, 12, MPI_COMM_WORLD);
	sts[0].MPI_ERROR = MAGIC;
	MPI_Waitsome(1, rs, &n, &idx, sts);
	err_field("MPI_Waitsome", &sts[0]);
	/* file access completes one request too */
	{
		MPI_File f;

		MPI_File_open(MPI_COMM_WORLD, "corner_cases.tmp", MPI_MODE_CREATE | MPI_MODE_RDWR |
			      MPI_MODE_DELETE_ON_CLOSE, MPI_INFO_NULL, &f);
		FRESH;
		MPI_File_write_at(f, rank * (MPI_Offset)sizeof(int), &x, 1, MPI_INT, &st);
		err_field("MPI_File_write_at", &st);
		FRESH;
		MPI_File_read_at_all(f, rank * (MPI_Offset)sizeof(int), &y, 1, MPI_INT, &st);
		err_field("MPI_File_read_at_all", &st);
		MPI_File_close(&f);
	}
#undef FRESH
	MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_ARE_FATAL);
}

static void info_hints(void)
{
	MPI_Comm c;
	MPI_Info in, out;
	char val[64];
	int flag, rc, one = 1, sum;

	MPI_Info_create(&in);
	MPI_Info_set(in, "tessera_no_such_hint", "true");
	rc = MPI_Comm_dup_with_info(MPI_COMM_WORLD, MPI_INFO_NULL, &c);
	MPI_Allreduce(&one, &sum, 1, MPI_INT, MPI_SUM, c);
	if (rank == 0)
		printf("MPI_Comm_dup_with_info(MPI_INFO_NULL): %s, usable %d\n", errname(rc),
		       sum == size);
	MPI_Comm_set_info(c, in);
	MPI_Comm_get_info(c, &out);
	MPI_Info_get(out, "tessera_no_such_hint", sizeof(val) - 1, val, &flag);
	if (rank == 0)
		printf("unknown hint after MPI_Comm_set_info: %s\n", flag ? "returned" : "ignored");
	MPI_Info_free(&out);
	MPI_Comm_free(&c);
	/* the same for a window (MPICH's win_info test) */
	{
		int mem[2];
		MPI_Win w;

		MPI_Win_create(mem, sizeof(mem), sizeof(int), MPI_INFO_NULL, MPI_COMM_WORLD, &w);
		MPI_Win_set_info(w, in);
		MPI_Win_get_info(w, &out);
		MPI_Info_get(out, "tessera_no_such_hint", sizeof(val) - 1, val, &flag);
		if (rank == 0)
			printf("unknown hint after MPI_Win_set_info: %s\n",
			       flag ? "returned" : "ignored");
		MPI_Info_free(&out);
		MPI_Win_free(&w);
	}
	MPI_Info_free(&in);
}

static void error_codes(void)
{
	char s[MPI_MAX_ERROR_STRING];
	int code, cls, len, rc, newcls, code2;

	MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
	rc = MPI_Add_error_code(MPI_ERR_ARG, &code);
	MPI_Error_class(code, &cls);
	s[0] = 'x';
	s[1] = 0;
	MPI_Error_string(code, s, &len);
	if (rank == 0)
		printf("MPI_Add_error_code(MPI_ERR_ARG): %s, class %s, above LASTCODE %d, "
		       "string '%s'\n", errname(rc), errname(cls), code > MPI_ERR_LASTCODE, s);
	rc = MPI_Add_error_string(code, "a late argument error");
	MPI_Error_string(code, s, &len);
	if (rank == 0)
		printf("MPI_Add_error_string: %s, '%s' (%d)\n", errname(rc), s, len);
	MPI_Add_error_class(&newcls);
	rc = MPI_Add_error_code(newcls, &code2);
	MPI_Error_class(code2, &cls);
	if (rank == 0)
		printf("code in a new class: %s, class matches %d\n", errname(rc), cls == newcls);
	rc = MPI_Add_error_string(MPI_ERR_ARG, "not allowed");
	if (rank == 0)
		printf("MPI_Add_error_string on a predefined code fails: %d\n", rc != MPI_SUCCESS);
	MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_ARE_FATAL);
}

/* The optional sized Fortran types (MPI-3.1 17.2.5): the ones every tile arch has a C type
 * for exist; REAL16 and COMPLEX32 may be MPI_DATATYPE_NULL. */
static void sized_types(void)
{
	static const struct { MPI_Datatype t; const char *name; int size; } st[] = {
		{ MPI_REAL4, "MPI_REAL4", 4 }, { MPI_REAL8, "MPI_REAL8", 8 },
		{ MPI_COMPLEX8, "MPI_COMPLEX8", 8 }, { MPI_COMPLEX16, "MPI_COMPLEX16", 16 },
		{ MPI_INTEGER1, "MPI_INTEGER1", 1 }, { MPI_INTEGER2, "MPI_INTEGER2", 2 },
		{ MPI_INTEGER4, "MPI_INTEGER4", 4 }, { MPI_INTEGER8, "MPI_INTEGER8", 8 },
	};
	char name[MPI_MAX_OBJECT_NAME];
	double _Complex in[2] = { 1.0 + 2.0 * _Complex_I, 3.0 }, out[2];
	int i, sz, len;

	for (i = 0; i < (int)(sizeof(st) / sizeof(st[0])); i++) {
		MPI_Type_size(st[i].t, &sz);
		MPI_Type_get_name(st[i].t, name, &len);
		if (rank == 0)
			printf("%s: size %d (%d), name '%s'\n", st[i].name, sz, st[i].size, name);
	}
	sz = 16;
	if (MPI_REAL16 != MPI_DATATYPE_NULL)
		MPI_Type_size(MPI_REAL16, &sz);
	len = 32;
	if (MPI_COMPLEX32 != MPI_DATATYPE_NULL)
		MPI_Type_size(MPI_COMPLEX32, &len);
	if (rank == 0)
		printf("MPI_REAL16 absent or 16 bytes: %d, MPI_COMPLEX32 absent or 32 bytes: %d\n",
		       sz == 16, len == 32);
	MPI_Allreduce(in, out, 2, MPI_COMPLEX16, MPI_SUM, MPI_COMM_WORLD);
	if (rank == 0)
		printf("MPI_COMPLEX16 sum: %g%+gi %g%+gi\n", creal(out[0]), cimag(out[0]),
		       creal(out[1]), cimag(out[1]));
}

static int copy_fails(MPI_Comm c, int k, void *extra, void *in, void *out, int *flag)
{
	(void)c, (void)k, (void)extra, (void)in, (void)out;
	*flag = 0;
	return MPI_ERR_OTHER;
}

/* A copy callback that fails fails MPI_Comm_dup, and the new handle is MPI_COMM_NULL. */
static void failed_dup(void)
{
	MPI_Comm d = MPI_COMM_WORLD;
	int key, rc, failed;

	MPI_Comm_create_keyval(copy_fails, MPI_COMM_NULL_DELETE_FN, &key, NULL);
	MPI_Comm_set_attr(MPI_COMM_WORLD, key, NULL);
	MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
	rc = MPI_Comm_dup(MPI_COMM_WORLD, &d);
	MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_ARE_FATAL);
	failed = rc != MPI_SUCCESS;
	MPI_Allreduce(MPI_IN_PLACE, &failed, 1, MPI_INT, MPI_LAND, MPI_COMM_WORLD);
	if (rank == 0)
		printf("MPI_Comm_dup with a failing copy callback: fails %d, MPI_COMM_NULL %d\n",
		       failed, d == MPI_COMM_NULL);
	MPI_Comm_delete_attr(MPI_COMM_WORLD, key);
	MPI_Comm_free_keyval(&key);
}

/* MPI_INFO_ENV after MPI_Init: maxprocs, arch and the working directory are there, and
 * thread_level is the level MPI_Init asks for, which MPI_Query_thread also says. */
static void info_env(void)
{
	char val[MPI_MAX_INFO_VAL + 1], cwd[MPI_MAX_INFO_VAL + 1];
	int flag, provided, np = -1, arch, wdir;

	MPI_Info_get(MPI_INFO_ENV, "maxprocs", MPI_MAX_INFO_VAL, val, &flag);
	if (flag)
		np = atoi(val);
	MPI_Info_get(MPI_INFO_ENV, "arch", MPI_MAX_INFO_VAL, val, &arch);
	MPI_Info_get(MPI_INFO_ENV, "wdir", MPI_MAX_INFO_VAL, val, &wdir);
	wdir = wdir && getcwd(cwd, sizeof(cwd)) && !strcmp(cwd, val);
	report_same("MPI_INFO_ENV maxprocs is the size", np == size);
	report_same("MPI_INFO_ENV has arch", arch);
	report_same("MPI_INFO_ENV wdir is the working directory", wdir);
	MPI_Info_get(MPI_INFO_ENV, "thread_level", MPI_MAX_INFO_VAL, val, &flag);
	MPI_Query_thread(&provided);
	if (rank == 0)
		printf("MPI_INFO_ENV thread_level: %s, MPI_Query_thread single: %d\n",
		       flag ? val : "(none)", provided == MPI_THREAD_SINGLE);
}

int main(int argc, char **argv)
{
	conf_init(&argc, &argv);
	negative_extents();
	status_error_field();
	info_hints();
	error_codes();
	sized_types();
	failed_dup();
	info_env();
	conf_done();
	return 0;
}
