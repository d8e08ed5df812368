# Assay — two commands on a fresh Debian machine:
#   make demo   installs what is missing, builds, runs the example on the bundled rubrics
#   make test   runs the tests
# Other targets: make build, make bench, make schemas, make clean.

SWIFT        ?= swift
BUILD_FLAGS  ?=
ASSAY_DEBUG   = .build/debug/assay
ASSAY_RELEASE = .build/release/assay
# Debian packages Assay needs: libxml2 (rubric and evidence XML, XSD validation), libssl-dev (OpenSSL
# libcrypto: SHA-256, signatures), libsqlite3-dev (the records ledger), pkg-config (to find them),
# libxml2-utils (xmllint: the benchmark's floor), python3 and python3-venv (the independent record verifier
# runs from a virtual environment under .build/: stock Debian's python3 refuses `pip install` outside one).
DEB_PACKAGES  = libxml2-dev libssl-dev libsqlite3-dev pkg-config libxml2-utils python3 python3-venv strace
# Python test tools (PyJWT, cryptography, jsonschema for scripts/verify-records) live in this venv.
PYTHON       ?= python3
VENV          = .build/venv
VENV_PY       = $(VENV)/bin/python3
PY_PACKAGES   = PyJWT cryptography jsonschema

.PHONY: demo test build release deps pydeps bench schemas screenshots clean

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

## The end-to-end example on the bundled rubric and evidence (see README.md and examples/README.md).
DEMO_OUT = build-demo

