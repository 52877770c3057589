#!/bin/sh
# SPDX-License-Identifier: MIT
# deps.sh: makes sure the Debian packages tessera builds and tests with are installed (the
# build systems of tests/buildsys among them: autotools, libtool, CMake, Meson, Ninja; and
# clang with libFuzzer for the fuzz targets of tests/fuzz; gdb for the debugger test).
# As root it installs what is missing with apt-get; otherwise it prints the command to run.
set -eu
pkgs="gcc make gcc-multilib newlib-source libcriterion-dev libdw-dev libelf-dev pkg-config
qemu-system-x86 openmpi-bin libopenmpi-dev libpciaccess-dev libpng-dev libjson-c-dev zlib1g-dev busybox-static
linux-image-cloud-amd64 cpio valgrind libbz2-dev autoconf automake libtool cmake meson ninja-build
clang libclang-rt-dev gdb"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "tessera needs these Debian packages:$missing" >&2
	echo "install them with: sudo apt-get install -y$missing" >&2
	exit 1
fi
echo "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing >/dev/null
