/* SPDX-License-Identifier: MIT */
/*
 * mpi.h: the MPI-3.1 C interface of tessera's MPI shim (lib/mpi). Programs written for MPICH
 * or Open MPI include it unchanged. Not a Fortran or C++ binding.
 *
 * Contract:
 *  - Handles are ints (as in MPICH): the kind of object sits in the high bits, so a handle of
 *    the wrong kind or a stale one is reported as MPI_ERR_COMM, MPI_ERR_TYPE, ... rather than
 *    followed. Predefined handles are compile-time constants (usable in static initialisers
 *    and switch statements); MPI_*_c2f/f2c are the identity.
 *  - Every function has a PMPI_ twin (profiling interface); the MPI_ names are weak aliases.
 *  - One thread per tile: every thread level is granted, there is no concurrency to guard.
 *  - Dynamic processes link and return MPI_ERR_UNSUPPORTED_OPERATION; docs/mpi.md lists
 *    what is implemented (one-sided communication: docs/rma.md, MPI-IO: docs/mpi-io.md).
 */
#ifndef TESSERA_MPI_H
#define TESSERA_MPI_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MPI_VERSION 3
#define MPI_SUBVERSION 1
#define TESSERA_MPI 1

/* ---- Types ---- */
typedef ptrdiff_t MPI_Aint;
typedef long long MPI_Offset;
typedef long long MPI_Count;
typedef int MPI_Fint;

typedef int MPI_Comm;
typedef int MPI_Group;
typedef int MPI_Datatype;
typedef int MPI_Op;
typedef int MPI_Request;
typedef int MPI_Errhandler;
typedef int MPI_Info;
typedef int MPI_Message;
typedef int MPI_Win;
typedef int MPI_File;

typedef struct MPI_Status {
	int MPI_SOURCE;
	int MPI_TAG;
	int MPI_ERROR;
	int mpii_cancelled;	/* private */
	MPI_Count mpii_count;	/* private: bytes received */
} MPI_Status;

/* Handle layout: kind << 24 | index; index 0 is the null handle of each kind. */
#define MPII_H(kind, index) ((int)(((kind) << 24) | (index)))

/* ---- Null and predefined handles ---- */
#define MPI_COMM_NULL		MPII_H(1, 0)
#define MPI_COMM_WORLD		MPII_H(1, 1)
#define MPI_COMM_SELF		MPII_H(1, 2)
#define MPI_GROUP_NULL		MPII_H(2, 0)
#define MPI_GROUP_EMPTY		MPII_H(2, 1)
#define MPI_DATATYPE_NULL	MPII_H(3, 0)
#define MPI_OP_NULL		MPII_H(4, 0)
#define MPI_REQUEST_NULL	MPII_H(5, 0)
#define MPI_ERRHANDLER_NULL	MPII_H(6, 0)
#define MPI_ERRORS_ARE_FATAL	MPII_H(6, 1)
#define MPI_ERRORS_RETURN	MPII_H(6, 2)
#define MPI_INFO_NULL		MPII_H(7, 0)
#define MPI_INFO_ENV		MPII_H(7, 1)
#define MPI_MESSAGE_NULL	MPII_H(8, 0)
#define MPI_MESSAGE_NO_PROC	MPII_H(8, 1)
#define MPI_WIN_NULL		MPII_H(9, 0)
#define MPI_FILE_NULL		MPII_H(10, 0)

/* Predefined datatypes (index order is lib/mpi/dtype_basic.c's table). */
#define MPI_CHAR		MPII_H(3, 1)
#define MPI_SIGNED_CHAR		MPII_H(3, 2)
#define MPI_UNSIGNED_CHAR	MPII_H(3, 3)
#define MPI_BYTE		MPII_H(3, 4)
#define MPI_WCHAR		MPII_H(3, 5)
#define MPI_SHORT		MPII_H(3, 6)
#define MPI_UNSIGNED_SHORT	MPII_H(3, 7)
#define MPI_INT			MPII_H(3, 8)
#define MPI_UNSIGNED		MPII_H(3, 9)
#define MPI_LONG		MPII_H(3, 10)
#define MPI_UNSIGNED_LONG	MPII_H(3, 11)
#define MPI_LONG_LONG_INT	MPII_H(3, 12)
#define MPI_LONG_LONG		MPI_LONG_LONG_INT
#define MPI_UNSIGNED_LONG_LONG	MPII_H(3, 13)
#define MPI_FLOAT		MPII_H(3, 14)
#define MPI_DOUBLE		MPII_H(3, 15)
#define MPI_LONG_DOUBLE		MPII_H(3, 16)
#define MPI_C_BOOL		MPII_H(3, 17)
#define MPI_INT8_T		MPII_H(3, 18)
#define MPI_INT16_T		MPII_H(3, 19)
#define MPI_INT32_T		MPII_H(3, 20)
#define MPI_INT64_T		MPII_H(3, 21)
#define MPI_UINT8_T		MPII_H(3, 22)
#define MPI_UINT16_T		MPII_H(3, 23)
#define MPI_UINT32_T		MPII_H(3, 24)
#define MPI_UINT64_T		MPII_H(3, 25)
#define MPI_AINT		MPII_H(3, 26)
#define MPI_OFFSET		MPII_H(3, 27)
#define MPI_COUNT		MPII_H(3, 28)
#define MPI_C_FLOAT_COMPLEX	MPII_H(3, 29)
#define MPI_C_COMPLEX		MPI_C_FLOAT_COMPLEX
#define MPI_C_DOUBLE_COMPLEX	MPII_H(3, 30)
#define MPI_C_LONG_DOUBLE_COMPLEX MPII_H(3, 31)
#define MPI_PACKED		MPII_H(3, 32)
#define MPI_FLOAT_INT		MPII_H(3, 33)
#define MPI_DOUBLE_INT		MPII_H(3, 34)
#define MPI_LONG_INT		MPII_H(3, 35)
#define MPI_2INT		MPII_H(3, 36)
#define MPI_SHORT_INT		MPII_H(3, 37)
#define MPI_LONG_DOUBLE_INT	MPII_H(3, 38)
#define MPI_CXX_BOOL		MPII_H(3, 39)
#define MPI_CXX_FLOAT_COMPLEX	MPII_H(3, 40)
#define MPI_CXX_DOUBLE_COMPLEX	MPII_H(3, 41)
#define MPI_CXX_LONG_DOUBLE_COMPLEX MPII_H(3, 42)
/* Fortran types, usable from C for their sizes (no Fortran binding is provided). */
#define MPI_CHARACTER		MPII_H(3, 43)
#define MPI_LOGICAL		MPII_H(3, 44)
#define MPI_INTEGER		MPII_H(3, 45)
#define MPI_REAL		MPII_H(3, 46)
#define MPI_DOUBLE_PRECISION	MPII_H(3, 47)
#define MPI_COMPLEX		MPII_H(3, 48)
#define MPI_DOUBLE_COMPLEX	MPII_H(3, 49)
#define MPI_2INTEGER		MPII_H(3, 50)
#define MPI_2REAL		MPII_H(3, 51)
#define MPI_2DOUBLE_PRECISION	MPII_H(3, 52)
#define MPI_INTEGER1		MPII_H(3, 53)
#define MPI_INTEGER2		MPII_H(3, 54)
#define MPI_INTEGER4		MPII_H(3, 55)
#define MPI_INTEGER8		MPII_H(3, 56)
#define MPI_REAL4		MPII_H(3, 57)
#define MPI_REAL8		MPII_H(3, 58)
#define MPI_COMPLEX8		MPII_H(3, 59)
#define MPI_COMPLEX16		MPII_H(3, 60)
#define MPII_NUM_BASIC		60
/* Optional Fortran types (MPI-3.1 3.2.2, 17.2.5) without a C type of their size on every
 * tile arch: MPI_DATATYPE_NULL, as MPICH defines the ones its compilers lack. */
#define MPI_REAL2		MPI_DATATYPE_NULL
#define MPI_REAL16		MPI_DATATYPE_NULL
#define MPI_COMPLEX4		MPI_DATATYPE_NULL
#define MPI_COMPLEX32		MPI_DATATYPE_NULL
#define MPI_INTEGER16		MPI_DATATYPE_NULL

/* Predefined reduction operations. */
#define MPI_MAX			MPII_H(4, 1)
#define MPI_MIN			MPII_H(4, 2)
#define MPI_SUM			MPII_H(4, 3)
#define MPI_PROD		MPII_H(4, 4)
#define MPI_LAND		MPII_H(4, 5)
#define MPI_BAND		MPII_H(4, 6)
#define MPI_LOR			MPII_H(4, 7)
#define MPI_BOR			MPII_H(4, 8)
#define MPI_LXOR		MPII_H(4, 9)
#define MPI_BXOR		MPII_H(4, 10)
#define MPI_MINLOC		MPII_H(4, 11)
#define MPI_MAXLOC		MPII_H(4, 12)
#define MPI_REPLACE		MPII_H(4, 13)
#define MPI_NO_OP		MPII_H(4, 14)
#define MPII_NUM_OPS		14

