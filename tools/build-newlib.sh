#!/bin/sh
# SPDX-License-Identifier: MIT
# Builds Newlib (libc, libm) for one tile arch from Debian's newlib-source with the host gcc.
# Usage: build-newlib.sh ARCH OUTDIR   (ARCH: emu | i386). Leaves OUTDIR/{include,lib}.
# On a terminal it keeps one line up to date with the phase (unpacking, configure,
# compiling, installing), the objects compiled and the time so far; silent when standard
# error is not a terminal, under make -s, or with TESSERA_QUIET set.
set -eu
arch=$1
out=$(realpath -m "$2")	# the build below runs in another directory
src=${NEWLIB_TARBALL:-/usr/src/newlib/newlib-3.3.0.tar.xz}
if [ ! -r "$src" ]; then
	echo "build-newlib: $src not found: install Debian's newlib-source (apt-get install newlib-source)" >&2
	exit 1
fi
case $arch in
emu)  target=x86_64-elf; mflags="-m64 -mcmodel=small -fPIE" ;;	# emu images are static-pie
i386) target=i686-elf;   mflags="-m32 -march=i586 -mno-sse -fno-pic -fno-pie" ;;
*) echo "build-newlib: unknown arch $arch" >&2; exit 1 ;;
esac
# The host gcc targets Linux: strip its OS macros so Newlib takes its bare-metal paths
# (with __linux__ it reaches for __swrite64 and the link fails), and keep glibc's headers
# out while still finding gcc's own (stddef.h, stdarg.h).
cflags="$mflags -U__linux__ -U__unix__ -Ulinux -Uunix -U__gnu_linux__ -nostdinc \
-idirafter $(gcc -print-file-name=include) -fno-stack-protector \
-ffunction-sections -fdata-sections -O2 -g"
work=$(mktemp -d "${TMPDIR:-/tmp}/tessera-newlib.XXXXXX")

# ---- the progress line ----
show=0
if [ -t 2 ] && [ -z "${TESSERA_QUIET:-}" ]; then
	flags=${MAKEFLAGS:-}
	case ${flags%% *} in
	-*|'') show=1 ;;	# no single-letter flags: not make -s
	*s*) ;;
	*) show=1 ;;
	esac
fi
started=$(date +%s)
ticker=
draw() {
	[ "$show" = 1 ] || return 0
	phase=$(cat "$work/.phase" 2>/dev/null) || return 0
	if [ "$phase" = compiling ]; then
		phase="compiling, $(find "$work/build" -name '*.o' 2>/dev/null | wc -l) objects"
	fi
	printf '\r\033[K  NEWLIB  %s: %s (%s s)' "$arch" "$phase" $(($(date +%s) - started)) >&2
}
phase() {	# phase NAME: what the line shows from now on
	[ "$show" = 1 ] || return 0
	echo "$1" >"$work/.phase"
	[ "${TESSERA_PROGRESS_DELAY_MS:-1000}" != 0 ] || draw
	if [ -z "$ticker" ]; then	# redraw every second while the build runs
		(while sleep 1; do draw; done) &
		ticker=$!
	fi
}
quiet() {	# the line off the screen, for good
	if [ -n "$ticker" ]; then
		kill "$ticker" 2>/dev/null || :
		wait "$ticker" 2>/dev/null || :
		printf '\r\033[K' >&2
		ticker=
	fi
	show=0
}
fail() {	# fail LINES LOG: the end of the log, then out
	quiet
	tail -n "$1" "$2" >&2
	exit 1
}
trap 'quiet; rm -rf "$work"' EXIT

phase unpacking
tar -C "$work" -xf "$src"
mkdir "$work/build"
cd "$work/build"
phase configure
CC_FOR_TARGET="gcc $cflags" CFLAGS_FOR_TARGET="" \
AR_FOR_TARGET=ar AS_FOR_TARGET="as $( [ $arch = i386 ] && echo --32 || echo --64)" \
LD_FOR_TARGET=ld NM_FOR_TARGET=nm RANLIB_FOR_TARGET=ranlib \
"$work/newlib-salsa/configure" --target=$target --prefix="$work/inst" \
	--disable-multilib --disable-newlib-supplied-syscalls \
	--enable-newlib-io-long-long --enable-newlib-io-c99-formats \
	--disable-newlib-multithread --disable-nls >configure.log 2>&1 ||
	fail 30 configure.log
phase compiling
make -j"$(nproc)" all-target-newlib >make.log 2>&1 || fail 40 make.log
phase installing
make install-target-newlib >install.log 2>&1 || fail 20 install.log
rm -rf "$out.tmp"
mkdir -p "$out.tmp"
cp -r "$work/inst/$target/include" "$work/inst/$target/lib" "$out.tmp/"
rm -rf "$out"
mv "$out.tmp" "$out"
