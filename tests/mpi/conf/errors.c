/* SPDX-License-Identifier: MIT */
/*
 * errors: with MPI_ERRORS_RETURN every bad argument comes back as its error class and the
 * program goes on; user error classes, codes and strings; user error handlers.
 */
#include "conf.h"

static int handler_calls, handler_code;

static void handler(MPI_Comm *comm, int *code, ...)
{
	(void)comm;
	handler_calls++;
	handler_code = *code;
}

#define TRY(label, call) do { \
	int rc_ = (call); \
	if (rank == 0) \
		printf("%-34s %s\n", label, errname(rc_)); \
} while (0)

int main(int argc, char **argv)
{
	int x = 1, y[8], rc, cls, code, len, flag;
	char str[MPI_MAX_ERROR_STRING];
	MPI_Request req = MPI_REQUEST_NULL;
	MPI_Errhandler eh, got;
	MPI_Comm dup;
	MPI_Datatype t;

	conf_init(&argc, &argv);
	MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
	MPI_Comm_get_errhandler(MPI_COMM_WORLD, &got);
	report_same("errhandler is return", got == MPI_ERRORS_RETURN);
	MPI_Errhandler_free(&got);
	/* point to point */
	TRY("send rank = size", MPI_Send(&x, 1, MPI_INT, size, 0, MPI_COMM_WORLD));
	TRY("send rank = -5", MPI_Send(&x, 1, MPI_INT, -5, 0, MPI_COMM_WORLD));
	TRY("send tag = -3", MPI_Send(&x, 1, MPI_INT, 0, -3, MPI_COMM_WORLD));
	TRY("send count = -1", MPI_Send(&x, -1, MPI_INT, 0, 0, MPI_COMM_WORLD));
	TRY("send datatype null", MPI_Send(&x, 1, MPI_DATATYPE_NULL, 0, 0, MPI_COMM_WORLD));
	TRY("send comm null", MPI_Send(&x, 1, MPI_INT, 0, 0, MPI_COMM_NULL));
	TRY("recv rank = size", MPI_Recv(&x, 1, MPI_INT, size, 0, MPI_COMM_WORLD,
					 MPI_STATUS_IGNORE));
	TRY("recv tag = -7", MPI_Recv(&x, 1, MPI_INT, 0, -7, MPI_COMM_WORLD, MPI_STATUS_IGNORE));
	TRY("irecv count = -2", MPI_Irecv(&x, -2, MPI_INT, 0, 0, MPI_COMM_WORLD, &req));
	MPI_Type_contiguous(2, MPI_INT, &t);
	TRY("send uncommitted type", MPI_Send(&x, 1, t, 0, 0, MPI_COMM_WORLD));
	MPI_Type_free(&t);
	TRY("start null request", MPI_Start(&req));
	TRY("request_free null", MPI_Request_free(&req));
	TRY("wait null request", MPI_Wait(&req, MPI_STATUS_IGNORE));
	/* truncation is reported by the receive: MPI_Recv and MPI_Sendrecv return it, MPI_Waitall
	 * returns MPI_ERR_IN_STATUS with it in the receive's status (so does Open MPI 4.1.4,
	 * except for an MPI_Sendrecv with itself, which it copies without a word: not compared) */
	{
		int big[4] = { 1, 2, 3, 4 }, small[2];
		int to = (rank + 1) % size, from = (rank + size - 1) % size;
		MPI_Request r, rs[2];
		MPI_Status st[2];

		MPI_Isend(big, 4, MPI_INT, to, 5, MPI_COMM_WORLD, &r);
		rc = MPI_Recv(small, 2, MPI_INT, from, 5, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
		MPI_Wait(&r, MPI_STATUS_IGNORE);
		report_same("truncate class is ERR_TRUNCATE",
			    strcmp(errname(rc), "MPI_ERR_TRUNCATE") == 0);
		if (size > 1) {
			rc = MPI_Sendrecv(big, 4, MPI_INT, to, 6, small, 2, MPI_INT, from, 6,
					  MPI_COMM_WORLD, MPI_STATUS_IGNORE);
			report_same("sendrecv truncate is ERR_TRUNCATE",
				    strcmp(errname(rc), "MPI_ERR_TRUNCATE") == 0);
		}
		MPI_Isend(big, 4, MPI_INT, to, 7, MPI_COMM_WORLD, &rs[0]);
		MPI_Irecv(small, 2, MPI_INT, from, 7, MPI_COMM_WORLD, &rs[1]);
		rc = MPI_Waitall(2, rs, st);
		report_same("waitall truncate is ERR_IN_STATUS",
			    strcmp(errname(rc), "MPI_ERR_IN_STATUS") == 0 &&
			    strcmp(errname(st[1].MPI_ERROR), "MPI_ERR_TRUNCATE") == 0);
	}
	/* collectives */
	TRY("bcast root = size", MPI_Bcast(&x, 1, MPI_INT, size, MPI_COMM_WORLD));
	TRY("bcast root = -1", MPI_Bcast(&x, 1, MPI_INT, -1, MPI_COMM_WORLD));
	TRY("reduce op null", MPI_Reduce(&x, y, 1, MPI_INT, MPI_OP_NULL, 0, MPI_COMM_WORLD));
	TRY("allreduce count = -1", MPI_Allreduce(&x, y, -1, MPI_INT, MPI_SUM, MPI_COMM_WORLD));
	TRY("bcast type null", MPI_Bcast(&x, 1, MPI_DATATYPE_NULL, 0, MPI_COMM_WORLD));
	TRY("allreduce comm null", MPI_Allreduce(&x, y, 1, MPI_INT, MPI_SUM, MPI_COMM_NULL));
	TRY("gather root = size", MPI_Gather(&x, 1, MPI_INT, y, 1, MPI_INT, size,
					     MPI_COMM_WORLD));
	TRY("barrier comm null", MPI_Barrier(MPI_COMM_NULL));
	/* after all that, communication still works */
	x = rank;
	MPI_Allreduce(&x, y, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
	report_same("still working", y[0]);
	/* other objects */
	TRY("comm_dup comm null", MPI_Comm_dup(MPI_COMM_NULL, &dup));
	TRY("comm_size comm null", MPI_Comm_size(MPI_COMM_NULL, &x));
	TRY("type_size type null", MPI_Type_size(MPI_DATATYPE_NULL, &x));
	TRY("type_contiguous count -1", MPI_Type_contiguous(-1, MPI_INT, &t));
	TRY("group_size group null", MPI_Group_size(MPI_GROUP_NULL, &x));
	TRY("op_free op null", MPI_Op_free(&(MPI_Op){ MPI_OP_NULL }));
	{
		MPI_Info info;

		MPI_Info_create(&info);
		TRY("info_delete missing key", MPI_Info_delete(info, "nothere"));
		TRY("info_get_nthkey out of range", MPI_Info_get_nthkey(info, 3, str));
		MPI_Info_free(&info);
	}
	{
		int dims[2] = { 0, 0 };

		TRY("dims_create ndims = -1", MPI_Dims_create(4, -1, dims));
		dims[0] = 3;
		TRY("dims_create 4 into 3x?", MPI_Dims_create(4, 2, dims));
		TRY("cart_coords no topology", MPI_Cart_coords(MPI_COMM_WORLD, 0, 2, dims));
	}
	/* user classes, codes and strings */
	MPI_Add_error_class(&cls);
	MPI_Add_error_code(cls, &code);
	MPI_Add_error_string(code, "my special error");
	MPI_Error_string(code, str, &len);
	MPI_Error_class(code, &rc);
	report_same("user code class matches", rc == cls);
	report_same("user code differs", code != cls);
	if (rank == 0)
		printf("user string: %s (%d)\n", str, len);
	{
		void *v;
		int lastused;

		MPI_Comm_get_attr(MPI_COMM_WORLD, MPI_LASTUSEDCODE, &v, &flag);
		lastused = *(int *)v;
		report_same("lastusedcode >= code", flag && lastused >= code);
	}
	/* a user handler, on a dup, called by errors and by Comm_call_errhandler */
	MPI_Comm_dup(MPI_COMM_WORLD, &dup);
	MPI_Comm_create_errhandler(handler, &eh);
	MPI_Comm_set_errhandler(dup, eh);
	MPI_Errhandler_free(&eh);
	rc = MPI_Send(&x, 1, MPI_INT, size + 3, 0, dup);
	report_same("handler ran", handler_calls);
	if (rank == 0)
		printf("handler saw %s, returned %s\n", errname(handler_code), errname(rc));
	MPI_Comm_call_errhandler(dup, code);
	report_same("handler ran again", handler_calls);
	report_same("handler got user code", handler_code == code);
	MPI_Comm_free(&dup);
	/* error strings exist for every class */
	{
		int k, ok = 1;

		for (k = MPI_SUCCESS; k <= MPI_ERR_LASTCODE; k++) {
			str[0] = 0;
			if (MPI_Error_string(k, str, &len) != MPI_SUCCESS || len <= 0)
				ok = 0;
		}
		report_ok("error strings", ok);
	}
	conf_done();
	return 0;
}
