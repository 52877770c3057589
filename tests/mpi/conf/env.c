/* SPDX-License-Identifier: MIT */
/* env: init and thread levels, versions, time, addresses, memory, info, statuses. */
#include "conf.h"

int main(int argc, char **argv)
{
	int provided, flag, v, sv, k, len, nkeys;
	double t0, t1;
	MPI_Info info, info2;
	char key[MPI_MAX_INFO_KEY], val[MPI_MAX_INFO_VAL];

	MPI_Initialized(&flag);
	if (flag)
		printf("initialized too early\n");
	MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &size);
	report_same("provided >= funneled", provided >= MPI_THREAD_FUNNELED);
	MPI_Query_thread(&v);
	report_same("query_thread = provided", v == provided);
	MPI_Is_thread_main(&flag);
	report_same("is_thread_main", flag);
	MPI_Initialized(&flag);
	report_same("initialized", flag);
	MPI_Finalized(&flag);
	report_same("finalized", flag);
	MPI_Get_version(&v, &sv);
	report_same("version >= 3.1", v > 3 || (v == 3 && sv >= 1));
	{
		char lib[MPI_MAX_LIBRARY_VERSION_STRING], host[MPI_MAX_PROCESSOR_NAME];

		MPI_Get_library_version(lib, &len);
		report_same("library version non-empty", len > 0 && strlen(lib) > 0);
		MPI_Get_processor_name(host, &len);
		report_same("processor name non-empty", len > 0 && (int)strlen(host) == len);
	}
	t0 = MPI_Wtime();
	MPI_Barrier(MPI_COMM_WORLD);
	t1 = MPI_Wtime();
	report_same("wtime monotonic", t1 >= t0);
	report_same("wtick positive and small", MPI_Wtick() > 0 && MPI_Wtick() < 0.01);
	/* addresses */
	{
		int a[10];
		MPI_Aint p0, p5;

		MPI_Get_address(&a[0], &p0);
		MPI_Get_address(&a[5], &p5);
		report_same("address diff", (int)MPI_Aint_diff(p5, p0));
		report_same("address add", MPI_Aint_add(p0, 20) == p5);
	}
	/* memory */
	{
		double *p;

		MPI_Alloc_mem(1000 * sizeof(double), MPI_INFO_NULL, &p);
		for (k = 0; k < 1000; k++)
			p[k] = k;
		report_same("alloc_mem", (int)p[999]);
		MPI_Free_mem(p);
	}
	/* info objects */
	MPI_Info_create(&info);
	MPI_Info_set(info, "alpha", "1");
	MPI_Info_set(info, "beta", "two");
	MPI_Info_set(info, "gamma", "three");
	MPI_Info_set(info, "alpha", "one");
	MPI_Info_get_nkeys(info, &nkeys);
	report_same("info nkeys", nkeys);
	MPI_Info_get(info, "alpha", MPI_MAX_INFO_VAL - 1, val, &flag);
	if (rank == 0)
		printf("info alpha: %s %d\n", val, flag);
	MPI_Info_get_valuelen(info, "gamma", &len, &flag);
	report_same("info valuelen", len);
	MPI_Info_get(info, "missing", MPI_MAX_INFO_VAL - 1, val, &flag);
	report_same("info missing", flag);
	MPI_Info_dup(info, &info2);
	MPI_Info_delete(info, "beta");
	MPI_Info_get_nkeys(info, &nkeys);
	report_same("info after delete", nkeys);
	MPI_Info_get_nkeys(info2, &nkeys);
	report_same("dup unaffected", nkeys);
	if (rank == 0) {
		printf("info keys:");
		for (k = 0; k < nkeys; k++) {
			MPI_Info_get_nthkey(info2, k, key);
			printf(" %s", key);
		}
		printf("\n");
	}
	MPI_Info_get(info2, "beta", 2, val, &flag);
	if (rank == 0)
		printf("info truncated value: '%s'\n", val);
	MPI_Info_free(&info);
	MPI_Info_free(&info2);
	report_same("info freed", info == MPI_INFO_NULL);
	/* statuses set by hand */
	{
		MPI_Status s;
		int c;
		MPI_Count cx;

		MPI_Status_set_elements(&s, MPI_DOUBLE, 3);
		MPI_Get_count(&s, MPI_DOUBLE, &c);
		MPI_Get_elements_x(&s, MPI_DOUBLE, &cx);
		report_same("status_set_elements", c * 10 + (int)cx);
		MPI_Get_count(&s, MPI_INT, &c);
		report_same("as ints", c);
		MPI_Status_set_cancelled(&s, 1);
		MPI_Test_cancelled(&s, &flag);
		report_same("status_set_cancelled", flag);
	}
	MPI_Finalize();
	MPI_Finalized(&flag);
	if (rank == 0)
		printf("finalized after: %d\n", flag);
	return 0;
}
