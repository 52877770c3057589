/* SPDX-License-Identifier: MIT */
/*
 * error.c: error classes and codes, their strings, user-added ones, and mpii_raise(): the
 * one place where a failing call meets its communicator's error handler.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include "mpii_impl.h"

static const char *const class_names[MPI_ERR_LASTCODE + 1] = {
	[MPI_SUCCESS] = "MPI_SUCCESS: no error",
	[MPI_ERR_BUFFER] = "MPI_ERR_BUFFER: invalid buffer pointer",
	[MPI_ERR_COUNT] = "MPI_ERR_COUNT: invalid count argument",
	[MPI_ERR_TYPE] = "MPI_ERR_TYPE: invalid datatype",
	[MPI_ERR_TAG] = "MPI_ERR_TAG: invalid tag argument",
	[MPI_ERR_COMM] = "MPI_ERR_COMM: invalid communicator",
	[MPI_ERR_RANK] = "MPI_ERR_RANK: invalid rank",
	[MPI_ERR_REQUEST] = "MPI_ERR_REQUEST: invalid request",
	[MPI_ERR_ROOT] = "MPI_ERR_ROOT: invalid root",
	[MPI_ERR_GROUP] = "MPI_ERR_GROUP: invalid group",
	[MPI_ERR_OP] = "MPI_ERR_OP: invalid reduce operation",
	[MPI_ERR_TOPOLOGY] = "MPI_ERR_TOPOLOGY: invalid communicator topology",
	[MPI_ERR_DIMS] = "MPI_ERR_DIMS: invalid topology dimension",
	[MPI_ERR_ARG] = "MPI_ERR_ARG: invalid argument",
	[MPI_ERR_UNKNOWN] = "MPI_ERR_UNKNOWN: unknown error",
	[MPI_ERR_TRUNCATE] = "MPI_ERR_TRUNCATE: message truncated",
	[MPI_ERR_OTHER] = "MPI_ERR_OTHER: known error not in this list",
	[MPI_ERR_INTERN] = "MPI_ERR_INTERN: internal error",
	[MPI_ERR_IN_STATUS] = "MPI_ERR_IN_STATUS: error code is in status",
	[MPI_ERR_PENDING] = "MPI_ERR_PENDING: pending request",
	[MPI_ERR_KEYVAL] = "MPI_ERR_KEYVAL: invalid key value",
	[MPI_ERR_NO_MEM] = "MPI_ERR_NO_MEM: out of memory",
	[MPI_ERR_BASE] = "MPI_ERR_BASE: invalid base address",
	[MPI_ERR_INFO_KEY] = "MPI_ERR_INFO_KEY: info key too long",
	[MPI_ERR_INFO_VALUE] = "MPI_ERR_INFO_VALUE: info value too long",
	[MPI_ERR_INFO_NOKEY] = "MPI_ERR_INFO_NOKEY: no such info key",
	[MPI_ERR_SPAWN] = "MPI_ERR_SPAWN: error spawning processes",
	[MPI_ERR_PORT] = "MPI_ERR_PORT: invalid port name",
	[MPI_ERR_SERVICE] = "MPI_ERR_SERVICE: invalid service name",
	[MPI_ERR_NAME] = "MPI_ERR_NAME: service name not published",
	[MPI_ERR_WIN] = "MPI_ERR_WIN: invalid window",
	[MPI_ERR_SIZE] = "MPI_ERR_SIZE: invalid size",
	[MPI_ERR_DISP] = "MPI_ERR_DISP: invalid displacement",
	[MPI_ERR_INFO] = "MPI_ERR_INFO: invalid info object",
	[MPI_ERR_LOCKTYPE] = "MPI_ERR_LOCKTYPE: invalid lock type",
	[MPI_ERR_ASSERT] = "MPI_ERR_ASSERT: invalid assert argument",
	[MPI_ERR_RMA_CONFLICT] = "MPI_ERR_RMA_CONFLICT: conflicting window accesses",
	[MPI_ERR_RMA_SYNC] = "MPI_ERR_RMA_SYNC: wrong window synchronisation",
	[MPI_ERR_FILE] = "MPI_ERR_FILE: invalid file handle",
	[MPI_ERR_NOT_SAME] = "MPI_ERR_NOT_SAME: arguments differ between processes",
	[MPI_ERR_AMODE] = "MPI_ERR_AMODE: invalid file access mode",
	[MPI_ERR_UNSUPPORTED_DATAREP] = "MPI_ERR_UNSUPPORTED_DATAREP: unsupported data representation",
	[MPI_ERR_UNSUPPORTED_OPERATION] = "MPI_ERR_UNSUPPORTED_OPERATION: operation not supported by tessera",
	[MPI_ERR_NO_SUCH_FILE] = "MPI_ERR_NO_SUCH_FILE: no such file",
	[MPI_ERR_FILE_EXISTS] = "MPI_ERR_FILE_EXISTS: file exists",
	[MPI_ERR_BAD_FILE] = "MPI_ERR_BAD_FILE: invalid file name",
	[MPI_ERR_ACCESS] = "MPI_ERR_ACCESS: permission denied",
	[MPI_ERR_NO_SPACE] = "MPI_ERR_NO_SPACE: no space left",
	[MPI_ERR_QUOTA] = "MPI_ERR_QUOTA: quota exceeded",
	[MPI_ERR_READ_ONLY] = "MPI_ERR_READ_ONLY: read-only file or file system",
	[MPI_ERR_FILE_IN_USE] = "MPI_ERR_FILE_IN_USE: file in use",
	[MPI_ERR_DUP_DATAREP] = "MPI_ERR_DUP_DATAREP: data representation already defined",
	[MPI_ERR_CONVERSION] = "MPI_ERR_CONVERSION: data conversion failed",
	[MPI_ERR_IO] = "MPI_ERR_IO: I/O error",
	[MPI_ERR_RMA_RANGE] = "MPI_ERR_RMA_RANGE: target memory out of window",
	[MPI_ERR_RMA_ATTACH] = "MPI_ERR_RMA_ATTACH: memory cannot be attached",
	[MPI_ERR_RMA_SHARED] = "MPI_ERR_RMA_SHARED: memory cannot be shared",
	[MPI_ERR_RMA_FLAVOR] = "MPI_ERR_RMA_FLAVOR: wrong window flavor",
	[MPI_T_ERR_MEMORY] = "MPI_T_ERR_MEMORY: out of memory",
	[MPI_T_ERR_NOT_INITIALIZED] = "MPI_T_ERR_NOT_INITIALIZED: the tool interface is not initialized",
	[MPI_T_ERR_CANNOT_INIT] = "MPI_T_ERR_CANNOT_INIT: the tool interface cannot be initialized",
	[MPI_T_ERR_INVALID_INDEX] = "MPI_T_ERR_INVALID_INDEX: no variable or category of that index",
	[MPI_T_ERR_INVALID_ITEM] = "MPI_T_ERR_INVALID_ITEM: no enumeration item of that index",
	[MPI_T_ERR_INVALID_HANDLE] = "MPI_T_ERR_INVALID_HANDLE: invalid tool handle",
	[MPI_T_ERR_OUT_OF_HANDLES] = "MPI_T_ERR_OUT_OF_HANDLES: no more handles",
	[MPI_T_ERR_OUT_OF_SESSIONS] = "MPI_T_ERR_OUT_OF_SESSIONS: no more sessions",
	[MPI_T_ERR_INVALID_SESSION] = "MPI_T_ERR_INVALID_SESSION: invalid session",
	[MPI_T_ERR_CVAR_SET_NOT_NOW] = "MPI_T_ERR_CVAR_SET_NOT_NOW: variable cannot be set now",
	[MPI_T_ERR_CVAR_SET_NEVER] = "MPI_T_ERR_CVAR_SET_NEVER: variable cannot be set",
	[MPI_T_ERR_PVAR_NO_STARTSTOP] = "MPI_T_ERR_PVAR_NO_STARTSTOP: variable cannot be started or stopped",
	[MPI_T_ERR_PVAR_NO_WRITE] = "MPI_T_ERR_PVAR_NO_WRITE: variable cannot be written",
	[MPI_T_ERR_PVAR_NO_ATOMIC] = "MPI_T_ERR_PVAR_NO_ATOMIC: variable cannot be read and reset at once",
	[MPI_T_ERR_INVALID_NAME] = "MPI_T_ERR_INVALID_NAME: no variable or category of that name",
	[MPI_T_ERR_INVALID] = "MPI_T_ERR_INVALID: invalid use of the tool interface",
	[MPI_ERR_LASTCODE] = "MPI_ERR_LASTCODE: last error code",
};

/* User-added classes and codes: values above MPI_ERR_LASTCODE. */
struct dyncode {
	int cls;
	char *str;
};
static struct dyncode *dyn;
static int ndyn, dyncap;
int mpii_lastusedcode = MPI_ERR_LASTCODE;