/* ---- Constants ---- */
#define MPI_ANY_SOURCE		(-1)
#define MPI_PROC_NULL		(-2)
#define MPI_ROOT		(-3)
#define MPI_ANY_TAG		(-1)
#define MPI_UNDEFINED		(-32766)
#define MPI_KEYVAL_INVALID	(-1)
#define MPI_BSEND_OVERHEAD	64
#define MPI_MAX_PROCESSOR_NAME	256
#define MPI_MAX_ERROR_STRING	256
#define MPI_MAX_OBJECT_NAME	64
#define MPI_MAX_INFO_KEY	255
#define MPI_MAX_INFO_VAL	1024
#define MPI_MAX_LIBRARY_VERSION_STRING 256
#define MPI_MAX_PORT_NAME	1024
#define MPI_MAX_DATAREP_STRING	128

#define MPI_BOTTOM		((void *)0)
#define MPI_IN_PLACE		((void *)-1)
#define MPI_STATUS_IGNORE	((MPI_Status *)0)
#define MPI_STATUSES_IGNORE	((MPI_Status *)0)
#define MPI_ERRCODES_IGNORE	((int *)0)
#define MPI_ARGV_NULL		((char **)0)
#define MPI_ARGVS_NULL		((char ***)0)
extern int MPI_UNWEIGHTED_VALUE[1], MPI_WEIGHTS_EMPTY_VALUE[1];
#define MPI_UNWEIGHTED		((int *)MPI_UNWEIGHTED_VALUE)
#define MPI_WEIGHTS_EMPTY	((int *)MPI_WEIGHTS_EMPTY_VALUE)

/* Results of comparisons. */
#define MPI_IDENT		0
#define MPI_CONGRUENT		1
#define MPI_SIMILAR		2
#define MPI_UNEQUAL		3

/* Topologies. */
#define MPI_GRAPH		1
#define MPI_CART		2
#define MPI_DIST_GRAPH		3

/* Thread levels. */
#define MPI_THREAD_SINGLE	0
#define MPI_THREAD_FUNNELED	1
#define MPI_THREAD_SERIALIZED	2
#define MPI_THREAD_MULTIPLE	3

/* Communicator split types. */
#define MPI_COMM_TYPE_SHARED	1

/* Datatype decoding. */
#define MPI_COMBINER_NAMED		1
#define MPI_COMBINER_DUP		2
#define MPI_COMBINER_CONTIGUOUS		3
#define MPI_COMBINER_VECTOR		4
#define MPI_COMBINER_HVECTOR_INTEGER	5
#define MPI_COMBINER_HVECTOR		6
#define MPI_COMBINER_INDEXED		7
#define MPI_COMBINER_HINDEXED_INTEGER	8
#define MPI_COMBINER_HINDEXED		9
#define MPI_COMBINER_INDEXED_BLOCK	10
#define MPI_COMBINER_HINDEXED_BLOCK	11
#define MPI_COMBINER_STRUCT_INTEGER	12
#define MPI_COMBINER_STRUCT		13
#define MPI_COMBINER_SUBARRAY		14
#define MPI_COMBINER_DARRAY		15
#define MPI_COMBINER_F90_REAL		16
#define MPI_COMBINER_F90_COMPLEX	17
#define MPI_COMBINER_F90_INTEGER	18
#define MPI_COMBINER_RESIZED		19

#define MPI_ORDER_C		56
#define MPI_ORDER_FORTRAN	57
#define MPI_DISTRIBUTE_BLOCK	121
#define MPI_DISTRIBUTE_CYCLIC	122
#define MPI_DISTRIBUTE_NONE	123
#define MPI_DISTRIBUTE_DFLT_DARG (-49767)

#define MPI_TYPECLASS_INTEGER	1
#define MPI_TYPECLASS_REAL	2
#define MPI_TYPECLASS_COMPLEX	3

/* Predefined attribute keys. */
#define MPI_TAG_UB		1
#define MPI_HOST		2
#define MPI_IO			3
#define MPI_WTIME_IS_GLOBAL	4
#define MPI_UNIVERSE_SIZE	5
#define MPI_APPNUM		6
#define MPI_LASTUSEDCODE	7
#define MPI_WIN_BASE		8
#define MPI_WIN_SIZE		9
#define MPI_WIN_DISP_UNIT	10
#define MPI_WIN_CREATE_FLAVOR	11
#define MPI_WIN_MODEL		12

/* One-sided and I/O constants. */
#define MPI_MODE_NOCHECK	1024
#define MPI_MODE_NOSTORE	2048
#define MPI_MODE_NOPUT		4096
#define MPI_MODE_NOPRECEDE	8192
#define MPI_MODE_NOSUCCEED	16384
#define MPI_LOCK_EXCLUSIVE	234
#define MPI_LOCK_SHARED		235
#define MPI_WIN_FLAVOR_CREATE	1
#define MPI_WIN_FLAVOR_ALLOCATE	2
#define MPI_WIN_FLAVOR_DYNAMIC	3
#define MPI_WIN_FLAVOR_SHARED	4
#define MPI_WIN_SEPARATE	1
#define MPI_WIN_UNIFIED		2
#define MPI_MODE_RDONLY		2
#define MPI_MODE_RDWR		8
#define MPI_MODE_WRONLY		4
#define MPI_MODE_CREATE		1
#define MPI_MODE_EXCL		64
#define MPI_MODE_DELETE_ON_CLOSE 16
#define MPI_MODE_UNIQUE_OPEN	32
#define MPI_MODE_APPEND		128
#define MPI_MODE_SEQUENTIAL	256
#define MPI_SEEK_SET		600
#define MPI_SEEK_CUR		602
#define MPI_SEEK_END		604
#define MPI_DISPLACEMENT_CURRENT (-54278278)

/* ---- Error classes (error codes of the library equal their class) ---- */
#define MPI_SUCCESS			0
#define MPI_ERR_BUFFER			1
#define MPI_ERR_COUNT			2
#define MPI_ERR_TYPE			3
#define MPI_ERR_TAG			4
#define MPI_ERR_COMM			5
#define MPI_ERR_RANK			6
#define MPI_ERR_REQUEST			7
#define MPI_ERR_ROOT			8
#define MPI_ERR_GROUP			9
#define MPI_ERR_OP			10
#define MPI_ERR_TOPOLOGY		11
#define MPI_ERR_DIMS			12
#define MPI_ERR_ARG			13
#define MPI_ERR_UNKNOWN			14
#define MPI_ERR_TRUNCATE		15
#define MPI_ERR_OTHER			16
#define MPI_ERR_INTERN			17
#define MPI_ERR_IN_STATUS		18
#define MPI_ERR_PENDING			19
#define MPI_ERR_KEYVAL			20
#define MPI_ERR_NO_MEM			21
#define MPI_ERR_BASE			22
#define MPI_ERR_INFO_KEY		23
#define MPI_ERR_INFO_VALUE		24
#define MPI_ERR_INFO_NOKEY		25
#define MPI_ERR_SPAWN			26
#define MPI_ERR_PORT			27
#define MPI_ERR_SERVICE			28
#define MPI_ERR_NAME			29
#define MPI_ERR_WIN			30
#define MPI_ERR_SIZE			31
#define MPI_ERR_DISP			32
#define MPI_ERR_INFO			33
#define MPI_ERR_LOCKTYPE		34
#define MPI_ERR_ASSERT			35
#define MPI_ERR_RMA_CONFLICT		36
#define MPI_ERR_RMA_SYNC		37
#define MPI_ERR_FILE			38
#define MPI_ERR_NOT_SAME		39
#define MPI_ERR_AMODE			40
#define MPI_ERR_UNSUPPORTED_DATAREP	41
#define MPI_ERR_UNSUPPORTED_OPERATION	42
#define MPI_ERR_NO_SUCH_FILE		43
#define MPI_ERR_FILE_EXISTS		44
#define MPI_ERR_BAD_FILE		45
#define MPI_ERR_ACCESS			46
#define MPI_ERR_NO_SPACE		47
#define MPI_ERR_QUOTA			48
#define MPI_ERR_READ_ONLY		49
#define MPI_ERR_FILE_IN_USE		50
#define MPI_ERR_DUP_DATAREP		51
#define MPI_ERR_CONVERSION		52
#define MPI_ERR_IO			53
#define MPI_ERR_RMA_RANGE		54
#define MPI_ERR_RMA_ATTACH		55
#define MPI_ERR_RMA_SHARED		56
#define MPI_ERR_RMA_FLAVOR		57
/* classes of the tool information interface (MPI-3.1 14.3.9) */
#define MPI_T_ERR_MEMORY		58
#define MPI_T_ERR_NOT_INITIALIZED	59
#define MPI_T_ERR_CANNOT_INIT		60
#define MPI_T_ERR_INVALID_INDEX		61
#define MPI_T_ERR_INVALID_ITEM		62
#define MPI_T_ERR_INVALID_HANDLE	63
#define MPI_T_ERR_OUT_OF_HANDLES	64
#define MPI_T_ERR_OUT_OF_SESSIONS	65
#define MPI_T_ERR_INVALID_SESSION	66
#define MPI_T_ERR_CVAR_SET_NOT_NOW	67
#define MPI_T_ERR_CVAR_SET_NEVER	68
#define MPI_T_ERR_PVAR_NO_STARTSTOP	69
#define MPI_T_ERR_PVAR_NO_WRITE		70
#define MPI_T_ERR_PVAR_NO_ATOMIC	71
#define MPI_T_ERR_INVALID_NAME		72
#define MPI_T_ERR_INVALID		73
#define MPI_ERR_LASTCODE		74

