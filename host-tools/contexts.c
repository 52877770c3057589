// SPDX-License-Identifier: MIT
/*
 * contexts.c: the programs of a `tessera run` command line. A job runs one program or, as
 * with mpirun's colon syntax, several: `-n 2 a x : -n 3 b y` is two contexts, the first 2
 * ranks running a with argument x, the next 3 running b with y. A context's own options
 * (-n, --env, --image-i386) come before its program: for the first context they are among
 * tessera run's options, for the others right after the ':'. A `--` before a context's
 * program makes the rest of the line that program's arguments, ':' included.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tessera/board.h"
#include "ht.h"

uint32_t ht_parse_ranks(const char *what, const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);

	if (end == s || *end || n < 1 || n > (long)TESSERA_MAX_CORES)
		ht_die(2, "%s: '%s' is not a number of ranks (1..%u)", what, s, TESSERA_MAX_CORES);
	return (uint32_t)n;
}

void ht_ctx_env(struct ht_ctx *c, const char *what, char *var)
{
	char **env;

	if (!strchr(var, '=') || var[0] == '=')
		ht_die(2, "%s: expected VAR=VALUE, got '%s'", what, var);
	if (!(env = realloc(c->env, (size_t)(c->nenv + 1) * sizeof(*env))))
		ht_die(1, "out of memory");
	c->env = env;
	c->env[c->nenv++] = var;
}

/* The value of option `name` at argv[*i] ("--name V" or "--name=V"), or NULL if argv[*i]
 * is another option; *i moves past what was used. */
static char *opt_value(int argc, char **argv, int *i, const char *name, const char *alias)
{
	const char *a = argv[*i];
	size_t n = strlen(name);

	if (!strcmp(a, name) || (alias && !strcmp(a, alias))) {
		if (*i + 1 >= argc)
			ht_die(2, "%s needs a value", a);
		*i += 2;
		return argv[*i - 1];
	}
	if (!strncmp(a, name, n) && a[n] == '=') {
		*i += 1;
		return argv[*i - 1] + n + 1;
	}
	return NULL;
}

/* Options of a context after a ':', up to its program; returns the program's index. */
static int ctx_options(int argc, char **argv, int i, struct ht_ctx *c, uint32_t k, int *literal)
{
	char *v;

	c->nranks = 1;
	while (i < argc && argv[i][0] == '-' && strcmp(argv[i], ":")) {
		if (!strcmp(argv[i], "--")) {
			*literal = 1;
			return i + 1;
		}
		if ((v = opt_value(argc, argv, &i, "--np", "-n")))
			c->nranks = ht_parse_ranks("-n", v);
		else if ((v = opt_value(argc, argv, &i, "--env", NULL)))
			ht_ctx_env(c, "--env", v);
		else if ((v = opt_value(argc, argv, &i, "--image-i386", NULL)))
			c->image_i386 = v;
		else
			ht_die(2, "program %u: '%s' is not an option of one program (-n, --env, "
			       "--image-i386); give the job's options before the first program", k,
			       argv[i]);
	}
	return i;
}

struct ht_ctx *ht_contexts(int argc, char **argv, int literal, const struct ht_ctx *first,
			   uint32_t *nctx)
{
	uint32_t max = 1, k = 0;
	struct ht_ctx *ctx;
	int i = 0;

	for (int j = 0; j < argc; j++)
		max += !strcmp(argv[j], ":");
	if (!(ctx = calloc(max, sizeof(*ctx))))
		ht_die(1, "out of memory");
	ctx[0] = *first;
	for (;;) {
		struct ht_ctx *c = &ctx[k];
		int j;

		if (k)
			i = ctx_options(argc, argv, i, c, k, &literal);
		if (i >= argc || (!literal && !strcmp(argv[i], ":")))
			ht_die(2, "program %u: no image given (see tessera run --help)", k);
		for (j = i; j < argc && (literal || strcmp(argv[j], ":")); j++)
			;
		c->argc = j - i;
		c->argv = argv + i;
		k++;
		if (j >= argc)
			break;
		i = j + 1;
	}
	*nctx = k;
	return ctx;
}