demo: release
	@mkdir -p $(DEMO_OUT)
	@echo "== 1. Curriculum designer: assay validate the bundled programs and the conformance rubrics =="
	$(ASSAY_RELEASE) validate rubrics/*.xml rubrics/conformance/*.xml
	@echo
	@echo "== 2. Curriculum designer: a draft with mistakes (exit 1 expected: every mistake is listed) =="
	-$(ASSAY_RELEASE) validate examples/rubric-with-mistakes.xml
	@echo
	@echo "== 3. Registrar: score the class of 2025 (exit 1 expected: three deliberate faults) =="
	-$(ASSAY_RELEASE) score rubrics/medical-imaging-technology.xml examples/evidence/cohort-2025.xml
	@echo
	@echo "== 4. How one number was reached: --explain S2025006, MIT-103 =="
	$(ASSAY_RELEASE) score rubrics/medical-imaging-technology.xml examples/evidence/cohort-2025.xml --explain S2025006 --target MIT-103
	@echo
	@echo "== 5. Chief judge: the national competition's result sheet (exit 1 expected: E17 is missing a mark) =="
	-$(ASSAY_RELEASE) results rubrics/medical-imaging-technology.xml nmit-2025 examples/competition/nmit-2025-marks.csv
	-$(ASSAY_RELEASE) results rubrics/medical-imaging-technology.xml nmit-2025 examples/competition/nmit-2025-marks.csv --format html --out $(DEMO_OUT)/nmit-2025-results.html --force
	@echo
	@echo "== 6. Registrar: recognise credit for the class of 2025 on 2025-09-01, decisions only (exit 1 expected: three rules wait for faulty results) =="
	-$(ASSAY_RELEASE) recognize rubrics/medical-imaging-technology.xml examples/evidence/cohort-2025.xml --dry-run --as-of 2025-09-01
	@echo
	@echo "== 7. Curriculum designer: the integration matrix of the bundled program (requirements taught, tested, attested; gaps) =="
	$(ASSAY_RELEASE) matrix rubrics/medical-imaging-technology.xml
	$(ASSAY_RELEASE) matrix rubrics/medical-imaging-technology.xml --format html --out $(DEMO_OUT)/matrix.html --force
	$(ASSAY_RELEASE) export-case rubrics/medical-imaging-technology.xml --out $(DEMO_OUT)/mit-bsc-case.json --force
	@echo
	@echo "== 8. Curriculum designer: what if the 2026 draft (competition weights, a rule) applied to the same people? (exit 1 expected: results change) =="
	-$(ASSAY_RELEASE) diff rubrics/medical-imaging-technology.xml examples/design/medical-imaging-technology-2026-draft.xml examples/evidence/cohort-2025.xml examples/competition/nmit-2025-marks.csv --as-of 2026-01-15
	@echo
	@echo "== 9. Plugin author and chief judge: check the scorer plugins (handshake, self-tests), then score stations with them (exit 1 expected: two planted faults) =="
	$(ASSAY_RELEASE) plugins check
	-$(ASSAY_RELEASE) results examples/plugins/nmit-2025-stations.xml nmit-2025-stations examples/evidence/nmit-2025-stations.xml
	@echo
	@echo "== 10. Registrar: issue signed records for the class of 2025 into a ledger (exit 1 expected from recognize: the same three faults), list and verify them, export one and check it =="
	@rm -f $(DEMO_OUT)/registrar.pem $(DEMO_OUT)/records.db $(DEMO_OUT)/records.db-wal $(DEMO_OUT)/records.db-shm $(DEMO_OUT)/S2025002-MIT-202.json
	$(ASSAY_RELEASE) keygen --out $(DEMO_OUT)/registrar.pem
	-$(ASSAY_RELEASE) recognize rubrics/medical-imaging-technology.xml examples/evidence/cohort-2025.xml --as-of 2025-09-01 --key $(DEMO_OUT)/registrar.pem --ledger $(DEMO_OUT)/records.db --format csv > $(DEMO_OUT)/decisions.csv
	$(ASSAY_RELEASE) records --ledger $(DEMO_OUT)/records.db
	$(ASSAY_RELEASE) verify --ledger $(DEMO_OUT)/records.db
	$(ASSAY_RELEASE) export a9c6dfa0-1746-8df4-a279-fee46f6d80db --ledger $(DEMO_OUT)/records.db --out $(DEMO_OUT)/S2025002-MIT-202.json
	$(ASSAY_RELEASE) verify $(DEMO_OUT)/S2025002-MIT-202.json
	@if [ -x $(VENV_PY) ] && $(VENV_PY) -c "import jwt, cryptography, jsonschema" 2>/dev/null; then $(VENV_PY) scripts/verify-records --schema Tests/AssayRecordsTests/Fixtures/achievementcredential.json --ledger $(DEMO_OUT)/records.db | tail -1; else echo "(run 'make pydeps' to also check the records without Assay: $(VENV_PY) scripts/verify-records)"; fi
	@echo
	@echo "Integration matrix for printing: $(DEMO_OUT)/matrix.html; CASE 1.0 package: $(DEMO_OUT)/mit-bsc-case.json"
	@echo "Result sheet for printing: $(DEMO_OUT)/nmit-2025-results.html"
	@echo "Signed records: $(DEMO_OUT)/records.db (walkthrough: examples/records/README.md)"

## Renders the HTML result sheet in headless Chromium (installs Debian's chromium and the Noto CJK fonts for
## the programs' Chinese titles, as root), saves a screenshot and checks that the standings on the page match the CSV sheet;
## the same for the integration matrix (its requirement rows, verdicts and reverse gaps against the CSV matrix).
screenshots: release
	@{ command -v chromium >/dev/null && fc-list :lang=zh | grep -q .; } || { [ "$$(id -u)" = 0 ] && (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk) >/dev/null; } || { echo "install chromium and fonts-noto-cjk first" >&2; exit 1; }
	./scripts/check-results-html rubrics/medical-imaging-technology.xml nmit-2025 examples/competition/nmit-2025-marks.csv --out $(DEMO_OUT)
	./scripts/check-matrix-html rubrics/medical-imaging-technology.xml --out $(DEMO_OUT)

## Python packages the independent record verifier (scripts/verify-records, run by the tests) needs:
## PyJWT, cryptography and jsonschema, installed from PyPI into a virtual environment under .build/ (never
## into the system's Python, which Debian protects: "externally-managed-environment").
pydeps: deps
	@[ -x $(VENV_PY) ] || $(PYTHON) -m venv $(VENV) || { echo "could not make a Python virtual environment in $(VENV): install python3-venv" >&2; exit 1; }
	@$(VENV_PY) -c "import jwt, cryptography, jsonschema" 2>/dev/null || $(VENV_PY) -m pip install --quiet $(PY_PACKAGES)

test: deps pydeps
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
	rm -rf .build $(DEMO_OUT)
