#!/bin/sh
# SPDX-License-Identifier: MIT
# Builds Newlib (libc, libm) for one tile arch from Debian's newlib-source with the host gcc.
# Usage: build-newlib.sh ARCH OUTDIR   (ARCH: emu | i386). Leaves OUTDIR/{include,lib}.
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
trap 'rm -rf "$work"' EXIT
tar -C "$work" -xf "$src"
mkdir "$work/build"
cd "$work/build"
CC_FOR_TARGET="gcc $cflags" CFLAGS_FOR_TARGET="" \
AR_FOR_TARGET=ar AS_FOR_TARGET="as $( [ $arch = i386 ] && echo --32 || echo --64)" \
LD_FOR_TARGET=ld NM_FOR_TARGET=nm RANLIB_FOR_TARGET=ranlib \
"$work/newlib-salsa/configure" --target=$target --prefix="$work/inst" \
	--disable-multilib --disable-newlib-supplied-syscalls \
	--enable-newlib-io-long-long --enable-newlib-io-c99-formats \
	--disable-newlib-multithread --disable-nls >configure.log 2>&1 ||
	{ tail -30 configure.log >&2; exit 1; }
make -j"$(nproc)" all-target-newlib >make.log 2>&1 || { tail -40 make.log >&2; exit 1; }
make install-target-newlib >install.log 2>&1 || { tail -20 install.log >&2; exit 1; }
rm -rf "$out.tmp"
mkdir -p "$out.tmp"
cp -r "$work/inst/$target/include" "$work/inst/$target/lib" "$out.tmp/"
rm -rf "$out"
mv "$out.tmp" "$out"
