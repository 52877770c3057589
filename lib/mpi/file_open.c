/* SPDX-License-Identifier: MIT */
/*
 * file_open.c: file handles: MPI_File_open, close, delete, the size calls (set_size,
 * preallocate, get_size), sync, atomicity, amode, group, info hints, error handlers
 * (MPI_ERRORS_RETURN by default, the handler of MPI_FILE_NULL being the default), and the
 * shared file pointer and atomic-mode lock in shared DRAM. Not the accesses (file_rw.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "mpii_file.h"

/* The error handler of MPI_FILE_NULL: open's errors, and what new files start with. */
static struct mpii_errh *null_errh;

static struct mpii_errh *file_null_errh(void)
{
	if (!null_errh)
		null_errh = mpii_errh_ref(mpii_handle_get(MPII_K_ERRH, MPI_ERRORS_RETURN));
	return null_errh;
}

int mpii_raise_file(struct mpii_file *f, int code, const char *fn)
{
	if (!f)
		return mpii_raise_errh(file_null_errh(), MPI_FILE_NULL, code, fn);
	return mpii_raise_errh(f->errh, f->handle, code, fn);
}

struct mpii_file *mpii_file_get(MPI_File h)
{
	return mpii_handle_get(MPII_K_FILE, h);
}

int mpii_file_err(int64_t neg_errno)
{
	switch ((int)-neg_errno) {
	case 0:
		return MPI_SUCCESS;
	case ENOENT:
		return MPI_ERR_NO_SUCH_FILE;
	case EEXIST:
		return MPI_ERR_FILE_EXISTS;
	case EACCES:
	case EPERM:
		return MPI_ERR_ACCESS;
	case EROFS:
		return MPI_ERR_READ_ONLY;
	case ENOSPC:
		return MPI_ERR_NO_SPACE;
#ifdef EDQUOT
	case EDQUOT:
		return MPI_ERR_QUOTA;
#endif
	case EISDIR:
	case ENOTDIR:
	case ENAMETOOLONG:
	case ELOOP:
	case EINVAL:
		return MPI_ERR_BAD_FILE;
	case ENOMEM:
		return MPI_ERR_NO_MEM;
	default:
		return MPI_ERR_IO;
	}
}

int64_t mpii_file_size(struct mpii_file *f)
{
	struct stat st;

	if (fstat(f->fd, &st))
		return -mpii_file_err(-errno);
	return (int64_t)st.st_size;
}

/* A file name without the file-system prefix ROMIO and Open MPI accept ("ufs:name"). */
static const char *plain_name(const char *name)
{
	static const char *const fs[] = { "ufs:", "nfs:", "lustre:", "gpfs:", "pvfs2:", "panfs:",
					   "testfs:", "xfs:" };

	for (size_t i = 0; i < sizeof(fs) / sizeof(fs[0]); i++)
		if (!strncmp(name, fs[i], strlen(fs[i])))
			return name + strlen(fs[i]);
	return name;
}

/* ---- Shared file pointer and atomic-mode lock (shared DRAM, rank 0's core guards) ---- */

#define SHARED_LOCK_OFF 64	/* the lock record, after the pointer's two lines */

int64_t mpii_file_sfp_add(struct mpii_file *f, int64_t n)
{
	int64_t old;

	mpii_tas_lock(f->home);
	tk_mpb_read(&old, f->shared, sizeof(old));
	if (n) {
		int64_t v = old + n;

		tk_mpb_write(f->shared, &v, sizeof(v));
	}
	mpii_tas_unlock(f->home);
	return old;
}

void mpii_file_sfp_set(struct mpii_file *f, int64_t v)
{
	mpii_tas_lock(f->home);
	tk_mpb_write(f->shared, &v, sizeof(v));
	mpii_tas_unlock(f->home);
}

void mpii_file_lock(struct mpii_file *f, int excl)
{
	struct mpii_lockwait lw = { TESSERA_WAIT_FILE_LOCK, f->comm->local->wr[0], f->comm->ctx };

	mpii_shlock_acquire(f->shared + SHARED_LOCK_OFF, f->home, excl, &lw);
}

int mpii_file_trylock(struct mpii_file *f, int excl)
{
	return mpii_shlock_try(f->shared + SHARED_LOCK_OFF, f->home, excl);
}

void mpii_file_unlock(struct mpii_file *f, int excl)
{
	mpii_shlock_release(f->shared + SHARED_LOCK_OFF, f->home, excl);
}

