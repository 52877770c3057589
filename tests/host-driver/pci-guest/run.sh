#!/bin/bash
# SPDX-License-Identifier: MIT
# run.sh: the pci backend end to end, for `make test-slow`. A job runs on an emulated board
# on this host; a small Linux guest in QEMU (TCG) gets the board's chip file as an
# ivshmem-plain PCI device (1af4:1110) and runs a static `tessera` with --board pci:...
# against it. The guest must see the cores and bytes the host sees, write through the BAR,
# and refuse, with the documented reason, every device and BAR that holds no usable board.
# Prints one line per check, the times, then "N passed, N failed"; exits 0 only when all
# passed. Needs root (Debian's /boot/vmlinuz-* is root-only), linux-image-cloud-amd64,
# busybox-static, qemu-system-x86 and cpio; `make test-slow` builds what it runs.
# PCI_GUEST_KEEP=1 keeps the work directory (serial log, guest outputs) for a post-mortem.
set -u
cd "$(dirname "$0")/../../.."
B=${B:-build}
HERE=tests/host-driver/pci-guest
IMAGE=$B/tests/images/args
QEMU_TIMEOUT=${QEMU_TIMEOUT:-120}
pass=0
fail=0
t_start=$(date +%s.%N)

ok() {
	local t=""
	[ -f "$work/out/$1.t" ] && t=" ($(cat "$work/out/$1.t")s in the guest)"
	echo "[PASS] pci-guest::$1$t"
	pass=$((pass + 1))
}
bad() { echo "[FAIL] pci-guest::$1"; fail=$((fail + 1)); }
die() { echo "pci-guest: $*" >&2; echo "0 passed, 1 failed"; exit 1; }
since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

kernel=$(ls /boot/vmlinuz-*-cloud-amd64 2>/dev/null | sort -V | tail -1)
[ -n "$kernel" ] || die "no /boot/vmlinuz-*-cloud-amd64 (apt-get install linux-image-cloud-amd64)"
[ -r "$kernel" ] || die "cannot read $kernel (Debian keeps kernels readable by root only)"
for f in "$B/bin/tessera" "$B/bin/tessera-static" "$IMAGE" /bin/busybox; do
	[ -x "$f" ] || die "$f is missing (make pci-guest-build; busybox-static for /bin/busybox)"
done
for c in qemu-system-x86_64 cpio; do
	command -v $c >/dev/null || die "$c is missing (tools/deps.sh installs it)"
