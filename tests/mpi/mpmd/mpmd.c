/* SPDX-License-Identifier: MIT */
/*
 * mpmd: one half of an MPMD job (mpirun -n A mpmd_server ARGS : -n B mpmd_client ARGS),
 * built twice: with MPMD_SERVER as mpmd_server, without as mpmd_client, so the job runs two
 * different images. Every rank learns which ranks are servers; client c sends a request to
 * server number c mod the servers and checks the reply; each context sums over its own
 * communicator (MPI_COMM_WORLD split by MPI_APPNUM). World rank 0 gathers one
 * line per rank (its program, appnum, arguments, FOO and BAR from the environment) and
 * prints them in rank order, so the output does not depend on scheduling and can be
 * compared with Open MPI's.
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE 256

#ifdef MPMD_SERVER
#define PROGRAM "server"
#else
#define PROGRAM "client"
#endif

static const char *base(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

int main(int argc, char **argv)
{
	int rank, size, flag, *attr, appnum, nservers = 0, sum, mysize, ok = 1;
	int *is, *servers, role;
	char line[LINE], *all = NULL;
	MPI_Comm mine;

	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &size);
	MPI_Comm_get_attr(MPI_COMM_WORLD, MPI_APPNUM, &attr, &flag);
	appnum = flag ? *attr : -1;
	/* is[r]: rank r is a server; servers[0..nservers): their ranks in order */
#ifdef MPMD_SERVER
	role = 1;
#else
	role = 0;
#endif
	is = malloc(sizeof(int) * (size_t)size);
	servers = malloc(sizeof(int) * (size_t)size);
	MPI_Allgather(&role, 1, MPI_INT, is, 1, MPI_INT, MPI_COMM_WORLD);
	for (int r = 0; r < size; r++)
		if (is[r])
			servers[nservers++] = r;
	if (!nservers)
		MPI_Abort(MPI_COMM_WORLD, 2);
#ifdef MPMD_SERVER
	for (int r = 0; r < size; r++) {
		int req, reply;

		if (is[r] || servers[r % nservers] != rank)
			continue;
		MPI_Recv(&req, 1, MPI_INT, r, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
		reply = req * 10 + rank;
		MPI_Send(&reply, 1, MPI_INT, r, 2, MPI_COMM_WORLD);
	}
#else
	{
		int req = rank, reply, to = servers[rank % nservers];

		MPI_Send(&req, 1, MPI_INT, to, 1, MPI_COMM_WORLD);
		MPI_Recv(&reply, 1, MPI_INT, to, 2, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
		ok = reply == rank * 10 + to;
	}
#endif
	MPI_Comm_split(MPI_COMM_WORLD, appnum, rank, &mine);
	MPI_Comm_size(mine, &mysize);
	MPI_Allreduce(&rank, &sum, 1, MPI_INT, MPI_SUM, mine);
	MPI_Comm_get_attr(MPI_COMM_WORLD, MPI_UNIVERSE_SIZE, &attr, &flag);
	snprintf(line, sizeof(line), "rank %d of %d: %s (%s) appnum %d, %d in its program "
		 "(rank sum %d), exchange %s, universe %s, argc %d", rank, size, PROGRAM,
		 base(argv[0]), appnum, mysize, sum, ok ? "ok" : "WRONG",
		 flag && *attr >= 1 ? "set" : "unset", argc);
	for (int i = 1; i < argc; i++)
		snprintf(line + strlen(line), sizeof(line) - strlen(line), " '%s'", argv[i]);
	snprintf(line + strlen(line), sizeof(line) - strlen(line), ", FOO=%s BAR=%s",
		 getenv("FOO") ? getenv("FOO") : "-", getenv("BAR") ? getenv("BAR") : "-");
	if (rank == 0 && !(all = malloc((size_t)size * LINE)))
		MPI_Abort(MPI_COMM_WORLD, 1);
	MPI_Gather(line, LINE, MPI_CHAR, all, LINE, MPI_CHAR, 0, MPI_COMM_WORLD);
	for (int r = 0; rank == 0 && r < size; r++)
		printf("%s\n", all + (size_t)r * LINE);
	MPI_Comm_free(&mine);
	free(all);
	free(servers);
	free(is);
	MPI_Finalize();
	return ok ? 0 : 1;
}
