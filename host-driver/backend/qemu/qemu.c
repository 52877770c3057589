/* SPDX-License-Identifier: MIT */
/*
 * backend/qemu/qemu.c: every core a bare-metal virtual machine. Releasing a core starts one
 * qemu-system-i386 (TCG) whose RAM is the core's private DRAM file and which sees the chip
 * through an ivshmem-doorbell PCI device; the i386 tile kernel (tile-kernel/arch/i386)
 * maps that device at the SCC addresses from its LUT and is woken through its doorbell. Not
 * the tile side, not the job loop, not the wakes (relay.c): this file only starts, watches,
 * rings and stops VMs.
 *
 * What a VM gets, and why:
 *  - `-kernel IMAGE` (multiboot) and the boot info as the first multiboot module: the PC
 *    firmware clears low memory before booting, so the boot info the host wrote at
 *    TESSERA_ADDR_BOOTINFO is handed over again and the kernel puts it back.
 *  - `-smp 1,maxcpus=2 -accel tcg,thread=multi`: TCG makes locked instructions atomic in
 *    host memory only when it generates code for parallel vCPUs; with one vCPU a `lock
 *    xadd` on the chip would race with the other cores' processes and VMs.
 *  - `-device ivshmem-doorbell` whose chardev connects to the host's ivshmem server
 *    (relay.c): the server sends the chip file's descriptor as the shared memory, and the
 *    eventfds through which the VM rings other cores and is rung (MSI-X vector 0).
 *  - `-append start_ns=T tick_ms=M`: the host's monotonic time just before QEMU runs, the
 *    tile clock's origin until the kernel has asked the host for its clock (the guest TSC
 *    starts at 0 once QEMU has set the VM up); M, the longest a halted VM sleeps without a
 *    doorbell (its fallback tick; 0: none).
 *  - isa-debug-exit: the kernel ends the VM once it has published EXITED or CRASHED.
 *  - the serial port (early boot messages and panics) in LOG_DIR/qemu-coreNNNN.serial,
 *    QEMU's own messages in LOG_DIR/qemu-coreNNNN.log.
 * A VM that ends without publishing its end, or that has not reached the tile kernel after
 * BOOT_TIMEOUT_NS, becomes a panic of the core whose reason is QEMU's message or the
 * kernel's last serial line.
 *
 * Environment: TESSERA_QEMU (the binary, default qemu-system-i386 in PATH),
 * TESSERA_QEMU_ACCEL (tcg, the default, or kvm), TESSERA_QEMU_ARGS (extra arguments,
 * split at spaces, for debugging), TESSERA_QEMU_TICK_MS (the fallback tick, default
 * QEMU_TICK_MS; 0: none).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "hd_impl.h"
#include "qemu_impl.h"

#define QEMU_DEFAULT	"qemu-system-i386"
#define QEMU_MAX_ARGS	64
#define DEBUG_EXIT	"isa-debug-exit,iobase=0xf4,iosize=0x04"
/* The largest ivshmem BAR the i386 kernel can place below 4 GB (above RAM, below the APICs). */
#define CHIP_MAX_BYTES	(1ull << 30)
/* A VM that has not reached the tile kernel by then is stuck in its firmware or boot. */
#define BOOT_TIMEOUT_NS	(60ull * 1000000000u)
/* A halted VM's fallback tick: a wake its doorbell lost (one rung before the ringing VM's QEMU
 * knew the target, at boot) costs at most this. */
#define QEMU_TICK_MS	1000u

