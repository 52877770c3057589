// SPDX-License-Identifier: MIT
/*
 * top.c: `tessera top`: a live view of a running board in the terminal, refreshed in place
 * (plain ANSI escapes; on a pipe each frame is simply printed after the last). Per tile: what
 * its cores do, and the messages and bytes per second its cores sent and received, from the
 * counters in each core's status (msgs_sent, bytes_sent, msgs_recv, bytes_recv) sampled
 * once per interval; a map of the mesh by activity and the busiest tiles.
 * What it cannot show: the load of each link. The status counts per core, not per
 * destination, so the route of the bytes is unknown here; `tessera heatmap` of a trace
 * (`tessera run --trace`) shows it. Only the public API (include/tessera/host.h) is used.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "tessera/host.h"
#include "ht.h"

#define BUSIEST 5
#define MAP_MAX_X 32	/* wider meshes get no map (it would not fit a terminal) */

static const char top_usage[] =
	"usage: tessera top [--board HANDLE] [--interval S] [--iterations N | --once] [--all]\n"
	"  A live view of a running board: per tile, what its cores do and the messages and\n"
	"  bytes per second they send and receive (measured over each interval), a map of the\n"
	"  mesh by activity, the busiest tiles. Link load is not live: see `tessera heatmap`.\n"
	"\n"
	"  --board HANDLE   the board's directory (printed by `tessera boot`); default: the one\n"
	"                   live board under /dev/shm, or the one of them that runs a job\n"
	"                   (tessera ls lists them)\n"
	"  --interval S     seconds between frames (default 1)\n"
	"  --iterations N   print N frames, then exit (default: until Ctrl-C or the board ends)\n"
	"  --once           one frame (--iterations 1)\n"
	"  --all            every tile, also those without a core of the current job\n";

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* One look at every core's counters. */
struct sample {
	uint64_t t_ns;
	uint64_t vt_ns;		/* --timing=scc: the job's virtual time (its furthest core) */
	int timed;
	uint32_t job_seq;
	struct hd_core_info *ci;
};