/*
 * ---- The tool information interface (MPI-3.1 chapter 14) ----
 * Present, with no control or performance variables, categories or enumerations yet: a tool
 * initialises it, finds nothing to read and finalises it. Handles are ints.
 */
typedef int MPI_T_enum;
typedef int MPI_T_cvar_handle;
typedef int MPI_T_pvar_handle;
typedef int MPI_T_pvar_session;
#define MPI_T_ENUM_NULL			0
#define MPI_T_CVAR_HANDLE_NULL		0
#define MPI_T_PVAR_HANDLE_NULL		0
#define MPI_T_PVAR_SESSION_NULL		0
#define MPI_T_PVAR_ALL_HANDLES		(-1)
enum {
	MPI_T_VERBOSITY_USER_BASIC = 1, MPI_T_VERBOSITY_USER_DETAIL, MPI_T_VERBOSITY_USER_ALL,
	MPI_T_VERBOSITY_TUNER_BASIC, MPI_T_VERBOSITY_TUNER_DETAIL, MPI_T_VERBOSITY_TUNER_ALL,
	MPI_T_VERBOSITY_MPIDEV_BASIC, MPI_T_VERBOSITY_MPIDEV_DETAIL, MPI_T_VERBOSITY_MPIDEV_ALL
};
enum {
	MPI_T_BIND_NO_OBJECT = 0, MPI_T_BIND_MPI_COMM, MPI_T_BIND_MPI_DATATYPE,
	MPI_T_BIND_MPI_ERRHANDLER, MPI_T_BIND_MPI_FILE, MPI_T_BIND_MPI_GROUP, MPI_T_BIND_MPI_OP,
	MPI_T_BIND_MPI_REQUEST, MPI_T_BIND_MPI_WIN, MPI_T_BIND_MPI_MESSAGE, MPI_T_BIND_MPI_INFO
};
enum {
	MPI_T_SCOPE_CONSTANT = 0, MPI_T_SCOPE_READONLY, MPI_T_SCOPE_LOCAL, MPI_T_SCOPE_GROUP,
	MPI_T_SCOPE_GROUP_EQ, MPI_T_SCOPE_ALL, MPI_T_SCOPE_ALL_EQ
};
enum {
	MPI_T_PVAR_CLASS_STATE = 0, MPI_T_PVAR_CLASS_LEVEL, MPI_T_PVAR_CLASS_SIZE,
	MPI_T_PVAR_CLASS_PERCENTAGE, MPI_T_PVAR_CLASS_HIGHWATERMARK,
	MPI_T_PVAR_CLASS_LOWWATERMARK, MPI_T_PVAR_CLASS_COUNTER, MPI_T_PVAR_CLASS_AGGREGATE,
	MPI_T_PVAR_CLASS_TIMER, MPI_T_PVAR_CLASS_GENERIC
};

/* ---- Callback types ---- */
typedef void MPI_User_function(void *invec, void *inoutvec, int *len, MPI_Datatype *datatype);
typedef int MPI_Comm_copy_attr_function(MPI_Comm oldcomm, int comm_keyval, void *extra_state,
					void *attribute_val_in, void *attribute_val_out, int *flag);
typedef int MPI_Comm_delete_attr_function(MPI_Comm comm, int comm_keyval, void *attribute_val,
					  void *extra_state);
typedef int MPI_Type_copy_attr_function(MPI_Datatype oldtype, int type_keyval, void *extra_state,
					void *attribute_val_in, void *attribute_val_out, int *flag);
typedef int MPI_Type_delete_attr_function(MPI_Datatype datatype, int type_keyval,
					  void *attribute_val, void *extra_state);
typedef int MPI_Win_copy_attr_function(MPI_Win oldwin, int win_keyval, void *extra_state,
				       void *attribute_val_in, void *attribute_val_out, int *flag);
typedef int MPI_Win_delete_attr_function(MPI_Win win, int win_keyval, void *attribute_val,
					 void *extra_state);
typedef int MPI_Copy_function(MPI_Comm oldcomm, int keyval, void *extra_state,
			      void *attribute_val_in, void *attribute_val_out, int *flag);
typedef int MPI_Delete_function(MPI_Comm comm, int keyval, void *attribute_val, void *extra_state);
typedef void MPI_Comm_errhandler_function(MPI_Comm *comm, int *error_code, ...);
typedef MPI_Comm_errhandler_function MPI_Comm_errhandler_fn;
typedef void MPI_Handler_function(MPI_Comm *comm, int *error_code, ...);
typedef void MPI_Win_errhandler_function(MPI_Win *win, int *error_code, ...);
typedef MPI_Win_errhandler_function MPI_Win_errhandler_fn;
typedef void MPI_File_errhandler_function(MPI_File *file, int *error_code, ...);
typedef MPI_File_errhandler_function MPI_File_errhandler_fn;
typedef int MPI_Grequest_query_function(void *extra_state, MPI_Status *status);
typedef int MPI_Grequest_free_function(void *extra_state);
typedef int MPI_Grequest_cancel_function(void *extra_state, int complete);
typedef int MPI_Datarep_extent_function(MPI_Datatype datatype, MPI_Aint *file_extent,
					void *extra_state);
typedef int MPI_Datarep_conversion_function(void *userbuf, MPI_Datatype datatype, int count,
					    void *filebuf, MPI_Offset position, void *extra_state);

/* Predefined attribute callbacks (functions of the library). */
int MPI_COMM_NULL_COPY_FN(MPI_Comm, int, void *, void *, void *, int *);
int MPI_COMM_NULL_DELETE_FN(MPI_Comm, int, void *, void *);
int MPI_COMM_DUP_FN(MPI_Comm, int, void *, void *, void *, int *);
int MPI_TYPE_NULL_COPY_FN(MPI_Datatype, int, void *, void *, void *, int *);
int MPI_TYPE_NULL_DELETE_FN(MPI_Datatype, int, void *, void *);
int MPI_TYPE_DUP_FN(MPI_Datatype, int, void *, void *, void *, int *);
int MPI_WIN_NULL_COPY_FN(MPI_Win, int, void *, void *, void *, int *);
int MPI_WIN_NULL_DELETE_FN(MPI_Win, int, void *, void *);
int MPI_WIN_DUP_FN(MPI_Win, int, void *, void *, void *, int *);
int MPI_NULL_COPY_FN(MPI_Comm, int, void *, void *, void *, int *);
int MPI_NULL_DELETE_FN(MPI_Comm, int, void *, void *);
int MPI_DUP_FN(MPI_Comm, int, void *, void *, void *, int *);
int MPI_CONVERSION_FN_NULL(void *, MPI_Datatype, int, void *, MPI_Offset, void *);

/* ---- Functions: every one declared as MPI_x and PMPI_x ---- */
#define MPII_FN(ret, name, params) ret MPI_##name params; ret P##MPI_##name params;

/* Environment */
MPII_FN(int, Init, (int *argc, char ***argv))
MPII_FN(int, Init_thread, (int *argc, char ***argv, int required, int *provided))
MPII_FN(int, Finalize, (void))
MPII_FN(int, Initialized, (int *flag))
MPII_FN(int, Finalized, (int *flag))
MPII_FN(int, Abort, (MPI_Comm comm, int errorcode))
MPII_FN(double, Wtime, (void))
MPII_FN(double, Wtick, (void))
MPII_FN(int, Get_processor_name, (char *name, int *resultlen))
MPII_FN(int, Get_version, (int *version, int *subversion))
MPII_FN(int, Get_library_version, (char *version, int *resultlen))
MPII_FN(int, Query_thread, (int *provided))
MPII_FN(int, Is_thread_main, (int *flag))
MPII_FN(int, Get_address, (const void *location, MPI_Aint *address))
MPII_FN(MPI_Aint, Aint_add, (MPI_Aint base, MPI_Aint disp))
MPII_FN(MPI_Aint, Aint_diff, (MPI_Aint addr1, MPI_Aint addr2))
MPII_FN(int, Alloc_mem, (MPI_Aint size, MPI_Info info, void *baseptr))
MPII_FN(int, Free_mem, (void *base))
MPII_FN(int, Pcontrol, (const int level, ...))

/* Point to point */
MPII_FN(int, Send, (const void *buf, int count, MPI_Datatype datatype, int dest, int tag,
		    MPI_Comm comm))
MPII_FN(int, Ssend, (const void *buf, int count, MPI_Datatype datatype, int dest, int tag,
		     MPI_Comm comm))
MPII_FN(int, Bsend, (const void *buf, int count, MPI_Datatype datatype, int dest, int tag,
		     MPI_Comm comm))
MPII_FN(int, Rsend, (const void *buf, int count, MPI_Datatype datatype, int dest, int tag,
		     MPI_Comm comm))
MPII_FN(int, Recv, (void *buf, int count, MPI_Datatype datatype, int source, int tag,
		    MPI_Comm comm, MPI_Status *status))
MPII_FN(int, Isend, (const void *buf, int count, MPI_Datatype datatype, int dest, int tag,
		     MPI_Comm comm, MPI_Request *request))