/* ---- Hints ---- */

/* Reads the hints MPI-IO understands from info (others are kept, unused). */
static void hints_take(struct mpii_file *f, const struct mpii_info *in)
{
	for (const struct mpii_info_ent *e = in ? in->head : NULL; e; e = e->next) {
		long v = strtol(e->val, NULL, 10);
		int mode = !strcmp(e->val, "enable") ? 1 : !strcmp(e->val, "disable") ? -1 : 0;

		if (!strcmp(e->key, "cb_buffer_size") && v >= 4096)
			f->cb_size = v;
		else if (!strcmp(e->key, "cb_nodes") && v >= 1)
			f->cb_nodes = (int)v;
		else if (!strcmp(e->key, "romio_cb_read"))
			f->cb_read = mode;
		else if (!strcmp(e->key, "romio_cb_write"))
			f->cb_write = mode;
	}
}

static int hints_merge(struct mpii_file *f, MPI_Info info)
{
	struct mpii_info *in = mpii_handle_get(MPII_K_INFO, info), *n = mpii_info_copy(f->info);

	for (const struct mpii_info_ent *e = in ? in->head : NULL; n && e; e = e->next)
		if (mpii_info_put(n, e->key, e->val)) {
			mpii_info_destroy(n);
			n = NULL;
		}
	if (!n)
		return MPI_ERR_NO_MEM;
	mpii_info_destroy(f->info);
	f->info = n;
	hints_take(f, in);
	return MPI_SUCCESS;
}

/* ---- Open and close ---- */

static int amode_ok(int amode)
{
	int rw = (amode & MPI_MODE_RDONLY ? 1 : 0) + (amode & MPI_MODE_WRONLY ? 1 : 0) +
		 (amode & MPI_MODE_RDWR ? 1 : 0);
	int known = MPI_MODE_RDONLY | MPI_MODE_WRONLY | MPI_MODE_RDWR | MPI_MODE_CREATE |
		    MPI_MODE_EXCL | MPI_MODE_DELETE_ON_CLOSE | MPI_MODE_UNIQUE_OPEN |
		    MPI_MODE_APPEND | MPI_MODE_SEQUENTIAL;

	/* MPI-3.1 13.2.1: exactly one access mode; no creation of a file opened read-only */
	return rw == 1 && !(amode & ~known) &&
	       !((amode & MPI_MODE_RDONLY) && (amode & (MPI_MODE_CREATE | MPI_MODE_EXCL)));
}

static void file_free(struct mpii_file *f)
{
	if (f->handle)
		mpii_handle_free(f->handle);
	mpii_comm_unref(f->comm);
	mpii_errh_unref(f->errh);
	mpii_info_destroy(f->info);
	mpii_dtype_unref(f->etype);
	mpii_dtype_unref(f->ftype);
	free(f->runs);
	free(f->cum);
	free(f->name);
	free(f);
}

/* Opens the host file on every rank: rank 0 first (it alone creates, exclusively if asked),
 * then the others. 0 or an error class every rank agrees on. */
static int open_all(struct mpii_file *f, const char *path)
{
	int flags = (f->amode & MPI_MODE_RDONLY ? O_RDONLY : f->amode & MPI_MODE_WRONLY ? O_WRONLY :
		     O_RDWR), err = 0, rc;

	if (f->comm->rank == 0) {
		f->fd = open(path, flags | (f->amode & MPI_MODE_CREATE ? O_CREAT : 0) |
				   (f->amode & MPI_MODE_EXCL ? O_EXCL : 0), 0666);
		err = f->fd < 0 ? mpii_file_err(-errno) : 0;
	}
	rc = mpii_bcast_raw(f->comm, &err, sizeof(err), 0);
	if (rc || err)
		return rc ? rc : err;
	if (f->comm->rank != 0) {
		f->fd = open(path, flags, 0);
		err = f->fd < 0 ? mpii_file_err(-errno) : 0;
	}
	rc = mpii_allreduce_int(f->comm, &err, 1, MPI_MAX);
	if ((rc || err) && f->fd >= 0) {
		close(f->fd);
		f->fd = -1;
	}
	return rc ? rc : err;
}

