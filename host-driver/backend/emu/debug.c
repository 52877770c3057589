// SPDX-License-Identifier: MIT
/*
 * backend/emu/debug.c: gdb on an emu core. The core's process (our child) stops itself
 * before it confines itself (emu.c); a stub thread of this process takes hold of it with
 * ptrace (PTRACE_SEIZE: the stub thread is its tracer, so every ptrace call is made there),
 * lets it run to its first instruction (an int3 at the image's entry, put back once hit),
 * and from then on serves one gdb at a time on a Unix socket in the board directory, the
 * protocol being gdbstub.c's over the target below (registers through PTRACE_GETREGS and
 * GETFPREGS, memory through /proc/PID/mem: the core's own view, MPB windows included).
 *
 * Threads: a waiter thread blocks in waitid() on the core and passes each stop or end on
 * through a pipe; the stub thread polls that pipe, the connection, the listening socket and
 * a wake pipe. Neither touches the job or the host's loop; the host learns of the core's end
 * from hd_emu_debug_ended (rung on the board's doorbell) and asks how long the core has been
 * held stopped (hd_emu_debug_paused_ns, for --timeout). The process is never reaped here
 * (the waiter looks with WNOWAIT), so the host's kill of it can never reach another
 * process; emu.c reaps it as for any core.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>
#include "hd_impl.h"
#include "gdbstub.h"

/* What the waiter saw (a consumed stop, or the end, which is left unreaped). */
struct event {
	int code;		/* CLD_* */
	int status;
};

enum phase {
	STARTING,		/* seized; waiting for the self-stop before confinement */
	TO_ENTRY,		/* running to the int3 at the entry */
	STOPPED,		/* stopped, a stop reply owed to the next gdb */
	RUNNING,
	DETACHED,		/* gdb let it go: it runs on untraced */
	ENDED,
};

struct hd_emu_debug {
	struct hd_board *b;
	uint32_t core;
	uint64_t view;		/* where its image runs less where it is linked */
	pid_t pid;
	int memfd;
	int listen_fd, conn;
	int events[2], wake[2];
	pthread_t stub, waiter;
	int have_stub, have_waiter;
	/* the attach handshake with hd_emu_debug_attach */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int attach_rc, attach_done;
	/* read by the host's thread */
	int ended;
	uint64_t paused_ns, stopped_since;
	int quit;
	/* the stub thread's own */
	enum phase phase;
	int interrupting;
	int connecting;		/* a gdb came while the core ran: it is being stopped for it */
	uint64_t entry;
	uint8_t entry_byte;
	struct hd_gdb_stop last;
	struct hd_gdbp proto;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
};

static uint64_t now(void)
{
	return hd_now_ns(CLOCK_MONOTONIC);
}

