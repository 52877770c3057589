// SPDX-License-Identifier: MIT
/*
 * run.c: `tessera run`: the one-shot form. Creates a board (or uses one made by `tessera
 * boot`), runs one job on it, prints the cores' output (prefixed [rank] under --tag-output,
 * a line at a time; also into files per rank under --output-filename), tears everything
 * down, and exits with the job's status. The ranks get this process's environment, as
 * programs started by mpirun do, with --env on top; the image is looked up as mpirun looks
 * up a program: a name with a '/' as it is, otherwise in PATH, then in the current directory.
 * Several programs in one job (MPMD) are contexts separated by ':' (contexts.c). A job with
 * more ranks than the default board has cores, and no board named, runs on one that fits.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "tessera/host.h"
#include "ht.h"

static const char run_usage[] =
	"usage: tessera run [OPTIONS] IMAGE [ARGS...]\n"
	"       tessera run [OPTIONS] IMAGE [ARGS...] : [-n N] [--env VAR=VALUE] IMAGE [ARGS...] ...\n"
	"\n"
	"  -n, --np N             ranks (default 1), one per core; with more than the\n"
	"                         default board's cores (or --cores beyond them) and no\n"
	"                         --board, a board that fits, said in one line\n"
	"  --board NAME|FILE|HANDLE  preset (scc48, mesh8x8, mesh32x32), board file,\n"
	"                         or a board made by `tessera boot` (its handle)\n"
	"  --board-dir DIR        create the board in DIR (default: under /dev/shm)\n"
	"  --cores LIST           cores for ranks 0, 1, ... (e.g. 0-3,8,10-11)\n"
	"  --backend SPEC         emu (default), qemu, or per core: qemu:0-3,emu\n"
	"  --image-i386 FILE      image for the qemu cores of a mixed job\n"
	"  IMAGE ... : IMAGE ...  several programs in one job (MPMD, as mpirun's ':'): each\n"
	"                         context's -n, --env and --image-i386 come before its\n"
	"                         IMAGE, the first context's among these options; the ranks\n"
	"                         follow the contexts' order, MPI_APPNUM is the context's\n"
	"                         number; after `--` every argument is the program's, ':' too\n"
	"  --coherence MODE       host (default) or strict (model L1 and WCB)\n"
	"  --break WHAT           invalidate | flush: channels skip it (study mode)\n"
	"  --tag-output           prefix each line with [rank]\n"
	"  -q, --quiet            no line for a rank's non-zero exit status (the status\n"
	"                         is still the command's; crashes are still reported),\n"
	"                         no progress line (shown on a terminal for steps > 1 s)\n"
	"  --timeout S            stop the job after S seconds (exit 124)\n"
	"  --env VAR=VALUE        set a variable in the tiles' environment (they get this\n"
	"                         command's environment, and these on top; per context)\n"
	"  --output-filename DIR  also write each rank's output to DIR/1/rank.N/stdout|stderr\n"
	"  --workdir DIR          root of the tiles' files (default: the current directory)\n"
	"  --allow-path DIR       let tiles reach DIR too (absolute paths)\n"
	"  --trace FILE           record a trace for Perfetto: FILE.pftrace in Perfetto's\n"
	"                         protobuf format, any other name Chrome's JSON\n"
	"  --trace-format F       perfetto or json, whatever FILE's name\n"
	"  --trace-filter LIST    kinds written: send,recv,message,coll,halt,hostcall,\n"
	"                         power,counter (p2p, all); +KIND/-KIND change the\n"
	"                         default (all but counter)\n"
	"  --trace-limit N        cut the trace where it would pass N bytes (100M, 2G)\n"
	"                         or N events (500000ev, 2Mev); a note marks the cut\n"
	"  --deadlock S           report a deadlock after S s without change (default 2;\n"
	"                         0 turns detection off)\n"
	"  --timing MODE          host (default): clocks show host time; scc: every core\n"
	"                         keeps a virtual clock in SCC core cycles (cost model of\n"
	"                         the board, computation scaled), shown by MPI_Wtime,\n"
	"                         clock_gettime, traces, ps and top; a summary at the end\n"
	"  --timing-scale F       virtual core cycles per ns of host CPU time (default:\n"
	"                         this host's calibration, printed in the summary)\n"
	"  --deterministic        cores take turns, lowest virtual time first: every run\n"
	"                         matches, probes and tests alike (and counts no\n"
	"                         computation in virtual time)\n"
	"  --record FILE          write the run's nondeterministic decisions to FILE\n"
	"  --replay FILE          make them as FILE says (stops where the program diverges)\n"
	"  --log-dir DIR          where backends put per-core logs\n"
	"  --distributed          one board over the host processes mpirun started, one\n"
	"                         per host: mpirun -np H tessera run --distributed ...\n"
	"                         (docs/distributed.md)\n"
	"  --host-map MAP         which host runs which tile: blocks (default: the mesh in\n"
	"                         H rectangles), rows, or tile lists per host: 0-11/12-23\n"
	"  --gdb RANK             start RANK stopped before its first instruction and print\n"
	"                         the gdb command that attaches to it (docs/debugging.md);\n"
	"                         time it is held stopped does not count for --timeout, and\n"
	"                         deadlock detection is off unless --deadlock is given\n"
	"  --cores-per-process N  emu: cores run by one host process, switched in user space\n"
	"                         (1: a process per core, for isolation; default auto:\n"
	"                         one process per CPU once cores outnumber the CPUs, on\n"
	"                         each host of a --distributed board too; the rank under\n"
	"                         --gdb has one of its own; also TESSERA_CORES_PER_PROCESS)\n"
	"\n"
	"Exit status: the first non-zero status of a rank, 128+signal for a crash,\n"
	"124 for a timeout, 125 for a deadlock, 130 when interrupted.\n";

#define MAX_ALLOW 15

struct out_state {
	int tag;
	uint32_t nranks;
	FILE **files;		/* per rank and fd under --output-filename, else NULL */
	struct line {
		char *buf;
		size_t len, cap;
	} *lines;		/* per rank and fd: a partial line under --tag-output */
};

