// SPDX-License-Identifier: MIT
/*
 * test_dropin.c: tessera as a drop-in for the MPI tools that builds and harnesses use: a tile
 * image run directly, the C library of tiles, the wrapper's and the launcher's conventions
 * (checked against Open MPI's mpicc where both print something), and autotools, CMake, Meson
 * and Makefile projects configured, built and tested from an installed prefix
 * (tests/buildsys/run.sh; each test installs into a directory of its own).
 */
#include <criterion/criterion.h>
#include "helpers.h"

#define MPICC "build/bin/tessera-mpicc"
#define MPIRUN "build/bin/tessera-mpirun"
#define POSIX "build/tests/images/posix"

/* A fresh directory under /tmp for this process. */
static void tmp_dir(char *out, size_t n, const char *tag)
{
	snprintf(out, n, "/tmp/tessera-dropin-%d-%s", (int)getpid(), tag);
}

/* run_cmd for a shell script line (variables, &&, quotes): written to a file, run by sh. */
__attribute__((format(printf, 2, 3))) static void run_sh(struct run *r, const char *fmt, ...)
{
	char path[] = "/tmp/tessera-dropin-sh-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	va_list ap;

	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
	fclose(f);
	run_cmd(r, "sh %s", path);
	unlink(path);
}

static void build_project(const char *kind, const char *expect)
{
	struct run r;
	char dir[256];

	tmp_dir(dir, sizeof(dir), kind);
	run_cmd(&r, "tests/buildsys/run.sh %s %s", kind, dir);
	cr_assert_eq(r.status, 0, "%s project failed:\n%s\n%s", kind, r.out, r.err);
	cr_assert(strstr(r.out, expect), "%s: no '%s' in:\n%s", kind, expect, r.out);
	run_free(&r);
	run_cmd(&r, "rm -rf %s", dir);
	run_free(&r);
}

Test(buildsys, autotools_configure_make_check_without_host, .timeout = 300)
{
	build_project("autotools", "PASS: ring4.sh");
}

Test(buildsys, autotools_libtool_builds_static_only, .timeout = 300)
{
	build_project("autotools", "checking whether to build shared libraries... no");
}

Test(buildsys, cmake_find_package_mpi_and_ctest, .timeout = 300)
{
	build_project("cmake", "100% tests passed, 0 tests failed out of 2");
}

/* CMAKE_C_COMPILER the host's cc, MPI_C_COMPILER the wrapper: FindMPI keeps only some of
 * the wrapper's flags, and the images it builds must still run, directly and under the
 * mpiexec FindMPI found through MPI_HOME. */
Test(buildsys, cmake_with_the_host_compiler, .timeout = 300)
{
	build_project("cmake-hostcc", "100% tests passed, 0 tests failed out of 2");
}

Test(buildsys, meson_dependency_mpi_and_test, .timeout = 300)
{
	build_project("meson", "2/2 ring4 OK");
}

Test(buildsys, makefile_with_showme_flags, .timeout = 120)
{
	build_project("make", "ring of 4: ok");
}

Test(direct, image_run_as_a_program_is_a_one_rank_job)
{
	struct run r;

	run_cmd(&r, "build/tests/images/args one 'two words'");
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	cr_assert_str_eq(r.out, "argc=3 argv[1]=one argv[2]=two words GREETING=(unset)\n");
	run_free(&r);
	run_sh(&r, "GREETING=hi build/tests/images/args");
	cr_assert_str_eq(r.out, "argc=1 GREETING=hi\n", "the environment reaches the rank");
	run_free(&r);
}

Test(direct, exit_status_comes_back_without_a_report)
{
	struct run r;

	run_cmd(&r, "build/tests/images/crash exit 0 7");
	cr_assert_eq(r.status, 7, "status %d, stderr: %s", r.status, r.err);
	cr_assert_eq(count_lines(r.err, "tessera:"), 0, "stderr: %s", r.err);
	run_free(&r);
}

Test(libc, posix_calls_and_exit_path_behave)
{
	struct run r;
	char dir[256];

	tmp_dir(dir, sizeof(dir), "posix");
	run_sh(&r, "mkdir -p %s/posix-dir && touch %s/posix-dir/here && " TESSERA
		" run --workdir %s " POSIX, dir, dir, dir);
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	cr_assert_eq(count_lines(r.out, "FAIL"), 0, "%s", r.out);
	cr_assert_eq(count_lines(r.out, "ok "), 25, "%s", r.out);
	cr_assert(strstr(r.out, "atexit ran\ndestructor ran\n"), "%s", r.out);
	run_free(&r);
	run_cmd(&r, "rm -rf %s", dir);
	run_free(&r);
}

