// SPDX-License-Identifier: MIT
/*
 * dist_run.c: `tessera run --distributed` in tessera-dist: this process is one host of a
 * board spread over the processes mpirun started (one per host), and runs its part of the
 * job through host-driver/dist_job.c, with Open MPI between the processes (dist_mpi.c).
 * run.c parses the command line as for any run and calls these three in turn.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tessera/host.h"
#include "hd_impl.h"
#include "dist.h"
#include "ht.h"
#include "ht_dist.h"

static struct {
	struct hd_dist_net net;
	uint8_t tile_host[TESSERA_MAX_TILES];
	int open;
} dr;

void ht_dist_begin(const char *board, uint32_t nranks, const uint32_t *cores,
		   const char *host_map, uint8_t *local, uint32_t *host)
{
	struct tessera_geom g;

	if (hd_geom_load(board, &g))
		ht_die(1, "%s", hd_last_error());
	if (ht_dist_net_open(NULL, NULL, &dr.net))
		ht_die(1, "--distributed: Open MPI could not start (MPI_Init failed)");
	dr.open = 1;
	if (hd_dist_map(&g, dr.net.nhosts, host_map, dr.tile_host)) {
		if (dr.net.me == 0)
			fprintf(stderr, "tessera: %s\n", hd_last_error());
		ht_dist_net_close(0);
		exit(2);
	}
	for (uint32_t r = 0; r < nranks; r++) {
		uint32_t c = cores ? cores[r] : r;

		local[r] = c < tessera_cores(&g) && dr.tile_host[c / g.cores_per_tile] == dr.net.me;
	}
	*host = dr.net.me;
}

int ht_dist_job(const struct hd_board_opts *bo, const struct hd_job_opts *jo,
		const struct hd_job_app *apps, uint32_t napps,
		void (*on_board)(struct hd_board *b, void *arg), struct hd_job_result *res)
{
	struct hd_dist_job_opts o = { .net = &dr.net, .tile_host = dr.tile_host,
				      .on_board = on_board };

	return hd_dist_job_run(bo, jo, apps, napps, &o, res);
}

void ht_dist_end(void)
{
	if (dr.open)
		ht_dist_net_close(0);
	dr.open = 0;
}
