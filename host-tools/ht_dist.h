/* SPDX-License-Identifier: MIT */
/*
 * ht_dist.h: inside tessera-dist, between `tessera run --distributed` (dist_run.c) and the
 * Open MPI transport (dist_mpi.c). Host tools only.
 */
#ifndef HT_DIST_H
#define HT_DIST_H

struct hd_dist_net;

/* MPI_Init; fills net (this process is host net->me of net->nhosts). 0 or -EIO. */
int ht_dist_net_open(int *argc, char ***argv, struct hd_dist_net *net);
/* MPI_Finalize, or MPI_Abort(abort_code) when it is not 0. */
void ht_dist_net_close(int abort_code);

#endif