MPII_FN(int, Issend, (const void *buf, int count, MPI_Datatype datatype, int dest, int tag,
		      MPI_Comm comm, MPI_Request *request))
MPII_FN(int, Ibsend, (const void *buf, int count, MPI_Datatype datatype, int dest, int tag,
		      MPI_Comm comm, MPI_Request *request))
MPII_FN(int, Irsend, (const void *buf, int count, MPI_Datatype datatype, int dest, int tag,
		      MPI_Comm comm, MPI_Request *request))
MPII_FN(int, Irecv, (void *buf, int count, MPI_Datatype datatype, int source, int tag,
		     MPI_Comm comm, MPI_Request *request))
MPII_FN(int, Send_init, (const void *buf, int count, MPI_Datatype datatype, int dest, int tag,
			 MPI_Comm comm, MPI_Request *request))
MPII_FN(int, Ssend_init, (const void *buf, int count, MPI_Datatype datatype, int dest, int tag,
			  MPI_Comm comm, MPI_Request *request))
MPII_FN(int, Bsend_init, (const void *buf, int count, MPI_Datatype datatype, int dest, int tag,
			  MPI_Comm comm, MPI_Request *request))
MPII_FN(int, Rsend_init, (const void *buf, int count, MPI_Datatype datatype, int dest, int tag,
			  MPI_Comm comm, MPI_Request *request))
MPII_FN(int, Recv_init, (void *buf, int count, MPI_Datatype datatype, int source, int tag,
			 MPI_Comm comm, MPI_Request *request))
MPII_FN(int, Start, (MPI_Request *request))
MPII_FN(int, Startall, (int count, MPI_Request array_of_requests[]))
MPII_FN(int, Sendrecv, (const void *sendbuf, int sendcount, MPI_Datatype sendtype, int dest,
			int sendtag, void *recvbuf, int recvcount, MPI_Datatype recvtype,
			int source, int recvtag, MPI_Comm comm, MPI_Status *status))
MPII_FN(int, Sendrecv_replace, (void *buf, int count, MPI_Datatype datatype, int dest,
				int sendtag, int source, int recvtag, MPI_Comm comm,
				MPI_Status *status))
MPII_FN(int, Buffer_attach, (void *buffer, int size))
MPII_FN(int, Buffer_detach, (void *buffer_addr, int *size))
MPII_FN(int, Wait, (MPI_Request *request, MPI_Status *status))
MPII_FN(int, Waitall, (int count, MPI_Request array_of_requests[],
		       MPI_Status array_of_statuses[]))
MPII_FN(int, Waitany, (int count, MPI_Request array_of_requests[], int *index,
		       MPI_Status *status))
MPII_FN(int, Waitsome, (int incount, MPI_Request array_of_requests[], int *outcount,
			int array_of_indices[], MPI_Status array_of_statuses[]))
MPII_FN(int, Test, (MPI_Request *request, int *flag, MPI_Status *status))
MPII_FN(int, Testall, (int count, MPI_Request array_of_requests[], int *flag,
		       MPI_Status array_of_statuses[]))
MPII_FN(int, Testany, (int count, MPI_Request array_of_requests[], int *index, int *flag,
		       MPI_Status *status))
MPII_FN(int, Testsome, (int incount, MPI_Request array_of_requests[], int *outcount,
			int array_of_indices[], MPI_Status array_of_statuses[]))
MPII_FN(int, Request_free, (MPI_Request *request))
MPII_FN(int, Request_get_status, (MPI_Request request, int *flag, MPI_Status *status))
MPII_FN(int, Cancel, (MPI_Request *request))
MPII_FN(int, Test_cancelled, (const MPI_Status *status, int *flag))
MPII_FN(int, Probe, (int source, int tag, MPI_Comm comm, MPI_Status *status))
MPII_FN(int, Iprobe, (int source, int tag, MPI_Comm comm, int *flag, MPI_Status *status))
MPII_FN(int, Mprobe, (int source, int tag, MPI_Comm comm, MPI_Message *message,
		      MPI_Status *status))
MPII_FN(int, Improbe, (int source, int tag, MPI_Comm comm, int *flag, MPI_Message *message,
		       MPI_Status *status))
MPII_FN(int, Mrecv, (void *buf, int count, MPI_Datatype datatype, MPI_Message *message,
		     MPI_Status *status))
MPII_FN(int, Imrecv, (void *buf, int count, MPI_Datatype datatype, MPI_Message *message,
		      MPI_Request *request))
MPII_FN(int, Get_count, (const MPI_Status *status, MPI_Datatype datatype, int *count))
MPII_FN(int, Get_elements, (const MPI_Status *status, MPI_Datatype datatype, int *count))
MPII_FN(int, Get_elements_x, (const MPI_Status *status, MPI_Datatype datatype,
			      MPI_Count *count))
MPII_FN(int, Status_set_elements, (MPI_Status *status, MPI_Datatype datatype, int count))
MPII_FN(int, Status_set_elements_x, (MPI_Status *status, MPI_Datatype datatype,
				     MPI_Count count))
MPII_FN(int, Status_set_cancelled, (MPI_Status *status, int flag))
MPII_FN(int, Grequest_start, (MPI_Grequest_query_function *query_fn,
			      MPI_Grequest_free_function *free_fn,
			      MPI_Grequest_cancel_function *cancel_fn, void *extra_state,
			      MPI_Request *request))
MPII_FN(int, Grequest_complete, (MPI_Request request))

/* Collectives */
MPII_FN(int, Barrier, (MPI_Comm comm))
MPII_FN(int, Ibarrier, (MPI_Comm comm, MPI_Request *request))
MPII_FN(int, Bcast, (void *buffer, int count, MPI_Datatype datatype, int root, MPI_Comm comm))
MPII_FN(int, Ibcast, (void *buffer, int count, MPI_Datatype datatype, int root, MPI_Comm comm,
		      MPI_Request *request))
MPII_FN(int, Reduce, (const void *sendbuf, void *recvbuf, int count, MPI_Datatype datatype,
		      MPI_Op op, int root, MPI_Comm comm))
MPII_FN(int, Ireduce, (const void *sendbuf, void *recvbuf, int count, MPI_Datatype datatype,
		       MPI_Op op, int root, MPI_Comm comm, MPI_Request *request))
MPII_FN(int, Allreduce, (const void *sendbuf, void *recvbuf, int count, MPI_Datatype datatype,
			 MPI_Op op, MPI_Comm comm))
MPII_FN(int, Iallreduce, (const void *sendbuf, void *recvbuf, int count,
			  MPI_Datatype datatype, MPI_Op op, MPI_Comm comm, MPI_Request *request))
MPII_FN(int, Reduce_scatter, (const void *sendbuf, void *recvbuf, const int recvcounts[],
			      MPI_Datatype datatype, MPI_Op op, MPI_Comm comm))
MPII_FN(int, Ireduce_scatter, (const void *sendbuf, void *recvbuf, const int recvcounts[],
			       MPI_Datatype datatype, MPI_Op op, MPI_Comm comm,
			       MPI_Request *request))
MPII_FN(int, Reduce_scatter_block, (const void *sendbuf, void *recvbuf, int recvcount,
				    MPI_Datatype datatype, MPI_Op op, MPI_Comm comm))
MPII_FN(int, Ireduce_scatter_block, (const void *sendbuf, void *recvbuf, int recvcount,
				     MPI_Datatype datatype, MPI_Op op, MPI_Comm comm,
				     MPI_Request *request))
MPII_FN(int, Scan, (const void *sendbuf, void *recvbuf, int count, MPI_Datatype datatype,
		    MPI_Op op, MPI_Comm comm))
MPII_FN(int, Iscan, (const void *sendbuf, void *recvbuf, int count, MPI_Datatype datatype,
		     MPI_Op op, MPI_Comm comm, MPI_Request *request))
MPII_FN(int, Exscan, (const void *sendbuf, void *recvbuf, int count, MPI_Datatype datatype,
		      MPI_Op op, MPI_Comm comm))
MPII_FN(int, Iexscan, (const void *sendbuf, void *recvbuf, int count, MPI_Datatype datatype,
		       MPI_Op op, MPI_Comm comm, MPI_Request *request))
MPII_FN(int, Gather, (const void *sendbuf, int sendcount, MPI_Datatype sendtype,
		      void *recvbuf, int recvcount, MPI_Datatype recvtype, int root,
		      MPI_Comm comm))
MPII_FN(int, Igather, (const void *sendbuf, int sendcount, MPI_Datatype sendtype,
		       void *recvbuf, int recvcount, MPI_Datatype recvtype, int root,
		       MPI_Comm comm, MPI_Request *request))
MPII_FN(int, Gatherv, (const void *sendbuf, int sendcount, MPI_Datatype sendtype,
		       void *recvbuf, const int recvcounts[], const int displs[],
		       MPI_Datatype recvtype, int root, MPI_Comm comm))
MPII_FN(int, Igatherv, (const void *sendbuf, int sendcount, MPI_Datatype sendtype,
			void *recvbuf, const int recvcounts[], const int displs[],
			MPI_Datatype recvtype, int root, MPI_Comm comm, MPI_Request *request))
