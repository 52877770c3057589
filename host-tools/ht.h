/* SPDX-License-Identifier: MIT */
/* ht.h: the subcommands of the `tessera` command and what they share. Host tools only. */
#ifndef HT_H
#define HT_H

#include <stddef.h>
#include <stdint.h>

struct hd_board;

/* cli.c */
__attribute__((noreturn, format(printf, 2, 3))) void ht_die(int code, const char *fmt, ...);
__attribute__((noreturn)) void ht_exit(int code);	/* exit (a fuzz harness replaces it) */
uint32_t ht_parse_cores(const char *s, uint32_t *out, uint32_t max);
/* --cores-per-process (arg, or NULL: $TESSERA_CORES_PER_PROCESS): N, or 0 for auto. */
uint32_t ht_cores_per_process(const char *arg);
int ht_is_board_handle(const char *s);	/* an existing board's directory, or pci:... */
struct hd_board *ht_open(const char *handle);	/* or die */
extern struct hd_board *ht_opened;		/* the last board ht_open handed out */
/* A number (decimal, 0x hex or 0 octal) of at most max, or die naming what. */
uint64_t ht_number(const char *what, const char *s, uint64_t max);
/* A finite number of seconds, 0..1e9 (> 0 unless zero_ok), or die naming what. */
double ht_seconds(const char *what, const char *s, int zero_ok);
/* A finite number in (0, max], or exit 2 naming the option. */
double ht_positive(const char *what, const char *s, double max);

/* contexts.c: the programs of a tessera run command line (one, or several with ':') */
struct ht_ctx {
	uint32_t nranks;
	const char *image_i386;		/* --image-i386 of this context */
	int argc;			/* the program and its arguments */
	char **argv;
	char **env;			/* --env VAR=VALUE of this context, nenv of them */
	int nenv;
};
/* A number of ranks (1..TESSERA_MAX_CORES), or die naming `what`. */
uint32_t ht_parse_ranks(const char *what, const char *s);
/* Add --env VAR=VALUE to a context (dies on a bad one). */
void ht_ctx_env(struct ht_ctx *c, const char *what, char *var);
/* Split argv[0..argc) (from the first program on) into contexts; the first context's
 * options are in *first; literal: a `--` came before the first program. Returns the
 * contexts (*nctx of them, to free) or dies (exit 2). */
struct ht_ctx *ht_contexts(int argc, char **argv, int literal, const struct ht_ctx *first,
			   uint32_t *nctx);

/* stop.c: ending a job on a signal or a timeout, at any moment */
#include <stdio.h>
void ht_stop_catch(void);			/* install the handlers (first thing) */
void ht_stop_board(struct hd_board *b);		/* the board they interrupt (NULL: none) */
int ht_stop_asked(void);			/* a signal asked to stop */
int ht_stop_timer_fired(void);			/* the --timeout backstop fired, no signal */
void ht_stop_arm(double timeout_s);		/* arm the backstop (0: disarm) */
void ht_out(FILE *f, const void *p, size_t n);	/* write and flush; dropped if it would
						 * block once stopping */

/* progress.c: the self-updating line of a long step, on a terminal only */
void ht_progress_start(int quiet);			/* before the first step */
void ht_progress(void *arg, const char *what, uint64_t done, uint64_t total);	/* an
							 * hd_progress_fn */
void ht_progress_output(const char *data, size_t n);	/* before a rank's output */
void ht_progress_clear(void);				/* before other messages */

/* one function per subcommand: argv[0] is the subcommand's name */
int ht_run(int argc, char **argv);
int ht_info(int argc, char **argv);
int ht_boot(int argc, char **argv);
int ht_load(int argc, char **argv);
int ht_reset(int argc, char **argv);
int ht_shutdown(int argc, char **argv);
int ht_ps(int argc, char **argv);
int ht_dump(int argc, char **argv);
int ht_write(int argc, char **argv);
int ht_top(int argc, char **argv) __attribute__((weak));
int ht_ls(int argc, char **argv);
int ht_clean(int argc, char **argv);
int ht_gdb(int argc, char **argv);
/* ls.c: the only live board (for ps, top, dump without --board), or die listing them */
const char *ht_pick_board(const char *cmd);
int ht_heatmap(int argc, char **argv) __attribute__((weak));

struct ht_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
};
extern const struct ht_cmd ht_cmds[];

#endif
