# SPDX-License-Identifier: MIT
# host-driver/backend/pci: a board behind a PCI BAR, through libpciaccess (libpciaccess-dev).
HD_SRCS += host-driver/backend/pci/pci_parse.c host-driver/backend/pci/pci.c
HOST_LDLIBS += -lpciaccess

# A fully static `tessera`, for machines with nothing installed (the initramfs of the pci
# test's guest). libdw and libpciaccess bring their compression libraries along. glibc
# warns that dlopen (libdw's debuginfod hook) needs its shared pieces at run time; tessera
# never asks debuginfod for anything, so that warning is kept out of the build log.
HD_STATIC_LIBS := -lz -lbz2 -llzma -lm
$(B)/bin/tessera-static: $$(HT_OBJS) $(B)/lib/libtessera-host.a
	@mkdir -p $(@D)
	@echo "  LD      $@"
	$(Q)$(HOST_CC) -static -o $@ $(HT_OBJS) $(B)/lib/libtessera-host.a $(HOST_LDLIBS) \
		$(HT_LDLIBS) $(HD_STATIC_LIBS) 2> $@.log || \
		{ cat $@.log >&2; rm -f $@.log; exit 1; }
	$(Q)grep -v -e 'statically linked applications requires' -e 'in function' $@.log >&2; \
		rm -f $@.log

# The end-to-end test: a board made on the host, read by a Linux guest in QEMU through an
# ivshmem PCI device (tests/host-driver/pci-guest/run.sh). `make test` runs it (from
# tests/integration/test_pci_guest.c, about 15 s); `make test-slow-pci` runs it alone.
pci-guest-build: all $(B)/bin/tessera-static $(B)/tests/images/args
test-slow-pci:
	@tools/deps.sh
	@$(MAKE) --no-print-directory -j2 pci-guest-build
	@B=$(B) tests/host-driver/pci-guest/run.sh
TEST_EXTRA += $(B)/bin/tessera-static
.PHONY: pci-guest-build test-slow-pci