/* Rank 0 makes the shared pointer and lock record; everyone learns where. */
static int shared_setup(struct mpii_file *f)
{
	uint64_t where = 0;
	uintptr_t a;
	int rc;

	if (f->comm->rank == 0 && !mpii_shm_alloc(SHARED_LOCK_OFF + mpii_shlock_bytes(), &a)) {
		int64_t zero = 0;

		tk_mpb_write(a, &zero, sizeof(zero));
		mpii_shlock_init(a + SHARED_LOCK_OFF);
		where = a;
	}
	rc = mpii_bcast_raw(f->comm, &where, sizeof(where), 0);
	if (rc)
		return rc;
	f->shared = (uintptr_t)where;
	f->home = tk_rank_core((uint32_t)f->comm->local->wr[0]);
	return where ? MPI_SUCCESS : MPI_ERR_NO_MEM;
}

int PMPI_File_open(MPI_Comm comm, const char *filename, int amode, MPI_Info info, MPI_File *fh)
{
	static const char fname[] = "MPI_File_open";
	struct mpii_comm *c;
	struct mpii_file *f;
	int rc;

	MPII_ENTER(fname);
	if (mpii_coll_comm(comm, &c, 1))
		return mpii_raise_file(NULL, MPI_ERR_COMM, fname);
	if (!amode_ok(amode))
		return mpii_raise_file(NULL, MPI_ERR_AMODE, fname);
	if (!filename || !fh)
		return mpii_raise_file(NULL, MPI_ERR_ARG, fname);
	if (info != MPI_INFO_NULL && !mpii_handle_get(MPII_K_INFO, info))
		return mpii_raise_file(NULL, MPI_ERR_INFO, fname);
	f = calloc(1, sizeof(*f));
	if (!f)
		return mpii_raise_file(NULL, MPI_ERR_NO_MEM, fname);
	f->fd = -1;
	f->amode = amode;
	f->cb_size = MPII_IO_CB_SIZE;
	f->errh = mpii_errh_ref(file_null_errh());
	f->name = mpii_strdup(plain_name(filename));
	rc = f->name ? mpii_comm_dup_plain(c, &f->comm) : MPI_ERR_NO_MEM;
	if (!rc)
		rc = mpii_view_set(f, 0, mpii_byte_type(), mpii_byte_type(), MPII_REP_NATIVE);
	if (!rc)
		rc = hints_merge(f, info);
	if (!rc)
		rc = open_all(f, f->name);
	if (!rc) {
		rc = shared_setup(f);
		if (rc)
			close(f->fd);
	}
	if (!rc && (amode & MPI_MODE_APPEND)) {
		/* both pointers start at the end (the view is bytes from 0 until set) */
		int64_t size = mpii_file_size(f);

		f->fp = size > 0 ? size : 0;
		if (f->comm->rank == 0)
			mpii_file_sfp_set(f, f->fp);
		rc = mpii_barrier(f->comm);
	}
	if (!rc && !(f->handle = mpii_handle_new(MPII_K_FILE, f)))
		rc = MPI_ERR_NO_MEM;
	if (rc) {
		if (f->shared && f->comm->rank == 0)
			mpii_shm_free(f->shared);
		file_free(f);
		return mpii_raise_file(NULL, rc, fname);
	}
	*fh = f->handle;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_File_open)

int PMPI_File_close(MPI_File *fh)
{
	static const char fname[] = "MPI_File_close";
	struct mpii_file *f;
	int rc, err = 0;

	MPII_ENTER(fname);
	if (!fh || !(f = mpii_file_get(*fh)))
		return mpii_raise_file(NULL, MPI_ERR_FILE, fname);
	if (close(f->fd))
		err = mpii_file_err(-errno);
	/* everyone has closed before the file may go */
	rc = mpii_allreduce_int(f->comm, &err, 1, MPI_MAX);
	if (f->comm->rank == 0) {
		if (f->amode & MPI_MODE_DELETE_ON_CLOSE)
			unlink(f->name);
		mpii_shm_free(f->shared);
	}
	file_free(f);
	*fh = MPI_FILE_NULL;
	rc = rc ? rc : err;
	return rc ? mpii_raise_file(NULL, rc, fname) : MPI_SUCCESS;
}
MPII_ALIAS(MPI_File_close)

int PMPI_File_delete(const char *filename, MPI_Info info)
{
	static const char fname[] = "MPI_File_delete";

	MPII_ENTER(fname);
	if (!filename)
		return mpii_raise_file(NULL, MPI_ERR_ARG, fname);
	if (info != MPI_INFO_NULL && !mpii_handle_get(MPII_K_INFO, info))
		return mpii_raise_file(NULL, MPI_ERR_INFO, fname);
	if (unlink(plain_name(filename)))
		return mpii_raise_file(NULL, mpii_file_err(-errno), fname);
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_File_delete)