struct qemu_core {
	char bootinfo[PATH_MAX];	/* the boot info module file */
	char log[PATH_MAX];		/* QEMU's stdout and stderr */
	char serial[PATH_MAX];		/* the guest's serial port */
	char sock[QEMU_SOCK_PATH_MAX];	/* the doorbell device's socket */
	uint64_t started_ns;		/* when start forked QEMU */
	int peer;			/* has a peer id at the relay (qemu_relay_add) */
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* QEMU option values escape a comma by doubling it. */
static int escape(char *out, size_t n, const char *s)
{
	size_t i = 0;

	for (; *s; s++) {
		if (i + 3 > n)
			return -ENAMETOOLONG;
		if (*s == ',')
			out[i++] = ',';
		out[i++] = *s;
	}
	out[i] = 0;
	return 0;
}

/* The fallback tick in ms (TESSERA_QEMU_TICK_MS, default QEMU_TICK_MS). */
static unsigned long tick_ms(void)
{
	const char *e = getenv("TESSERA_QEMU_TICK_MS");
	char *end;
	unsigned long v;

	if (!e || !*e)
		return QEMU_TICK_MS;
	v = strtoul(e, &end, 10);
	return *end || v > 3600000ul ? QEMU_TICK_MS : v;
}

/* Full path of the QEMU binary in *out, or -ENOENT. */
static int find_qemu(char *out, size_t n)
{
	const char *q = getenv("TESSERA_QEMU"), *path = getenv("PATH");

	if (!q || !*q)
		q = QEMU_DEFAULT;
	if (strchr(q, '/')) {
		snprintf(out, n, "%s", q);
		return access(out, X_OK) ? -ENOENT : 0;
	}
	for (const char *p = path ? path : "/usr/bin:/bin"; *p;) {
		size_t len = strcspn(p, ":");

		snprintf(out, n, "%.*s/%s", (int)len, p, q);
		if (len && !access(out, X_OK))
			return 0;
		p += len + (p[len] == ':');
	}
	return -ENOENT;
}

/* ivshmem's BAR must be a power of two: grow the chip file (never shrink) to one. */
static int chip_file_bytes(struct hd_board *b, uint64_t *bytes)
{
	uint64_t want = 1;
	struct stat st;

	while (want < b->layout.chip_bytes)
		want <<= 1;
	if (want > CHIP_MAX_BYTES)
		return hd_fail(-EFBIG, "qemu backend: the chip (%llu MB) does not fit the 1 GB PCI "
			       "BAR a 32-bit core can map: make shared_mb at most %llu",
			       (unsigned long long)(b->layout.chip_bytes >> 20),
			       (unsigned long long)((CHIP_MAX_BYTES - (b->layout.chip_bytes -
								  b->layout.shared_bytes)) >> 20));
	if (fstat(b->chip_fd, &st))
		return hd_fail(-errno, "qemu backend: chip file: %s", strerror(errno));
	if ((uint64_t)st.st_size < want && ftruncate(b->chip_fd, (off_t)want))
		return hd_fail(-errno, "qemu backend: cannot grow the chip file to %llu bytes "
			       "(ivshmem needs a power of two): %s", (unsigned long long)want,
			       strerror(errno));
	*bytes = (uint64_t)st.st_size > want ? (uint64_t)st.st_size : want;
	if (*bytes & (*bytes - 1))
		return hd_fail(-EINVAL, "qemu backend: the chip file is %llu bytes, not a power "
			       "of two", (unsigned long long)*bytes);
	return 0;
}

/* Copy the boot info (struct and strings) out of the core's private DRAM into a file. */
static int write_bootinfo(struct hd_board *b, uint32_t core, const char *out)
{
	char dram[PATH_MAX];
	struct tessera_bootinfo bi;
	uint8_t *buf = NULL;
	size_t n = 0;
	int in = -1, fd = -1, rc = 0;

	hd_dram_path(b, core, dram);
	in = open(dram, O_RDONLY | O_CLOEXEC);
	if (in < 0 || pread(in, &bi, sizeof(bi), TESSERA_ADDR_BOOTINFO) != (ssize_t)sizeof(bi)) {
		rc = hd_fail(-EIO, "core %u: cannot read its boot info from %s", core, dram);
		goto out;
	}
	n = bi.strings_off + (size_t)bi.strings_bytes;
	if (n < sizeof(bi))
		n = sizeof(bi);
	if (bi.magic != TESSERA_BOOTINFO_MAGIC || n > TESSERA_BOOTINFO_BYTES) {
		rc = hd_fail(-EPROTO, "core %u: no valid boot info in %s", core, dram);
		goto out;
	}
	buf = malloc(n);
	if (!buf || pread(in, buf, n, TESSERA_ADDR_BOOTINFO) != (ssize_t)n) {
		rc = hd_fail(-EIO, "core %u: cannot read its boot info from %s", core, dram);
		goto out;
	}
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, buf, n) != (ssize_t)n)
		rc = hd_fail(-errno, "%s: %s", out, strerror(errno));
out:
	if (fd >= 0)
		close(fd);
	if (in >= 0)
		close(in);
	free(buf);
	return rc;
}

struct argv {
	char *v[QEMU_MAX_ARGS + 1];
	char buf[8192];
	size_t used;
	int n;
};

