#!/bin/sh
# SPDX-License-Identifier: MIT
# install.sh: `make install` and `make uninstall`. Usage:
#   tools/install.sh install|uninstall BUILD-DIR PREFIX [DESTDIR] [VERSION] [ARCHES] [HOST-LIBS]
# Installs under DESTDIR/PREFIX what runs from PREFIX: the commands (and the launcher's and
# wrappers' other names), the host library with its headers and tessera-host.pc, per tile
# arch what tessera-mpicc links (tile kernel, channels, MPI, Newlib, crt0.o naming
# PREFIX/bin/tessera for images started as host programs, tessera.specs, tile.ld, hostcc/),
# the tile headers, tessera-mpi.pc, Meson's native file and the man pages. Uninstall removes
# exactly that.
set -eu
what=$1 B=$2 prefix=$3 destdir=${4:-} version=${5:-0} arches=${6:-emu} hostlibs=${7:-}
root=$destdir$prefix
cmds="tessera tessera-mpicc tessera-mpirun tessera-mpicxx tessera-ld tessera-rccecc rccerun"
links="tessera-mpiexec:tessera-mpirun tessera-mpic++:tessera-mpicxx tessera-mpif90:tessera-mpicxx
tessera-mpif77:tessera-mpicxx tessera-mpifort:tessera-mpicxx"
dropins="mpicc:tessera-mpicc mpirun:tessera-mpirun mpiexec:tessera-mpirun mpicxx:tessera-mpicxx
mpic++:tessera-mpicxx mpif90:tessera-mpicxx mpif77:tessera-mpicxx mpifort:tessera-mpicxx"
mans="tessera.1 tessera-mpicc.1 tessera-mpirun.1"
manlinks="tessera-mpiexec.1:tessera-mpirun.1"

if [ "$what" = uninstall ]; then
	for c in $cmds; do rm -f "$root/bin/$c"; done
	for l in $links; do rm -f "$root/bin/${l%%:*}"; done
	for m in $mans; do rm -f "$root/share/man/man1/$m"; done
	for l in $manlinks; do rm -f "$root/share/man/man1/${l%%:*}"; done
	rm -f "$root/share/meson/native/tessera"
	rmdir "$root/share/meson/native" "$root/share/meson" 2>/dev/null || true
	rm -f "$root/lib/libtessera-host.a" "$root/lib/libtessera-host.so.0" \
		"$root/lib/libtessera-host.so" "$root/lib/pkgconfig/tessera-host.pc" \
		"$root/lib/pkgconfig/tessera-mpi.pc"
	for h in board.h host.h tile.h; do rm -f "$root/include/tessera/$h"; done
	rm -rf "$root/lib/tessera" "$root/include/tessera-tile" "$root/libexec/tessera"
	for d in include/tessera lib/pkgconfig share/man/man1 share/man share bin lib libexec \
		include; do
		rmdir "$root/$d" 2>/dev/null || true
	done
	exit 0
fi

install -d "$root/bin" "$root/lib/pkgconfig" "$root/include/tessera" \
	"$root/include/tessera-tile/tessera" "$root/include/tessera-tile/libc/sys" \
	"$root/share/man/man1"
for c in $cmds; do install -m 755 "$B/bin/$c" "$root/bin/"; done
# the core runner the host library starts (docs/board.md: found beside bin/ and lib/)
install -d "$root/libexec/tessera"
install -m 755 "$B/libexec/tessera/tessera-runner" "$root/libexec/tessera/"
for l in $links; do ln -sf "${l#*:}" "$root/bin/${l%%:*}"; done
# PREFIX/lib/tessera/bin: the usual names (mpicc, mpirun, mpiexec), for build systems and
# harnesses that look for them; put it first in PATH, or name its mpicc to CMake's FindMPI.
install -d "$root/lib/tessera/bin"
for l in $dropins; do ln -sf "../../../bin/${l#*:}" "$root/lib/tessera/bin/${l%%:*}"; done
for m in $mans; do sed "s/@VERSION@/$version/" "docs/man/$m" > "$root/share/man/man1/$m"; done
for l in $manlinks; do ln -sf "${l#*:}" "$root/share/man/man1/${l%%:*}"; done