MPII_FN(int, Scatter, (const void *sendbuf, int sendcount, MPI_Datatype sendtype,
		       void *recvbuf, int recvcount, MPI_Datatype recvtype, int root,
		       MPI_Comm comm))
MPII_FN(int, Iscatter, (const void *sendbuf, int sendcount, MPI_Datatype sendtype,
			void *recvbuf, int recvcount, MPI_Datatype recvtype, int root,
			MPI_Comm comm, MPI_Request *request))
MPII_FN(int, Scatterv, (const void *sendbuf, const int sendcounts[], const int displs[],
			MPI_Datatype sendtype, void *recvbuf, int recvcount,
			MPI_Datatype recvtype, int root, MPI_Comm comm))
MPII_FN(int, Iscatterv, (const void *sendbuf, const int sendcounts[], const int displs[],
			 MPI_Datatype sendtype, void *recvbuf, int recvcount,
			 MPI_Datatype recvtype, int root, MPI_Comm comm, MPI_Request *request))
MPII_FN(int, Allgather, (const void *sendbuf, int sendcount, MPI_Datatype sendtype,
			 void *recvbuf, int recvcount, MPI_Datatype recvtype, MPI_Comm comm))
MPII_FN(int, Iallgather, (const void *sendbuf, int sendcount, MPI_Datatype sendtype,
			  void *recvbuf, int recvcount, MPI_Datatype recvtype, MPI_Comm comm,
			  MPI_Request *request))
MPII_FN(int, Allgatherv, (const void *sendbuf, int sendcount, MPI_Datatype sendtype,
			  void *recvbuf, const int recvcounts[], const int displs[],
			  MPI_Datatype recvtype, MPI_Comm comm))
MPII_FN(int, Iallgatherv, (const void *sendbuf, int sendcount, MPI_Datatype sendtype,
			   void *recvbuf, const int recvcounts[], const int displs[],
			   MPI_Datatype recvtype, MPI_Comm comm, MPI_Request *request))
MPII_FN(int, Alltoall, (const void *sendbuf, int sendcount, MPI_Datatype sendtype,
			void *recvbuf, int recvcount, MPI_Datatype recvtype, MPI_Comm comm))
MPII_FN(int, Ialltoall, (const void *sendbuf, int sendcount, MPI_Datatype sendtype,
			 void *recvbuf, int recvcount, MPI_Datatype recvtype, MPI_Comm comm,
			 MPI_Request *request))
MPII_FN(int, Alltoallv, (const void *sendbuf, const int sendcounts[], const int sdispls[],
			 MPI_Datatype sendtype, void *recvbuf, const int recvcounts[],
			 const int rdispls[], MPI_Datatype recvtype, MPI_Comm comm))
MPII_FN(int, Ialltoallv, (const void *sendbuf, const int sendcounts[], const int sdispls[],
			  MPI_Datatype sendtype, void *recvbuf, const int recvcounts[],
			  const int rdispls[], MPI_Datatype recvtype, MPI_Comm comm,
			  MPI_Request *request))
MPII_FN(int, Alltoallw, (const void *sendbuf, const int sendcounts[], const int sdispls[],
			 const MPI_Datatype sendtypes[], void *recvbuf, const int recvcounts[],
			 const int rdispls[], const MPI_Datatype recvtypes[], MPI_Comm comm))
MPII_FN(int, Ialltoallw, (const void *sendbuf, const int sendcounts[], const int sdispls[],
			  const MPI_Datatype sendtypes[], void *recvbuf, const int recvcounts[],
			  const int rdispls[], const MPI_Datatype recvtypes[], MPI_Comm comm,
			  MPI_Request *request))
MPII_FN(int, Reduce_local, (const void *inbuf, void *inoutbuf, int count,
			    MPI_Datatype datatype, MPI_Op op))
MPII_FN(int, Op_create, (MPI_User_function *user_fn, int commute, MPI_Op *op))
MPII_FN(int, Op_free, (MPI_Op *op))
MPII_FN(int, Op_commutative, (MPI_Op op, int *commute))

/* Datatypes */
MPII_FN(int, Type_contiguous, (int count, MPI_Datatype oldtype, MPI_Datatype *newtype))
MPII_FN(int, Type_vector, (int count, int blocklength, int stride, MPI_Datatype oldtype,
			   MPI_Datatype *newtype))
MPII_FN(int, Type_create_hvector, (int count, int blocklength, MPI_Aint stride,
				   MPI_Datatype oldtype, MPI_Datatype *newtype))
MPII_FN(int, Type_indexed, (int count, const int array_of_blocklengths[],
			    const int array_of_displacements[], MPI_Datatype oldtype,
			    MPI_Datatype *newtype))
MPII_FN(int, Type_create_hindexed, (int count, const int array_of_blocklengths[],
				    const MPI_Aint array_of_displacements[],
				    MPI_Datatype oldtype, MPI_Datatype *newtype))
MPII_FN(int, Type_create_indexed_block, (int count, int blocklength,
					 const int array_of_displacements[],
					 MPI_Datatype oldtype, MPI_Datatype *newtype))
MPII_FN(int, Type_create_hindexed_block, (int count, int blocklength,
					  const MPI_Aint array_of_displacements[],
					  MPI_Datatype oldtype, MPI_Datatype *newtype))
MPII_FN(int, Type_create_struct, (int count, const int array_of_blocklengths[],
				  const MPI_Aint array_of_displacements[],
				  const MPI_Datatype array_of_types[], MPI_Datatype *newtype))
MPII_FN(int, Type_create_subarray, (int ndims, const int array_of_sizes[],
				    const int array_of_subsizes[], const int array_of_starts[],
				    int order, MPI_Datatype oldtype, MPI_Datatype *newtype))
MPII_FN(int, Type_create_darray, (int size, int rank, int ndims, const int array_of_gsizes[],
				  const int array_of_distribs[], const int array_of_dargs[],
				  const int array_of_psizes[], int order, MPI_Datatype oldtype,
				  MPI_Datatype *newtype))
MPII_FN(int, Type_create_resized, (MPI_Datatype oldtype, MPI_Aint lb, MPI_Aint extent,
				   MPI_Datatype *newtype))
MPII_FN(int, Type_dup, (MPI_Datatype oldtype, MPI_Datatype *newtype))
MPII_FN(int, Type_commit, (MPI_Datatype *datatype))
MPII_FN(int, Type_free, (MPI_Datatype *datatype))
MPII_FN(int, Type_size, (MPI_Datatype datatype, int *size))
MPII_FN(int, Type_size_x, (MPI_Datatype datatype, MPI_Count *size))
MPII_FN(int, Type_get_extent, (MPI_Datatype datatype, MPI_Aint *lb, MPI_Aint *extent))
MPII_FN(int, Type_get_extent_x, (MPI_Datatype datatype, MPI_Count *lb, MPI_Count *extent))
MPII_FN(int, Type_get_true_extent, (MPI_Datatype datatype, MPI_Aint *true_lb,
				    MPI_Aint *true_extent))
MPII_FN(int, Type_get_true_extent_x, (MPI_Datatype datatype, MPI_Count *true_lb,
				      MPI_Count *true_extent))
MPII_FN(int, Type_get_envelope, (MPI_Datatype datatype, int *num_integers,
				 int *num_addresses, int *num_datatypes, int *combiner))
MPII_FN(int, Type_get_contents, (MPI_Datatype datatype, int max_integers, int max_addresses,
				 int max_datatypes, int array_of_integers[],
				 MPI_Aint array_of_addresses[], MPI_Datatype array_of_datatypes[]))
MPII_FN(int, Type_get_name, (MPI_Datatype datatype, char *type_name, int *resultlen))
MPII_FN(int, Type_set_name, (MPI_Datatype datatype, const char *type_name))
MPII_FN(int, Type_match_size, (int typeclass, int size, MPI_Datatype *datatype))
MPII_FN(int, Type_create_f90_integer, (int r, MPI_Datatype *newtype))
MPII_FN(int, Type_create_f90_real, (int p, int r, MPI_Datatype *newtype))
MPII_FN(int, Type_create_f90_complex, (int p, int r, MPI_Datatype *newtype))
MPII_FN(int, Type_create_keyval, (MPI_Type_copy_attr_function *type_copy_attr_fn,
				  MPI_Type_delete_attr_function *type_delete_attr_fn,
				  int *type_keyval, void *extra_state))
MPII_FN(int, Type_free_keyval, (int *type_keyval))
MPII_FN(int, Type_set_attr, (MPI_Datatype datatype, int type_keyval, void *attribute_val))
MPII_FN(int, Type_get_attr, (MPI_Datatype datatype, int type_keyval, void *attribute_val,
			     int *flag))
MPII_FN(int, Type_delete_attr, (MPI_Datatype datatype, int type_keyval))
MPII_FN(int, Pack, (const void *inbuf, int incount, MPI_Datatype datatype, void *outbuf,
		    int outsize, int *position, MPI_Comm comm))
MPII_FN(int, Unpack, (const void *inbuf, int insize, int *position, void *outbuf,
		      int outcount, MPI_Datatype datatype, MPI_Comm comm))
MPII_FN(int, Pack_size, (int incount, MPI_Datatype datatype, MPI_Comm comm, int *size))
MPII_FN(int, Pack_external, (const char datarep[], const void *inbuf, int incount,
			     MPI_Datatype datatype, void *outbuf, MPI_Aint outsize,
			     MPI_Aint *position))
