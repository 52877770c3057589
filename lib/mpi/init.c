/* SPDX-License-Identifier: MIT */
/* init.c: MPI_Init and MPI_Finalize, thread levels, MPI_Abort and the job-wide abort. */
#include <stdio.h>
#include <stdlib.h>
#include "mpii_impl.h"
#include "tk.h"

int mpii_state;
const char *mpii_call;
int mpii_thread_level = MPI_THREAD_SINGLE;
int mpii_vt, mpii_trace;

void mpii_errh_init(void);
void mpii_info_init(int argc, char **argv);
void mpii_attr_fini(void);
int mpii_comm_init(void);

__attribute__((noreturn)) void mpii_abort_job(int code)
{
	int64_t arg[6] = { code, 0, 0, 0, 0, 0 };

	fflush(stdout);
	fflush(stderr);
	/* The host tears the job down with this code; tk_exit covers a host that did not. */
	tk_hostcall(TESSERA_HC_ABORT_JOB, arg, NULL, 0, NULL, 0);
	tk_exit(code);
}

int mpii_world_rank(void)
{
	return (int)tk_rank();
}

int mpii_world_size(void)
{
	return (int)tk_nranks();
}

/* MPI_Init and MPI_Init_thread; level is the thread level asked for (MPI_INFO_ENV says it). */
static int init(int *argc, char ***argv, int level, const char *fname)
{
	int rc;

	if (mpii_state != 0) {
		if (mpii_state == 2)
			return mpii_not_running(fname);
		return mpii_raise(NULL, MPI_ERR_OTHER, fname);
	}
	/* A tile runs one thread: every level holds vacuously, so what is asked is granted. */
	mpii_thread_level = level;
	mpii_vt = tk_vt_on();
	mpii_trace = tk_tracing();
	mpii_errh_init();
	mpii_dtype_init_basics();
	mpii_op_init_builtin();
	mpii_req_init();
	mpii_info_init(argc ? *argc : 0, argv ? *argv : NULL);
	rc = mpii_engine_init();
	if (rc)
		mpii_fatal(rc, "MPI_ERR_OTHER: the message channels failed to start in MPI_Init");
	rc = mpii_comm_init();
	if (rc)
		mpii_fatal(rc, "MPI_ERR_NO_MEM: out of memory in MPI_Init");
	mpii_state = 1;
	return MPI_SUCCESS;
}

int PMPI_Init(int *argc, char ***argv)
{
	return init(argc, argv, MPI_THREAD_SINGLE, "MPI_Init");
}
MPII_ALIAS(MPI_Init)

int PMPI_Init_thread(int *argc, char ***argv, int required, int *provided)
{
	int rc;

	if (!provided || required < MPI_THREAD_SINGLE || required > MPI_THREAD_MULTIPLE)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Init_thread");
	rc = init(argc, argv, required, "MPI_Init_thread");
	if (rc)
		return rc;
	*provided = required;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Init_thread)

int PMPI_Finalize(void)
{
	static const char fname[] = "MPI_Finalize";
	struct mpii_attr *none = NULL;

	MPII_ENTER(fname);
	/* MPI-3.1 8.7.1: attributes of MPI_COMM_SELF are deleted first, callbacks run. */
	mpii_attr_delete_all(MPII_AK_COMM, MPI_COMM_SELF, &mpii_comm_self->attrs);
	(void)none;
	/* Every outgoing message must leave before anyone stops draining its channels. */
	while (mpii_out_pending()) {
		mpii_progress();
		if (mpii_out_pending())
			mpii_idle();
	}
	mpii_barrier(mpii_comm_world);
	while (mpii_out_pending()) {
		mpii_progress();
		if (mpii_out_pending())
			mpii_idle();
	}
	mpii_engine_fini();
	mpii_state = 2;
	fflush(stdout);
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Finalize)

int PMPI_Initialized(int *flag)
{
	if (!flag)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Initialized");
	*flag = mpii_state != 0;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Initialized)

int PMPI_Finalized(int *flag)
{
	if (!flag)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Finalized");
	*flag = mpii_state == 2;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Finalized)

int PMPI_Query_thread(int *provided)
{
	MPII_ENTER("MPI_Query_thread");
	if (!provided)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Query_thread");
	*provided = mpii_thread_level;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Query_thread)

int PMPI_Is_thread_main(int *flag)
{
	MPII_ENTER("MPI_Is_thread_main");
	if (!flag)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Is_thread_main");
	*flag = 1;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Is_thread_main)

int PMPI_Abort(MPI_Comm comm, int errorcode)
{
	/* The whole job ends, whatever comm is (MPI-3.1 8.7 allows that). */
	(void)comm;
	fprintf(stderr, "MPI_Abort called on rank %d with error code %d\n", mpii_world_rank(),
		errorcode);
	mpii_abort_job(errorcode);
}
MPII_ALIAS(MPI_Abort)
