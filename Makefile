# headroom-batch: set-up, run, test, bench.
# `make run` and `make test` work on a fresh Debian machine with only the Swift toolchain:
# they install the missing Debian packages first (apt-get update, then apt-get install).

SWIFT      ?= swift
SHARED     ?= ../shared
DATASETS   ?= $(SHARED)/datasets
TOKENIZER  ?= $(DATASETS)/tokenizers/o200k_base.tiktoken
# C libraries (through pkg-config), and the CLI tools the tests use (compressing fixtures,
# setpriv from util-linux, sqlite3 to edit an index, GNU parallel and Java 17 with python3-venv
# for the sharded runs).
PACKAGES   := pkg-config libzstd-dev liblz4-dev libsqlite3-dev zlib1g-dev zstd lz4 gzip util-linux sqlite3 \
              parallel openjdk-17-jre-headless python3-venv
# A Python with PySpark for the Spark end-to-end test (installed from PyPI when missing).
SPARK_VENV := .build/spark-venv
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BIN        := .build/release/headroom-batch
RUN_DIR    := .run

.PHONY: setup build run test bench eval clean spark-env

setup:
	@missing=""; for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

build: setup
	$(SWIFT) build -c release --product headroom-batch

# Compress the bundled example log into a bundle, then show how to expand one of its markers.
run: build
	@rm -rf $(RUN_DIR) && mkdir -p $(RUN_DIR)
	@tok=""; [ -f $(TOKENIZER) ] && tok="--tokenizer $(TOKENIZER)"; \
	$(BIN) compress --archive $(RUN_DIR)/archive $$tok fixtures/example.log | tee $(RUN_DIR)/example.bundle.md
	@ref=$$(grep '^\[\.\.\. ' $(RUN_DIR)/example.bundle.md | grep -o 'hb_[0-9a-f]*:[0-9]*-[0-9]*' | head -1); \
	echo; echo "The bundle is in $(RUN_DIR)/example.bundle.md. Expand its first marker with:"; \
	echo "  $(BIN) retrieve --archive $(RUN_DIR)/archive $$ref"; echo; \
	$(BIN) retrieve --archive $(RUN_DIR)/archive $$ref | head -5; echo "  ..."

test: setup spark-env
	$(SWIFT) build -c release -Xswiftc -enable-testing --build-tests
	HEADROOM_SPARK_PYTHON=$(CURDIR)/$(SPARK_VENV)/bin/python $(SWIFT) test -c release -Xswiftc -enable-testing --skip-build

# PySpark in a virtual environment, for ShardRunTests (pipelines/spark_compress.py in local mode).
spark-env:
	@$(SPARK_VENV)/bin/python -c 'import pyspark' 2>/dev/null || { \
	  echo "installing pyspark into $(SPARK_VENV)"; mkdir -p .build; \
	  python3 -m venv $(SPARK_VENV) && $(SPARK_VENV)/bin/python -m pip install -q --disable-pip-version-check pyspark; }

bench: setup spark-env
	$(SWIFT) build -c release --product headroom-batch
	$(SWIFT) build -c release --product hb-loggen
	bash bench/run.sh

# Quality figures on ../shared/datasets (printed tables; the same tests assert the floors).
eval: setup
	$(SWIFT) build -c release -Xswiftc -enable-testing --build-tests
	$(SWIFT) test -c release -Xswiftc -enable-testing --skip-build --filter 'LogDxEvaluationTests|ToolOutputEvaluationTests|RAGEvaluationTests' 2>&1 \
	  | sed -n -e '/^case /,/^mean /p' -e '/^tool outputs /,/^diffs .*default/p' -e '/^rag (/,/^bundle \/ input/p'

clean:
	rm -rf .build $(RUN_DIR) bench/out