MPII_FN(int, Unpack_external, (const char datarep[], const void *inbuf, MPI_Aint insize,
			       MPI_Aint *position, void *outbuf, int outcount,
			       MPI_Datatype datatype))
MPII_FN(int, Pack_external_size, (const char datarep[], int incount, MPI_Datatype datatype,
				  MPI_Aint *size))

/* Groups */
MPII_FN(int, Group_size, (MPI_Group group, int *size))
MPII_FN(int, Group_rank, (MPI_Group group, int *rank))
MPII_FN(int, Group_translate_ranks, (MPI_Group group1, int n, const int ranks1[],
				     MPI_Group group2, int ranks2[]))
MPII_FN(int, Group_compare, (MPI_Group group1, MPI_Group group2, int *result))
MPII_FN(int, Group_union, (MPI_Group group1, MPI_Group group2, MPI_Group *newgroup))
MPII_FN(int, Group_intersection, (MPI_Group group1, MPI_Group group2, MPI_Group *newgroup))
MPII_FN(int, Group_difference, (MPI_Group group1, MPI_Group group2, MPI_Group *newgroup))
MPII_FN(int, Group_incl, (MPI_Group group, int n, const int ranks[], MPI_Group *newgroup))
MPII_FN(int, Group_excl, (MPI_Group group, int n, const int ranks[], MPI_Group *newgroup))
MPII_FN(int, Group_range_incl, (MPI_Group group, int n, int ranges[][3],
				MPI_Group *newgroup))
MPII_FN(int, Group_range_excl, (MPI_Group group, int n, int ranges[][3],
				MPI_Group *newgroup))
MPII_FN(int, Group_free, (MPI_Group *group))

/* Communicators */
MPII_FN(int, Comm_size, (MPI_Comm comm, int *size))
MPII_FN(int, Comm_rank, (MPI_Comm comm, int *rank))
MPII_FN(int, Comm_compare, (MPI_Comm comm1, MPI_Comm comm2, int *result))
MPII_FN(int, Comm_dup, (MPI_Comm comm, MPI_Comm *newcomm))
MPII_FN(int, Comm_dup_with_info, (MPI_Comm comm, MPI_Info info, MPI_Comm *newcomm))
MPII_FN(int, Comm_idup, (MPI_Comm comm, MPI_Comm *newcomm, MPI_Request *request))
MPII_FN(int, Comm_create, (MPI_Comm comm, MPI_Group group, MPI_Comm *newcomm))
MPII_FN(int, Comm_create_group, (MPI_Comm comm, MPI_Group group, int tag, MPI_Comm *newcomm))
MPII_FN(int, Comm_split, (MPI_Comm comm, int color, int key, MPI_Comm *newcomm))
MPII_FN(int, Comm_split_type, (MPI_Comm comm, int split_type, int key, MPI_Info info,
			       MPI_Comm *newcomm))
MPII_FN(int, Comm_free, (MPI_Comm *comm))
MPII_FN(int, Comm_group, (MPI_Comm comm, MPI_Group *group))
MPII_FN(int, Comm_test_inter, (MPI_Comm comm, int *flag))
MPII_FN(int, Comm_remote_size, (MPI_Comm comm, int *size))
MPII_FN(int, Comm_remote_group, (MPI_Comm comm, MPI_Group *group))
MPII_FN(int, Comm_set_name, (MPI_Comm comm, const char *comm_name))
MPII_FN(int, Comm_get_name, (MPI_Comm comm, char *comm_name, int *resultlen))
MPII_FN(int, Comm_set_info, (MPI_Comm comm, MPI_Info info))
MPII_FN(int, Comm_get_info, (MPI_Comm comm, MPI_Info *info_used))
MPII_FN(int, Comm_get_parent, (MPI_Comm *parent))
MPII_FN(int, Comm_disconnect, (MPI_Comm *comm))
MPII_FN(int, Intercomm_create, (MPI_Comm local_comm, int local_leader, MPI_Comm peer_comm,
				int remote_leader, int tag, MPI_Comm *newintercomm))
MPII_FN(int, Intercomm_merge, (MPI_Comm intercomm, int high, MPI_Comm *newintracomm))
MPII_FN(int, Comm_create_keyval, (MPI_Comm_copy_attr_function *comm_copy_attr_fn,
				  MPI_Comm_delete_attr_function *comm_delete_attr_fn,
				  int *comm_keyval, void *extra_state))
MPII_FN(int, Comm_free_keyval, (int *comm_keyval))
MPII_FN(int, Comm_set_attr, (MPI_Comm comm, int comm_keyval, void *attribute_val))
MPII_FN(int, Comm_get_attr, (MPI_Comm comm, int comm_keyval, void *attribute_val, int *flag))
MPII_FN(int, Comm_delete_attr, (MPI_Comm comm, int comm_keyval))
MPII_FN(int, Keyval_create, (MPI_Copy_function *copy_fn, MPI_Delete_function *delete_fn,
			     int *keyval, void *extra_state))
MPII_FN(int, Keyval_free, (int *keyval))
MPII_FN(int, Attr_put, (MPI_Comm comm, int keyval, void *attribute_val))
MPII_FN(int, Attr_get, (MPI_Comm comm, int keyval, void *attribute_val, int *flag))
MPII_FN(int, Attr_delete, (MPI_Comm comm, int keyval))

/* Topologies */
MPII_FN(int, Cart_create, (MPI_Comm comm_old, int ndims, const int dims[],
			   const int periods[], int reorder, MPI_Comm *comm_cart))
MPII_FN(int, Cart_coords, (MPI_Comm comm, int rank, int maxdims, int coords[]))
MPII_FN(int, Cart_rank, (MPI_Comm comm, const int coords[], int *rank))
MPII_FN(int, Cart_shift, (MPI_Comm comm, int direction, int disp, int *rank_source,
			  int *rank_dest))
MPII_FN(int, Cart_sub, (MPI_Comm comm, const int remain_dims[], MPI_Comm *newcomm))
MPII_FN(int, Cart_get, (MPI_Comm comm, int maxdims, int dims[], int periods[], int coords[]))
MPII_FN(int, Cart_map, (MPI_Comm comm, int ndims, const int dims[], const int periods[],
			int *newrank))
MPII_FN(int, Cartdim_get, (MPI_Comm comm, int *ndims))
MPII_FN(int, Dims_create, (int nnodes, int ndims, int dims[]))
MPII_FN(int, Graph_create, (MPI_Comm comm_old, int nnodes, const int index[],
			    const int edges[], int reorder, MPI_Comm *comm_graph))
MPII_FN(int, Graphdims_get, (MPI_Comm comm, int *nnodes, int *nedges))
MPII_FN(int, Graph_get, (MPI_Comm comm, int maxindex, int maxedges, int index[], int edges[]))
MPII_FN(int, Graph_neighbors_count, (MPI_Comm comm, int rank, int *nneighbors))
MPII_FN(int, Graph_neighbors, (MPI_Comm comm, int rank, int maxneighbors, int neighbors[]))
MPII_FN(int, Graph_map, (MPI_Comm comm, int nnodes, const int index[], const int edges[],
			 int *newrank))
MPII_FN(int, Dist_graph_create, (MPI_Comm comm_old, int n, const int sources[],
				 const int degrees[], const int destinations[],
				 const int weights[], MPI_Info info, int reorder,
				 MPI_Comm *comm_dist_graph))
MPII_FN(int, Dist_graph_create_adjacent, (MPI_Comm comm_old, int indegree,
					  const int sources[], const int sourceweights[],
					  int outdegree, const int destinations[],
					  const int destweights[], MPI_Info info, int reorder,
					  MPI_Comm *comm_dist_graph))
MPII_FN(int, Dist_graph_neighbors_count, (MPI_Comm comm, int *indegree, int *outdegree,
					  int *weighted))
MPII_FN(int, Dist_graph_neighbors, (MPI_Comm comm, int maxindegree, int sources[],
				    int sourceweights[], int maxoutdegree, int destinations[],
				    int destweights[]))
MPII_FN(int, Topo_test, (MPI_Comm comm, int *status))
MPII_FN(int, Neighbor_allgather, (const void *sendbuf, int sendcount, MPI_Datatype sendtype,
				  void *recvbuf, int recvcount, MPI_Datatype recvtype,
				  MPI_Comm comm))
MPII_FN(int, Ineighbor_allgather, (const void *sendbuf, int sendcount, MPI_Datatype sendtype,
				   void *recvbuf, int recvcount, MPI_Datatype recvtype,
				   MPI_Comm comm, MPI_Request *request))
MPII_FN(int, Neighbor_allgatherv, (const void *sendbuf, int sendcount, MPI_Datatype sendtype,
				   void *recvbuf, const int recvcounts[], const int displs[],
				   MPI_Datatype recvtype, MPI_Comm comm))
MPII_FN(int, Ineighbor_allgatherv, (const void *sendbuf, int sendcount,
				    MPI_Datatype sendtype, void *recvbuf,
				    const int recvcounts[], const int displs[],
				    MPI_Datatype recvtype, MPI_Comm comm, MPI_Request *request))