/* ---- Size ---- */

/* Rank 0 does op on the file, the others learn how it went. */
static int on_rank0(struct mpii_file *f, uint32_t op, int64_t a1, int64_t a2)
{
	int err = 0, rc;

	if (f->comm->rank == 0) {
		int64_t arg[6] = { f->fd, a1, a2 };
		int64_t r = tk_hostcall(op, arg, NULL, 0, NULL, 0);

		err = r < 0 ? mpii_file_err(r) : 0;
	}
	rc = mpii_bcast_raw(f->comm, &err, sizeof(err), 0);
	return rc ? rc : err;
}

static int size_call(MPI_File fh, MPI_Offset size, uint32_t op, const char *fname)
{
	struct mpii_file *f;
	int rc;

	MPII_ENTER(fname);
	if (!(f = mpii_file_get(fh)))
		return mpii_raise_file(NULL, MPI_ERR_FILE, fname);
	if (size < 0)
		return mpii_raise_file(f, MPI_ERR_ARG, fname);
	if (f->amode & MPI_MODE_RDONLY)
		return mpii_raise_file(f, MPI_ERR_READ_ONLY, fname);
	rc = op == TESSERA_HC_FTRUNCATE ? on_rank0(f, op, size, 0) : on_rank0(f, op, 0, size);
	return rc ? mpii_raise_file(f, rc, fname) : MPI_SUCCESS;
}

int PMPI_File_set_size(MPI_File fh, MPI_Offset size)
{
	return size_call(fh, size, TESSERA_HC_FTRUNCATE, "MPI_File_set_size");
}
MPII_ALIAS(MPI_File_set_size)

int PMPI_File_preallocate(MPI_File fh, MPI_Offset size)
{
	return size_call(fh, size, TESSERA_HC_FALLOCATE, "MPI_File_preallocate");
}
MPII_ALIAS(MPI_File_preallocate)

int PMPI_File_get_size(MPI_File fh, MPI_Offset *size)
{
	static const char fname[] = "MPI_File_get_size";
	struct mpii_file *f;
	int64_t n;

	MPII_ENTER(fname);
	if (!(f = mpii_file_get(fh)))
		return mpii_raise_file(NULL, MPI_ERR_FILE, fname);
	if (!size)
		return mpii_raise_file(f, MPI_ERR_ARG, fname);
	n = mpii_file_size(f);
	if (n < 0)
		return mpii_raise_file(f, (int)-n, fname);
	*size = n;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_File_get_size)

int PMPI_File_sync(MPI_File fh)
{
	static const char fname[] = "MPI_File_sync";
	struct mpii_file *f;
	int64_t arg[6] = { 0 };
	int err = 0, rc;

	MPII_ENTER(fname);
	if (!(f = mpii_file_get(fh)))
		return mpii_raise_file(NULL, MPI_ERR_FILE, fname);
	if (f->amode & MPI_MODE_RDONLY)
		return mpii_raise_file(f, MPI_ERR_ACCESS, fname);
	arg[0] = f->fd;
	err = mpii_file_err(tk_hostcall(TESSERA_HC_FSYNC, arg, NULL, 0, NULL, 0));
	/* collective: what one wrote and synced is there for the others after it */
	rc = mpii_allreduce_int(f->comm, &err, 1, MPI_MAX);
	rc = rc ? rc : err;
	return rc ? mpii_raise_file(f, rc, fname) : MPI_SUCCESS;
}
MPII_ALIAS(MPI_File_sync)

int PMPI_File_set_atomicity(MPI_File fh, int flag)
{
	static const char fname[] = "MPI_File_set_atomicity";
	struct mpii_file *f;
	int rc;

	MPII_ENTER(fname);
	if (!(f = mpii_file_get(fh)))
		return mpii_raise_file(NULL, MPI_ERR_FILE, fname);
	f->atomic = flag != 0;
	rc = mpii_barrier(f->comm);
	return rc ? mpii_raise_file(f, rc, fname) : MPI_SUCCESS;
}
MPII_ALIAS(MPI_File_set_atomicity)

