// SPDX-License-Identifier: MIT
/*
 * gdbstub.c: the GDB remote serial protocol for one x86-64 core (gdbstub.h says what is
 * spoken): framing and checks first, then one handler per command over the caller's target.
 * Not the transport and not the core: both are the caller's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include "gdbstub.h"
#include "hex.h"

/* Register sizes in 'g' order (gdbstub.h). */
static int reg_size(int n)
{
	if (n < 17)
		return 8;		/* rax..r15, rip */
	if (n < 24)
		return 4;		/* eflags, cs, ss, ds, es, fs, gs */
	if (n < 32)
		return 10;		/* st0..st7 */
	if (n < 40)
		return 4;		/* fctrl..fop */
	if (n < 56)
		return 16;		/* xmm0..xmm15 */
	return 4;			/* mxcsr */
}

static int reg_offset(int n)
{
	int off = 0;

	for (int i = 0; i < n; i++)
		off += reg_size(i);
	return off;
}

#define GDB_RIP 16
_Static_assert(HD_GDB_NREGS == 57, "amd64 core + sse");

/* gdb's signal numbers (gdb/signals.def), which are not Linux's past the first few. */
static const struct {
	int host, gdb;
} signals[] = {
	{ SIGHUP, 1 }, { SIGINT, 2 }, { SIGQUIT, 3 }, { SIGILL, 4 }, { SIGTRAP, 5 },
	{ SIGABRT, 6 }, { SIGFPE, 8 }, { SIGKILL, 9 }, { SIGBUS, 10 }, { SIGSEGV, 11 },
	{ SIGSYS, 12 }, { SIGPIPE, 13 }, { SIGALRM, 14 }, { SIGTERM, 15 }, { SIGURG, 16 },
	{ SIGSTOP, 17 }, { SIGTSTP, 18 }, { SIGCONT, 19 }, { SIGCHLD, 20 }, { SIGTTIN, 21 },
	{ SIGTTOU, 22 }, { SIGIO, 23 }, { SIGXCPU, 24 }, { SIGXFSZ, 25 }, { SIGVTALRM, 26 },
	{ SIGPROF, 27 }, { SIGWINCH, 28 }, { SIGUSR1, 30 }, { SIGUSR2, 31 }, { SIGPWR, 32 },
};

int hd_gdb_signal_to_gdb(int host_sig)
{
	for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
		if (signals[i].host == host_sig)
			return signals[i].gdb;
	return 0;
}

int hd_gdb_signal_from_gdb(int gdb_sig)
{
	for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
		if (signals[i].gdb == gdb_sig)
			return signals[i].host;
	return 0;
}

/* ---- the target description gdb asks for (qXfer:features:read:target.xml) ---- */

/* A 32-bit flags type of one-bit fields, appended at xml[k]; returns the new end. */
static size_t flags(char *xml, size_t cap, size_t k, const char *id, const char *const *name,
		    const int *bit, size_t n)
{
	k += (size_t)snprintf(xml + k, cap - k, "<flags id=\"%s\" size=\"4\">\n", id);
	for (size_t i = 0; i < n && k < cap; i++)
		k += (size_t)snprintf(xml + k, cap - k, "<field name=\"%s\" start=\"%d\" "
				      "end=\"%d\"/>\n", name[i], bit[i], bit[i]);
	if (k < cap)
		k += (size_t)snprintf(xml + k, cap - k, "</flags>\n");
	return k < cap ? k : cap - 1;
}