struct tile_rate {
	uint32_t tile;
	double msgs_out, msgs_in, bytes_out, bytes_in;	/* per second */
	uint64_t total_out, total_in;			/* messages since the job began */
	int job_cores;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int read_header(struct hd_board *b, struct tessera_header *h)
{
	return hd_mem_read(b, HD_SPACE_CHIP, 0, hd_board_layout(b)->header_off, h, sizeof(*h));
}

static int take(struct hd_board *b, uint32_t ncores, struct sample *s)
{
	struct tessera_header h;
	int rc;

	if ((rc = read_header(b, &h)))
		return rc;
	s->job_seq = h.job_seq;
	s->t_ns = now_ns();
	s->vt_ns = 0;
	s->timed = 0;
	for (uint32_t c = 0; c < ncores; c++) {
		if ((rc = hd_core_info(b, c, &s->ci[c])))
			return rc;
		if (s->ci[c].timed) {
			s->timed = 1;
			if (s->ci[c].vtime_ns > s->vt_ns)
				s->vt_ns = s->ci[c].vtime_ns;
		}
	}
	return 0;
}

/* "run", "recv<3 h", "exit 0", ...: at most 12 characters. */
static void core_state(const struct hd_core_info *ci, char *buf, size_t n)
{
	const char *h = ci->halted ? " h" : "";

	switch (ci->state) {
	case TESSERA_CORE_RESET: snprintf(buf, n, "reset"); return;
	case TESSERA_CORE_BOOTING: snprintf(buf, n, "boot"); return;
	case TESSERA_CORE_EXITED: snprintf(buf, n, "exit %d", ci->exit_code); return;
	case TESSERA_CORE_CRASHED: snprintf(buf, n, "crashed"); return;
	case TESSERA_CORE_PANICKED: snprintf(buf, n, "panic"); return;
	case TESSERA_CORE_RUNNING: break;
	default: snprintf(buf, n, "?"); return;
	}
	switch (ci->wait_kind) {
	case TESSERA_WAIT_RECV:
		if (ci->wait_peer < 0)
			snprintf(buf, n, "recv<any%s", h);
		else
			snprintf(buf, n, "recv<%d%s", ci->wait_peer, h);
		break;
	case TESSERA_WAIT_SSEND: snprintf(buf, n, "ssend>%d%s", ci->wait_peer, h); break;
	case TESSERA_WAIT_SEND: snprintf(buf, n, "send>%d%s", ci->wait_peer, h); break;
	case TESSERA_WAIT_COLL: snprintf(buf, n, "coll%s", h); break;
	case TESSERA_WAIT_HOST: snprintf(buf, n, "host%s", h); break;
	case TESSERA_WAIT_RMA_LOCK: snprintf(buf, n, "wlock<%d%s", ci->wait_peer, h); break;
	case TESSERA_WAIT_FILE_LOCK: snprintf(buf, n, "flock<%d%s", ci->wait_peer, h); break;
	case TESSERA_WAIT_SLEEP: snprintf(buf, n, "sleep%s", h); break;
	default: snprintf(buf, n, "run%s", h); break;
	}
}

/* 1234, 12.3K, 4.56M (k = 1000 for counts, 1024 for bytes). */
static const char *human(char *buf, size_t n, double v, double k)
{
	static const char unit[] = "KMGT";
	int u = -1;

	while (v >= 9999.5 && u < 3)
		v /= k, u++;
	if (u < 0)
		snprintf(buf, n, "%.0f", v);
	else
		snprintf(buf, n, "%.*f%c", v < 9.95 ? 2 : v < 99.5 ? 1 : 0, v, unit[u]);
	return buf;
}

static uint64_t delta(uint64_t now, uint64_t then)
{
	return now >= then ? now - then : now;	/* a counter that went back was reset */
}

static int by_bytes(const void *pa, const void *pb)
{
	const struct tile_rate *a = pa, *b = pb;
	double x = a->bytes_out + a->bytes_in, y = b->bytes_out + b->bytes_in;

	return x < y ? 1 : x > y ? -1 : (a->tile > b->tile) - (a->tile < b->tile);
}

struct view {
	const char *handle;
	struct hd_board *b;
	const struct tessera_geom *g;
	uint32_t ncores, tiles;
	double interval;
	int all, tty, frame;
	struct tile_rate *rate, *sorted;
};

/* Everything of one frame goes through here: on a terminal each line clears its rest. */
__attribute__((format(printf, 2, 3))) static void line(const struct view *v, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputs(v->tty ? "\033[K\n" : "\n", stdout);
}

/* Rates per second of the job's clock: host time, or its virtual time under --timing=scc
 * (what the chip would have sent per second). */
static void rates(struct view *v, const struct sample *then, const struct sample *now)
{
	int fresh = now->job_seq != then->job_seq;	/* a new job: its counters began at 0 */
	double dt = now->timed ? (double)(now->vt_ns - (fresh ? 0 : then->vt_ns)) / 1e9 :
				 (double)(now->t_ns - then->t_ns) / 1e9;

	if (dt <= 0)
		dt = 1e-9;
	for (uint32_t t = 0; t < v->tiles; t++) {
		struct tile_rate *r = &v->rate[t];

		memset(r, 0, sizeof(*r));
		r->tile = t;
		for (uint32_t z = 0; z < v->g->cores_per_tile; z++) {
			uint32_t c = t * v->g->cores_per_tile + z;
			const struct hd_core_info *a = &then->ci[c], *b = &now->ci[c];

			r->job_cores += b->rank >= 0;
			r->msgs_out += (double)(fresh ? b->msgs_sent : delta(b->msgs_sent, a->msgs_sent));
			r->msgs_in += (double)(fresh ? b->msgs_recv : delta(b->msgs_recv, a->msgs_recv));
			r->bytes_out += (double)(fresh ? b->bytes_sent :
						 delta(b->bytes_sent, a->bytes_sent));
			r->bytes_in += (double)(fresh ? b->bytes_recv :
						delta(b->bytes_recv, a->bytes_recv));
			r->total_out += b->msgs_sent;
			r->total_in += b->msgs_recv;
		}
		r->msgs_out /= dt;
		r->msgs_in /= dt;
		r->bytes_out /= dt;
		r->bytes_in /= dt;
	}
}

static void print_frame(struct view *v, const struct sample *s, const struct tessera_header *h)
{
	const struct tessera_geom *g = v->g;
	uint32_t counts[6] = { 0 };
	double total_m = 0, total_b = 0, top = 0;
	char a[16], b[16], c[16], d[16], e[16], f[16];

	if (v->tty)
		fputs(v->frame == 1 ? "\033[H\033[2J" : "\033[H", stdout);
	else if (v->frame > 1)
		putchar('\n');
	line(v, "tessera top: %s (%s, %ux%u tiles x %u cores), job %u, %u ranks, frame %d, "
	     "every %.3g s", v->handle, g->name, g->mesh_x, g->mesh_y, g->cores_per_tile,
	     h->job_seq, h->nranks, v->frame, v->interval);
	if (s->timed)
		line(v, "virtual time (--timing=scc): %.6f s; rates are per virtual second",
		     (double)s->vt_ns / 1e9);
	for (uint32_t c0 = 0; c0 < v->ncores; c0++)
		if (s->ci[c0].rank >= 0 && s->ci[c0].state < 6)
			counts[s->ci[c0].state]++;
	for (uint32_t t = 0; t < v->tiles; t++) {
		total_m += v->rate[t].msgs_out;
		total_b += v->rate[t].bytes_out;
		if (v->rate[t].bytes_out + v->rate[t].bytes_in > top)
			top = v->rate[t].bytes_out + v->rate[t].bytes_in;
	}
	line(v, "ranks: %u running, %u exited, %u crashed, %u panicked, %u in reset; "
	     "%s msgs/s, %sB/s sent in all", counts[TESSERA_CORE_RUNNING] +
	     counts[TESSERA_CORE_BOOTING], counts[TESSERA_CORE_EXITED],
	     counts[TESSERA_CORE_CRASHED], counts[TESSERA_CORE_PANICKED],
	     counts[TESSERA_CORE_RESET], human(a, sizeof(a), total_m, 1000),
	     human(b, sizeof(b), total_b, 1024));
	line(v, "%s", "");
	line(v, "%-6s %-*s %8s %8s %9s %9s %9s %9s", "TILE", 14 * (int)g->cores_per_tile,
	     "CORES (rank state)", "MSG/S>", "MSG/S<", "B/S>", "B/S<", "MSGS>", "MSGS<");
	for (uint32_t t = 0; t < v->tiles; t++) {
		const struct tile_rate *r = &v->rate[t];
		char cores[14 * TESSERA_MAX_CORES_PER_TILE + 1] = "", tile[16];
		int busy = 0;

		for (uint32_t z = 0; z < g->cores_per_tile; z++) {
			const struct hd_core_info *ci = &s->ci[t * g->cores_per_tile + z];
			char st[24], cell[32];

			busy |= ci->rank >= 0 || ci->state != TESSERA_CORE_RESET;
			if (ci->rank >= 0) {
				core_state(ci, st, sizeof(st));
				snprintf(cell, sizeof(cell), "r%d %s", ci->rank, st);
			} else {
				snprintf(cell, sizeof(cell), "-");
			}
			snprintf(cores + strlen(cores), sizeof(cores) - strlen(cores), "%-14.13s",
				 cell);
		}
		if (!busy && !v->all)
			continue;
		snprintf(tile, sizeof(tile), "%u,%u", t % g->mesh_x, t / g->mesh_x);
		line(v, "%-6s %-*s %8s %8s %9s %9s %9s %9s", tile, 14 * (int)g->cores_per_tile,
		     cores, human(a, sizeof(a), r->msgs_out, 1000),
		     human(b, sizeof(b), r->msgs_in, 1000), human(c, sizeof(c), r->bytes_out, 1024),
		     human(d, sizeof(d), r->bytes_in, 1024),
		     human(e, sizeof(e), (double)r->total_out, 1000),
		     human(f, sizeof(f), (double)r->total_in, 1000));
	}
	if (g->mesh_x <= MAP_MAX_X) {
		line(v, "%s", "");
		line(v, "mesh (y up; 1-9: bytes/s sent+received against the busiest tile, "
		     ". idle, - no rank):");
		for (uint32_t y = g->mesh_y; y-- > 0;) {
			char row[2 * MAP_MAX_X + 16];
			int at = snprintf(row, sizeof(row), "  y%-2u ", y);

			for (uint32_t x = 0; x < g->mesh_x; x++) {
				const struct tile_rate *r = &v->rate[y * g->mesh_x + x];
				double load = r->bytes_out + r->bytes_in;
				char ch = !r->job_cores ? '-' : load <= 0 || top <= 0 ? '.' :
					  (char)('1' + (int)(8.999 * load / top));
				row[at++] = ch;
				row[at++] = ' ';
			}
			row[at] = 0;
			line(v, "%s", row);
		}
	}
	memcpy(v->sorted, v->rate, v->tiles * sizeof(*v->rate));
	qsort(v->sorted, v->tiles, sizeof(*v->sorted), by_bytes);
	line(v, "%s", "");
	{
		char buf[512] = "busiest tiles:";
		int shown = 0;

		for (uint32_t i = 0; i < v->tiles && shown < BUSIEST; i++) {
			const struct tile_rate *r = &v->sorted[i];
			if (r->bytes_out + r->bytes_in <= 0)
				break;
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s %u,%u %sB/s",
				 shown++ ? "," : "", r->tile % g->mesh_x, r->tile / g->mesh_x,
				 human(a, sizeof(a), r->bytes_out + r->bytes_in, 1024));
		}
		line(v, "%s", shown ? buf : "busiest tiles: none moved a byte in this interval");
	}
	line(v, "links: not measured live (cores count bytes, not routes); see `tessera heatmap`");
	if (v->tty)
		fputs("\033[J", stdout);
	fflush(stdout);
}

