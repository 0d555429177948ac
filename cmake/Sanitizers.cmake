# Sanitizer and fuzzing builds (README "Tests and benchmarks"; `make sanitize`
# and `make fuzz`). Included from the top-level CMakeLists.txt before any
# target is defined, so that the flags reach every object and executable the
# project builds. Third-party libraries are prebuilt Debian packages and stay
# uninstrumented; torch in particular is not sanitized: configure these
# builds with -DJSQA_WITH_TORCH=OFF.
#
#   JSQA_SANITIZE  AddressSanitizer (with LeakSanitizer) and
#                  UndefinedBehaviorSanitizer, any compiler (gcc or clang).
#   JSQA_FUZZ      libFuzzer targets under tests/fuzz/ (clang only); implies
#                  the same sanitizers plus libFuzzer's coverage
#                  instrumentation of our code.
option(JSQA_SANITIZE "Build everything with AddressSanitizer + UndefinedBehaviorSanitizer" OFF)
option(JSQA_FUZZ "Build the libFuzzer targets under tests/fuzz/ (needs clang and libFuzzer)" OFF)

if(NOT JSQA_SANITIZE AND NOT JSQA_FUZZ)
  return()
endif()

if(JSQA_WITH_TORCH)
  message(WARNING "JSQA_SANITIZE/JSQA_FUZZ with JSQA_WITH_TORCH=ON: libtorch is a prebuilt, uninstrumented "
                  "library; configure with -DJSQA_WITH_TORCH=OFF for the supported sanitizer build")
endif()

# -fno-sanitize-recover=undefined: undefined behaviour aborts the test (UBSan
# otherwise prints and carries on, and a test that passes hides it).
set(JSQA_SANITIZER_FLAGS -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)

if(JSQA_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "JSQA_FUZZ needs clang (libFuzzer): configure with CC=clang CXX=clang++ "
                        "(Debian packages clang and libclang-rt-14-dev); CMAKE_CXX_COMPILER is ${CMAKE_CXX_COMPILER}")
  endif()
  # Fail at configure time, loudly, when the libFuzzer runtime is missing
  # (Debian's libclang-rt-<version>-dev ships libclang_rt.fuzzer*.a).
  include(CheckCXXSourceCompiles)
  set(CMAKE_REQUIRED_FLAGS "-fsanitize=fuzzer,address,undefined")
  set(CMAKE_REQUIRED_LINK_OPTIONS "-fsanitize=fuzzer,address,undefined")
  check_cxx_source_compiles([[
    #include <cstddef>
    #include <cstdint>
    extern "C" int LLVMFuzzerTestOneInput(const uint8_t*, size_t) { return 0; }
  ]] JSQA_HAVE_LIBFUZZER)
  unset(CMAKE_REQUIRED_FLAGS)
  unset(CMAKE_REQUIRED_LINK_OPTIONS)
  if(NOT JSQA_HAVE_LIBFUZZER)
    message(FATAL_ERROR "JSQA_FUZZ: ${CMAKE_CXX_COMPILER} cannot link -fsanitize=fuzzer; install Debian's "
                        "libclang-rt-dev (libclang_rt.fuzzer) — tools/install-deps.sh lists it")
  endif()
  # Coverage feedback for libFuzzer in every object; only the fuzz targets
  # themselves link libFuzzer's main (-fsanitize=fuzzer, tests/fuzz/).
  list(APPEND JSQA_SANITIZER_FLAGS -fsanitize=fuzzer-no-link)
endif()

add_compile_options(${JSQA_SANITIZER_FLAGS})
add_link_options(-fsanitize=address,undefined)