static void emit(int fd, uint32_t rank, const char *p, size_t n)
{
	FILE *f = fd == 2 ? stderr : stdout;
	char tag[16];

	ht_out(f, tag, (size_t)snprintf(tag, sizeof(tag), "[%u] ", rank));
	ht_out(f, p, n);
}

static void on_output(void *arg, uint32_t rank, int fd, const char *data, size_t n)
{
	struct out_state *o = arg;
	struct line *l;

	ht_progress_output(data, n);
	if (o->files && rank < o->nranks && o->files[rank * 2 + (fd == 2)]) {
		FILE *f = o->files[rank * 2 + (fd == 2)];
		fwrite(data, 1, n, f);
		fflush(f);
	}
	if (!o->tag) {
		ht_out(fd == 2 ? stderr : stdout, data, n);
		return;
	}
	l = &o->lines[rank * 2 + (fd == 2)];
	while (n) {
		const char *nl = memchr(data, '\n', n);
		size_t take = nl ? (size_t)(nl - data) + 1 : n;

		if (l->len + take > l->cap) {
			size_t cap = (l->len + take) * 2;
			char *nb = realloc(l->buf, cap);
			if (!nb)
				ht_die(1, "out of memory");
			l->buf = nb;
			l->cap = cap;
		}
		memcpy(l->buf + l->len, data, take);
		l->len += take;
		if (nl) {
			emit(fd, rank, l->buf, l->len);
			l->len = 0;
		}
		data += take;
		n -= take;
	}
}

static void flush_lines(struct out_state *o)
{
	for (uint32_t i = 0; o->tag && i < o->nranks * 2; i++) {
		if (o->lines[i].len) {
			emit(i % 2 ? 2 : 1, i / 2, o->lines[i].buf, o->lines[i].len);
			ht_out(i % 2 ? stderr : stdout, "\n", 1);
		}
		free(o->lines[i].buf);
	}
	free(o->lines);
}

/*
 * A job that failed on QEMU tiles without --log-dir: the VMs' logs are in the board
 * directory, which closing the board removes. Move them to /tmp/tessera-logs-<pid> first
 * and say where they are.
 */