done
case $B in /*) ;; *) B=$PWD/$B ;; esac
export PATH="$B/bin:$PATH"

work=$(mktemp -d /dev/shm/tessera-pcitest.XXXXXX) || die "mktemp failed"
board=$work/board
cleanup() {
	tessera shutdown --board "$board" >/dev/null 2>&1
	if [ -n "${PCI_GUEST_KEEP:-}" ]; then echo "pci-guest: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# ---- the board: made and used on the host, then left for the guest to read ----
tessera boot --board-dir "$board" >/dev/null || die "tessera boot failed"
tessera run --board "$board" -n 4 --cores 0,5,17,47 --env GREETING=pci "$IMAGE" over pci \
	>"$work/job.out" 2>&1 || die "the job on the host failed: $(cat "$work/job.out")"
chip_bytes=$(stat -c %s "$board/chip")
# QEMU 7.2 asserts that a BAR is a power of two in size (pci_register_bar), and ivshmem's
# BAR is its whole memory backend, which must not be larger than the file. The chip file
# may be longer than the chip (hd_board_open checks only that it is not shorter).
bar_bytes=4096
while [ "$bar_bytes" -lt "$chip_bytes" ]; do bar_bytes=$((bar_bytes * 2)); done
truncate -s "$bar_bytes" "$board/chip" || die "cannot pad the chip file"
# Decoys, also 1af4:1110: a true header in a BAR too small for its chip, and a BAR of zeros.
dd if="$board/chip" of="$work/forged" bs=8192 count=1 status=none && \
	truncate -s 1M "$work/forged" && truncate -s 1M "$work/zero" || die "cannot make decoys"

# ---- the checks: ID~how to judge~guest command[~host command, or expected message] ----
# same: the guest's output and status must equal the host command's (@B@: each side's
#       handle); fails: the guest command must fail and print the message; runs: status 0.
# A PCI board cannot take a job (no private DRAM in the BAR): `run` must say so and leave
# the board as it was.
G=pci:1af4:1110
checks=(
	"ps_global_form~same~tessera --board @B@ ps"
	"ps_all~same~tessera ps --board @B@ --all"
	"ps_by_address~same~tessera ps --board pci:00:05.0,bar=2~tessera ps --board @B@"
	"info~same~tessera info --on @B@"
	"info_global_form~same~tessera --board @B@ info"
	"dump_mpb_global_form~same~tessera --board @B@ dump --mpb 2"
	"dump_lut~same~tessera dump --board @B@ --lut 17"
	"dump_host_window~same~tessera dump --board @B@ --core 5 --addr 0xFA000000 16384"
	"dump_whole_chip~same~tessera dump --board @B@ --chip 0 $chip_bytes --raw | md5sum"
	"write_shared_dram~runs~tessera write --board @B@ --core 0 --addr 0x80000000 --hex 7063692d77726974652d6f6b"
	"private_dram_refused~fails~tessera dump --board @B@ --core 0 --private 0 16~private DRAM is not in the PCI BAR"
	"no_device~fails~tessera ps --board pci:dead:beef~no PCI device dead:beef"
	"bar_too_small_for_header~fails~tessera ps --board pci:00:05.0,bar=0~too small for a board header"
	"no_such_bar~fails~tessera ps --board pci:00:05.0,bar=1~has no BAR 1"
	"bar_too_small_for_chip~fails~tessera ps --board pci:00:06.0~too small for the board's chip"
	"no_board_in_bar~fails~tessera ps --board pci:0000:00:07.0~magic is 0"
	"run_refused~fails~tessera run --board @B@ /args~private DRAM"
	"ps_after_run_refused~same~tessera ps --board @B@"
	"not_root~fails~su -s /bin/sh nobody -c 'tessera ps --board @B@'~permission denied"
)

# What the host sees, before the guest changes anything.
for c in "${checks[@]}"; do
	IFS='~' read -r id how cmd arg <<<"$c"
	[ "$how" = same ] || continue
	host_cmd=${arg:-$cmd}
	bash -c "${host_cmd//@B@/$board}" >"$work/$id.host" 2>&1
	echo $? >"$work/$id.hostrc"
done

# ---- the guest: busybox, the static tessera, /init and the commands, in a cpio archive ----
root=$work/root
mkdir -p "$root/bin" "$root/proc" "$root/sys" "$root/dev" "$root/tmp" "$root/etc"
printf 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
cp /bin/busybox "$root/bin/busybox"
strip -o "$root/bin/tessera" "$B/bin/tessera-static"
cp "$HERE/init" "$root/init"
cp "$IMAGE" "$root/args"
chmod +x "$root/init"
for c in "${checks[@]}"; do
	IFS='~' read -r id how cmd _ <<<"$c"
	printf '%s\t%s\n' "$id" "${cmd//@B@/$G}"
done >"$root/cmds"
(cd "$root" && find . | cpio -o -H newc --quiet) >"$work/initramfs.cpio" || die "cpio failed"

t_qemu=$(date +%s.%N)
timeout "$QEMU_TIMEOUT" qemu-system-x86_64 -machine pc -accel tcg -m 256M -smp 1 \
	-nodefaults -display none -no-reboot -serial "file:$work/serial.log" -monitor none \
	-kernel "$kernel" -initrd "$work/initramfs.cpio" \
	-append "console=ttyS0 loglevel=1 panic=-1 rdinit=/init" \
	-object memory-backend-file,id=chip,share=on,mem-path="$board/chip",size="$bar_bytes" \
	-device ivshmem-plain,memdev=chip,addr=05.0 \
	-object memory-backend-file,id=forged,share=on,mem-path="$work/forged",size=1M \
	-device ivshmem-plain,memdev=forged,addr=06.0 \
	-object memory-backend-file,id=zero,share=on,mem-path="$work/zero",size=1M \
	-device ivshmem-plain,memdev=zero,addr=07.0 \
	</dev/null >"$work/qemu.out" 2>&1
qrc=$?
qemu_s=$(since "$t_qemu")
[ $qrc -eq 124 ] && die "the guest did not power off within ${QEMU_TIMEOUT}s; its console:
$(tr -d '\r' <"$work/serial.log" | tail -20)"
[ $qrc -eq 0 ] || die "qemu failed ($qrc): $(cat "$work/qemu.out")"
mkdir -p "$work/out"
tr -d '\r' <"$work/serial.log" | awk -v d="$work/out" '
	/^@@begin / { id = $2; f = d "/" id ".out"; printf "" > f; next }
	/^@@end / {
		sub(/^rc=/, "", $3); print $3 > (d "/" id ".rc")
		sub(/^t=/, "", $4); printf "%.1f\n", $4 - t > (d "/" id ".t"); t = $4
		close(f); id = ""; next }
	/^@@uptime / { print $2 > (d "/boot"); t = $2 }
	/^@@done / { print $2 > (d "/done") }
	id != "" { print >> f }'
[ -f "$work/out/done" ] || die "the guest stopped before its last command; its console:
$(tr -d '\r' <"$work/serial.log" | tail -20)"

# ---- judge ----
for c in "${checks[@]}"; do
	IFS='~' read -r id how cmd arg <<<"$c"
	out=$work/out/$id.out
	rc=$(cat "$work/out/$id.rc" 2>/dev/null || echo none)
	case $how in
	same)
		hrc=$(cat "$work/$id.hostrc")
		if [ "$rc" = "$hrc" ] && cmp -s "$out" "$work/$id.host"; then
			ok "$id"
		else
			bad "$id: guest (status $rc) and host (status $hrc) differ:"
			diff "$work/$id.host" "$out" | head -10
		fi ;;
	runs)
		if [ "$rc" = 0 ]; then ok "$id"; else bad "$id: status $rc: $(head -3 "$out")"; fi ;;
	fails)
		if [ "$rc" != 0 ] && [ "$rc" != none ] && grep -qF "$arg" "$out"; then
			ok "$id"
		else
			bad "$id: wanted a failure saying '$arg', got status $rc: $(head -3 "$out")"
		fi ;;
	esac
done
# What the guest wrote through the BAR is in the host's board.
got=$(tessera dump --board "$board" --core 0 --addr 0x80000000 12 --raw 2>&1)
if [ "$got" = "pci-write-ok" ]; then
	ok "host_sees_the_guest_write"
else
	bad "host_sees_the_guest_write: the host reads '$got'"
fi

echo "pci-guest: guest booted to /init in $(cat "$work/out/boot")s (guest clock), ran its" \
	"commands by $(cat "$work/out/done")s; QEMU took ${qemu_s}s, the whole test $(since "$t_start")s"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