int PMPI_File_get_atomicity(MPI_File fh, int *flag)
{
	static const char fname[] = "MPI_File_get_atomicity";
	struct mpii_file *f;

	MPII_ENTER(fname);
	if (!(f = mpii_file_get(fh)))
		return mpii_raise_file(NULL, MPI_ERR_FILE, fname);
	if (!flag)
		return mpii_raise_file(f, MPI_ERR_ARG, fname);
	*flag = f->atomic;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_File_get_atomicity)

int PMPI_File_get_amode(MPI_File fh, int *amode)
{
	static const char fname[] = "MPI_File_get_amode";
	struct mpii_file *f;

	MPII_ENTER(fname);
	if (!(f = mpii_file_get(fh)))
		return mpii_raise_file(NULL, MPI_ERR_FILE, fname);
	if (!amode)
		return mpii_raise_file(f, MPI_ERR_ARG, fname);
	*amode = f->amode;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_File_get_amode)

int PMPI_File_get_group(MPI_File fh, MPI_Group *group)
{
	static const char fname[] = "MPI_File_get_group";
	struct mpii_file *f;
	int rc;

	MPII_ENTER(fname);
	if (!(f = mpii_file_get(fh)))
		return mpii_raise_file(NULL, MPI_ERR_FILE, fname);
	if (!group)
		return mpii_raise_file(f, MPI_ERR_ARG, fname);
	rc = mpii_group_publish(f->comm->local, group);
	return rc ? mpii_raise_file(f, rc, fname) : MPI_SUCCESS;
}
MPII_ALIAS(MPI_File_get_group)

int PMPI_File_set_info(MPI_File fh, MPI_Info info)
{
	static const char fname[] = "MPI_File_set_info";
	struct mpii_file *f;
	int rc;

	MPII_ENTER(fname);
	if (!(f = mpii_file_get(fh)))
		return mpii_raise_file(NULL, MPI_ERR_FILE, fname);
	if (info != MPI_INFO_NULL && !mpii_handle_get(MPII_K_INFO, info))
		return mpii_raise_file(f, MPI_ERR_INFO, fname);
	rc = hints_merge(f, info);
	return rc ? mpii_raise_file(f, rc, fname) : MPI_SUCCESS;
}
MPII_ALIAS(MPI_File_set_info)

int PMPI_File_get_info(MPI_File fh, MPI_Info *info_used)
{
	static const char fname[] = "MPI_File_get_info";
	struct mpii_file *f;
	struct mpii_info *n;
	char v[32];
	int bad = 0;

	MPII_ENTER(fname);
	if (!(f = mpii_file_get(fh)))
		return mpii_raise_file(NULL, MPI_ERR_FILE, fname);
	if (!info_used)
		return mpii_raise_file(f, MPI_ERR_ARG, fname);
	/* the hints in force, then whatever else the user gave */
	n = mpii_info_new();
	if (n) {
		snprintf(v, sizeof(v), "%lld", (long long)f->cb_size);
		bad |= mpii_info_put(n, "cb_buffer_size", v);
		snprintf(v, sizeof(v), "%d", f->cb_nodes ? f->cb_nodes : MPII_IO_CB_NODES);
		bad |= mpii_info_put(n, "cb_nodes", v);
		bad |= mpii_info_put(n, "romio_cb_read", f->cb_read > 0 ? "enable" :
				     f->cb_read < 0 ? "disable" : "automatic");
		bad |= mpii_info_put(n, "romio_cb_write", f->cb_write > 0 ? "enable" :
				     f->cb_write < 0 ? "disable" : "automatic");
		bad |= mpii_info_put(n, "filename", f->name);
		for (const struct mpii_info_ent *e = f->info ? f->info->head : NULL; e; e = e->next)
			if (strcmp(e->key, "cb_buffer_size") && strcmp(e->key, "cb_nodes") &&
			    strncmp(e->key, "romio_cb_", 9))
				bad |= mpii_info_put(n, e->key, e->val);
	}
	if (!n || bad || !(n->handle = mpii_handle_new(MPII_K_INFO, n))) {
		mpii_info_destroy(n);
		return mpii_raise_file(f, MPI_ERR_NO_MEM, fname);
	}
	*info_used = n->handle;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_File_get_info)

/* ---- Error handlers ---- */