/* Copy a file (the board lives in /dev/shm, another file system than /tmp). */
static int copy_file(const char *from, const char *to)
{
	char buf[65536];
	FILE *in = fopen(from, "rb"), *out = in ? fopen(to, "wb") : NULL;
	size_t n;
	int rc = in && out ? 0 : -1;

	while (!rc && (n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			rc = -1;
	if (out && fclose(out))
		rc = -1;
	if (in)
		fclose(in);
	return rc;
}

static void keep_vm_logs(struct hd_board *b)
{
	char keep[64], from[4200], to[4300];
	const char *dir = hd_board_handle(b);
	struct dirent *e;
	DIR *d = opendir(dir);
	int kept = 0;

	if (!d)
		return;
	snprintf(keep, sizeof(keep), "/tmp/tessera-logs-%d", (int)getpid());
	if (mkdir(keep, 0755) && errno != EEXIST) {
		closedir(d);
		return;
	}
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, "qemu-core", 9))
			continue;
		snprintf(from, sizeof(from), "%s/%s", dir, e->d_name);
		snprintf(to, sizeof(to), "%s/%s", keep, e->d_name);
		if (copy_file(from, to) == 0)
			kept++;
	}
	closedir(d);
	if (!kept)
		rmdir(keep);
	if (kept)
		fprintf(stderr, "tessera: the VMs' logs are kept in %s\n", keep);
}

/* Open MPI's layout for --output-filename DIR: DIR/1/rank.N/stdout and stderr, both made
 * for every rank (1 is the job's number), or for those local[] marks (NULL: all). */
static void open_output_files(struct out_state *o, const char *dir, const uint8_t *local)
{
	char path[PATH_MAX];

	o->files = calloc((size_t)o->nranks * 2, sizeof(*o->files));
	if (!o->files)
		ht_die(1, "out of memory");
	for (uint32_t r = 0; r < o->nranks; r++) {
		if (local && !local[r])
			continue;
		snprintf(path, sizeof(path), "%s/1/rank.%u", dir, r);
		for (char *p = path + 1; (p = strchr(p, '/')); p++) {
			*p = 0;
			if (mkdir(path, 0777) && errno != EEXIST)
				ht_die(1, "--output-filename: %s: %s", path, strerror(errno));
			*p = '/';
		}
		if (mkdir(path, 0777) && errno != EEXIST)
			ht_die(1, "--output-filename: %s: %s", path, strerror(errno));
		for (int fd = 1; fd <= 2; fd++) {
			char file[PATH_MAX + 8];
			snprintf(file, sizeof(file), "%s/%s", path, fd == 1 ? "stdout" : "stderr");
			if (!(o->files[r * 2 + fd - 1] = fopen(file, "w")))
				ht_die(1, "--output-filename: %s: %s", file, strerror(errno));
		}
	}
}

static void close_output_files(struct out_state *o)
{
	for (uint32_t i = 0; o->files && i < o->nranks * 2; i++)
		if (o->files[i])
			fclose(o->files[i]);
	free(o->files);
	o->files = NULL;
}

/* The image as mpirun finds a program: a name with '/' as given, else the first regular
 * file of that name in PATH, else the current directory's. */
static const char *find_image(const char *name, char *buf, size_t n)
{
	const char *path = getenv("PATH"), *p, *end;
	struct stat st;

	if (strchr(name, '/'))
		return name;
	for (p = path; p && *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, ':');
		if (end == p)
			continue;
		snprintf(buf, n, "%.*s/%s", (int)(end - p), p, name);
		if (!stat(buf, &st) && S_ISREG(st.st_mode) && !access(buf, R_OK))
			return buf;
	}
	return name;
}

/* The ranks' environment: this process's, less PWD and the names --env sets; then PWD, the
 * tiles' working directory (workdir) as the host resolves it; then --env's (the last of
 * several for one name). */
static char **rank_environment(char **set, int nset, const char *workdir)
{
	extern char **environ;
	static char pwd[PATH_MAX + 8];
	char real[PATH_MAX];
	size_t n = 0, k = 0;
	char **out;

	while (environ && environ[n])
		n++;
	if (!(out = calloc(n + (size_t)nset + 2, sizeof(*out))))
		ht_die(1, "out of memory");
	for (size_t i = 0; i < n; i++) {
		size_t len = strcspn(environ[i], "=");
		int overridden = !strncmp(environ[i], "PWD=", 4);
		for (int j = 0; j < nset && !overridden; j++)
			overridden = !strncmp(set[j], environ[i], len + 1);
		if (!overridden)
			out[k++] = environ[i];
	}
	if (realpath(workdir ? workdir : ".", real)) {
		snprintf(pwd, sizeof(pwd), "PWD=%s", real);
		out[k++] = pwd;
	}
	for (int j = 0; j < nset; j++) {
		size_t len = strcspn(set[j], "=");
		int later = 0;
		for (int i = j + 1; i < nset && !later; i++)
			later = !strncmp(set[i], set[j], len + 1);
		if (!later)
			out[k++] = set[j];
	}
	return out;
}

