# SPDX-License-Identifier: MIT
# examples: host programs that embed tessera through libtessera-host (found with pkg-config).
$(B)/examples/host-embed: examples/host-embed/embed.c $(B)/lib/libtessera-host.so \
		$(B)/lib/pkgconfig/tessera-host.pc
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(HOST_CC) -O2 -g -Wall -Wextra -o $@ $< \
		$$(PKG_CONFIG_PATH=$(B)/lib/pkgconfig pkg-config --cflags --libs tessera-host) \
		-Wl,-rpath,'$$ORIGIN/../lib'
ALL += $(B)/examples/host-embed