Test(libc, call_that_cannot_exist_fails_to_link_with_its_name)
{
	struct run r;
	char dir[256];

	tmp_dir(dir, sizeof(dir), "fork");
	run_sh(&r, "mkdir -p %s && printf '#include <unistd.h>\\nint main(void){return fork();}\\n'"
		" > %s/f.c && " MPICC " -o %s/f %s/f.c", dir, dir, dir, dir);
	cr_assert_neq(r.status, 0);
	cr_assert(strstr(r.err, "undefined reference to `fork: a tile core runs one program"),
		  "%s", r.err);
	run_free(&r);
	run_cmd(&r, "rm -rf %s", dir);
	run_free(&r);
}

/* memcpy, memmove and memset come from the kernel (arch/emu/string.S), never from Newlib,
 * whichever library first asks for them (here Newlib's stdio and qsort do). */
Test(libc, string_functions_are_the_kernels)
{
	struct run r;
	char dir[256];

	tmp_dir(dir, sizeof(dir), "string");
	run_sh(&r, "mkdir -p %s && printf '#include <stdlib.h>\\n#include <string.h>\\n"
		"static int c(const void *a, const void *b){return *(const char *)a - *(const char *)b;}\\n"
		"int main(int n, char **v){char b[64]; memmove(b, v[0], 8); qsort(b, 8, 1, c);"
		" memset(b, n, 3); return b[0];}\\n' > %s/s.c && " MPICC " -O2 -o %s/s %s/s.c"
		" -Wl,--trace-symbol=memcpy,--trace-symbol=memmove,--trace-symbol=memset",
		dir, dir, dir, dir);
	cr_assert_eq(r.status, 0, "%s", r.err);
	/* ld prints what --trace-symbol finds on its standard error */
	cr_assert(strstr(r.err, "(string.o): definition of memmove"), "%s", r.err);
	cr_assert(strstr(r.err, "(string.o): definition of memset"), "%s", r.err);
	cr_assert(strstr(r.err, "(string.o): definition of memcpy"), "%s", r.err);
	cr_assert_null(strstr(r.err, "lib_a-mem"), "%s", r.err);
	run_free(&r);
	run_cmd(&r, "rm -rf %s", dir);
	run_free(&r);
}

/* Open MPI's mpicc and ours print the same shape: user arguments first, then the flags. */
Test(wrapper, showme_forms_as_open_mpi_prints_them)
{
	static const char *const forms[][2] = {
		{ "-showme -c foo.c -o foo.o", "gcc -c foo.c -o foo.o -" },
		{ "--showme foo.c -o foo", "gcc foo.c -o foo -" },
		{ "-showme:compile -O2", "-O2 -" },
		{ "--showme:link -lfoo", "-lfoo -" },
		{ "-showme:command", "gcc\n" },
	};
	struct run ours, ompi;

	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		run_cmd(&ours, MPICC " %s", forms[i][0]);
		run_cmd(&ompi, "mpicc %s", forms[i][0]);
		cr_assert_eq(ours.status, 0, "%s: %s", forms[i][0], ours.err);
		cr_assert_eq(ompi.status, 0, "Open MPI: %s: %s", forms[i][0], ompi.err);
		cr_assert(!strncmp(ours.out, forms[i][1], strlen(forms[i][1])), "%s: %s",
			  forms[i][0], ours.out);
		cr_assert(!strncmp(ompi.out, forms[i][1], strlen(forms[i][1])), "Open MPI %s: %s",
			  forms[i][0], ompi.out);
		run_free(&ours);
		run_free(&ompi);
	}
	run_cmd(&ours, MPICC " -showme:bogus");
	run_cmd(&ompi, "mpicc -showme:bogus");
	cr_assert_eq(ours.status, ompi.status);
	cr_assert(strstr(ours.err, "unrecognized option: -showme:bogus"), "%s", ours.err);
	cr_assert(strstr(ompi.err, "unrecognized option: -showme:bogus"), "%s", ompi.err);
	run_free(&ours);
	run_free(&ompi);
	run_cmd(&ours, MPICC " -showme:version");
	cr_assert(strstr(ours.out, "tessera-mpicc: tessera ") && strstr(ours.out, "(Language: C)"),
		  "%s", ours.out);
	run_free(&ours);
}

Test(wrapper, mpich_forms_and_compiler_overrides)
{
	struct run r;

	run_sh(&r, "OMPI_CC=cc " MPICC " -show");
	cr_assert(!strncmp(r.out, "cc -m64", 7), "%s", r.out);
	run_free(&r);
	run_sh(&r, "MPICH_CC=cc TESSERA_CC=gcc " MPICC " -compile-info");
	cr_assert(!strncmp(r.out, "gcc -m64", 8) && !strstr(r.out, "-specs="), "%s", r.out);
	run_free(&r);
	run_cmd(&r, MPICC " -link-info");
	cr_assert(strstr(r.out, "-specs=") && strstr(r.out, "-lmpi"), "%s", r.out);
	run_free(&r);
	/* FindMPI hands the wrapper itself as OMPI_CC: it stands for gcc, not a loop */
	run_sh(&r, "OMPI_CC=$PWD/" MPICC " " MPICC " -showme:command");
	cr_assert_str_eq(r.out, "gcc\n");
	run_free(&r);
}