static void ring_host(struct hd_emu_debug *d)
{
	struct tessera_boardreg_global *g = hd_boardreg_global(d->b);

	__atomic_fetch_add(&g->host_doorbell, 1, __ATOMIC_SEQ_CST);
	syscall(SYS_futex, &g->host_doorbell, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

static void mark_stopped(struct hd_emu_debug *d)
{
	__atomic_store_n(&d->stopped_since, now(), __ATOMIC_RELEASE);
}

static void mark_running(struct hd_emu_debug *d)
{
	uint64_t since = __atomic_exchange_n(&d->stopped_since, 0, __ATOMIC_ACQ_REL);

	if (since)
		__atomic_fetch_add(&d->paused_ns, now() - since, __ATOMIC_ACQ_REL);
}

/* ---- the target: a traced core process ---- */

static int regs_get(void *t, uint8_t out[HD_GDB_REGS_BYTES])
{
	struct hd_emu_debug *d = t;
	struct user_regs_struct r;
	struct user_fpregs_struct f;
	uint64_t gpr[17];
	uint32_t v32[7], x87[8];
	uint8_t *o = out;

	if (ptrace(PTRACE_GETREGS, d->pid, 0, &r) || ptrace(PTRACE_GETFPREGS, d->pid, 0, &f))
		return -errno;
	uint64_t g[17] = { r.rax, r.rbx, r.rcx, r.rdx, r.rsi, r.rdi, r.rbp, r.rsp, r.r8, r.r9,
			   r.r10, r.r11, r.r12, r.r13, r.r14, r.r15, r.rip };
	memcpy(gpr, g, sizeof(gpr));
	v32[0] = (uint32_t)r.eflags, v32[1] = (uint32_t)r.cs, v32[2] = (uint32_t)r.ss;
	v32[3] = (uint32_t)r.ds, v32[4] = (uint32_t)r.es, v32[5] = (uint32_t)r.fs;
	v32[6] = (uint32_t)r.gs;
	/* fxsave keeps an abridged tag (1: in use); gdb shows the full one (3: empty) */
	uint32_t tag = 0;
	for (int i = 0; i < 8; i++)
		tag |= (f.ftw >> i & 1 ? 0u : 3u) << (2 * i);
	x87[0] = f.cwd, x87[1] = f.swd, x87[2] = tag, x87[3] = (uint32_t)(f.rip >> 32);
	x87[4] = (uint32_t)f.rip, x87[5] = (uint32_t)(f.rdp >> 32), x87[6] = (uint32_t)f.rdp;
	x87[7] = f.fop;
	memcpy(o, gpr, sizeof(gpr)), o += sizeof(gpr);
	memcpy(o, v32, sizeof(v32)), o += sizeof(v32);
	for (int i = 0; i < 8; i++, o += 10)
		memcpy(o, (uint8_t *)f.st_space + 16 * i, 10);
	memcpy(o, x87, sizeof(x87)), o += sizeof(x87);
	memcpy(o, f.xmm_space, sizeof(f.xmm_space)), o += sizeof(f.xmm_space);
	memcpy(o, &f.mxcsr, 4), o += 4;
	return o - out == HD_GDB_REGS_BYTES ? 0 : -EPROTO;
}

static int regs_set(void *t, const uint8_t in[HD_GDB_REGS_BYTES])
{
	struct hd_emu_debug *d = t;
	struct user_regs_struct r;
	struct user_fpregs_struct f;
	uint64_t g[17];
	uint32_t v32[7], x87[8];
	const uint8_t *s = in;

	if (ptrace(PTRACE_GETREGS, d->pid, 0, &r) || ptrace(PTRACE_GETFPREGS, d->pid, 0, &f))
		return -errno;
	memcpy(g, s, sizeof(g)), s += sizeof(g);
	memcpy(v32, s, sizeof(v32)), s += sizeof(v32);
	r.rax = g[0], r.rbx = g[1], r.rcx = g[2], r.rdx = g[3], r.rsi = g[4], r.rdi = g[5];
	r.rbp = g[6], r.rsp = g[7], r.r8 = g[8], r.r9 = g[9], r.r10 = g[10], r.r11 = g[11];
	r.r12 = g[12], r.r13 = g[13], r.r14 = g[14], r.r15 = g[15], r.rip = g[16];
	r.eflags = v32[0], r.cs = v32[1], r.ss = v32[2], r.ds = v32[3], r.es = v32[4];
	r.fs = v32[5], r.gs = v32[6];
	for (int i = 0; i < 8; i++, s += 10)
		memcpy((uint8_t *)f.st_space + 16 * i, s, 10);
	memcpy(x87, s, sizeof(x87)), s += sizeof(x87);
	f.cwd = (uint16_t)x87[0], f.swd = (uint16_t)x87[1];
	f.ftw = 0;
	for (int i = 0; i < 8; i++)
		if ((x87[2] >> (2 * i) & 3) != 3)
			f.ftw |= (uint16_t)(1u << i);
	f.rip = (uint64_t)x87[3] << 32 | x87[4], f.rdp = (uint64_t)x87[5] << 32 | x87[6];
	f.fop = (uint16_t)x87[7];
	memcpy(f.xmm_space, s, sizeof(f.xmm_space)), s += sizeof(f.xmm_space);
	memcpy(&f.mxcsr, s, 4);
	if (ptrace(PTRACE_SETREGS, d->pid, 0, &r) || ptrace(PTRACE_SETFPREGS, d->pid, 0, &f))
		return -errno;
	return 0;
}

/* The core's memory through /proc/PID/mem: what its mappings reach, nothing else. */
static long mem_io(struct hd_emu_debug *d, uint64_t addr, void *rbuf, const void *wbuf,
		   size_t n)
{
	ssize_t r;

	if (addr > INT64_MAX)
		return -EFAULT;
	r = rbuf ? pread(d->memfd, rbuf, n, (off_t)addr) : pwrite(d->memfd, wbuf, n, (off_t)addr);
	return r < 0 ? -errno : r == 0 && n ? -EFAULT : r;
}

static long mem_read(void *t, uint64_t addr, void *buf, size_t n)
{
	return mem_io(t, addr, buf, NULL, n);
}

static long mem_write(void *t, uint64_t addr, const void *buf, size_t n)
{
	return mem_io(t, addr, NULL, buf, n);
}

static int resume(void *t, int step, int sig)
{
	struct hd_emu_debug *d = t;

	if (ptrace(step ? PTRACE_SINGLESTEP : PTRACE_CONT, d->pid, 0, (void *)(long)sig))
		return -errno;
	d->phase = RUNNING;
	mark_running(d);
	return 0;
}

static int interrupt(void *t)
{
	struct hd_emu_debug *d = t;

	d->interrupting = 1;
	return ptrace(PTRACE_INTERRUPT, d->pid, 0, 0) ? -errno : 0;
}

static void kill_core(void *t)
{
	struct hd_emu_debug *d = t;

	/* still unreaped (the waiter never reaps), so the pid is the core's */
	kill(d->pid, SIGKILL);
}

static int detach(void *t)
{
	struct hd_emu_debug *d = t;

	if (ptrace(PTRACE_DETACH, d->pid, 0, 0))
		return -errno;
	d->phase = DETACHED;
	mark_running(d);
	return 0;
}

static uint64_t offset(void *t)
{
	return ((struct hd_emu_debug *)t)->view;
}

static const struct hd_gdb_target target = {
	.regs_get = regs_get, .regs_set = regs_set, .mem_read = mem_read,
	.mem_write = mem_write, .resume = resume, .interrupt = interrupt, .kill = kill_core,
	.detach = detach, .offset = offset,
};

/* ---- the connection ---- */

/* Everything to gdb, unless we are asked to go meanwhile (a gdb that does not read). */
static void send_all(void *arg, const void *data, size_t n)
{
	struct hd_emu_debug *d = arg;
	const char *p = data;

	while (n && d->conn >= 0) {
		struct pollfd pf[2] = { { d->conn, POLLOUT, 0 }, { d->wake[0], POLLIN, 0 } };
		ssize_t w;

		if (poll(pf, 2, -1) < 0 && errno != EINTR)
			return;
		if (pf[1].revents)
			return;
		w = send(d->conn, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

static void hang_up(struct hd_emu_debug *d)
{
	d->connecting = 0;
	if (d->conn < 0)
		return;
	/* a gdb gone without a word leaves no int3 behind; the core stays as it is */
	if (!d->proto.ended)
		hd_gdbp_clear(&d->proto);
	close(d->conn);
	d->conn = -1;
}

static void take_connection(struct hd_emu_debug *d)
{
	int fd = accept4(d->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

	if (fd < 0)
		return;
	if (d->conn >= 0 || d->phase == DETACHED) {	/* one gdb at a time */
		close(fd);
		return;
	}
	d->conn = fd;
	if (d->phase == RUNNING) {	/* gdb finds it stopped: stop it first */
		d->connecting = 1;
		interrupt(d);
		return;
	}
	hd_gdbp_init(&d->proto, &target, d, send_all, d, &d->last);
}

/* ---- stops ---- */

/* The core stopped (code, status from waitid): what gdb is told, or 0 to go on quietly. */
static int on_stop(struct hd_emu_debug *d, int status, struct hd_gdb_stop *s)
{
	siginfo_t si;
	int sig = status & 0xff, event_stop = (status >> 8) == PTRACE_EVENT_STOP;

	memset(s, 0, sizeof(*s));
	s->kind = HD_GDB_STOP_SIGNAL;
	if (!event_stop && ptrace(PTRACE_GETSIGINFO, d->pid, 0, &si) == 0) {
		sig = si.si_signo;
		s->int3 = sig == SIGTRAP && si.si_code == SI_KERNEL;
	}
	if (d->phase == STARTING) {	/* the self-stop: plant the int3 at the entry, run on */
		uint64_t entry = 0;
		uint8_t int3 = 0xcc;

		/* the core's own windows, its boot info and image among them, are at its view */
		d->phase = TO_ENTRY;
		if (mem_read(d, d->view + TESSERA_ADDR_BOOTINFO +
			     offsetof(struct tessera_bootinfo, entry), &entry, sizeof(entry)) !=
		    sizeof(entry))
			d->phase = STOPPED;	/* no entry to run to: stop here */
		d->entry = d->view + entry;
		if (d->phase == STOPPED || mem_read(d, d->entry, &d->entry_byte, 1) != 1 ||
		    mem_write(d, d->entry, &int3, 1) != 1)
			d->phase = STOPPED;
		else
			ptrace(PTRACE_CONT, d->pid, 0, (void *)(long)(event_stop || sig == SIGSTOP ?
								      0 : sig));
		return d->phase == STOPPED;
	}
	if (d->phase == TO_ENTRY) {
		struct user_regs_struct r;

		if (!s->int3 || ptrace(PTRACE_GETREGS, d->pid, 0, &r) || r.rip != d->entry + 1) {
			/* a signal on the way (a fault in set-up): its own */
			ptrace(PTRACE_CONT, d->pid, 0, (void *)(long)(event_stop ? 0 : sig));
			return 0;
		}
		mem_write(d, d->entry, &d->entry_byte, 1);
		r.rip = d->entry;
		ptrace(PTRACE_SETREGS, d->pid, 0, &r);
		s->int3 = 0;
	}
	if (event_stop && sig == SIGTRAP && !d->interrupting) {
		/* an interrupt whose stop came late, after another stop answered it */
		ptrace(PTRACE_CONT, d->pid, 0, 0);
		return 0;
	}
	if (event_stop && d->interrupting)
		sig = SIGINT;
	d->interrupting = 0;
	s->sig = sig;
	return 1;
}

/* A stop or the end, to the gdb connected (or, for one that waits for the core to stop, the
 * start of its session). */
static void tell_gdb(struct hd_emu_debug *d, const struct hd_gdb_stop *s)
{
	if (d->connecting) {
		d->connecting = 0;
		hd_gdbp_init(&d->proto, &target, d, send_all, d, s);
	} else if (d->conn >= 0) {
		hd_gdbp_stopped(&d->proto, s);
	}
}

static void on_event(struct hd_emu_debug *d, const struct event *e)
{
	struct hd_gdb_stop s = { 0 };

	if (e->code == CLD_EXITED || e->code == CLD_KILLED || e->code == CLD_DUMPED) {
		s.kind = e->code == CLD_EXITED ? HD_GDB_STOP_EXITED : HD_GDB_STOP_KILLED;
		s.code = e->status;
		s.sig = e->status;
		d->phase = ENDED;
		d->last = s;
		mark_running(d);
		tell_gdb(d, &s);
		__atomic_store_n(&d->ended, 1, __ATOMIC_RELEASE);
		ring_host(d);
		return;
	}
	if (d->phase == DETACHED || !on_stop(d, e->status, &s))
		return;
	d->phase = STOPPED;
	d->last = s;
	mark_stopped(d);
	tell_gdb(d, &s);
	ring_host(d);	/* the host's loop counts time stopped apart */
}

/* ---- threads ---- */

static void *waiter_main(void *arg)
{
	struct hd_emu_debug *d = arg;

	for (;;) {
		siginfo_t si = { 0 };
		struct event e;

		if (waitid(P_PID, (id_t)d->pid, &si, WEXITED | WSTOPPED | WNOWAIT) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		e.code = si.si_code;
		e.status = si.si_status;
		if (si.si_code == CLD_TRAPPED || si.si_code == CLD_STOPPED) {
			/* take this stop (an exit is never taken here: WEXITED is not asked) */
			siginfo_t taken = { 0 };
			if (waitid(P_PID, (id_t)d->pid, &taken, WSTOPPED | WNOHANG) < 0 ||
			    !taken.si_pid)
				continue;
			e.status = taken.si_status;
		} else if (si.si_code != CLD_EXITED && si.si_code != CLD_KILLED &&
			   si.si_code != CLD_DUMPED) {
			continue;
		}
		if (write(d->events[1], &e, sizeof(e)) != sizeof(e))
			break;
		if (si.si_code != CLD_TRAPPED && si.si_code != CLD_STOPPED)
			break;
	}
	return NULL;
}

static void *stub_main(void *arg)
{
	struct hd_emu_debug *d = arg;
	char path[64];
	int rc = 0;

	if (ptrace(PTRACE_SEIZE, d->pid, 0, (void *)(long)PTRACE_O_EXITKILL))
		rc = -errno;
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)d->pid);
	if (!rc && (d->memfd = open(path, O_RDWR | O_CLOEXEC)) < 0)
		rc = -errno;
	pthread_mutex_lock(&d->lock);
	d->attach_rc = rc;
	d->attach_done = 1;
	pthread_cond_signal(&d->cond);
	pthread_mutex_unlock(&d->lock);
	if (rc)
		return NULL;
	while (!__atomic_load_n(&d->quit, __ATOMIC_ACQUIRE)) {
		/* gdb is let in once the core is at its entry; its packets wait while we are
		 * stopping the core for it */
		int ready = d->phase != STARTING && d->phase != TO_ENTRY && !d->connecting;
		struct pollfd pf[4] = {
			{ d->wake[0], POLLIN, 0 }, { d->events[0], POLLIN, 0 },
			{ ready && d->conn < 0 && d->listen_fd >= 0 ? d->listen_fd : -1, POLLIN, 0 },
			{ ready ? d->conn : -1, POLLIN, 0 },
		};
		uint8_t buf[4096];

		if (poll(pf, 4, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pf[0].revents)
			break;
		if (pf[1].revents) {
			struct event e;
			if (read(d->events[0], &e, sizeof(e)) == sizeof(e))
				on_event(d, &e);
			else
				pf[1].fd = -1;
		}
		if (pf[2].revents)
			take_connection(d);
		if (pf[3].fd >= 0 && pf[3].revents && d->conn >= 0) {
			ssize_t n = recv(d->conn, buf, sizeof(buf), MSG_DONTWAIT);
			if (n > 0)
				hd_gdbp_input(&d->proto, buf, (size_t)n);
			if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR) ||
			    d->proto.closing)
				hang_up(d);
		}
	}
	hang_up(d);
	return NULL;
}

/* ---- life ---- */

void hd_emu_debug_free(struct hd_emu_debug *d)
{
	if (!d)
		return;
	__atomic_store_n(&d->quit, 1, __ATOMIC_RELEASE);
	if (d->wake[1] >= 0) {	/* the stub looks at quit whenever it wakes */
		ssize_t w = write(d->wake[1], "q", 1);
		(void)w;
	}
	if (d->have_stub)
		pthread_join(d->stub, NULL);
	/* the waiter ends with the core, which the caller has killed */
	if (d->have_waiter)
		pthread_join(d->waiter, NULL);
	for (int i = 0; i < 2; i++) {
		if (d->events[i] >= 0)
			close(d->events[i]);
		if (d->wake[i] >= 0)
			close(d->wake[i]);
	}
	if (d->listen_fd >= 0) {
		close(d->listen_fd);
		unlink(d->path);
	}
	if (d->memfd >= 0)
		close(d->memfd);
	pthread_mutex_destroy(&d->lock);
	pthread_cond_destroy(&d->cond);
	free(d);
}

int hd_emu_debug_new(struct hd_board *b, uint32_t core, struct hd_emu_debug **out)
{
	struct hd_emu_debug *d = calloc(1, sizeof(*d));
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char path[PATH_MAX];
	int rc = 0;

	if (!d)
		return hd_fail(-ENOMEM, "out of memory");
	d->b = b;
	d->core = core;
	d->view = b->core[core].view;
	d->memfd = d->listen_fd = d->conn = -1;
	d->events[0] = d->events[1] = d->wake[0] = d->wake[1] = -1;
	d->phase = STARTING;
	pthread_mutex_init(&d->lock, NULL);
	pthread_cond_init(&d->cond, NULL);
	hd_debug_socket_path(b, core, path, sizeof(path));
	if (strlen(path) >= sizeof(sa.sun_path)) {
		rc = hd_fail(-ENAMETOOLONG, "--gdb: the socket path %s is too long for a Unix "
			     "socket (a board directory of at most %zu bytes)", path,
			     sizeof(sa.sun_path) - 18);
		goto fail;
	}
	snprintf(d->path, sizeof(d->path), "%s", path);
	memcpy(sa.sun_path, path, strlen(path) + 1);
	unlink(path);
	if (pipe2(d->events, O_CLOEXEC) || pipe2(d->wake, O_CLOEXEC) ||
	    (d->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
		rc = hd_fail(-errno, "--gdb: %s", strerror(errno));
		goto fail;
	}
	/* only this user may connect: gdb gets the core's memory and its life */
	if (bind(d->listen_fd, (struct sockaddr *)&sa, sizeof(sa)) || chmod(path, 0600) ||
	    listen(d->listen_fd, 1)) {
		rc = hd_fail(-errno, "--gdb: socket %s: %s", path, strerror(errno));
		goto fail;
	}
	*out = d;
	return 0;
fail:
	hd_emu_debug_free(d);
	return rc;
}

/* Threads of the stub start with every signal blocked: the host's handlers run elsewhere. */
static int start_thread(pthread_t *t, void *(*fn)(void *), void *arg)
{
	sigset_t all, old;
	int rc;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(t, NULL, fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return -rc;
}

int hd_emu_debug_attach(struct hd_emu_debug *d, pid_t pid)
{
	int rc;

	d->pid = pid;
	if ((rc = start_thread(&d->stub, stub_main, d)))
		return hd_fail(rc, "--gdb: thread: %s", strerror(-rc));
	d->have_stub = 1;
	pthread_mutex_lock(&d->lock);
	while (!d->attach_done)
		pthread_cond_wait(&d->cond, &d->lock);
	rc = d->attach_rc;
	pthread_mutex_unlock(&d->lock);
	if (rc)
		return hd_fail(rc, "--gdb: cannot trace core %u (process %d): %s", d->core, (int)pid,
			       strerror(-rc));
	if ((rc = start_thread(&d->waiter, waiter_main, d)))
		return hd_fail(rc, "--gdb: thread: %s", strerror(-rc));
	d->have_waiter = 1;
	return 0;
}

int hd_emu_debug_ended(struct hd_emu_debug *d)
{
	return __atomic_load_n(&d->ended, __ATOMIC_ACQUIRE);
}

uint64_t hd_emu_debug_paused_ns(struct hd_emu_debug *d, uint64_t now_ns)
{
	uint64_t since = __atomic_load_n(&d->stopped_since, __ATOMIC_ACQUIRE);
	uint64_t total = __atomic_load_n(&d->paused_ns, __ATOMIC_ACQUIRE);

	return total + (since && now_ns > since ? now_ns - since : 0);
}