/* The description into xml (cap bytes, at least 8 KB); returns its length. */
static size_t target_xml(char *xml, size_t cap)
{
	static const char *const gpr[] = { "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp" };
	static const char *const seg[] = { "cs", "ss", "ds", "es", "fs", "gs" };
	static const char *const x87[] = { "fctrl", "fstat", "ftag", "fiseg", "fioff", "foseg",
					   "fooff", "fop" };
	static const char *const eflags[] = { "CF", "", "PF", "AF", "ZF", "SF", "TF", "IF", "DF",
					      "OF", "NT", "RF", "VM", "AC", "VIF", "VIP", "ID" };
	static const int eflags_bit[] = { 0, 1, 2, 4, 6, 7, 8, 9, 10, 11, 14, 16, 17, 18, 19, 20,
					  21 };
	static const char *const mxcsr[] = { "IE", "DE", "ZE", "OE", "UE", "PE", "DAZ", "IM", "DM",
					     "ZM", "OM", "UM", "PM", "FZ" };
	static const int mxcsr_bit[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 15 };
	size_t k = 0;

#define ADD(...) (k += (size_t)snprintf(xml + k, k < cap ? cap - k : 0, __VA_ARGS__))
	ADD("<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
	    "<target version=\"1.0\">\n<architecture>i386:x86-64</architecture>\n"
	    "<feature name=\"org.gnu.gdb.i386.core\">\n");
	k = flags(xml, cap, k, "i386_eflags", eflags, eflags_bit,
		  sizeof(eflags) / sizeof(eflags[0]));
	for (int i = 0; i < 8; i++)
		ADD("<reg name=\"%s\" bitsize=\"64\" type=\"%s\"/>\n", gpr[i],
		    i == 6 || i == 7 ? "data_ptr" : "int64");
	for (int i = 8; i < 16; i++)
		ADD("<reg name=\"r%d\" bitsize=\"64\" type=\"int64\"/>\n", i);
	ADD("<reg name=\"rip\" bitsize=\"64\" type=\"code_ptr\"/>\n"
	    "<reg name=\"eflags\" bitsize=\"32\" type=\"i386_eflags\"/>\n");
	for (int i = 0; i < 6; i++)
		ADD("<reg name=\"%s\" bitsize=\"32\" type=\"int32\"/>\n", seg[i]);
	for (int i = 0; i < 8; i++)
		ADD("<reg name=\"st%d\" bitsize=\"80\" type=\"i387_ext\"/>\n", i);
	for (int i = 0; i < 8; i++)
		ADD("<reg name=\"%s\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n", x87[i]);
	ADD("</feature>\n<feature name=\"org.gnu.gdb.i386.sse\">\n"
	    "<vector id=\"v4f\" type=\"ieee_single\" count=\"4\"/>\n"
	    "<vector id=\"v2d\" type=\"ieee_double\" count=\"2\"/>\n"
	    "<vector id=\"v16i8\" type=\"int8\" count=\"16\"/>\n"
	    "<vector id=\"v8i16\" type=\"int16\" count=\"8\"/>\n"
	    "<vector id=\"v4i32\" type=\"int32\" count=\"4\"/>\n"
	    "<vector id=\"v2i64\" type=\"int64\" count=\"2\"/>\n"
	    "<union id=\"vec128\"><field name=\"v4_float\" type=\"v4f\"/>"
	    "<field name=\"v2_double\" type=\"v2d\"/><field name=\"v16_int8\" type=\"v16i8\"/>"
	    "<field name=\"v8_int16\" type=\"v8i16\"/><field name=\"v4_int32\" type=\"v4i32\"/>"
	    "<field name=\"v2_int64\" type=\"v2i64\"/><field name=\"uint128\" type=\"uint128\"/>"
	    "</union>\n");
	k = flags(xml, cap, k, "i386_mxcsr", mxcsr, mxcsr_bit,
		  sizeof(mxcsr) / sizeof(mxcsr[0]));
	for (int i = 0; i < 16; i++)
		ADD("<reg name=\"xmm%d\" bitsize=\"128\" type=\"vec128\"/>\n", i);
	ADD("<reg name=\"mxcsr\" bitsize=\"32\" type=\"i386_mxcsr\" group=\"vector\"/>\n"
	    "</feature>\n</target>\n");
#undef ADD
	return k < cap ? k : cap - 1;
}

/* ---- sending ---- */

static const char hexd[] = "0123456789abcdef";

/* Send $data#cs; binary data has '#', '$', '}' and '*' escaped (gdb undoes that only for
 * binary replies, so text replies, which never hold them, go as they are). */