install -m 644 "$B/lib/libtessera-host.a" "$B/lib/libtessera-host.so.0" "$root/lib/"
ln -sf libtessera-host.so.0 "$root/lib/libtessera-host.so"
sed -e "s|@PREFIX@|$prefix|; s|@INCLUDEDIR@|$prefix/include|" \
	-e "s|@VERSION@|$version|; s|@LIBS@|$hostlibs|" \
	host-driver/tessera-host.pc.in > "$root/lib/pkgconfig/tessera-host.pc"
install -m 644 include/tessera/board.h include/tessera/host.h include/tessera/tile.h \
	"$root/include/tessera/"

install -m 644 include/tessera/*.h "$root/include/tessera-tile/tessera/"
install -m 644 tile-kernel/tk.h mpb-channels/mpbc.h "$root/include/tessera-tile/"
for h in lib/mpi/mpi.h lib/mpi/mpio.h; do
	[ ! -f "$h" ] || install -m 644 "$h" "$root/include/tessera-tile/"
done
install -m 644 tile-kernel/libc-include/sys/*.h "$root/include/tessera-tile/libc/sys/"
# RCCE and iRCCE (lib/rcce, docs/rcce.md): tessera-rccecc adds this directory
install -d "$root/include/tessera-tile/rcce"
install -m 644 lib/rcce/RCCE.h lib/rcce/RCCE_lib.h lib/rcce/iRCCE.h "$root/include/tessera-tile/rcce/"
for a in $arches; do
	d=$root/lib/tessera/$a
	install -d "$d/newlib"
	install -m 644 "$B/tile/$a/crt0.o" "$B/tile/$a/tile.ld" "$B/tile/$a/tessera.specs" \
		"$B"/tile/"$a"/*.a "$d/"
	cp -r "$B/newlib/$a/include" "$B/newlib/$a/lib" "$d/newlib/"
	cp -R "$B/tile/$a/hostcc" "$d/"	# crt0.o there is a link to ../crt0.o
done
# An emu image run as a host program hands itself to the tessera that linked it.
if [ -f "$B/tile/emu/obj/tile-kernel/arch/emu/entry.o" ] && [ -d "$root/lib/tessera/emu" ]; then
	make --no-print-directory -s B="$B" TESSERA_RUNTIME="$prefix/bin/tessera" \
		CRT0_OUT="$root/lib/tessera/emu/crt0.o" install-emu-crt0
fi

# tessera-mpi.pc: the wrapper's flags, for builds that use pkg-config and the host compiler.
flags() {
	"$root/bin/tessera-mpicc" "$1" | sed "s|$root|\${prefix}|g"
}
{
	echo "prefix=$prefix"
	echo
	echo "Name: tessera-mpi"
	echo "Description: MPI for tessera tile images (emu arch): compile and link with these, or use tessera-mpicc"
	echo "Version: $version"
	echo "Cflags: $(flags --showme:compile)"
	echo "Libs: $(flags --showme:link)"
} > "$root/lib/pkgconfig/tessera-mpi.pc"
# The same under Open MPI's name, in a directory of its own: with it first in
# PKG_CONFIG_PATH, tools that ask pkg-config for ompi-c (Meson's dependency('mpi')) get
# tessera's flags instead of the host's Open MPI.
install -d "$root/lib/tessera/pkgconfig"
sed 's/^Name: tessera-mpi$/Name: ompi-c/' "$root/lib/pkgconfig/tessera-mpi.pc" \
	> "$root/lib/tessera/pkgconfig/ompi-c.pc"
# Meson's native file (meson setup --native-file PREFIX/share/meson/native/tessera, or
# --native-file tessera when PREFIX/share is in XDG_DATA_DIRS): the compiler, the pkg-config
# path that makes dependency('mpi') tessera's (Meson asks pkg-config for ompi-c before any
# config tool), and find_program('mpiexec') / ('mpirun') answered with tessera's launcher.
install -d "$root/share/meson/native"
{
	echo "# tessera $version: build tile images with Meson (docs/build-systems.md)"
	echo "[binaries]"
	echo "c = '$prefix/bin/tessera-mpicc'"
	echo "mpiexec = '$prefix/bin/tessera-mpiexec'"
	echo "mpirun = '$prefix/bin/tessera-mpirun'"
	echo
	echo "[built-in options]"
	echo "pkg_config_path = '$prefix/lib/tessera/pkgconfig'"
} > "$root/share/meson/native/tessera"
