/* SPDX-License-Identifier: MIT */
/* ht.h: the subcommands of the `tessera` command and what they share. Host tools only. */
#ifndef HT_H
#define HT_H

#include <stdint.h>

struct hd_board;

/* cli.c */
__attribute__((noreturn, format(printf, 2, 3))) void ht_die(int code, const char *fmt, ...);
uint32_t ht_parse_cores(const char *s, uint32_t *out, uint32_t max);
int ht_is_board_handle(const char *s);	/* an existing board's directory, or pci:... */
struct hd_board *ht_open(const char *handle);	/* or die */
uint64_t ht_number(const char *what, const char *s);

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
int ht_heatmap(int argc, char **argv) __attribute__((weak));

struct ht_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
};
extern const struct ht_cmd ht_cmds[];

#endif