MPII_FN(int, Neighbor_alltoall, (const void *sendbuf, int sendcount, MPI_Datatype sendtype,
				 void *recvbuf, int recvcount, MPI_Datatype recvtype,
				 MPI_Comm comm))
MPII_FN(int, Ineighbor_alltoall, (const void *sendbuf, int sendcount, MPI_Datatype sendtype,
				  void *recvbuf, int recvcount, MPI_Datatype recvtype,
				  MPI_Comm comm, MPI_Request *request))
MPII_FN(int, Neighbor_alltoallv, (const void *sendbuf, const int sendcounts[],
				  const int sdispls[], MPI_Datatype sendtype, void *recvbuf,
				  const int recvcounts[], const int rdispls[],
				  MPI_Datatype recvtype, MPI_Comm comm))
MPII_FN(int, Ineighbor_alltoallv, (const void *sendbuf, const int sendcounts[],
				   const int sdispls[], MPI_Datatype sendtype, void *recvbuf,
				   const int recvcounts[], const int rdispls[],
				   MPI_Datatype recvtype, MPI_Comm comm, MPI_Request *request))
MPII_FN(int, Neighbor_alltoallw, (const void *sendbuf, const int sendcounts[],
				  const MPI_Aint sdispls[], const MPI_Datatype sendtypes[],
				  void *recvbuf, const int recvcounts[], const MPI_Aint rdispls[],
				  const MPI_Datatype recvtypes[], MPI_Comm comm))
MPII_FN(int, Ineighbor_alltoallw, (const void *sendbuf, const int sendcounts[],
				   const MPI_Aint sdispls[], const MPI_Datatype sendtypes[],
				   void *recvbuf, const int recvcounts[],
				   const MPI_Aint rdispls[], const MPI_Datatype recvtypes[],
				   MPI_Comm comm, MPI_Request *request))

/* Errors */
MPII_FN(int, Error_string, (int errorcode, char *string, int *resultlen))
MPII_FN(int, Error_class, (int errorcode, int *errorclass))
MPII_FN(int, Add_error_class, (int *errorclass))
MPII_FN(int, Add_error_code, (int errorclass, int *errorcode))
MPII_FN(int, Add_error_string, (int errorcode, const char *string))
MPII_FN(int, Comm_create_errhandler, (MPI_Comm_errhandler_function *comm_errhandler_fn,
				      MPI_Errhandler *errhandler))
MPII_FN(int, Comm_set_errhandler, (MPI_Comm comm, MPI_Errhandler errhandler))
MPII_FN(int, Comm_get_errhandler, (MPI_Comm comm, MPI_Errhandler *errhandler))
MPII_FN(int, Comm_call_errhandler, (MPI_Comm comm, int errorcode))
MPII_FN(int, Errhandler_free, (MPI_Errhandler *errhandler))
MPII_FN(int, Errhandler_create, (MPI_Handler_function *function, MPI_Errhandler *errhandler))
MPII_FN(int, Errhandler_set, (MPI_Comm comm, MPI_Errhandler errhandler))
MPII_FN(int, Errhandler_get, (MPI_Comm comm, MPI_Errhandler *errhandler))

/* Info */
MPII_FN(int, Info_create, (MPI_Info *info))
MPII_FN(int, Info_set, (MPI_Info info, const char *key, const char *value))
MPII_FN(int, Info_get, (MPI_Info info, const char *key, int valuelen, char *value, int *flag))
MPII_FN(int, Info_get_valuelen, (MPI_Info info, const char *key, int *valuelen, int *flag))
MPII_FN(int, Info_get_nkeys, (MPI_Info info, int *nkeys))
MPII_FN(int, Info_get_nthkey, (MPI_Info info, int n, char *key))
MPII_FN(int, Info_delete, (MPI_Info info, const char *key))
MPII_FN(int, Info_dup, (MPI_Info info, MPI_Info *newinfo))
MPII_FN(int, Info_free, (MPI_Info *info))

/* Removed in MPI-3.0, kept for old programs. */
MPII_FN(int, Address, (void *location, MPI_Aint *address))
MPII_FN(int, Type_extent, (MPI_Datatype datatype, MPI_Aint *extent))
MPII_FN(int, Type_lb, (MPI_Datatype datatype, MPI_Aint *displacement))
MPII_FN(int, Type_ub, (MPI_Datatype datatype, MPI_Aint *displacement))
MPII_FN(int, Type_hvector, (int count, int blocklength, MPI_Aint stride, MPI_Datatype oldtype,
			    MPI_Datatype *newtype))
MPII_FN(int, Type_hindexed, (int count, int array_of_blocklengths[],
			     MPI_Aint array_of_displacements[], MPI_Datatype oldtype,
			     MPI_Datatype *newtype))
MPII_FN(int, Type_struct, (int count, int array_of_blocklengths[],
			   MPI_Aint array_of_displacements[], MPI_Datatype array_of_types[],
			   MPI_Datatype *newtype))

/* Handle conversion for mixed-language programs (identity: handles are ints). */
MPII_FN(MPI_Fint, Comm_c2f, (MPI_Comm comm))
MPII_FN(MPI_Comm, Comm_f2c, (MPI_Fint comm))
MPII_FN(MPI_Fint, Type_c2f, (MPI_Datatype datatype))
MPII_FN(MPI_Datatype, Type_f2c, (MPI_Fint datatype))
MPII_FN(MPI_Fint, Group_c2f, (MPI_Group group))
MPII_FN(MPI_Group, Group_f2c, (MPI_Fint group))
MPII_FN(MPI_Fint, Request_c2f, (MPI_Request request))
MPII_FN(MPI_Request, Request_f2c, (MPI_Fint request))
MPII_FN(MPI_Fint, Op_c2f, (MPI_Op op))
MPII_FN(MPI_Op, Op_f2c, (MPI_Fint op))
MPII_FN(MPI_Fint, Info_c2f, (MPI_Info info))
MPII_FN(MPI_Info, Info_f2c, (MPI_Fint info))
MPII_FN(MPI_Fint, Errhandler_c2f, (MPI_Errhandler errhandler))
MPII_FN(MPI_Errhandler, Errhandler_f2c, (MPI_Fint errhandler))
MPII_FN(MPI_Fint, Message_c2f, (MPI_Message message))
MPII_FN(MPI_Message, Message_f2c, (MPI_Fint message))
MPII_FN(MPI_Fint, Win_c2f, (MPI_Win win))
MPII_FN(MPI_Win, Win_f2c, (MPI_Fint win))
MPII_FN(MPI_Fint, File_c2f, (MPI_File file))
MPII_FN(MPI_File, File_f2c, (MPI_Fint file))
MPII_FN(int, Status_c2f, (const MPI_Status *c_status, MPI_Fint *f_status))
MPII_FN(int, Status_f2c, (const MPI_Fint *f_status, MPI_Status *c_status))

/* One-sided communication (docs/rma.md) */
MPII_FN(int, Win_create, (void *base, MPI_Aint size, int disp_unit, MPI_Info info,
			  MPI_Comm comm, MPI_Win *win))
MPII_FN(int, Win_allocate, (MPI_Aint size, int disp_unit, MPI_Info info, MPI_Comm comm,
			    void *baseptr, MPI_Win *win))
MPII_FN(int, Win_allocate_shared, (MPI_Aint size, int disp_unit, MPI_Info info,
				   MPI_Comm comm, void *baseptr, MPI_Win *win))
MPII_FN(int, Win_shared_query, (MPI_Win win, int rank, MPI_Aint *size, int *disp_unit,
				void *baseptr))
MPII_FN(int, Win_create_dynamic, (MPI_Info info, MPI_Comm comm, MPI_Win *win))
MPII_FN(int, Win_attach, (MPI_Win win, void *base, MPI_Aint size))
MPII_FN(int, Win_detach, (MPI_Win win, const void *base))
MPII_FN(int, Win_free, (MPI_Win *win))
MPII_FN(int, Win_get_group, (MPI_Win win, MPI_Group *group))
MPII_FN(int, Win_set_info, (MPI_Win win, MPI_Info info))
MPII_FN(int, Win_get_info, (MPI_Win win, MPI_Info *info_used))
MPII_FN(int, Put, (const void *origin_addr, int origin_count, MPI_Datatype origin_datatype,
		   int target_rank, MPI_Aint target_disp, int target_count,
		   MPI_Datatype target_datatype, MPI_Win win))
MPII_FN(int, Get, (void *origin_addr, int origin_count, MPI_Datatype origin_datatype,
		   int target_rank, MPI_Aint target_disp, int target_count,
		   MPI_Datatype target_datatype, MPI_Win win))
MPII_FN(int, Accumulate, (const void *origin_addr, int origin_count,
			  MPI_Datatype origin_datatype, int target_rank, MPI_Aint target_disp,
			  int target_count, MPI_Datatype target_datatype, MPI_Op op,
			  MPI_Win win))
MPII_FN(int, Get_accumulate, (const void *origin_addr, int origin_count,
			      MPI_Datatype origin_datatype, void *result_addr, int result_count,
			      MPI_Datatype result_datatype, int target_rank,
			      MPI_Aint target_disp, int target_count,
			      MPI_Datatype target_datatype, MPI_Op op, MPI_Win win))