static void sleep_s(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (double)(time_t)s) * 1e9) };

	while (!stop && nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/*
 * `tessera top`: argv[0] is "top". Prints frames until --iterations, Ctrl-C or the end of
 * the board; returns 0, or 1 if the board cannot be read; dies with 2 for bad usage.
 */
int ht_top(int argc, char **argv)
{
	enum { O_BOARD = 256, O_INTERVAL, O_ITER, O_ONCE, O_ALL, O_HELP };
	static const struct option opts[] = {
		{ "board", required_argument, 0, O_BOARD }, { "on", required_argument, 0, O_BOARD },
		{ "interval", required_argument, 0, O_INTERVAL },
		{ "iterations", required_argument, 0, O_ITER }, { "once", no_argument, 0, O_ONCE },
		{ "all", no_argument, 0, O_ALL }, { "help", no_argument, 0, O_HELP },
		{ 0, 0, 0, 0 } };
	struct view v = { .interval = 1.0 };
	struct sample s[2] = { 0 };
	const char *handle = NULL;
	char *end;
	long iterations = 0;
	int opt, cur = 0, rc = 0;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case O_BOARD: handle = optarg; break;
		case O_INTERVAL:
			v.interval = strtod(optarg, &end);
			if (end == optarg || *end || !(v.interval >= 0.01 && v.interval <= 3600))
				ht_die(2, "top: --interval: '%s' is not 0.01..3600 seconds", optarg);
			break;
		case O_ITER:
			iterations = strtol(optarg, &end, 10);
			if (end == optarg || *end || iterations < 1)
				ht_die(2, "top: --iterations: '%s' is not a positive number", optarg);
			break;
		case O_ONCE: iterations = 1; break;
		case O_ALL: v.all = 1; break;
		case O_HELP: fputs(top_usage, stdout); return 0;
		default:
			ht_die(2, "top: unknown or incomplete option '%s' (see tessera top --help)",
			       argv[optind - 1]);
		}
	}
	if (optind < argc)
		ht_die(2, "top: unexpected argument '%s' (see tessera top --help)", argv[optind]);
	v.handle = handle ? handle : (handle = ht_pick_board("top"));
	v.b = ht_open(v.handle);
	v.g = hd_board_geom(v.b);
	v.tiles = v.g->mesh_x * v.g->mesh_y;
	v.ncores = v.tiles * v.g->cores_per_tile;
	v.tty = isatty(STDOUT_FILENO);
	v.rate = calloc(v.tiles, sizeof(*v.rate));
	v.sorted = calloc(v.tiles, sizeof(*v.sorted));
	s[0].ci = calloc(v.ncores, sizeof(*s[0].ci));
	s[1].ci = calloc(v.ncores, sizeof(*s[1].ci));
	if (!v.rate || !v.sorted || !s[0].ci || !s[1].ci)
		ht_die(1, "top: out of memory");
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (take(v.b, v.ncores, &s[cur]))
		ht_die(1, "top: %s", hd_last_error());
	if (v.tty)
		fputs("\033[?25l", stdout);	/* no cursor while frames are drawn */
	while (!stop && (!iterations || v.frame < iterations)) {
		struct tessera_header h;

		sleep_s(v.interval);
		if (stop)
			break;
		if (!ht_is_board_handle(handle)) {
			printf("tessera top: board %s is gone (its job or server ended)\n", handle);
			break;
		}
		if (take(v.b, v.ncores, &s[!cur]) || read_header(v.b, &h)) {
			fprintf(stderr, "tessera: top: %s\n", hd_last_error());
			rc = 1;
			break;
		}
		cur = !cur;
		v.frame++;
		rates(&v, &s[!cur], &s[cur]);
		print_frame(&v, &s[cur], &h);
	}
	if (v.tty)
		fputs("\033[?25h", stdout);
	fflush(stdout);
	hd_board_close(v.b);
	free(v.rate);
	free(v.sorted);
	free(s[0].ci);
	free(s[1].ci);
	return rc;
}