__attribute__((format(printf, 2, 3))) static void arg(struct argv *a, const char *fmt, ...)
{
	va_list ap;
	int len;

	if (a->n >= QEMU_MAX_ARGS || a->used >= sizeof(a->buf))
		return;
	va_start(ap, fmt);
	len = vsnprintf(a->buf + a->used, sizeof(a->buf) - a->used, fmt, ap);
	va_end(ap);
	if (len < 0 || (size_t)len >= sizeof(a->buf) - a->used)
		return;
	a->v[a->n++] = a->buf + a->used;
	a->used += (size_t)len + 1;
}

static int build_argv(struct hd_board *b, uint32_t core, struct qemu_core *q, const char *qemu,
		      struct argv *a)
{
	char dram[PATH_MAX], e_dram[2 * PATH_MAX], e_boot[2 * PATH_MAX];
	char e_sock[2 * QEMU_SOCK_PATH_MAX];
	const char *accel = getenv("TESSERA_QEMU_ACCEL"), *extra = getenv("TESSERA_QEMU_ARGS");
	uint64_t mb = b->layout.private_bytes >> 20;

	hd_dram_path(b, core, dram);
	if (escape(e_dram, sizeof(e_dram), dram) || escape(e_boot, sizeof(e_boot), q->bootinfo) ||
	    escape(e_sock, sizeof(e_sock), q->sock))
		return hd_fail(-ENAMETOOLONG, "qemu backend: board path too long");
	if (!accel || !*accel)
		accel = "tcg";
	memset(a, 0, sizeof(*a));
	arg(a, "%s", qemu);
	arg(a, "-nodefaults");
	arg(a, "-no-user-config");
	arg(a, "-display");
	arg(a, "none");
	arg(a, "-no-reboot");
	arg(a, "-machine");
	arg(a, "pc,memory-backend=tessera-ram");
	arg(a, "-accel");
	arg(a, strcmp(accel, "tcg") ? "%s" : "%s,thread=multi", accel);
	arg(a, "-smp");
	arg(a, "1,maxcpus=2");
	arg(a, "-cpu");
	arg(a, "pentium");
	arg(a, "-m");
	arg(a, "%lluM", (unsigned long long)mb);
	arg(a, "-object");
	arg(a, "memory-backend-file,id=tessera-ram,size=%lluM,mem-path=%s,share=on",
	    (unsigned long long)mb, e_dram);
	/* The server sends the chip file's descriptor: the BAR is the whole file. */
	arg(a, "-chardev");
	arg(a, "socket,id=tessera-bell,path=%s", e_sock);
	arg(a, "-device");
	arg(a, "ivshmem-doorbell,chardev=tessera-bell,vectors=%u", 1u);
	arg(a, "-device");
	arg(a, DEBUG_EXIT);
	arg(a, "-serial");
	arg(a, "file:%s", q->serial);
	arg(a, "-kernel");
	arg(a, "%s", b->core[core].image);
	arg(a, "-initrd");
	arg(a, "%s", e_boot);
	arg(a, "-append");
	arg(a, "start_ns=%llu tick_ms=%lu", (unsigned long long)now_ns(), tick_ms());
	if (b->core[core].debug) {	/* gdb: QEMU's own stub, the VM stopped until it comes */
		char gsock[PATH_MAX], e_gsock[2 * PATH_MAX];

		hd_debug_socket_path(b, core, gsock, sizeof(gsock));
		if (escape(e_gsock, sizeof(e_gsock), gsock))
			return hd_fail(-ENAMETOOLONG, "qemu backend: board path too long");
		unlink(gsock);
		arg(a, "-gdb");
		arg(a, "unix:%s,server=on,wait=off", e_gsock);
		arg(a, "-S");
	}
	if (extra) {
		char *copy = strdup(extra), *save = NULL;

		for (char *t = copy ? strtok_r(copy, " ", &save) : NULL; t;
		     t = strtok_r(NULL, " ", &save))
			arg(a, "%s", t);
		free(copy);
	}
	if (a->n >= QEMU_MAX_ARGS || a->used >= sizeof(a->buf))
		return hd_fail(-E2BIG, "qemu backend: too many or too long QEMU arguments");
	a->v[a->n] = NULL;
	return 0;
}

/* QEMU makes its gdb socket as it starts: wait for it (or QEMU's end), so that the command
 * printed next works at once. A bounded wait (10 s) on QEMU's start-up only. */
static void wait_for_gdb_socket(struct hd_board *b, uint32_t core, pid_t pid)
{
	char sock[PATH_MAX];
	struct stat st;
	siginfo_t si;

	hd_debug_socket_path(b, core, sock, sizeof(sock));
	for (int i = 0; i < 1000 && stat(sock, &st); i++) {
		memset(&si, 0, sizeof(si));
		if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid)
			return;		/* QEMU failed: qemu_poll says why */
		usleep(10000);
	}
}