/* --trace-limit: a size (K, M, G: powers of 1024, B optional) or a count of events (a
 * number ending in "ev" or "events", K and M powers of 1000). */
static void parse_trace_limit(const char *s, struct hd_job_opts *jo)
{
	char *end;
	double v = strtod(s, &end);
	const char *unit = end;
	double mul = 1;
	int events = 0;

	if (end == s || v <= 0)
		goto bad;
	if (*unit == 'K' || *unit == 'k' || *unit == 'M' || *unit == 'G') {
		int k = *unit == 'G' ? 3 : *unit == 'M' ? 2 : 1;
		unit++;
		events = !strcmp(unit, "ev") || !strcmp(unit, "events");
		while (k--)
			mul *= events ? 1000 : 1024;
	} else {
		events = !strcmp(unit, "ev") || !strcmp(unit, "events");
	}
	if (!events && *unit && strcmp(unit, "B"))
		goto bad;
	if (v * mul < 1 || v * mul > 1e18)
		goto bad;
	if (events)
		jo->trace_limit_events = (uint64_t)(v * mul);
	else
		jo->trace_limit_bytes = (uint64_t)(v * mul);
	return;
bad:
	ht_die(2, "--trace-limit: '%s' is not a size (64M, 1G) or a number of events (500000ev)",
	       s);
}

/* `tessera run --distributed` needs Open MPI, which tessera-dist (next to this command)
 * links and this command does not (so that every other run starts without it). */
__attribute__((noreturn)) static void exec_dist(int argc, char **argv)
{
	char self[PATH_MAX], path[PATH_MAX + 16], *slash;
	char **nargv = calloc((size_t)argc + 2, sizeof(*nargv));
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n <= 0 || !nargv)
		ht_die(1, "--distributed: cannot find tessera-dist");
	self[n] = 0;
	if ((slash = strrchr(self, '/')))
		*slash = 0;
	snprintf(path, sizeof(path), "%s/tessera-dist", self);
	nargv[0] = path;
	for (int i = 0; i < argc; i++)
		nargv[i + 1] = argv[i];
	execv(path, nargv);
	ht_die(1, "--distributed: %s: %s (it is built when Open MPI's libopenmpi-dev is "
	       "installed)", path, strerror(errno));
}

/* A signal stops the job once the board exists (stop.c). */
static void dist_on_board(struct hd_board *b, void *arg)
{
	(void)arg;
	ht_stop_board(b);
}

/*
 * This process is one host of a board over several (mpirun started one per host): the
 * ranks of its cores print here (their output files are made here), host 0 reports the
 * end, every host exits with the job's status.
 */
static int run_distributed(struct hd_board_opts *bo, struct hd_job_opts *jo,
			   struct hd_job_app *apps, uint32_t nctx, struct out_state *out,
			   const char *outdir, const char *host_map, const char *on, int quiet)
{
	struct hd_job_result res;
	uint8_t *local = calloc(out->nranks, 1);
	uint32_t host = 0;
	char report[4096];
	int rc;

	if (on)
		ht_die(2, "--distributed: every host makes its part of the board; a board made by "
		       "`tessera boot` (--board %s) is on one host", on);
	if (jo->backend && strcmp(jo->backend, "emu"))
		ht_die(2, "--distributed: the cores of a distributed board run on the emu backend "
		       "only (not --backend %s)", jo->backend);
	if (!local)
		ht_die(1, "out of memory");
	ht_dist_begin(bo->board, out->nranks, jo->cores, host_map, local, &host);
	if (outdir)
		open_output_files(out, outdir, local);
	if (host != 0)		/* mpirun gives stdin to the first process only */
		jo->stdin_fd = -1;
	rc = ht_dist_job(bo, jo, apps, nctx, dist_on_board, &res);
	ht_stop_board(NULL);
	flush_lines(out);
	close_output_files(out);
	ht_dist_end();
	free(local);
	/* Host 0 speaks and exits with the job's status; mpirun passes it on (it would end
	 * the other host processes, and perhaps host 0 before its report, at another's). */
	if (host != 0)
		return 0;
	if (rc && res.end != HD_END_ERROR)
		fprintf(stderr, "tessera: %s\n", hd_last_error());
	hd_job_report(&res, report, sizeof(report));
	if (report[0] && !(quiet && res.end == HD_END_EXIT))
		fprintf(stderr, "tessera: %s\n", report);
	return res.status;
}

