# SPDX-License-Identifier: MIT
# apps: every folder apps/<name>/ holding *.c is one tile program, built with tessera-mpicc
# (the way users build theirs) into build/apps/<name>, and for other arches into
# build/apps/<arch>/<name>. Subfolders of an app are not part of its tile image. Folders
# named rcce-* are RCCE programs, built with tessera-rccecc (their MPI twins: lib/rcce/build.mk).
APP_NAMES := $(sort $(notdir $(patsubst %/,%,$(dir $(wildcard apps/*/*.c)))))
APP_CFLAGS := -O2 -g -Wall -Wextra -Wno-unused-parameter

app_out = $(if $(filter emu,$1),$(B)/apps/$2,$(B)/apps/$1/$2)
define app_rule
$(call app_out,$1,$2): $(wildcard apps/$2/*.c apps/$2/*.h) $(B)/bin/tessera-mpicc $(B)/bin/tessera-rccecc \
		$(B)/tile/$1/crt0.o $(B)/tile/$1/tile.ld $$(TILE_LIBS_$1)
	@mkdir -p $$(@D)
	@echo "  APP.$1  $$@"
	$$(Q)$(B)/bin/$(if $(filter rcce-%,$2),tessera-rccecc,tessera-mpicc) --arch=$1 $(APP_CFLAGS) -o $$@ $(wildcard apps/$2/*.c) -lm
APPS += $(call app_out,$1,$2)
endef
$(foreach a,$(TILE_ARCHES),$(foreach n,$(APP_NAMES),$(eval $(call app_rule,$a,$n))))
