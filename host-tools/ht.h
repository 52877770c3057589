/* SPDX-License-Identifier: MIT */
/* ht.h: the subcommands of the `tessera` command and what they share. Host tools only. */
#ifndef HT_H
#define HT_H

__attribute__((noreturn, format(printf, 2, 3))) void ht_die(int code, const char *fmt, ...);
int ht_run(int argc, char **argv);
int ht_info(int argc, char **argv);

#endif