static void send_packet(struct hd_gdbp *p, const void *data, size_t n, int binary)
{
	const uint8_t *d = data;
	size_t k = 0;
	uint8_t sum = 0;

	p->out[k++] = '$';
	for (size_t i = 0; i < n && k + 6 < sizeof(p->out); i++) {
		uint8_t c = d[i];
		if (binary && (c == '#' || c == '$' || c == '}' || c == '*')) {
			p->out[k++] = '}';
			sum += '}';
			c ^= 0x20;
		}
		p->out[k++] = (char)c;
		sum += c;
	}
	p->out[k++] = '#';
	p->out[k++] = hexd[sum >> 4];
	p->out[k++] = hexd[sum & 15];
	p->send(p->send_arg, p->out, k);
}

static void reply(struct hd_gdbp *p, const char *s)
{
	send_packet(p, s, strlen(s), 0);
}

static void reply_err(struct hd_gdbp *p, int err)
{
	char e[4] = { 'E', hexd[(-err >> 4) & 15], hexd[-err & 15], 0 };

	reply(p, e);
}

static void tohex(char *out, const uint8_t *in, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hexd[in[i] >> 4];
		out[2 * i + 1] = hexd[in[i] & 15];
	}
	out[2 * n] = 0;
}

/* Exactly 2n hex digits at s into out; 0 or -EINVAL. */
static int fromhex(uint8_t *out, const char *s, size_t slen, size_t n)
{
	if (slen != 2 * n)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		int hi = hd_unhex(s[2 * i]), lo = hd_unhex(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -EINVAL;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

/* A hex number of 1..16 digits at *s, which moves past it. */
static int number(const char **s, uint64_t *v)
{
	int d, n = 0;

	*v = 0;
	while ((d = hd_unhex(**s)) >= 0) {
		if (++n > 16)
			return -EINVAL;
		*v = *v << 4 | (uint64_t)d;
		(*s)++;
	}
	return n ? 0 : -EINVAL;
}

static void stop_reply(struct hd_gdbp *p, const struct hd_gdb_stop *s, int swbreak)
{
	char r[64];

	if (s->kind == HD_GDB_STOP_EXITED)
		snprintf(r, sizeof(r), "W%02x", s->code & 0xff);
	else if (s->kind == HD_GDB_STOP_KILLED)
		snprintf(r, sizeof(r), "X%02x", hd_gdb_signal_to_gdb(s->sig));
	else
		snprintf(r, sizeof(r), "T%02xthread:1;%s", hd_gdb_signal_to_gdb(s->sig),
			 swbreak ? "swbreak:;" : "");
	reply(p, r);
}

/* ---- breakpoints ---- */

static int bp_find(struct hd_gdbp *p, uint64_t addr)
{
	for (unsigned i = 0; i < p->nbp; i++)
		if (p->bp[i].addr == addr)
			return (int)i;
	return -1;
}

static int bp_insert(struct hd_gdbp *p, uint64_t addr)
{
	uint8_t saved, int3 = 0xcc;
	long n;

	if (bp_find(p, addr) >= 0)
		return 0;
	if (p->nbp == HD_GDB_BREAKPOINTS)
		return -ENOSPC;
	if ((n = p->t->mem_read(p->tctx, addr, &saved, 1)) != 1)
		return n < 0 ? (int)n : -EFAULT;
	if ((n = p->t->mem_write(p->tctx, addr, &int3, 1)) != 1)
		return n < 0 ? (int)n : -EFAULT;
	p->bp[p->nbp].addr = addr;
	p->bp[p->nbp++].saved = saved;
	return 0;
}

static int bp_remove(struct hd_gdbp *p, uint64_t addr)
{
	int i = bp_find(p, addr);
	long n = 1;

	if (i < 0)
		return 0;
	n = p->t->mem_write(p->tctx, addr, &p->bp[i].saved, 1);
	p->bp[i] = p->bp[--p->nbp];
	return n == 1 ? 0 : n < 0 ? (int)n : -EFAULT;
}

void hd_gdbp_clear(struct hd_gdbp *p)
{
	while (p->nbp)
		bp_remove(p, p->bp[p->nbp - 1].addr);
}

/* ---- commands ---- */

static void cmd_read_regs(struct hd_gdbp *p)
{
	uint8_t regs[HD_GDB_REGS_BYTES];
	char hex[2 * HD_GDB_REGS_BYTES + 1];
	int rc = p->t->regs_get(p->tctx, regs);

	if (rc)
		return reply_err(p, rc);
	tohex(hex, regs, sizeof(regs));
	reply(p, hex);
}

static void cmd_write_regs(struct hd_gdbp *p, const char *a, size_t alen)
{
	uint8_t regs[HD_GDB_REGS_BYTES];
	int rc = fromhex(regs, a, alen, sizeof(regs));

	if (!rc)
		rc = p->t->regs_set(p->tctx, regs);
	rc ? reply_err(p, rc) : reply(p, "OK");
}

/* p N and P N=VALUE */
static void cmd_reg(struct hd_gdbp *p, const char *a, size_t alen, int write)
{
	uint8_t regs[HD_GDB_REGS_BYTES];
	char hex[2 * 16 + 1];
	const char *s = a, *eq;
	uint64_t n;
	int rc;

	if (number(&s, &n) || n >= HD_GDB_NREGS || (write ? *s != '=' : s != a + alen))
		return reply_err(p, -EINVAL);
	if ((rc = p->t->regs_get(p->tctx, regs)))
		return reply_err(p, rc);
	if (!write) {
		tohex(hex, regs + reg_offset((int)n), (size_t)reg_size((int)n));
		return reply(p, hex);
	}
	eq = s + 1;
	if ((rc = fromhex(regs + reg_offset((int)n), eq, alen - (size_t)(eq - a),
			  (size_t)reg_size((int)n))) ||
	    (rc = p->t->regs_set(p->tctx, regs)))
		return reply_err(p, rc);
	reply(p, "OK");
}

/* "ADDR,LEN" then the byte at *end; LEN at most max. */
static int addr_len(const char **s, uint64_t *addr, uint64_t *len, uint64_t max)
{
	if (number(s, addr) || **s != ',')
		return -EINVAL;
	(*s)++;
	if (number(s, len) || *len > max || *addr + *len < *addr)
		return -EINVAL;
	return 0;
}

static void cmd_read_mem(struct hd_gdbp *p, const char *a, size_t alen)
{
	uint8_t *buf = p->scratch;
	char *hex = (char *)p->scratch + HD_GDB_PACKET_MAX / 2;
	const char *s = a;
	uint64_t addr, len;
	long n;

	if (addr_len(&s, &addr, &len, HD_GDB_PACKET_MAX / 2) || s != a + alen)
		return reply_err(p, -EINVAL);
	n = len ? p->t->mem_read(p->tctx, addr, buf, len) : 0;
	if (n < 0)
		return reply_err(p, (int)n);
	/* our int3s are not the program's: show what they hide */
	for (unsigned i = 0; i < p->nbp; i++)
		if (p->bp[i].addr >= addr && p->bp[i].addr - addr < (uint64_t)n)
			buf[p->bp[i].addr - addr] = p->bp[i].saved;
	tohex(hex, buf, (size_t)n);
	reply(p, hex);
}

/* Write n bytes at addr, keeping our breakpoints in place over them. */
static int write_mem(struct hd_gdbp *p, uint64_t addr, uint8_t *buf, size_t n)
{
	long w;

	for (unsigned i = 0; i < p->nbp; i++)
		if (p->bp[i].addr >= addr && p->bp[i].addr - addr < n) {
			p->bp[i].saved = buf[p->bp[i].addr - addr];
			buf[p->bp[i].addr - addr] = 0xcc;
		}
	w = n ? p->t->mem_write(p->tctx, addr, buf, n) : 0;
	if (w < 0)
		return (int)w;
	return (size_t)w == n ? 0 : -EFAULT;
}

/* M ADDR,LEN:HEX and X ADDR,LEN:BINARY */
static void cmd_write_mem(struct hd_gdbp *p, const char *a, size_t alen, int binary)
{
	uint8_t *buf = p->scratch;
	const char *s = a, *end = a + alen;
	uint64_t addr, len;
	size_t k = 0;
	int rc = 0;

	if (addr_len(&s, &addr, &len, HD_GDB_PACKET_MAX) || *s != ':')
		return reply_err(p, -EINVAL);
	s++;
	if (!binary) {
		rc = fromhex(buf, s, (size_t)(end - s), len);
	} else {
		for (; s < end && k < HD_GDB_PACKET_MAX; s++) {
			uint8_t c = (uint8_t)*s;
			if (c == '}') {
				if (++s == end) {
					rc = -EINVAL;
					break;
				}
				c = (uint8_t)(*s ^ 0x20);
			}
			buf[k++] = c;
		}
		if (s != end || k != len)
			rc = -EINVAL;
	}
	if (!rc)
		rc = write_mem(p, addr, buf, len);
	rc ? reply_err(p, rc) : reply(p, "OK");
}

/* Z0,ADDR,KIND and z0,ADDR,KIND; other kinds of breakpoint are not offered */
static void cmd_break(struct hd_gdbp *p, const char *a, size_t alen, int insert)
{
	const char *s = a;
	uint64_t addr, kind;
	int rc;

	if (alen < 2 || a[0] != '0' || a[1] != ',')
		return reply(p, "");
	s += 2;
	if (number(&s, &addr) || *s != ',' || (s++, number(&s, &kind)) || s != a + alen ||
	    kind != 1)
		return reply_err(p, -EINVAL);
	rc = insert ? bp_insert(p, addr) : bp_remove(p, addr);
	rc ? reply_err(p, rc) : reply(p, "OK");
}

/* Resume: step or not, with host signal sig, from addr if given. */
static void resume(struct hd_gdbp *p, int step, int gdb_sig, const char *addr)
{
	int sig = gdb_sig ? hd_gdb_signal_from_gdb(gdb_sig) : 0, rc;

	if (addr && *addr) {
		uint8_t regs[HD_GDB_REGS_BYTES];
		const char *s = addr;
		uint64_t pc;

		if (number(&s, &pc) || *s)
			return reply_err(p, -EINVAL);
		if ((rc = p->t->regs_get(p->tctx, regs)))
			return reply_err(p, rc);
		memcpy(regs + reg_offset(GDB_RIP), &pc, 8);
		if ((rc = p->t->regs_set(p->tctx, regs)))
			return reply_err(p, rc);
	}
	if ((rc = p->t->resume(p->tctx, step, sig)))
		return reply_err(p, rc);
	p->running = 1;
}

/* c [ADDR], s [ADDR], C SIG[;ADDR], S SIG[;ADDR] */
static void cmd_resume(struct hd_gdbp *p, char op, const char *a)
{
	uint64_t sig = 0;
	const char *s = a;

	if (op == 'C' || op == 'S') {
		if (number(&s, &sig) || sig > 255 || (*s && *s != ';'))
			return reply_err(p, -EINVAL);
		if (*s == ';')
			s++;
	}
	resume(p, op == 's' || op == 'S', (int)sig, s);
}

/* vCont;ACTION[:TID]...: the first action for thread 1 (or every thread) is ours. */
static void cmd_vcont(struct hd_gdbp *p, char *a)
{
	char *save = NULL;

	for (char *act = strtok_r(a, ";", &save); act; act = strtok_r(NULL, ";", &save)) {
		char *tid = strchr(act, ':');
		uint64_t sig = 0;
		const char *s = act + 1;

		if (tid) {
			*tid++ = 0;
			if (strcmp(tid, "-1") && strcmp(tid, "1") && strcmp(tid, "p1.1") &&
			    strcmp(tid, "p1.-1"))
				continue;
		}
		if (act[0] == 'C' || act[0] == 'S') {
			if (number(&s, &sig) || sig > 255 || *s)
				return reply_err(p, -EINVAL);
		} else if ((act[0] != 'c' && act[0] != 's') || act[1]) {
			return reply_err(p, -EINVAL);
		}
		return resume(p, act[0] == 's' || act[0] == 'S', (int)sig, NULL);
	}
	reply_err(p, -EINVAL);
}

/* qXfer:features:read:target.xml:OFFSET,LENGTH */
static void cmd_xfer_features(struct hd_gdbp *p, const char *a, size_t alen)
{
	static const char annex[] = "target.xml:";
	char *xml = (char *)p->scratch, *chunk = (char *)p->scratch + HD_GDB_PACKET_MAX;
	const char *s = a + sizeof(annex) - 1;
	uint64_t off, len;
	size_t size;

	if (alen < sizeof(annex) - 1 || memcmp(a, annex, sizeof(annex) - 1))
		return reply_err(p, -ENOENT);
	size = target_xml(xml, HD_GDB_PACKET_MAX);
	if (addr_len(&s, &off, &len, UINT64_MAX) || s != a + alen || off > size)
		return reply_err(p, -EINVAL);
	if (len > HD_GDB_PACKET_MAX / 2 - 1)	/* escaped, it may double */
		len = HD_GDB_PACKET_MAX / 2 - 1;
	chunk[0] = off + len >= size ? 'l' : 'm';
	if (len > size - off)
		len = size - off;
	memcpy(chunk + 1, xml + off, len);
	send_packet(p, chunk, len + 1, 1);
}

static int starts(const char *pkt, size_t len, const char *word)
{
	size_t n = strlen(word);

	return len >= n && !memcmp(pkt, word, n);
}

static void dispatch(struct hd_gdbp *p, char *pkt, size_t len)
{
	char *a = pkt + 1;
	size_t alen = len - 1;

	pkt[len] = 0;
	/* session and thread packets first: they need no core */
	if (starts(pkt, len, "qSupported"))
		return reply(p, "PacketSize=4000;qXfer:features:read+;QStartNoAckMode+;swbreak+;"
			     "vContSupported+");
	if (starts(pkt, len, "QStartNoAckMode")) {
		reply(p, "OK");
		p->noack = 1;
		return;
	}
	if (pkt[0] == '?')
		return stop_reply(p, &p->last, 0);
	if (pkt[0] == 'H' || pkt[0] == '!' || starts(pkt, len, "qSymbol"))
		return reply(p, "OK");
	if (pkt[0] == 'T')
		return reply(p, !strcmp(a, "1") || !strcmp(a, "-1") ? "OK" : "E01");
	if (starts(pkt, len, "qC") && len == 2)
		return reply(p, "QC1");
	if (starts(pkt, len, "qfThreadInfo"))
		return reply(p, "m1");
	if (starts(pkt, len, "qsThreadInfo"))
		return reply(p, "l");
	if (starts(pkt, len, "qOffsets") && len == 8) {
		/* a static-pie relocated to the core's view: gdb moves its symbols there */
		uint64_t off = p->t->offset ? p->t->offset(p->tctx) : 0;
		char o[64];

		snprintf(o, sizeof(o), "Text=%" PRIx64 ";Data=%" PRIx64 ";Bss=%" PRIx64, off, off,
			 off);
		return reply(p, o);
	}
	if (starts(pkt, len, "qAttached"))
		return reply(p, "1");	/* the core was there before gdb: quitting detaches */
	if (starts(pkt, len, "vCont?"))
		return reply(p, "vCont;c;C;s;S");
	if (starts(pkt, len, "qXfer:features:read:"))
		return cmd_xfer_features(p, pkt + 20, len - 20);
	if (pkt[0] == 'k' && len == 1) {	/* no reply: gdb does not wait for one */
		if (!p->ended)
			p->t->kill(p->tctx);
		p->closing = 1;
		return;
	}
	if (starts(pkt, len, "vKill")) {
		if (!p->ended)
			p->t->kill(p->tctx);
		p->closing = 1;
		return reply(p, "OK");
	}
	if (pkt[0] == 'D') {
		int rc = 0;
		hd_gdbp_clear(p);
		if (!p->ended)
			rc = p->t->detach(p->tctx);
		p->closing = 1;
		return rc ? reply_err(p, rc) : reply(p, "OK");
	}
	if (pkt[0] == 'v' && !starts(pkt, len, "vCont;"))
		return reply(p, "");	/* vMustReplyEmpty, vRun, vAttach, vFile... */
	if (p->ended) {
		if (strchr("gGpPmMXZzcsCS", pkt[0]) || starts(pkt, len, "vCont;"))
			return reply_err(p, -ESRCH);
		return reply(p, "");
	}
	switch (pkt[0]) {
	case 'g': return len == 1 ? cmd_read_regs(p) : reply_err(p, -EINVAL);
	case 'G': return cmd_write_regs(p, a, alen);
	case 'p': return cmd_reg(p, a, alen, 0);
	case 'P': return cmd_reg(p, a, alen, 1);
	case 'm': return cmd_read_mem(p, a, alen);
	case 'M': return cmd_write_mem(p, a, alen, 0);
	case 'X': return cmd_write_mem(p, a, alen, 1);
	case 'Z': return cmd_break(p, a, alen, 1);
	case 'z': return cmd_break(p, a, alen, 0);
	case 'c': case 's': case 'C': case 'S': return cmd_resume(p, pkt[0], a);
	case 'v': return cmd_vcont(p, pkt + 6);
	default: return reply(p, "");
	}
}

/* ---- framing ---- */

void hd_gdbp_init(struct hd_gdbp *p, const struct hd_gdb_target *t, void *tctx,
		  void (*send)(void *arg, const void *data, size_t n), void *send_arg,
		  const struct hd_gdb_stop *stop)
{
	memset(p, 0, sizeof(*p));
	p->t = t;
	p->tctx = tctx;
	p->send = send;
	p->send_arg = send_arg;
	p->last = *stop;
	p->ended = stop->kind != HD_GDB_STOP_SIGNAL;
}

void hd_gdbp_input(struct hd_gdbp *p, const uint8_t *data, size_t n)
{
	for (size_t i = 0; i < n && !p->closing; i++) {
		uint8_t c = data[i];
		int d;

		switch (p->frame) {
		case 0:		/* acks and noise between packets are let be */
			if (c == '$') {
				p->frame = 1;
				p->len = 0;
				p->sum = 0;
				p->overflow = 0;
			} else if (c == 0x03 && p->running && !p->ended) {
				p->t->interrupt(p->tctx);
			}
			break;
		case 1:
			if (c == '#') {
				p->frame = 2;
			} else if (c == '$') {	/* a new packet: the old one was cut short */
				p->len = 0;
				p->sum = 0;
				p->overflow = 0;
			} else {
				p->sum += c;
				if (p->len < HD_GDB_PACKET_MAX)
					p->pkt[p->len++] = c;
				else
					p->overflow = 1;
			}
			break;
		case 2:
		case 3:
			d = hd_unhex(c);
			if (d < 0) {	/* not a checksum: the frame is broken */
				p->frame = 0;
				if (!p->noack)
					p->send(p->send_arg, "-", 1);
				break;
			}
			p->csum = (uint8_t)(p->frame == 2 ? d << 4 : p->csum | d);
			if (p->frame++ == 2)
				break;
			p->frame = 0;
			if (p->csum != p->sum || p->overflow || !p->len) {
				if (!p->noack)
					p->send(p->send_arg, "-", 1);
				break;
			}
			if (!p->noack)
				p->send(p->send_arg, "+", 1);
			/* all-stop: while the core runs, only the interrupt is taken (its stop is
			 * the reply owed); a packet then is gdb's mistake or an attack */
			if (!p->running)
				dispatch(p, (char *)p->pkt, p->len);
			break;
		}
	}
}

void hd_gdbp_stopped(struct hd_gdbp *p, const struct hd_gdb_stop *stop)
{
	int swbreak = 0;

	if (stop->kind == HD_GDB_STOP_SIGNAL && stop->sig == SIGTRAP && stop->int3) {
		uint8_t regs[HD_GDB_REGS_BYTES];
		uint64_t pc;

		if (!p->t->regs_get(p->tctx, regs)) {
			memcpy(&pc, regs + reg_offset(GDB_RIP), 8);
			if (bp_find(p, pc - 1) >= 0) {
				pc--;
				memcpy(regs + reg_offset(GDB_RIP), &pc, 8);
				swbreak = !p->t->regs_set(p->tctx, regs);
			}
		}
	}
	p->last = *stop;
	if (stop->kind != HD_GDB_STOP_SIGNAL) {
		p->ended = 1;
		p->nbp = 0;	/* the memory they were in is no longer the core's */
	}
	if (p->running) {
		p->running = 0;
		stop_reply(p, stop, swbreak);
	}
}