/*
 * A job of nranks ranks (on cores below `need`) with no board named: the default board
 * (NULL) when it has the cores, else mesh8x8, else the squarest generated meshXxY that
 * fits, said in one line.
 */
static const char *board_that_fits(uint32_t nranks, uint32_t need, char *buf, size_t n)
{
	struct tessera_geom g;
	uint32_t x = 1;

	if (hd_geom_load(NULL, &g) || need <= tessera_cores(&g))
		return NULL;
	if (need <= 64) {
		snprintf(buf, n, "mesh8x8");
	} else {
		while (x * x < need)
			x++;
		snprintf(buf, n, "mesh%ux%u", x, (need + x - 1) / x);
	}
	if (need == nranks)
		fprintf(stderr, "tessera: %u ranks do not fit the default board %s (%u cores): "
			"running on %s\n", nranks, g.name, tessera_cores(&g), buf);
	else
		fprintf(stderr, "tessera: core %u is not on the default board %s (%u cores): "
			"running on %s\n", need - 1, g.name, tessera_cores(&g), buf);
	return buf;
}

/* The one line a --timing=scc run ends with. */
static void summary(const struct hd_job_result *res, const struct hd_job_opts *o)
{
	char scale[96];

	if (!res->timed)
		return;
	if (o->deterministic)
		snprintf(scale, sizeof(scale), "no computation counted (--deterministic)");
	else if (o->timing_scale > 0)
		snprintf(scale, sizeof(scale), "computation at %g cycles per host ns",
			 o->timing_scale);
	else
		snprintf(scale, sizeof(scale), "host calibrated at %.0f MHz", hd_host_mhz());
	fprintf(stderr, "tessera: virtual time %.6f s (%llu cycles at %u MHz), slowest rank %u; "
		"host time %.3f s; %s\n", (double)res->vtime_ns / 1e9,
		(unsigned long long)res->vtime_cycles, res->core_mhz, res->vtime_rank,
		(double)res->host_ns / 1e9, scale);
}

