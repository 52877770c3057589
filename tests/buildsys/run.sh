#!/bin/sh
# SPDX-License-Identifier: MIT
# run.sh KIND WORK: installs tessera into WORK/prefix (make install DESTDIR=WORK/stage, then
# the staged tree moved to its PREFIX, as a package would be), copies the KIND project
# (autotools, cmake, meson, make; cmake-hostcc: the cmake project built by the host's own
# compiler) with tests/buildsys/src into WORK/KIND, then configures, builds and tests it with
# the installed commands first in PATH. Prints every step; exits with the first failure. Run
# from the top of the source tree, after make (what is built is installed as it is).
set -eu
kind=$1 work=$2
prefix=$work/prefix
rm -rf "$work"
mkdir -p "$work"
# what `make test` built, as it is (-o all: nothing rebuilt under the tests that run meanwhile)
make -s --no-print-directory -o all install PREFIX="$prefix" DESTDIR="$work/stage" >"$work/install.log" 2>&1 ||
	{ cat "$work/install.log"; exit 1; }
mv "$work/stage$prefix" "$prefix"
rm -rf "$work/stage"
cp -r "tests/buildsys/${kind%-hostcc}" "$work/$kind"
cp -r tests/buildsys/src "$work/$kind/src"
export PATH="$prefix/bin:$PATH"
unset TESSERA MAKEFLAGS MFLAGS MAKELEVEL
cd "$work/$kind"
step() {
	echo "== $*"
	"$@"
}
case $kind in
autotools)
	step autoreconf -fi >/dev/null 2>&1
	step env CC=tessera-mpicc ./configure
	step make
	step make check ;;
cmake)
	step env CC=tessera-mpicc cmake -S . -B build -DMPI_C_COMPILER=tessera-mpicc \
		-DMPI_HOME="$prefix/lib/tessera"
	step cmake --build build
	step sh -c 'cd build && ctest --output-on-failure' ;;
cmake-hostcc)
	# CMAKE_C_COMPILER stays the host's cc; FindMPI asks the wrapper for its flags, and
	# finds mpiexec (the launcher) through MPI_HOME
	step env -u CC MPI_HOME="$prefix/lib/tessera" cmake -S . -B build \
		-DMPI_C_COMPILER=tessera-mpicc
	step sh -c '! grep "^CMAKE_C_COMPILER:FILEPATH=.*tessera" build/CMakeCache.txt'
	step grep -x "MPIEXEC_EXECUTABLE:FILEPATH=$prefix/lib/tessera/bin/mpiexec" \
		build/CMakeCache.txt
	step cmake --build build
	step sh -c 'cd build && ctest --output-on-failure' ;;
meson)
	# the native file alone: no CC, no PKG_CONFIG_PATH
	step meson setup --native-file "$prefix/share/meson/native/tessera" build
	step meson compile -C build
	step meson test -C build --print-errorlogs ;;
make)
	step make check ;;
esac
echo "== $kind: all steps passed"