int mpii_err_class(int code)
{
	if (code >= 0 && code <= MPI_ERR_LASTCODE)
		return code;
	if (code > MPI_ERR_LASTCODE && code <= MPI_ERR_LASTCODE + ndyn)
		return dyn[code - MPI_ERR_LASTCODE - 1].cls;
	return -1;
}

int mpii_err_from_errno(int neg_errno)
{
	switch (neg_errno) {
	case 0:
		return MPI_SUCCESS;
	case -ENOMEM:
		return MPI_ERR_NO_MEM;
	case -EINVAL:
		return MPI_ERR_ARG;
	case -EPROTO:
		return MPI_ERR_INTERN;
	default:
		return MPI_ERR_OTHER;
	}
}

static const char *code_string(int code)
{
	int cls = mpii_err_class(code);

	if (cls < 0)
		return NULL;
	if (code > MPI_ERR_LASTCODE) {
		const char *s = dyn[code - MPI_ERR_LASTCODE - 1].str;

		return s ? s : "";
	}
	return class_names[code];
}

__attribute__((noreturn)) void mpii_abort_job(int code);

void mpii_fatal(int code, const char *msg)
{
	fprintf(stderr, "MPI error: %s (rank %d)\n", msg, mpii_world_rank());
	fflush(stderr);
	mpii_abort_job(code > 0 && code < 256 ? code : 1);
}