int ht_run(int argc, char **argv)
{
	enum { O_BOARD = 256, O_ON, O_CORES, O_BACKEND, O_I386, O_COH, O_BREAK, O_TAG, O_TIMEOUT,
	       O_ENV, O_ALLOW, O_TRACE, O_LOGDIR, O_BDIR, O_DEADLOCK, O_WORKDIR, O_OUTFILE, O_DIST,
	       O_HOSTMAP, O_CPP, O_HELP, O_TFORMAT, O_TFILTER, O_TLIMIT, O_GDB,
	       O_TIMING, O_TSCALE, O_DET, O_RECORD, O_REPLAY };
	static const struct option opts[] = {
		{ "np", required_argument, 0, 'n' }, { "board", required_argument, 0, O_BOARD },
		{ "on", required_argument, 0, O_ON }, { "cores", required_argument, 0, O_CORES },
		{ "backend", required_argument, 0, O_BACKEND },
		{ "image-i386", required_argument, 0, O_I386 },
		{ "coherence", required_argument, 0, O_COH },
		{ "break", required_argument, 0, O_BREAK },
		{ "tag-output", no_argument, 0, O_TAG },
		{ "timeout", required_argument, 0, O_TIMEOUT },
		{ "env", required_argument, 0, O_ENV },
		{ "allow-path", required_argument, 0, O_ALLOW },
		{ "trace", required_argument, 0, O_TRACE },
		{ "trace-format", required_argument, 0, O_TFORMAT },
		{ "trace-filter", required_argument, 0, O_TFILTER },
		{ "trace-limit", required_argument, 0, O_TLIMIT },
		{ "log-dir", required_argument, 0, O_LOGDIR },
		{ "board-dir", required_argument, 0, O_BDIR },
		{ "deadlock", required_argument, 0, O_DEADLOCK },
		{ "workdir", required_argument, 0, O_WORKDIR },
		{ "output-filename", required_argument, 0, O_OUTFILE },
		{ "cores-per-process", required_argument, 0, O_CPP },
		{ "quiet", no_argument, 0, 'q' },
		{ "distributed", no_argument, 0, O_DIST },
		{ "host-map", required_argument, 0, O_HOSTMAP },
		{ "timing", required_argument, 0, O_TIMING },
		{ "timing-scale", required_argument, 0, O_TSCALE },
		{ "deterministic", no_argument, 0, O_DET },
		{ "record", required_argument, 0, O_RECORD },
		{ "replay", required_argument, 0, O_REPLAY },
		{ "gdb", required_argument, 0, O_GDB },
		{ "help", no_argument, 0, O_HELP }, { 0, 0, 0, 0 },
	};
	struct hd_board_opts bo = { 0 };
	struct hd_job_opts jo = { 0 };
	struct hd_job_result res;
	struct hd_board *board;
	struct out_state out = { 0 };
	struct ht_ctx first = { .nranks = 1 }, *ctx;
	struct hd_job_app *apps;
	const char *allow[MAX_ALLOW + 1] = { 0 };
	const char *on = NULL, *cores_arg = NULL, *outdir = NULL, *host_map = NULL;
	const char *cpp_arg = NULL;
	char **argv_all = argv;
	int argc_all = argc, dist = 0;
	char image_path[PATH_MAX], fits[32];
	uint32_t cores[TESSERA_MAX_CORES], ncores = 0, nctx, n = 0;
	int nallow = 0, quiet = 0, deadlock_given = 0, c, rc;
	long gdb_rank = -1;
	uint32_t gdb_core = 0;
	char report[4096], gdb_cmd[3 * PATH_MAX];

	/* from now on a signal stops the job, whenever it comes (stop.c) */
	ht_stop_catch();
	jo.stdin_fd = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+n:q", opts, NULL)) != -1) {
		switch (c) {
		case 'n': first.nranks = ht_parse_ranks("-n", optarg); break;
		case O_BOARD: bo.board = optarg; break;
		case O_ON: on = optarg; break;
		case O_CORES: cores_arg = optarg; break;
		case O_BACKEND: jo.backend = optarg; break;
		case O_I386: first.image_i386 = optarg; break;
		case O_COH:
			if (!strcmp(optarg, "strict"))
				jo.flags |= TESSERA_BOOT_STRICT;
			else if (strcmp(optarg, "host"))
				ht_die(2, "--coherence: '%s' is not host or strict", optarg);
			break;
		case O_BREAK:
			if (!strcmp(optarg, "invalidate"))
				jo.flags |= TESSERA_BOOT_BREAK_INV;
			else if (!strcmp(optarg, "flush"))
				jo.flags |= TESSERA_BOOT_BREAK_FLUSH;
			else
				ht_die(2, "--break: '%s' is not invalidate or flush", optarg);
			break;
		case O_TAG: out.tag = 1; break;
		case O_TIMEOUT: jo.timeout_s = ht_seconds("--timeout", optarg, 0); break;
		case O_ENV: ht_ctx_env(&first, "--env", optarg); break;
		case O_ALLOW:
			if (nallow == MAX_ALLOW)
				ht_die(2, "--allow-path: at most %d", MAX_ALLOW);
			allow[nallow++] = optarg;
			break;
		case O_TRACE:
			jo.trace_path = optarg;
			break;
		case O_TFORMAT:
			if (!strcmp(optarg, "perfetto") || !strcmp(optarg, "pftrace"))
				jo.trace_format = HD_TRACE_FORMAT_PERFETTO;
			else if (!strcmp(optarg, "json"))
				jo.trace_format = HD_TRACE_FORMAT_JSON;
			else
				ht_die(2, "--trace-format: '%s' is not perfetto or json", optarg);
			break;
		case O_TFILTER:
			if (hd_trace_filter_parse(optarg, &jo.trace_kinds))
				ht_die(2, "%s", hd_last_error());
			break;
		case O_TLIMIT:
			parse_trace_limit(optarg, &jo);
			break;
		case O_LOGDIR: jo.log_dir = optarg; break;
		case O_BDIR: bo.dir = optarg; break;
		case O_WORKDIR: jo.workdir = optarg; break;
		case O_OUTFILE: outdir = optarg; break;
		case O_CPP: cpp_arg = optarg; break;
		case 'q': quiet = 1; break;
		case O_DIST:
			if (!ht_dist_begin)	/* this binary has no Open MPI: tessera-dist has */
				exec_dist(argc_all, argv_all);
			dist = 1;
			break;
		case O_HOSTMAP: host_map = optarg; break;
		case O_GDB:
			gdb_rank = (long)ht_number("--gdb", optarg, TESSERA_MAX_CORES - 1);
			break;
		case O_DEADLOCK:
			deadlock_given = 1;
			jo.deadlock_s = ht_seconds("--deadlock", optarg, 1);
			if (jo.deadlock_s == 0)
				jo.deadlock_s = -1;
			break;
		case O_TIMING:
			if (!strcmp(optarg, "scc"))
				jo.timing = HD_TIMING_SCC;
			else if (!strcmp(optarg, "host"))
				jo.timing = HD_TIMING_HOST;
			else
				ht_die(2, "--timing: '%s' is not host or scc", optarg);
			break;
		case O_TSCALE:
			jo.timing_scale = ht_positive("--timing-scale", optarg, 1e6);
			break;
		case O_DET: jo.deterministic = 1; break;
		case O_RECORD: jo.record_path = optarg; break;
		case O_REPLAY: jo.replay_path = optarg; break;
		case O_HELP:
			fputs(run_usage, stdout);
			return 0;
		case '?':
		default:
			if (optopt && optopt < 256)
				ht_die(2, "run: unknown or incomplete option '-%c' (see tessera run --help)",
				       optopt);
			ht_die(2, "run: unknown or incomplete option '%s' (see tessera run --help)",
			       argv[optind - 1]);
		}
	}
	if (optind >= argc)
		ht_die(2, "run: no image given (see tessera run --help)");
	if (!jo.trace_path && (jo.trace_format || jo.trace_kinds || jo.trace_limit_bytes ||
			       jo.trace_limit_events))
		ht_die(2, "--trace-format, --trace-filter and --trace-limit need --trace FILE");
	/* getopt has stepped over a `--` in front of the first program */
	ctx = ht_contexts(argc - optind, argv + optind, !strcmp(argv[optind - 1], "--"), &first,
			  &nctx);
	if (!(apps = calloc(nctx, sizeof(*apps))))
		ht_die(1, "out of memory");
	for (uint32_t k = 0; k < nctx; k++) {
		if ((n += ctx[k].nranks) > TESSERA_MAX_CORES)
			ht_die(2, "%u ranks or more: tessera boards have at most %u cores", n,
			       TESSERA_MAX_CORES);
		apps[k] = (struct hd_job_app){
			.image = strdup(find_image(ctx[k].argv[0], image_path, sizeof(image_path))),
			.image_i386 = ctx[k].image_i386, .nranks = ctx[k].nranks,
			.argc = ctx[k].argc, .argv = ctx[k].argv,
			.envp = rank_environment(ctx[k].env, ctx[k].nenv, jo.workdir) };
		if (!apps[k].image)
			ht_die(1, "out of memory");
	}
	if (cores_arg) {
		ncores = ht_parse_cores(cores_arg, cores, TESSERA_MAX_CORES);
		if (ncores < n)
			ht_die(2, "--cores: %u cores listed for %u ranks", ncores, n);
		jo.cores = cores;
	}
	jo.cores_per_process = ht_cores_per_process(cpp_arg);
	if (gdb_rank >= (long)n)
		ht_die(2, "--gdb: no rank %ld in a job of %u rank%s", gdb_rank, n, n == 1 ? "" : "s");
	if (gdb_rank >= 0) {
		gdb_core = jo.cores ? jo.cores[gdb_rank] : (uint32_t)gdb_rank;
		/* a rank stopped in the debugger may leave the others waiting for it as long as
		 * the user likes; a real deadlock is for the user to look at */
		if (!deadlock_given)
			jo.deadlock_s = -1;
	}
	jo.allow_paths = allow;
	jo.output = on_output;
	jo.output_arg = &out;
	out.nranks = n;
	out.lines = calloc((size_t)n * 2, sizeof(*out.lines));
	if (!out.lines)
		ht_die(1, "out of memory");

	/* under --gdb the user holds a rank: no line counting it, under the command to attach */
	ht_progress_start(quiet || gdb_rank >= 0);
	bo.progress = jo.progress = ht_progress;
	if (!on && bo.board && ht_is_board_handle(bo.board))
		on = bo.board;
	if (!on && !bo.board) {
		uint32_t need = n;
		for (uint32_t r = 0; jo.cores && r < n; r++)
			if (jo.cores[r] >= need)
				need = jo.cores[r] + 1;
		bo.board = board_that_fits(n, need, fits, sizeof(fits));
	}
	if (dist) {
		if (jo.timing == HD_TIMING_SCC || jo.deterministic || jo.record_path ||
		    jo.replay_path || gdb_rank >= 0)
			ht_die(2, "--distributed does not combine with --timing=scc, --deterministic, "
			       "--record, --replay or --gdb yet (docs/distributed.md)");
		return run_distributed(&bo, &jo, apps, nctx, &out, outdir, host_map, on, quiet);
	}
	if (outdir)
		open_output_files(&out, outdir, NULL);
	rc = on ? hd_board_open(on, &board) : hd_board_create(&bo, &board);
	if (rc)
		ht_die(1, "%s", hd_last_error());
	ht_stop_board(board);
	rc = ht_stop_asked() ? -EINTR : gdb_rank >= 0 ? hd_core_debug(board, gdb_core) : 0;
	if (!rc)
		rc = ht_stop_asked() ? -EINTR : hd_job_start_apps(board, &jo, apps, nctx);
	if (!rc && gdb_rank >= 0 && !(rc = hd_core_debug_command(board, gdb_core, gdb_cmd,
								    sizeof(gdb_cmd))))
		fprintf(stderr, "tessera: rank %ld (core %u) is stopped before its first "
			"instruction; attach gdb with:\n  %s\n", gdb_rank, gdb_core, gdb_cmd);
	if (rc) {
		fprintf(stderr, "tessera: %s\n", rc == -EINTR ? "interrupted" : hd_last_error());
		ht_stop_board(NULL);
		hd_board_close(board);
		flush_lines(&out);
		close_output_files(&out);
		return rc == -EINTR ? HD_STATUS_INTERRUPT : 1;
	}
	ht_stop_board(board);	/* loading began with a clean flag: a signal meanwhile counts */
	/* the backstop cannot tell time stopped in the debugger: the loop's own check does */
	ht_stop_arm(gdb_rank >= 0 ? 0 : jo.timeout_s);
	rc = hd_job_wait(board, &res);
	ht_stop_arm(0);
	ht_stop_board(NULL);
	if (res.end == HD_END_INTERRUPT && ht_stop_timer_fired()) {
		res.end = HD_END_TIMEOUT;
		res.status = HD_STATUS_TIMEOUT;
		snprintf(res.detail, sizeof(res.detail), "timeout after %g s", jo.timeout_s);
	}
	flush_lines(&out);
	close_output_files(&out);
	if ((rc || res.status) && !jo.log_dir && jo.backend && strstr(jo.backend, "qemu"))
		keep_vm_logs(board);
	hd_board_close(board);
	if (rc)
		ht_die(1, "%s", hd_last_error());
	hd_job_report(&res, report, sizeof(report));
	if (report[0] && !(quiet && res.end == HD_END_EXIT))
		fprintf(stderr, "tessera: %s\n", report);
	fflush(stdout);
	if (jo.timing == HD_TIMING_SCC)
		summary(&res, &jo);
	if (jo.record_path)
		fprintf(stderr, "tessera: record %s: %llu decisions, %llu bytes, %llu messages sent "
			"(%.3f bytes per message)\n", jo.record_path,
			(unsigned long long)res.record_entries, (unsigned long long)res.record_bytes,
			(unsigned long long)res.msgs,
			res.msgs ? (double)res.record_bytes / (double)res.msgs : 0.0);
	return res.status;
}