static int qemu_start(struct hd_board *b, uint32_t core)
{
	struct qemu_core *q = calloc(1, sizeof(*q));
	char qemu[PATH_MAX];
	uint64_t chip_bytes = 0;
	struct argv *a = malloc(sizeof(*a));
	pid_t host = getpid(), pid;
	int rc, log;

	if (!q || !a) {
		rc = hd_fail(-ENOMEM, "out of memory");
		goto fail;
	}
	if (find_qemu(qemu, sizeof(qemu))) {
		rc = hd_fail(-ENOENT, "qemu backend: %s not found (set TESSERA_QEMU, or install "
			     "QEMU: apt-get install qemu-system-x86)",
			     getenv("TESSERA_QEMU") ? getenv("TESSERA_QEMU") : QEMU_DEFAULT);
		goto fail;
	}
	if ((rc = chip_file_bytes(b, &chip_bytes)))	/* the server sends the whole file */
		goto fail;
	snprintf(q->bootinfo, sizeof(q->bootinfo), "%s/qemu-core%04u.bootinfo", b->dir, core);
	snprintf(q->log, sizeof(q->log), "%s/qemu-core%04u.log", b->log_dir, core);
	snprintf(q->serial, sizeof(q->serial), "%s/qemu-core%04u.serial", b->log_dir, core);
	if ((rc = write_bootinfo(b, core, q->bootinfo)))
		goto fail;
	if ((rc = qemu_relay_add(b, core, q->sock, sizeof(q->sock))))
		goto fail;
	q->peer = 1;
	if ((rc = build_argv(b, core, q, qemu, a)))
		goto fail;
	log = open(q->log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (log < 0) {
		rc = hd_fail(-errno, "%s: %s", q->log, strerror(errno));
		goto fail;
	}
	pid = fork();
	if (pid < 0) {
		rc = hd_fail(-errno, "core %u: fork: %s", core, strerror(errno));
		close(log);
		goto fail;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);
		struct rlimit nofile;
		sigset_t all;

		prctl(PR_SET_PDEATHSIG, SIGKILL);	/* no VM outlives its host */
		if (getppid() != host)
			_exit(127);
		setpgid(0, 0);		/* Ctrl-C goes to the host, which stops the VMs */
		sigfillset(&all);	/* QEMU kicks its vCPU threads with signals */
		sigprocmask(SIG_UNBLOCK, &all, NULL);
		/* QEMU holds an eventfd per core of the board (the doorbells of its peers). */
		if (!getrlimit(RLIMIT_NOFILE, &nofile) && nofile.rlim_cur < nofile.rlim_max) {
			nofile.rlim_cur = nofile.rlim_max;
			setrlimit(RLIMIT_NOFILE, &nofile);
		}
		dup2(null, 0);
		dup2(log, 1);
		dup2(log, 2);
		execv(qemu, a->v);
		dprintf(2, "tessera: cannot run %s: %s\n", qemu, strerror(errno));
		_exit(127);
	}
	close(log);
	if (b->core[core].debug)
		wait_for_gdb_socket(b, core, pid);
	q->started_ns = now_ns();
	b->core[core].pid = pid;
	b->core[core].priv = q;
	free(a);
	return 0;
fail:
	if (q && q->peer)
		qemu_relay_remove(b, core);
	if (q && q->bootinfo[0])
		unlink(q->bootinfo);
	free(q);
	free(a);
	return rc;
}

/* The VM of q is gone: its doorbell peer goes too. */
static void vm_ended(struct hd_board *b, uint32_t core, struct qemu_core *q)
{
	if (q && q->peer) {
		q->peer = 0;
		qemu_relay_remove(b, core);
	}
}

/* The last non-empty line of a file, in out ("" if none). */
static void last_line(const char *path, const char *prefix, char *out, size_t n)
{
	char buf[4096];
	ssize_t len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char *s, *e;

	out[0] = 0;
	if (fd < 0)
		return;
	off_t size = lseek(fd, 0, SEEK_END);
	if (size > 0)
		len = pread(fd, buf, sizeof(buf) - 1, size > (off_t)sizeof(buf) - 1 ?
			    size - (off_t)sizeof(buf) + 1 : 0);
	close(fd);
	if (len <= 0)
		return;
	buf[len] = 0;
	for (e = buf + len; e > buf && (e[-1] == '\n' || e[-1] == '\r'); e--)
		;
	*e = 0;
	for (s = e; s > buf && s[-1] != '\n'; s--)
		;
	if (*s && (!prefix || !strncmp(s, prefix, strlen(prefix))))
		snprintf(out, n, "%s", s);
}