int PMPI_File_create_errhandler(MPI_File_errhandler_function *file_errhandler_fn,
				MPI_Errhandler *errhandler)
{
	return mpii_errh_create(MPII_AK_FILE, (MPI_Comm_errhandler_function *)file_errhandler_fn,
				errhandler, "MPI_File_create_errhandler");
}
MPII_ALIAS(MPI_File_create_errhandler)

int PMPI_File_set_errhandler(MPI_File file, MPI_Errhandler errhandler)
{
	static const char fname[] = "MPI_File_set_errhandler";
	struct mpii_file *f = NULL;
	struct mpii_errh *e, **slot;

	MPII_ENTER(fname);
	if (file != MPI_FILE_NULL && !(f = mpii_file_get(file)))
		return mpii_raise_file(NULL, MPI_ERR_FILE, fname);
	e = mpii_handle_get(MPII_K_ERRH, errhandler);
	if (!e || (e->kind && e->kind != MPII_AK_FILE))
		return mpii_raise_file(f, MPI_ERR_ARG, fname);
	slot = f ? &f->errh : &null_errh;
	file_null_errh();
	mpii_errh_ref(e);
	mpii_errh_unref(*slot);
	*slot = e;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_File_set_errhandler)

int PMPI_File_get_errhandler(MPI_File file, MPI_Errhandler *errhandler)
{
	static const char fname[] = "MPI_File_get_errhandler";
	struct mpii_file *f = NULL;

	MPII_ENTER(fname);
	if (file != MPI_FILE_NULL && !(f = mpii_file_get(file)))
		return mpii_raise_file(NULL, MPI_ERR_FILE, fname);
	if (!errhandler)
		return mpii_raise_file(f, MPI_ERR_ARG, fname);
	*errhandler = mpii_errh_ref(f ? f->errh : file_null_errh())->handle;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_File_get_errhandler)

int PMPI_File_call_errhandler(MPI_File fh, int errorcode)
{
	static const char fname[] = "MPI_File_call_errhandler";
	struct mpii_file *f = NULL;

	MPII_ENTER(fname);
	if (fh != MPI_FILE_NULL && !(f = mpii_file_get(fh)))
		return mpii_raise_file(NULL, MPI_ERR_FILE, fname);
	if (mpii_err_class(errorcode) < 0)
		return mpii_raise_file(f, MPI_ERR_ARG, fname);
	mpii_raise_file(f, errorcode, fname);
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_File_call_errhandler)

/* ---- Data representations ---- */

/* Names registered by the user: accepted and remembered; a view over one is refused
 * (MPI_ERR_UNSUPPORTED_DATAREP): the conversion callbacks are not called. */
struct datarep {
	struct datarep *next;
	char name[MPI_MAX_DATAREP_STRING];
};
static struct datarep *reps;

int PMPI_Register_datarep(const char *datarep, MPI_Datarep_conversion_function *read_conversion_fn,
			  MPI_Datarep_conversion_function *write_conversion_fn,
			  MPI_Datarep_extent_function *dtype_file_extent_fn, void *extra_state)
{
	static const char fname[] = "MPI_Register_datarep";
	struct datarep *d;

	(void)read_conversion_fn, (void)write_conversion_fn, (void)extra_state;
	MPII_ENTER(fname);
	if (!datarep || !dtype_file_extent_fn || strlen(datarep) >= MPI_MAX_DATAREP_STRING)
		return mpii_raise_file(NULL, MPI_ERR_ARG, fname);
	if (!strcmp(datarep, "native") || !strcmp(datarep, "internal") ||
	    !strcmp(datarep, "external32"))
		return mpii_raise_file(NULL, MPI_ERR_DUP_DATAREP, fname);
	for (d = reps; d; d = d->next)
		if (!strcmp(d->name, datarep))
			return mpii_raise_file(NULL, MPI_ERR_DUP_DATAREP, fname);
	d = calloc(1, sizeof(*d));
	if (!d)
		return mpii_raise_file(NULL, MPI_ERR_NO_MEM, fname);
	mpii_strlcpy(d->name, datarep, sizeof(d->name));
	d->next = reps;
	reps = d;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Register_datarep)

/* The conversion function that converts nothing (MPI-3.1 13.5.3). */
int MPI_CONVERSION_FN_NULL(void *userbuf, MPI_Datatype datatype, int count, void *filebuf,
			   MPI_Offset position, void *extra_state)
{
	(void)userbuf, (void)datatype, (void)count, (void)filebuf, (void)position;
	(void)extra_state;
	return MPI_SUCCESS;
}