int mpii_raise_errh(struct mpii_errh *e, int handle, int code, const char *fn)
{
	char msg[MPI_MAX_ERROR_STRING + 64];
	const char *s;

	if (code == MPI_SUCCESS)
		return code;
	if (!e || e->handle == MPI_ERRORS_ARE_FATAL) {
		s = code_string(code);
		snprintf(msg, sizeof(msg), "%s in %s", s ? s : "invalid error code", fn);
		mpii_fatal(mpii_err_class(code) > 0 ? mpii_err_class(code) : code, msg);
	}
	if (e->handle == MPI_ERRORS_RETURN || !e->fn)
		return code;
	/* comm, window and file handlers take (handle *, int *, ...) alike */
	e->fn(&handle, &code, fn);
	return code;
}

int mpii_raise(struct mpii_comm *c, int code, const char *fn)
{
	if (!c)
		c = mpii_comm_world;
	return mpii_raise_errh(c ? c->errh : NULL, c ? c->handle : MPI_COMM_NULL, code, fn);
}

int mpii_not_running(const char *fn)
{
	char msg[128];

	snprintf(msg, sizeof(msg), "MPI_ERR_OTHER: %s called %s", fn,
		 mpii_state == 0 ? "before MPI_Init" : "after MPI_Finalize");
	mpii_fatal(MPI_ERR_OTHER, msg);
}

int PMPI_Error_string(int errorcode, char *string, int *resultlen)
{
	const char *s = code_string(errorcode);

	if (!string || !resultlen)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Error_string");
	if (!s)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Error_string");
	mpii_strlcpy(string, s, MPI_MAX_ERROR_STRING);
	*resultlen = (int)strlen(string);
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Error_string)

int PMPI_Error_class(int errorcode, int *errorclass)
{
	int cls = mpii_err_class(errorcode);

	if (cls < 0 || !errorclass)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Error_class");
	*errorclass = cls;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Error_class)

static int add_dyn(int cls)
{
	if (ndyn == dyncap) {
		int cap = dyncap ? 2 * dyncap : 16;
		struct dyncode *p = realloc(dyn, cap * sizeof(*p));

		if (!p)
			return -1;
		dyn = p;
		dyncap = cap;
	}
	dyn[ndyn].cls = cls;
	dyn[ndyn].str = NULL;
	ndyn++;
	mpii_lastusedcode = MPI_ERR_LASTCODE + ndyn;
	return mpii_lastusedcode;
}

int PMPI_Add_error_class(int *errorclass)
{
	int v;

	MPII_ENTER("MPI_Add_error_class");
	if (!errorclass)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Add_error_class");
	v = add_dyn(0);
	if (v < 0)
		return mpii_raise(NULL, MPI_ERR_NO_MEM, "MPI_Add_error_class");
	dyn[v - MPI_ERR_LASTCODE - 1].cls = v;
	*errorclass = v;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Add_error_class)

int PMPI_Add_error_code(int errorclass, int *errorcode)
{
	int v;

	MPII_ENTER("MPI_Add_error_code");
	/* any class: a predefined one too (MPI-3.1 8.5 allows codes in them) */
	if (!errorcode || mpii_err_class(errorclass) != errorclass)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Add_error_code");
	v = add_dyn(errorclass);
	if (v < 0)
		return mpii_raise(NULL, MPI_ERR_NO_MEM, "MPI_Add_error_code");
	*errorcode = v;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Add_error_code)

int PMPI_Add_error_string(int errorcode, const char *string)
{
	struct dyncode *d;
	char *s;

	MPII_ENTER("MPI_Add_error_string");
	if (!string || errorcode <= MPI_ERR_LASTCODE || mpii_err_class(errorcode) < 0 ||
	    strlen(string) >= MPI_MAX_ERROR_STRING)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Add_error_string");
	s = mpii_strdup(string);
	if (!s)
		return mpii_raise(NULL, MPI_ERR_NO_MEM, "MPI_Add_error_string");
	d = &dyn[errorcode - MPI_ERR_LASTCODE - 1];
	free(d->str);
	d->str = s;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Add_error_string)