/* The VM ended without publishing how: make that a panic with the best reason there is. */
static void report_lost(struct hd_board *b, uint32_t core, struct qemu_core *q, int ws,
			int stuck)
{
	struct tessera_status *st = &hd_hostwin(b, core)->status;
	char why[sizeof(st->panic)];

	last_line(q->log, NULL, why, sizeof(why));
	if (!why[0] && stuck)
		snprintf(why, sizeof(why), "the VM did not reach the tile kernel in %llu s; "
			 "serial log: %s", BOOT_TIMEOUT_NS / 1000000000u, q->serial);
	if (!why[0])
		last_line(q->serial, "tessera:", why, sizeof(why));
	if (!why[0] && WIFEXITED(ws) && WEXITSTATUS(ws) == 0)
		snprintf(why, sizeof(why), "the VM reset itself (triple fault?); serial log: %s",
			 q->serial);
	if (!why[0])
		snprintf(why, sizeof(why), "QEMU ended (%s %d); see %s", WIFSIGNALED(ws) ?
			 "signal" : "status", WIFSIGNALED(ws) ? WTERMSIG(ws) : WEXITSTATUS(ws),
			 q->log);
	snprintf(st->panic, sizeof(st->panic), "qemu: %s", why);
	__atomic_store_n(&st->state, TESSERA_CORE_PANICKED, __ATOMIC_RELEASE);
}

static int qemu_poll(struct hd_board *b, uint32_t core, int *wstatus)
{
	struct hd_core *hc = &b->core[core];
	struct qemu_core *q = hc->priv;
	uint32_t state = __atomic_load_n(&hd_hostwin(b, core)->status.state, __ATOMIC_ACQUIRE);
	int stuck = 0;
	pid_t r;

	if (hc->pid <= 0)
		return 1;
	r = waitpid(hc->pid, wstatus, WNOHANG);
	if (r == 0 && q && state == TESSERA_CORE_BOOTING && !hc->debug &&
	    now_ns() - q->started_ns > BOOT_TIMEOUT_NS)	/* under gdb it boots when gdb says */
		stuck = 1;
	if (r == 0 && (stuck || state == TESSERA_CORE_EXITED || state == TESSERA_CORE_CRASHED ||
		       state == TESSERA_CORE_PANICKED)) {
		/* The kernel has said how it ended; a VM without isa-debug-exit just halts. */
		kill(hc->pid, SIGKILL);
		while ((r = waitpid(hc->pid, wstatus, 0)) < 0 && errno == EINTR)
			;
	}
	if (r == 0)
		return 0;
	hc->pid = 0;
	vm_ended(b, core, q);
	if (r > 0 && q && state != TESSERA_CORE_EXITED && state != TESSERA_CORE_CRASHED &&
	    state != TESSERA_CORE_PANICKED && state != TESSERA_CORE_RESET)
		report_lost(b, core, q, *wstatus, stuck);
	return 1;
}

static void qemu_stop(struct hd_board *b, uint32_t core)
{
	struct hd_core *hc = &b->core[core];
	struct qemu_core *q = hc->priv;
	int ws;

	if (hc->pid > 0) {
		kill(hc->pid, SIGKILL);
		while (waitpid(hc->pid, &ws, 0) < 0 && errno == EINTR)
			;
	}
	vm_ended(b, core, q);
	hc->pid = 0;
	if (hc->debug) {	/* for one release */
		char sock[PATH_MAX];
		hd_debug_socket_path(b, core, sock, sizeof(sock));
		unlink(sock);
		hc->debug = 0;
	}
	if (q)
		unlink(q->bootinfo);
	free(q);
	hc->priv = NULL;
}

/* The host raised the core's interrupt: ring its doorbell if it may be halted. */
static void qemu_wake(struct hd_board *b, uint32_t core)
{
	if (__atomic_load_n(&hd_boardreg_core(b, core)->halted, __ATOMIC_SEQ_CST))
		qemu_relay_ring(b, core);
}

const struct hd_backend hd_backend_qemu = {
	.name = "qemu",
	.id = TESSERA_BACKEND_QEMU,
	.arch = TESSERA_ARCH_I386,
	.start = qemu_start,
	.poll = qemu_poll,
	.stop = qemu_stop,
	.wake = qemu_wake,
	/* A VM wakes the host through the relay; a VM that dies, through its hangup. */
	.poll_ms = 0,
};
