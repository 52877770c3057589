/* SPDX-License-Identifier: MIT */
/* status.c: what a status says: counts, elements, cancellation. */
#include <limits.h>
#include "mpii_impl.h"

void mpii_status_null(MPI_Status *st)
{
	int keep;

	if (st == MPI_STATUS_IGNORE)
		return;
	keep = st->MPI_ERROR;
	mpii_status_empty(st);
	st->MPI_ERROR = keep;
}

static int check(const MPI_Status *status, MPI_Datatype datatype, struct mpii_dtype **t,
		 const void *out, const char *fname)
{
	if (!status || status == MPI_STATUS_IGNORE || !out)
		return mpii_raise(NULL, MPI_ERR_ARG, fname);
	if (mpii_dtype_check(datatype, t))
		return mpii_raise(NULL, MPI_ERR_TYPE, fname);
	return MPI_SUCCESS;
}

int PMPI_Get_count(const MPI_Status *status, MPI_Datatype datatype, int *count)
{
	struct mpii_dtype *t;
	int rc;

	MPII_ENTER("MPI_Get_count");
	if ((rc = check(status, datatype, &t, count, "MPI_Get_count")))
		return rc;
	if (t->size == 0)
		*count = 0;
	else if (status->mpii_count % t->size || status->mpii_count / t->size > INT_MAX)
		*count = MPI_UNDEFINED;
	else
		*count = (int)(status->mpii_count / t->size);
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Get_count)

int PMPI_Get_elements_x(const MPI_Status *status, MPI_Datatype datatype, MPI_Count *count)
{
	struct mpii_dtype *t;
	MPI_Count n;
	int rc;

	MPII_ENTER("MPI_Get_elements_x");
	if ((rc = check(status, datatype, &t, count, "MPI_Get_elements_x")))
		return rc;
	n = mpii_dtype_elements(t, status->mpii_count);
	*count = n < 0 ? MPI_UNDEFINED : n;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Get_elements_x)

int PMPI_Get_elements(const MPI_Status *status, MPI_Datatype datatype, int *count)
{
	MPI_Count n;
	int rc = PMPI_Get_elements_x(status, datatype, &n);

	if (rc == MPI_SUCCESS)
		*count = n > INT_MAX ? MPI_UNDEFINED : (int)n;
	return rc;
}
MPII_ALIAS(MPI_Get_elements)

int PMPI_Status_set_elements_x(MPI_Status *status, MPI_Datatype datatype, MPI_Count count)
{
	static const char fname[] = "MPI_Status_set_elements_x";
	struct mpii_dtype *t;
	MPI_Count whole, rem, bytes;
	int i;

	MPII_ENTER(fname);
	if (!status || count < 0)
		return mpii_raise(NULL, MPI_ERR_ARG, fname);
	if (mpii_dtype_check(datatype, &t))
		return mpii_raise(NULL, MPI_ERR_TYPE, fname);
	if (t->nbasic == 0) {
		status->mpii_count = 0;
		return MPI_SUCCESS;
	}
	/* count basic elements: whole elements of t, then the leading basics of one more */
	whole = count / t->nbasic;
	rem = count % t->nbasic;
	bytes = whole * t->size;
	for (i = 0; i < t->nseg && rem > 0; i++) {
		const struct mpii_seg *s = &t->seg[i];
		const struct mpii_basic *b = &mpii_basics[s->basic];
		MPI_Count per = b->pair ? 2 : 1, n = s->blen * s->cnt * per;

		if (rem >= n) {
			bytes += s->blen * s->cnt * b->size;
			rem -= n;
		} else {
			bytes += (rem / per) * b->size + (rem % per ? b->vsize : 0);
			rem = 0;
		}
	}
	status->mpii_count = bytes;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Status_set_elements_x)

int PMPI_Status_set_elements(MPI_Status *status, MPI_Datatype datatype, int count)
{
	return PMPI_Status_set_elements_x(status, datatype, count);
}
MPII_ALIAS(MPI_Status_set_elements)

int PMPI_Status_set_cancelled(MPI_Status *status, int flag)
{
	MPII_ENTER("MPI_Status_set_cancelled");
	if (!status)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Status_set_cancelled");
	status->mpii_cancelled = flag != 0;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Status_set_cancelled)

int PMPI_Test_cancelled(const MPI_Status *status, int *flag)
{
	MPII_ENTER("MPI_Test_cancelled");
	if (!status || !flag)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Test_cancelled");
	*flag = status->mpii_cancelled;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Test_cancelled)
