# dplb — thin wrapper over meson/ninja. See README.md.
BUILD ?= build
SAN_BUILD ?= build-san
MESON_OPTS ?=

.PHONY: all build deps test test-unit test-lab test-san demo bench fuzz soak man clean

all: build

deps:
	@scripts/install-deps.sh

$(BUILD)/build.ninja:
	meson setup $(BUILD) $(MESON_OPTS)

build: $(BUILD)/build.ninja
	ninja -C $(BUILD)

$(SAN_BUILD)/build.ninja:
	meson setup $(SAN_BUILD) -Db_sanitize=address,undefined -Db_lundef=false -Db_lto=false $(MESON_OPTS)

# Everything a user needs to trust a build: deps, hugepages, unit tests
# (plain and sanitizer builds), then the netns lab.
test: deps
	@scripts/hugepages.sh || true
	$(MAKE) build
	$(MAKE) $(SAN_BUILD)/build.ninja
	ninja -C $(SAN_BUILD)
	test/run-all.sh $(BUILD) $(SAN_BUILD)

# Man pages: render man/*.[58] (the single source) to $(BUILD)/man/*.txt,
# failing on any groff warning; `ninja -C $(BUILD) install` installs them.
man: build
	scripts/man.sh $(BUILD)/man

test-unit: build
	$(BUILD)/test/dplb_unit_tests

test-lab: build
	test/lab/run.sh $(BUILD)

demo: deps
	@scripts/hugepages.sh || true
	$(MAKE) build
	test/lab/demo.sh $(BUILD)

# Benchmarks print figures and never fail on timing (test/perf/run.sh).
# 2 GB of hugepages: the 10-million-connection rows take 1.2 GiB of table.
bench: deps
	@HUGEPAGES_WANT=1024 scripts/hugepages.sh || true
	$(MAKE) build
	test/perf/run.sh $(BUILD)

# libFuzzer targets (clang): FUZZ_SECONDS each, 600 for the 10-minute runs.
FUZZ_SECONDS ?= 600
fuzz: deps
	test/fuzz/run.sh $(FUZZ_SECONDS)

# A long run under load with real servers restarted and reloads (test/lab/soak.sh).
SOAK_MINUTES ?= 20
soak: deps
	@scripts/hugepages.sh || true
	$(MAKE) build
	SOAK_MINUTES=$(SOAK_MINUTES) bash test/lab/soak.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(SAN_BUILD)