Test(wrapper, static_only_platform)
{
	struct run r;

	run_sh(&r, MPICC " -fPIC -c tests/images/args.c -o /tmp/tessera-dropin-%d.o && rm "
		"/tmp/tessera-dropin-%d.o", (int)getpid(), (int)getpid());
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.err, "warning: -fPIC ignored"), "%s", r.err);
	run_free(&r);
	run_cmd(&r, MPICC " -shared -o /tmp/x.so tests/images/args.c");
	cr_assert_eq(r.status, 1);
	cr_assert_eq(count_lines(r.err, "\n"), 1, "one line: %s", r.err);
	cr_assert(strstr(r.err, "-shared: "), "%s", r.err);
	run_free(&r);
	run_cmd(&r, MPICC " -fopenmp -o /tmp/x tests/images/args.c");
	cr_assert_eq(r.status, 1);
	cr_assert(strstr(r.err, "-fopenmp: OpenMP is not supported"), "%s", r.err);
	run_free(&r);
	run_cmd(&r, MPICC " -o /tmp/x tests/images/args.c -lz");
	cr_assert_eq(r.status, 1);
	cr_assert(strstr(r.err, "-lz: no tile build of libz"), "%s", r.err);
	run_free(&r);
	run_sh(&r, "build/bin/tessera-mpicc -print-prog-name=ld | xargs -I{} sh -c '{} --help' "
		"| grep -c 'supported targets'");
	cr_assert_str_eq(r.out, "0\n", "libtool must see a linker without shared targets");
	run_free(&r);
	run_sh(&r, "build/bin/tessera-mpicxx -c x.cc; build/bin/tessera-mpif90 x.f90");
	cr_assert_eq(count_lines(r.err, "C++ is not supported yet"), 1, "%s", r.err);
	cr_assert_eq(count_lines(r.err, "Fortran is not supported yet"), 1, "%s", r.err);
	run_free(&r);
}

Test(launcher, options_of_both_families)
{
	struct run r;

	run_cmd(&r, MPIRUN " --version");
	cr_assert(!strncmp(r.out, "tessera-mpirun (tessera) ", 25), "%s", r.out);
	run_free(&r);
	run_cmd(&r, MPIRUN " -np 1 --bogus-option build/apps/hello");
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "unknown option \"--bogus-option\""), "%s", r.err);
	run_free(&r);
	run_cmd(&r, MPIRUN " -x 'A;touch /tmp/tessera-dropin-pwned' -np 1 build/apps/hello");
	cr_assert_eq(r.status, 2);
	cr_assert(!path_exists("/tmp/tessera-dropin-pwned"));
	run_free(&r);
	run_sh(&r, "GREETING=x " MPIRUN " -np 2 -ppn 2 -f hosts -genv GREETING hi -x B=1 "
		"build/tests/images/args");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(count_lines(r.out, "GREETING=hi"), 2, "%s", r.out);
	cr_assert_eq(count_lines(r.err, "note: -ppn ignored"), 1, "%s", r.err);
	cr_assert_eq(count_lines(r.err, "note: -f ignored"), 1, "%s", r.err);
	run_free(&r);
	run_cmd(&r, MPIRUN " -np 1 build/apps/hello : -np 2 build/apps/hello");
	assert_hello(&r, 3);
	run_free(&r);
}

Test(launcher, output_filename_and_mpiexec_link)
{
	struct run r;
	char dir[256];

	tmp_dir(dir, sizeof(dir), "out");
	run_sh(&r, "mkdir -p %s && ln -sf $PWD/" MPIRUN " %s/mpiexec && %s/mpiexec -n 2 "
		"--output-filename %s/o build/apps/hello && cat %s/o/1/rank.1/stdout && "
		"test -f %s/o/1/rank.0/stderr", dir, dir, dir, dir, dir, dir);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(count_lines(r.out, "rank 1 of 2"), 2, "terminal and file: %s", r.out);
	run_free(&r);
	run_cmd(&r, "rm -rf %s", dir);
	run_free(&r);
}

Test(launcher, more_ranks_than_the_default_board, .timeout = 120)
{
	struct run r;

	run_cmd(&r, MPIRUN " -np 72 build/apps/hello");
	assert_hello(&r, 72);
	cr_assert(strstr(r.err, "72 ranks do not fit the default board scc48 (48 cores): running on "
			     "mesh9x8"), "%s", r.err);
	cr_assert_eq(count_lines(r.err, "\n"), 1, "%s", r.err);
	run_free(&r);
}
