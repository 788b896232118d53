# kbm: the two commands a new user needs are `make demo` and `make test`.
SWIFT ?= swift
KBM_DEMO_DIR ?= $(CURDIR)/demo-out

.PHONY: demo test build release setup schema bench clean

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
test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# Regenerates the schema embedded in the library after a change to schema/.
schema:
	@bash scripts/gen-schema.sh

clean:
	rm -rf .build demo-out bench-out
