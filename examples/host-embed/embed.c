// SPDX-License-Identifier: MIT
/*
 * host-embed: a host program that embeds tessera through libtessera-host: it creates a
 * board, runs a tile image on 8 cores in-process, collects each core's output through the
 * output callback, and prints a summary. Build it like any library user would:
 *   cc embed.c $(pkg-config --cflags --libs tessera-host)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tessera/host.h>

#define RANKS 8

struct collected {
	char text[RANKS][256];
	size_t len[RANKS];
	size_t bytes;
};

static void on_output(void *arg, uint32_t rank, int fd, const char *data, size_t n)
{
	struct collected *c = arg;

	(void)fd;
	if (rank < RANKS) {
		size_t room = sizeof(c->text[rank]) - 1 - c->len[rank];
		size_t take = n < room ? n : room;
		memcpy(c->text[rank] + c->len[rank], data, take);
		c->len[rank] += take;
	}
	c->bytes += n;
}

int main(int argc, char **argv)
{
	const char *image = argc > 1 ? argv[1] : "build/apps/hello";
	char *args[] = { (char *)image, NULL };
	struct hd_board_opts bo = { .board = "scc48" };
	struct hd_job_opts jo = {
		.image = image, .nranks = RANKS, .argc = 1, .argv = args, .stdin_fd = -1,
		.output = on_output, .timeout_s = 30,
	};
	struct collected out = { 0 };
	struct hd_job_result res;
	struct hd_board *b;
	char report[4096];
	int rc = 1;

	jo.output_arg = &out;
	printf("libtessera-host %s\n", hd_version());
	if (hd_board_create(&bo, &b)) {
		fprintf(stderr, "host-embed: %s\n", hd_last_error());
		return 1;
	}
	if (hd_job_start(b, &jo) || hd_job_wait(b, &res)) {
		fprintf(stderr, "host-embed: %s\n", hd_last_error());
		goto out;
	}
	for (uint32_t r = 0; r < RANKS; r++) {
		struct hd_core_info ci;
		hd_core_info(b, r, &ci);
		printf("rank %u: core %u, tile %u,%u, exit %d: %.*s", r, ci.core, ci.tile_x,
		       ci.tile_y, ci.exit_code, (int)out.len[r], out.text[r]);
	}
	hd_job_report(&res, report, sizeof(report));
	printf("summary: %d ranks, %zu bytes of output, job status %d%s%s\n", RANKS, out.bytes,
	       res.status, report[0] ? ": " : "", report);
	rc = res.status;
out:
	hd_board_close(b);
	return rc;
}
