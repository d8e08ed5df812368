# Assay — two commands on a fresh Debian machine:
#   make demo   installs what is missing, builds, runs the example on the bundled rubrics
#   make test   runs the tests
# Other targets: make build, make bench, make schemas, make clean.

SWIFT        ?= swift
BUILD_FLAGS  ?=
ASSAY_DEBUG   = .build/debug/assay
ASSAY_RELEASE = .build/release/assay
# Debian packages Assay needs: libxml2 (rubric and evidence XML, XSD validation), libssl-dev (OpenSSL
# libcrypto: SHA-256, signatures), pkg-config (to find them), libxml2-utils (xmllint: the benchmark's floor).
DEB_PACKAGES  = libxml2-dev libssl-dev pkg-config libxml2-utils

.PHONY: demo test build release deps bench schemas clean

## Install missing Debian packages (as root: apt-get; otherwise say what is missing).
deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing) >/dev/null || exit 1; \
	  else \
	    echo "missing Debian packages:$$missing — run: sudo apt-get install$$missing" >&2; exit 1; \
	  fi; \
	fi
	@command -v $(SWIFT) >/dev/null || { echo "swift is not on PATH (expected the Swift 6 toolchain at /opt/swift)" >&2; exit 1; }

build: deps
	$(SWIFT) build $(BUILD_FLAGS)

release: deps
	$(SWIFT) build -c release $(BUILD_FLAGS)

## The end-to-end example on the bundled rubrics.
demo: release
	@echo "== assay validate: the bundled programs and the conformance rubrics =="
	$(ASSAY_RELEASE) validate rubrics/*.xml rubrics/conformance/*.xml
	@echo
	@echo "== assay validate: a rubric with mistakes (examples/rubric-with-mistakes.xml; exit 1 is expected) =="
	-$(ASSAY_RELEASE) validate examples/rubric-with-mistakes.xml

test: deps
	$(SWIFT) build $(BUILD_FLAGS)
	$(SWIFT) test $(BUILD_FLAGS)

## Benchmarks (generated workloads; medians of repeated runs). See BENCHMARKS.md.
bench: release
	$(SWIFT) build -c release --product assay-bench $(BUILD_FLAGS)
	.build/release/assay-bench --assay $(ASSAY_RELEASE)

## Re-embed rubrics/schema/*.xsd into the assay binary after editing a schema.
schemas:
	./scripts/embed-schemas

clean:
	rm -rf .build