MPII_FN(int, Fetch_and_op, (const void *origin_addr, void *result_addr, MPI_Datatype datatype,
			    int target_rank, MPI_Aint target_disp, MPI_Op op, MPI_Win win))
MPII_FN(int, Compare_and_swap, (const void *origin_addr, const void *compare_addr,
				void *result_addr, MPI_Datatype datatype, int target_rank,
				MPI_Aint target_disp, MPI_Win win))
MPII_FN(int, Rput, (const void *origin_addr, int origin_count, MPI_Datatype origin_datatype,
		    int target_rank, MPI_Aint target_disp, int target_count,
		    MPI_Datatype target_datatype, MPI_Win win, MPI_Request *request))
MPII_FN(int, Rget, (void *origin_addr, int origin_count, MPI_Datatype origin_datatype,
		    int target_rank, MPI_Aint target_disp, int target_count,
		    MPI_Datatype target_datatype, MPI_Win win, MPI_Request *request))
MPII_FN(int, Raccumulate, (const void *origin_addr, int origin_count,
			   MPI_Datatype origin_datatype, int target_rank, MPI_Aint target_disp,
			   int target_count, MPI_Datatype target_datatype, MPI_Op op,
			   MPI_Win win, MPI_Request *request))
MPII_FN(int, Rget_accumulate, (const void *origin_addr, int origin_count,
			       MPI_Datatype origin_datatype, void *result_addr,
			       int result_count, MPI_Datatype result_datatype, int target_rank,
			       MPI_Aint target_disp, int target_count,
			       MPI_Datatype target_datatype, MPI_Op op, MPI_Win win,
			       MPI_Request *request))
MPII_FN(int, Win_fence, (int assert, MPI_Win win))
MPII_FN(int, Win_start, (MPI_Group group, int assert, MPI_Win win))
MPII_FN(int, Win_complete, (MPI_Win win))
MPII_FN(int, Win_post, (MPI_Group group, int assert, MPI_Win win))
MPII_FN(int, Win_wait, (MPI_Win win))
MPII_FN(int, Win_test, (MPI_Win win, int *flag))
MPII_FN(int, Win_lock, (int lock_type, int rank, int assert, MPI_Win win))
MPII_FN(int, Win_lock_all, (int assert, MPI_Win win))
MPII_FN(int, Win_unlock, (int rank, MPI_Win win))
MPII_FN(int, Win_unlock_all, (MPI_Win win))
MPII_FN(int, Win_flush, (int rank, MPI_Win win))
MPII_FN(int, Win_flush_all, (MPI_Win win))
MPII_FN(int, Win_flush_local, (int rank, MPI_Win win))
MPII_FN(int, Win_flush_local_all, (MPI_Win win))
MPII_FN(int, Win_sync, (MPI_Win win))
MPII_FN(int, Win_create_keyval, (MPI_Win_copy_attr_function *win_copy_attr_fn,
				 MPI_Win_delete_attr_function *win_delete_attr_fn,
				 int *win_keyval, void *extra_state))
MPII_FN(int, Win_free_keyval, (int *win_keyval))
MPII_FN(int, Win_set_attr, (MPI_Win win, int win_keyval, void *attribute_val))
MPII_FN(int, Win_get_attr, (MPI_Win win, int win_keyval, void *attribute_val, int *flag))
MPII_FN(int, Win_delete_attr, (MPI_Win win, int win_keyval))
MPII_FN(int, Win_set_name, (MPI_Win win, const char *win_name))
MPII_FN(int, Win_get_name, (MPI_Win win, char *win_name, int *resultlen))
MPII_FN(int, Win_create_errhandler, (MPI_Win_errhandler_function *win_errhandler_fn,
				     MPI_Errhandler *errhandler))
MPII_FN(int, Win_set_errhandler, (MPI_Win win, MPI_Errhandler errhandler))
MPII_FN(int, Win_get_errhandler, (MPI_Win win, MPI_Errhandler *errhandler))
MPII_FN(int, Win_call_errhandler, (MPI_Win win, int errorcode))

/* MPI-IO: declared in mpio.h (docs/mpi-io.md) */
#include "mpio.h"

/* ---- Not supported: each returns MPI_ERR_UNSUPPORTED_OPERATION ---- */
/* Dynamic processes */
MPII_FN(int, Comm_spawn, (const char *command, char *argv[], int maxprocs, MPI_Info info,
			  int root, MPI_Comm comm, MPI_Comm *intercomm,
			  int array_of_errcodes[]))
MPII_FN(int, Comm_spawn_multiple, (int count, char *array_of_commands[],
				   char **array_of_argv[], const int array_of_maxprocs[],
				   const MPI_Info array_of_info[], int root, MPI_Comm comm,
				   MPI_Comm *intercomm, int array_of_errcodes[]))
MPII_FN(int, Open_port, (MPI_Info info, char *port_name))
MPII_FN(int, Close_port, (const char *port_name))
MPII_FN(int, Comm_accept, (const char *port_name, MPI_Info info, int root, MPI_Comm comm,
			   MPI_Comm *newcomm))
MPII_FN(int, Comm_connect, (const char *port_name, MPI_Info info, int root, MPI_Comm comm,
			    MPI_Comm *newcomm))
MPII_FN(int, Publish_name, (const char *service_name, MPI_Info info, const char *port_name))
MPII_FN(int, Unpublish_name, (const char *service_name, MPI_Info info,
			      const char *port_name))
MPII_FN(int, Lookup_name, (const char *service_name, MPI_Info info, char *port_name))
MPII_FN(int, Comm_join, (int fd, MPI_Comm *intercomm))

/* The tool information interface (no variables: see the types above) */
MPII_FN(int, T_init_thread, (int required, int *provided))
MPII_FN(int, T_finalize, (void))
MPII_FN(int, T_enum_get_info, (MPI_T_enum enumtype, int *num, char *name, int *name_len))
MPII_FN(int, T_enum_get_item, (MPI_T_enum enumtype, int index, int *value, char *name,
			       int *name_len))
MPII_FN(int, T_cvar_get_num, (int *num_cvar))
MPII_FN(int, T_cvar_get_info, (int cvar_index, char *name, int *name_len, int *verbosity,
			       MPI_Datatype *datatype, MPI_T_enum *enumtype, char *desc,
			       int *desc_len, int *binding, int *scope))
MPII_FN(int, T_cvar_get_index, (const char *name, int *cvar_index))
MPII_FN(int, T_cvar_handle_alloc, (int cvar_index, void *obj_handle, MPI_T_cvar_handle *handle,
				   int *count))
MPII_FN(int, T_cvar_handle_free, (MPI_T_cvar_handle *handle))
MPII_FN(int, T_cvar_read, (MPI_T_cvar_handle handle, void *buf))
MPII_FN(int, T_cvar_write, (MPI_T_cvar_handle handle, const void *buf))
MPII_FN(int, T_pvar_get_num, (int *num_pvar))
MPII_FN(int, T_pvar_get_info, (int pvar_index, char *name, int *name_len, int *verbosity,
			       int *var_class, MPI_Datatype *datatype, MPI_T_enum *enumtype,
			       char *desc, int *desc_len, int *binding, int *readonly,
			       int *continuous, int *atomic))
MPII_FN(int, T_pvar_get_index, (const char *name, int var_class, int *pvar_index))
MPII_FN(int, T_pvar_session_create, (MPI_T_pvar_session *session))
MPII_FN(int, T_pvar_session_free, (MPI_T_pvar_session *session))
MPII_FN(int, T_pvar_handle_alloc, (MPI_T_pvar_session session, int pvar_index,
				   void *obj_handle, MPI_T_pvar_handle *handle, int *count))
MPII_FN(int, T_pvar_handle_free, (MPI_T_pvar_session session, MPI_T_pvar_handle *handle))
MPII_FN(int, T_pvar_start, (MPI_T_pvar_session session, MPI_T_pvar_handle handle))
MPII_FN(int, T_pvar_stop, (MPI_T_pvar_session session, MPI_T_pvar_handle handle))
MPII_FN(int, T_pvar_read, (MPI_T_pvar_session session, MPI_T_pvar_handle handle, void *buf))
MPII_FN(int, T_pvar_write, (MPI_T_pvar_session session, MPI_T_pvar_handle handle,
			    const void *buf))
MPII_FN(int, T_pvar_reset, (MPI_T_pvar_session session, MPI_T_pvar_handle handle))
MPII_FN(int, T_pvar_readreset, (MPI_T_pvar_session session, MPI_T_pvar_handle handle,
				void *buf))
MPII_FN(int, T_category_get_num, (int *num_cat))
MPII_FN(int, T_category_get_info, (int cat_index, char *name, int *name_len, char *desc,
				   int *desc_len, int *num_cvars, int *num_pvars,
				   int *num_categories))
MPII_FN(int, T_category_get_index, (const char *name, int *cat_index))
MPII_FN(int, T_category_get_cvars, (int cat_index, int len, int indices[]))
MPII_FN(int, T_category_get_pvars, (int cat_index, int len, int indices[]))
MPII_FN(int, T_category_get_categories, (int cat_index, int len, int indices[]))
MPII_FN(int, T_category_changed, (int *stamp))

#undef MPII_FN

#ifdef __cplusplus
}
#endif

#endif
