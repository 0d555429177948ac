# Quick start: `make demo` and `make test` (README). Both install what they
# need with apt-get (tools/install-deps.sh), configure and build.
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo
DEMO_CORPUS ?= demo/corpus

.PHONY: all deps configure build demo test bench clean

all: build

deps:
	@bash tools/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD) -G Ninja $(CMAKE_FLAGS) >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

demo: build
	@test -d $(DEMO_CORPUS) || $(BUILD)/jsqa-pipeline demo-corpus $(DEMO_CORPUS)
	$(BUILD)/jsqa-pipeline run configs/demo.ini --run-dir runs/demo
	@echo "evaluation (runs/demo/evaluate: results.csv, predictions.csv, scatter plots):"
	@cat runs/demo/evaluate/results.md
	$(BUILD)/jsqa-pipeline sweep configs/demo-sweep.ini --run-dir runs/demo --log-level warn
	@echo "sweep plots: runs/demo/sweep-*.png"

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

bench: build
	$(BUILD)/tools/bench/audio_bench && $(BUILD)/tools/bench/synth_bench && $(BUILD)/tools/bench/train_bench

clean:
	rm -rf $(BUILD)
