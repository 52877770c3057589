#!/bin/sh
# SPDX-License-Identifier: MIT
# seeds.sh DIR: the first inputs of the fuzz targets (DIR/hostcall, DIR/args, DIR/gdbstub), written with
# printf so that no binary file lives in the repository. libFuzzer grows its corpus from
# these; `make test` replays them and a few thousand mutations with a fixed seed.
set -eu
d=$1
mkdir -p "$d/hostcall" "$d/args" "$d/gdbstub"
# hostcall: per request core, op, how (odd: a path from the target's list), six arguments
# (kind byte 0: small value (kind>>2)-4), then raw data when how is even.
# open file.txt (op 1, path 0) ; read fd 3 64 bytes (op 3) ; close fd 3 (op 2)
printf '\000\001\001\020\034\030\020\020\020\000\003\000\034\003\001\020\020\020\020\000\002\000\034\020\020\020\020\020' \
	> "$d/hostcall/open-read-close"
# open new.txt O_WRONLY|O_CREAT (arg1: kind 3 -> flags), write fd 3, unlink it
printf '\001\001\007\020\003\024\020\020\020\020\001\004\000\034\001\010\000\020\020\020\020\010\000hello!!\n\001\010\007\020\020\020\020\020\020' \
	> "$d/hostcall/create-write-unlink"
# stat the FIFO, open it (refused), mkdir new.d, read stdin on rank 0
printf '\000\007\003\020\020\020\020\020\020\000\001\003\020\020\020\020\020\020\002\011\037\020\020\020\020\020\020\000\003\000\020\020\020\020\020\020\000\000' \
	> "$d/hostcall/fifo-mkdir-stdin"
# args: the first byte picks, modulo 6: 0 cores, 1 number, 2 seconds, 3 backend, 4 board
# file, 5 a command: then its bits 3-4 say which (ps, dump, info, ls), bit 5 adds --board
# (every text goes through %s: a digit right after an octal escape would join it)
printf '\000%s' '0-3,8,10-11' > "$d/args/cores"
printf '\001%s' '4294967301' > "$d/args/number"
printf '\002%s' '1e999' > "$d/args/seconds"
printf '\003%s' 'qemu:0-3+7,emu' > "$d/args/backend"
printf '\004%s\n%s\n%s\n' 'base = scc48' 'mesh_x = 4' 'mpb_bytes = 32K' > "$d/args/board"
printf '\043%s' '--all' > "$d/args/ps"
printf '\051%s\000%s\000%s\000%s\000%s' --core 3 --addr 0xc0000000 64 > "$d/args/dump"
printf '\051%s\000%s' --mpb 0 > "$d/args/dump-mpb"
printf '\021%s\000%s' --board mesh8x8 > "$d/args/info"
printf '\035%s\000%s' --dir /nonexistent > "$d/args/ls"
# gdbstub: a piece-size byte, then what gdb sends (the stub checks every checksum: these are
# right), a 0x00 where the core is to stop
printf '\003%s' '+$qSupported:swbreak+#8b+$?#3f+$g#67+$m1000,10#bb+$qOffsets#4b' > "$d/gdbstub/session"
printf '\017%s' '$Z0,1008,1#dc$vCont;c#a8' > "$d/gdbstub/break-continue"
printf '\000%s\000%s' '$c#63' '$z0,1008,1#fc$X1010,2:}]a#ed$qXfer:features:read:target.xml:0,40#af' \
	> "$d/gdbstub/stop-escape-xfer"
printf '\007%s' '$M1000,2:abcd#30$p10#d1$P10=0010000000000000#ef$D#44' > "$d/gdbstub/regs-detach"
