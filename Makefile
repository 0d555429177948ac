# Quick start: `make demo` and `make test` (README). Both install what they
# need with apt-get (tools/install-deps.sh), configure and build.
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo
DEMO_CORPUS ?= demo/corpus

.PHONY: all deps configure build demo test sanitize fuzz torch2 torch2-build bench clean

all: build

deps:
	@bash tools/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD) -G Ninja $(CMAKE_FLAGS) >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

# The demo builds only the executable it runs; `make test` builds the rest.
demo: configure
	@cmake --build $(BUILD) -j $(JOBS) --target jsqa-pipeline
	@test -d $(DEMO_CORPUS) || $(BUILD)/jsqa-pipeline demo-corpus $(DEMO_CORPUS)
	$(BUILD)/jsqa-pipeline run configs/demo.ini --run-dir runs/demo
	$(BUILD)/jsqa-pipeline sweep configs/demo-sweep.ini --run-dir runs/demo --log-level warn
	$(BUILD)/jsqa-pipeline sweep configs/demo-degradation-sweep.ini --run-dir runs/demo --log-level warn
	@echo "sweep tables and plots: runs/demo/sweeps/*/"

# The main tests, then the same non-torch code and tests under the
# sanitizers, then the fuzz targets for a bounded time.
test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	@$(MAKE) --no-print-directory sanitize
	@$(MAKE) --no-print-directory fuzz
	@$(MAKE) --no-print-directory torch2

# AddressSanitizer (+ LeakSanitizer) and UndefinedBehaviorSanitizer over
# everything but torch (a prebuilt library), in its own build folder; the
# tests' jsqa-pipeline processes inherit the options. clang compiles this
# build about twice as fast as gcc. tests/fuzz/README.md has the details.
ASAN_BUILD ?= build-asan
SANITIZE_CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo -DJSQA_WITH_TORCH=OFF -DJSQA_SANITIZE=ON
SANITIZER_ENV = ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:exitcode=86:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1:suppressions=$(CURDIR)/tests/fuzz/asan.supp \
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=86 \
  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/fuzz/lsan.supp:print_suppressions=0

sanitize: deps
	@CC=clang CXX=clang++ cmake -S . -B $(ASAN_BUILD) -G Ninja $(SANITIZE_CMAKE_FLAGS) >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && $(SANITIZER_ENV) ctest --output-on-failure -j $(JOBS)

# libFuzzer targets (tests/fuzz/): the checked-in crash inputs first, then
# FUZZ_SECONDS of fuzzing per target from a scratch copy of its seeds.
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 30
FUZZ_CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo -DJSQA_WITH_TORCH=OFF -DJSQA_FUZZ=ON

fuzz: deps
	@command -v clang++ >/dev/null || { echo "make fuzz: clang++ not found; tools/install-deps.sh installs clang and libclang-rt-dev (libFuzzer)" >&2; exit 1; }
	@CC=clang CXX=clang++ cmake -S . -B $(FUZZ_BUILD) -G Ninja $(FUZZ_CMAKE_FLAGS) >/dev/null
	@cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz_targets
	cd $(FUZZ_BUILD) && $(SANITIZER_ENV) ctest -L fuzz --output-on-failure
	bash tests/fuzz/run_fuzzers.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

# The second libtorch flavour: PyTorch's own 2.x CUDA wheel from PyPI
# (Debian has only 1.13, CPU). Every torch translation unit is compiled and
# linked against it, CUDA and NCCL paths included (nvcc and the CUDA
# toolkit must be present; nothing runs on a GPU here), then the model
# tests and the training command-line tests run against it on CPU.
TORCH2_VERSION ?= 2.15.0
TORCH2_BUILD ?= build-torch2

torch2: deps
	@if ! command -v nvcc >/dev/null; then echo "make torch2: SKIPPED: no nvcc on PATH; building against the CUDA libtorch needs the CUDA toolkit (README 'Building on a GPU cluster')" >&2; exit 0; fi; \
	$(MAKE) --no-print-directory torch2-build

torch2-build:
	@bash tools/install-deps.sh torch-wheel $(TORCH2_BUILD)/venv $(TORCH2_VERSION)
	@root=$$($(TORCH2_BUILD)/venv/bin/python -c 'import torch, os; print(os.path.dirname(torch.__file__))' 2>/dev/null) && \
	  cmake -S . -B $(TORCH2_BUILD) -G Ninja $(CMAKE_FLAGS) -DCMAKE_PREFIX_PATH="$$root;$$root/share/cmake" \
	    > $(TORCH2_BUILD)/configure.log 2>&1 || { cat $(TORCH2_BUILD)/configure.log; exit 1; }
	@grep "jsqa: libtorch" $(TORCH2_BUILD)/configure.log
	@cmake --build $(TORCH2_BUILD) -j $(JOBS) --target jsqa-pipeline model_tests tools_tests
	@echo "jsqa-pipeline linked against:" && ldd $(TORCH2_BUILD)/jsqa-pipeline | grep -E "libtorch|libc10|libcudart|libnccl" | sed 's/ (0x.*//'
	$(TORCH2_BUILD)/tests/model_tests --gtest_brief=1
	$(TORCH2_BUILD)/tests/tools_tests --gtest_brief=1 --gtest_filter='TrainingCliTest.*:SweepCli.*'

bench: build
	$(BUILD)/tools/bench/audio_bench && $(BUILD)/tools/bench/synth_bench && $(BUILD)/tools/bench/feed_bench && $(BUILD)/tools/bench/degradation_bench && $(BUILD)/tools/bench/train_bench

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) $(TORCH2_BUILD)
