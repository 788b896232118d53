# kbm: the two commands a new user needs are `make demo` and `make test`.
SWIFT ?= swift
KBM_DEMO_DIR ?= $(CURDIR)/demo-out

.PHONY: demo test build release setup schema bench bench-quick clean

setup:
	@bash scripts/setup.sh

build: setup
	$(SWIFT) build

release: setup
	$(SWIFT) build -c release

# The demo: a regional repository from sample-repo/, two offices, offline work, sync, conflicts.
demo: setup
	$(SWIFT) build -c release --product kbm
	@bash scripts/demo.sh "$(shell $(SWIFT) build -c release --show-bin-path)/kbm" "$(KBM_DEMO_DIR)"

# All tests (unit, real SQLite and git, the built binary end to end).
# Test-only tools (independent readers from PyPI, servers, LibreOffice) come from setup-tests.sh.
test: setup
	@bash scripts/setup-tests.sh
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# The benchmark (docs/performance.md): the release kbm binary against the git CLI, on a synthetic
# region of 100,000 records, in a tmpfs folder. Results: bench-out/results.json and results.md.
# bench-quick: a few thousand records, one run each, every scenario; exits non-zero if a scenario
# fails functionally (CI runs it so the benchmark never rots; it never asserts a time).
BENCH_SCRATCH ?= .build-bench
BENCH_ARGS ?=
bench: setup
	$(SWIFT) build -c release --scratch-path $(BENCH_SCRATCH) --product kbm
	$(SWIFT) build -c release --scratch-path $(BENCH_SCRATCH) --product kbm-bench
	"$(shell $(SWIFT) build -c release --scratch-path $(BENCH_SCRATCH) --show-bin-path)/kbm-bench" $(BENCH_ARGS)

bench-quick: setup
	$(SWIFT) build -c release --scratch-path $(BENCH_SCRATCH) --product kbm
	$(SWIFT) build -c release --scratch-path $(BENCH_SCRATCH) --product kbm-bench
	"$(shell $(SWIFT) build -c release --scratch-path $(BENCH_SCRATCH) --show-bin-path)/kbm-bench" --quick $(BENCH_ARGS)

# Hardening (docs/fault-model.md). `make fuzz`: libFuzzer on the record parser and the merge
# (FUZZ_SECONDS each) when `-sanitize=fuzzer` builds here, else the seeded mutation driver for as
# long; failing inputs land in fuzz-out/. `make soak`: ten offices syncing in parallel with random
# SIGKILLs for SOAK_SECONDS; figures in soak-out.json.
.PHONY: fuzz soak
FUZZ_SCRATCH ?= .build-fuzz
FUZZ_SECONDS ?= 600
SOAK_SECONDS ?= 900
fuzz: setup
	@mkdir -p fuzz-out/corpus-parser fuzz-out/corpus-merge
	@if $(SWIFT) build --scratch-path $(FUZZ_SCRATCH) --product kbm-fuzz -Xswiftc -sanitize=fuzzer -Xswiftc -parse-as-library -Xswiftc -DKBM_LIBFUZZER; then \
	  bin="$$($(SWIFT) build --scratch-path $(FUZZ_SCRATCH) --show-bin-path)/kbm-fuzz"; \
	  for t in parser merge; do \
	    [ $$t = parser ] && find sample-repo/counties -name '*.md' -exec cp {} fuzz-out/corpus-parser/ \; ; \
	    (cd fuzz-out && KBM_FUZZ_TARGET=$$t "$$bin" -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -print_final_stats=1 corpus-$$t) || exit 1; \
	  done; \
	else \
	  echo "libFuzzer does not build here; running the mutation driver instead"; \
	  $(SWIFT) build --scratch-path $(FUZZ_SCRATCH) --product kbm-fuzz && \
	  for t in parser merge; do "$$($(SWIFT) build --scratch-path $(FUZZ_SCRATCH) --show-bin-path)/kbm-fuzz" $$t --seconds $(FUZZ_SECONDS) --out fuzz-out || exit 1; done; \
	fi

soak: setup
	$(SWIFT) build --build-tests
	KBM_SOAK_SECONDS=$(SOAK_SECONDS) KBM_SOAK_REPORT=$(CURDIR)/soak-out.json $(SWIFT) test --skip-build --filter SoakTests

# Regenerates the schema embedded in the library after a change to schema/.
schema:
	@bash scripts/gen-schema.sh

clean:
	rm -rf .build .build-bench demo-out bench-out
