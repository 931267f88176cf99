# workbook.cmake: every target, flag and test of the workbook is made here.
#
# A chapter's CMakeLists.txt only calls the functions below:
#
#   wb_chapter()                                   # names the chapter from its folder: chNN
#   wb_chapter(ISA_DISPATCH)                       # no -march=native: vector code dispatched at run time
#   wb_chapter(CUDA)                               # .cu files by nvcc where found, else as C++ (cmake/cuda.cmake)
#   wb_exercise(1 NAME median SOURCES median.cpp)  # stub + solution + one test source built twice
#   wb_program(SOURCES program.cpp SMOKE_ARGS --quick)
#   wb_benchmark(SOURCES bench.cpp)
#   wb_perf(SOURCES perf.cpp)                      # optional: learner vs reference speed report
#   wb_test(NAME flags SOURCES flags/test.cpp)     # optional: a test of chapter code that is no exercise
#
# Flags live only in this file (and in the presets, which only set the options below).

include_guard(GLOBAL)

option(WB_MARCH_NATIVE "Compile for this machine's CPU (-march=native); recorded in every result file" ON)
option(WB_WARNINGS_AS_ERRORS "Treat warnings as errors in authored code (CI); never applied to a learner's exercise files" OFF)
set(WB_SANITIZE "" CACHE STRING "Sanitizers to build with: '', 'address,undefined' or 'thread'")
set(WB_CHAPTERS "" CACHE STRING "Chapter numbers to configure, e.g. '00;01' (empty: every chapter)")
set(WB_EXERCISES_FROM "exercises" CACHE STRING
    "Folder the learner's side is built from: 'exercises', 'solutions' for the authoring check, or a student's copy of exercises/ (absolute path) for ./wb grade-class")
set(WB_TEST_TIMEOUT 60 CACHE STRING "Default timeout in seconds for every test")
set(WB_BENCH_MIN_TIME 0.25 CACHE STRING "--benchmark_min_time of the full benchmark runs (./wb all, ./wb bench)")
option(WB_WRONG_ANSWERS "Build every tests/NN_slug/wrong/*.diff in the learner's place as its own test (authoring check)" OFF)

set(WB_ROOT "${CMAKE_CURRENT_LIST_DIR}/..")
cmake_path(NORMAL_PATH WB_ROOT)
string(REGEX REPLACE "/$" "" WB_ROOT "${WB_ROOT}")

include("${CMAKE_CURRENT_LIST_DIR}/cuda.cmake")   # optional GPU code: CUDA and OpenMP offload (chapter 08)

# ---------------------------------------------------------------------------
# Dependencies (all from Debian packages; tools/setup.sh installs them)
# ---------------------------------------------------------------------------
macro(wb_find_dependencies)
  # ccache, where installed (tools/setup.sh installs it): the presets compile the same sources with the
  # same flags in several build folders (default, check-solutions, the grader's and the class's), and
  # ./wb check, ./wb grade and CI build several of them; each such file is compiled once. The paths are
  # made relative to the repository, so that two build folders share the cache.
  find_program(WB_CCACHE ccache)
  if(WB_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
    set(CMAKE_CXX_COMPILER_LAUNCHER "${CMAKE_COMMAND}" -E env CCACHE_NOHASHDIR=1
        "CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime" "${WB_CCACHE}")
  endif()
  find_package(Threads REQUIRED)
  find_package(OpenMP REQUIRED COMPONENTS CXX)
  find_package(benchmark REQUIRED)
  # Debian's python has Matplotlib; a pyenv python3 earlier on PATH may not.
  if(NOT Python3_EXECUTABLE AND EXISTS /usr/bin/python3)
    set(Python3_EXECUTABLE /usr/bin/python3 CACHE FILEPATH "Python with Matplotlib, for the docs")
  endif()
  # Development.Module: the headers pybind11 modules are built against (chapter 10, wb_kernels).
  find_package(Python3 REQUIRED COMPONENTS Interpreter OPTIONAL_COMPONENTS Development.Module)
  if(NOT WB_SANITIZE AND Python3_Development.Module_FOUND)
    find_package(pybind11 CONFIG QUIET)
  endif()
  # Catch2 v3 where installed, else Debian 12's 2.13. Both provide Catch2::Catch2WithMain;
  # common/include/wb/catch.hpp picks the right header.
  find_package(Catch2 3 QUIET)
  if(NOT Catch2_FOUND)
    find_package(Catch2 2 REQUIRED)
  endif()
  # Optional: the C++17 parallel algorithms of libstdc++ run on TBB (Debian's libtbb-dev).
  find_package(TBB QUIET)
  add_library(wb_parallel_stl INTERFACE)
  if(TBB_FOUND)
    target_link_libraries(wb_parallel_stl INTERFACE TBB::tbb)
    target_compile_definitions(wb_parallel_stl INTERFACE WB_HAVE_PARALLEL_STL=1)
  else()
    target_compile_definitions(wb_parallel_stl INTERFACE WB_HAVE_PARALLEL_STL=0)
  endif()
  # Chapters 06 and 07 compare their kernels with what a user would pick instead: Google Highway
  # (portable SIMD with dispatch at run time), Eigen and OpenBLAS. Each is an interface target that
  # defines WB_HAVE_<X>=1 when the package is installed and 0 when not (the code then skips it).
  find_package(hwy QUIET)
  add_library(wb_highway INTERFACE)
  if(hwy_FOUND)
    target_link_libraries(wb_highway INTERFACE hwy::hwy)
    target_compile_definitions(wb_highway INTERFACE WB_HAVE_HIGHWAY=1)
  else()
    target_compile_definitions(wb_highway INTERFACE WB_HAVE_HIGHWAY=0)
    message(STATUS "workbook: Google Highway not found (Debian: libhwy-dev): its rows are skipped")
  endif()
  find_package(Eigen3 QUIET NO_MODULE)
  add_library(wb_eigen INTERFACE)
  if(Eigen3_FOUND)
    target_link_libraries(wb_eigen INTERFACE Eigen3::Eigen)
    target_compile_definitions(wb_eigen INTERFACE WB_HAVE_EIGEN=1)
  else()
    target_compile_definitions(wb_eigen INTERFACE WB_HAVE_EIGEN=0)
    message(STATUS "workbook: Eigen not found (Debian: libeigen3-dev): its rows are skipped")
  endif()
  find_package(OpenBLAS QUIET)
  add_library(wb_openblas INTERFACE)
  if(OpenBLAS_FOUND AND EXISTS "${OpenBLAS_INCLUDE_DIRS}/cblas.h")
    target_include_directories(wb_openblas SYSTEM INTERFACE "${OpenBLAS_INCLUDE_DIRS}")
    target_link_libraries(wb_openblas INTERFACE "${OpenBLAS_LIBRARIES}")
    target_compile_definitions(wb_openblas INTERFACE WB_HAVE_OPENBLAS=1)
  else()
    target_compile_definitions(wb_openblas INTERFACE WB_HAVE_OPENBLAS=0)
    message(STATUS "workbook: OpenBLAS not found (Debian: libopenblas-dev): its rows are skipped")
  endif()
  # Chapter 09 runs its programs and tests under OpenMPI's mpirun (Debian: libopenmpi-dev, openmpi-bin).
  # Without it that chapter is skipped at configure (wb_chapter(MPI)); everything else builds.
  find_package(MPI QUIET COMPONENTS CXX)
  if(MPI_CXX_FOUND AND MPIEXEC_EXECUTABLE)
    set(WB_HAVE_MPI ON)
  else()
    set(WB_HAVE_MPI OFF)
  endif()
  wb_find_cuda()   # cmake/cuda.cmake: nvcc and g++'s nvptx offloading, both optional
  message(STATUS "workbook: Catch2 ${Catch2_VERSION}, Google Benchmark ${benchmark_VERSION}, OpenMP ${OpenMP_CXX_VERSION}")
endmacro()

# ---------------------------------------------------------------------------
# Flags
# ---------------------------------------------------------------------------
# wb_flags(target KIND) with KIND one of AUTHORED (our code) or LEARNER (exercise stubs).
function(wb_flags target kind)
  target_compile_features(${target} PUBLIC cxx_std_20)
  set_target_properties(${target} PROPERTIES CXX_EXTENSIONS OFF)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor)
  if(kind STREQUAL "LEARNER")
    # A learner's half-finished file must still build: unused things are not errors.
    target_compile_options(${target} PRIVATE -Wno-unused-parameter -Wno-unused-variable
                                             -Wno-unused-function -Wno-unused-but-set-variable)
  elseif(WB_WARNINGS_AS_ERRORS)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(WB_MARCH_NATIVE AND NOT WB_CH_ISA_DISPATCH)
    target_compile_options(${target} PRIVATE -march=native)
  endif()
  _wb_isa_source_flags(${target})
  if(WB_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=${WB_SANITIZE} -fno-omit-frame-pointer -g)
    target_link_options(${target} PRIVATE -fsanitize=${WB_SANITIZE})
    if(WB_SANITIZE MATCHES "undefined")
      target_compile_options(${target} PRIVATE -fno-sanitize-recover=all)
    endif()
    if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
      # The sanitizers' checks on every access can stop clang from vectorizing a loop marked
      # `#pragma omp simd`; clang then warns (an error under -Werror). The speed is not measured here.
      target_compile_options(${target} PRIVATE -Wno-pass-failed)
    endif()
  endif()
  target_compile_definitions(${target} PRIVATE WB_SOURCE_DIR="${WB_ROOT}")
endfunction()

# Instruction-set files. In a chapter declared wb_chapter(ISA_DISPATCH) nothing is built with
# -march=native: plain C++ targets the x86-64 baseline and runs on any x86-64 CPU. Code for one vector
# instruction set goes in a file whose name ends in _avx2.cpp or _avx512.cpp (in any target: exercise,
# solution, wrong answer, program, benchmark), compiled with that set's flags and called only after
# wb::cpu_has() (wb/isa.hpp) says the CPU runs it. On a CPU that is not x86-64 those files get no flags
# and must compile to nothing (#if defined(__AVX2__) / __AVX512F__ around their contents).
set(WB_ISA_FLAGS_avx2 -mavx2 -mfma -mbmi2)
set(WB_ISA_FLAGS_avx512 -mavx2 -mfma -mbmi2 -mavx512f -mavx512vl -mavx512dq -mavx512bw -mprefer-vector-width=512)
function(_wb_isa_source_flags target)
  if(NOT CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64|amd64")
    return()
  endif()
  get_target_property(_srcs ${target} SOURCES)
  foreach(_s IN LISTS _srcs)
    foreach(_isa avx512 avx2)
      if(_s MATCHES "_${_isa}\\.cpp$")
        # Other flags than the target's: a precompiled header of the target cannot be used there.
        set_source_files_properties("${_s}" TARGET_DIRECTORY ${target} PROPERTIES
                                    COMPILE_OPTIONS "${WB_ISA_FLAGS_${_isa}}" SKIP_PRECOMPILE_HEADERS ON)
        break()
      endif()
    endforeach()
  endforeach()
endfunction()

# wb_variant_library(NAME <name> SOURCES <files...> VARIANTS <variant...>)
# Builds the same sources once per named variant of the optimisation flags, into one static library
# <chNN>_<name>_variants that a program or benchmark links (LIBS). Each copy is compiled with
# WB_VARIANT=<variant> defined (and WB_VARIANT_<variant>), so the source can put its functions in a
# namespace per variant. The variants, and only here their flags (on top of the build type's):
#   O2, O3                 the optimisation level, for the target baseline (x86-64)
#   O2_native, O3_native   the same with -march=native
#   strict                 -O3 -ffp-contract=off: every operation rounded as written, errno set by
#                          math functions (g++ fuses a*b+c into an FMA by default in C++, so "off" is
#                          needed for the strict baseline)
#   no_errno               strict plus -fno-math-errno
#   contract               -O3 -ffp-contract=fast (a*b+c fused into one FMA, rounded once: g++'s default)
#   assoc                  strict plus -fassociative-math -fno-signed-zeros -fno-trapping-math (reordered sums)
#   fast                   -O3 -ffast-math (all of the above, and no NaN or infinity)
# The *_native and the math variants of an ISA_DISPATCH chapter get -march=native only where named.
set(WB_VARIANT_FLAGS_O2 -O2)
set(WB_VARIANT_FLAGS_O3 -O3)
set(WB_VARIANT_FLAGS_O2_native -O2 -march=native)
set(WB_VARIANT_FLAGS_O3_native -O3 -march=native)
set(WB_VARIANT_FLAGS_strict -O3 -march=native -ffp-contract=off)
set(WB_VARIANT_FLAGS_no_errno -O3 -march=native -ffp-contract=off -fno-math-errno)
set(WB_VARIANT_FLAGS_contract -O3 -march=native -ffp-contract=fast)
set(WB_VARIANT_FLAGS_assoc -O3 -march=native -ffp-contract=off -fassociative-math -fno-signed-zeros -fno-trapping-math)
set(WB_VARIANT_FLAGS_fast -O3 -march=native -ffast-math)
function(wb_variant_library)
  cmake_parse_arguments(V "" "NAME" "SOURCES;VARIANTS;LIBS" ${ARGN})
  set(_lib ${WB_CH}_${V_NAME}_variants)
  add_library(${_lib} STATIC)
  set(_srcs "")
  foreach(_src IN LISTS V_SOURCES)
    cmake_path(ABSOLUTE_PATH _src BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}")
    list(APPEND _srcs "${_src}")
  endforeach()
  foreach(_v IN LISTS V_VARIANTS)
    if(NOT DEFINED WB_VARIANT_FLAGS_${_v})
      message(FATAL_ERROR "wb_variant_library: unknown variant '${_v}' (see cmake/workbook.cmake)")
    endif()
    set(_o ${_lib}_${_v})
    add_library(${_o} OBJECT ${_srcs})
    wb_flags(${_o} AUTHORED)
    # The variant's flags come last, so its -O level and math flags win over the build type's.
    target_compile_options(${_o} PRIVATE ${WB_VARIANT_FLAGS_${_v}})
    target_compile_definitions(${_o} PRIVATE WB_VARIANT=${_v} WB_VARIANT_${_v}=1)
    target_link_libraries(${_o} PRIVATE ${WB_CH}_interface ${V_LIBS})
    target_sources(${_lib} PRIVATE $<TARGET_OBJECTS:${_o}>)
  endforeach()
  target_link_libraries(${_lib} PUBLIC ${WB_CH}_interface ${V_LIBS})
  string(REPLACE ";" "," _names "${V_VARIANTS}")
  target_compile_definitions(${_lib} INTERFACE "WB_${V_NAME}_VARIANTS=\"${_names}\"")
endfunction()

# The flags a result file is stamped with: what the compiler really got for authored code.
function(wb_describe_flags out)
  string(TOUPPER "${CMAKE_BUILD_TYPE}" _cfg)
  set(_f "${CMAKE_CXX_FLAGS} ${CMAKE_CXX_FLAGS_${_cfg}} -std=c++20")
  if(WB_MARCH_NATIVE)
    string(APPEND _f " -march=native")
  endif()
  if(WB_SANITIZE)
    string(APPEND _f " -fsanitize=${WB_SANITIZE}")
  endif()
  string(APPEND _f " ${OpenMP_CXX_FLAGS}")
  string(REGEX REPLACE " +" " " _f "${_f}")
  string(STRIP "${_f}" _f)
  set(${out} "${_f}" PARENT_SCOPE)
endfunction()

# ---------------------------------------------------------------------------
# Chapters
# ---------------------------------------------------------------------------
# Adds every chapters/NN_slug folder that has a CMakeLists.txt (filtered by WB_CHAPTERS).
# Folders are discovered rather than listed (CONFIGURE_DEPENDS: a new folder re-runs CMake),
# so a new chapter needs no edit here.
function(wb_add_chapters)
  file(GLOB _dirs LIST_DIRECTORIES true CONFIGURE_DEPENDS RELATIVE "${WB_ROOT}/chapters" "${WB_ROOT}/chapters/[0-9][0-9]_*")
  list(SORT _dirs)
  set(_all "")
  foreach(_d IN LISTS _dirs)
    if(NOT EXISTS "${WB_ROOT}/chapters/${_d}/CMakeLists.txt")
      continue()
    endif()
    string(SUBSTRING "${_d}" 0 2 _nn)
    if(WB_CHAPTERS AND NOT _nn IN_LIST WB_CHAPTERS)
      continue()
    endif()
    add_subdirectory("${WB_ROOT}/chapters/${_d}" "chapters/${_d}")
    get_property(_skipped GLOBAL PROPERTY WB_CH${_nn}_SKIPPED)
    if(_skipped)
      continue()   # wb_chapter(MPI) without OpenMPI: not in the manifest, so ./wb grades nothing of it
    endif()
    list(APPEND _all "${_d}")
  endforeach()
  set_property(GLOBAL PROPERTY WB_CHAPTER_DIRS "${_all}")
  # The chapter manifest for ./wb and tools/workbook.py: build/<preset>/wb_manifest.json, one object per
  # chapter with its exercises (sources, dependencies, race flags, test names, wrong answers) and the
  # paths of its program and speed report. Nothing reads CMake's text output.
  set(_json "[]")
  set(_i 0)
  foreach(_d IN LISTS _all)
    string(SUBSTRING "${_d}" 0 2 _nn)
    set(_c "{}")
    string(JSON _c SET "${_c}" number "\"${_nn}\"")
    string(JSON _c SET "${_c}" folder "\"${_d}\"")
    get_property(_perf GLOBAL PROPERTY WB_CH${_nn}_PERF)
    if(_perf)
      string(JSON _c SET "${_c}" perf "\"${_perf}\"")
    else()
      string(JSON _c SET "${_c}" perf "null")
    endif()
    get_property(_perf_wrong GLOBAL PROPERTY WB_CH${_nn}_PERF_WRONG)
    string(JSON _c SET "${_c}" perf_wrong "{}")
    foreach(_pw IN LISTS _perf_wrong)
      string(REPLACE "=" ";" _pw "${_pw}")
      list(GET _pw 0 _k)
      list(GET _pw 1 _v)
      string(JSON _c SET "${_c}" perf_wrong "${_k}" "\"${_v}\"")
    endforeach()
    get_property(_prog GLOBAL PROPERTY WB_CH${_nn}_PROGRAM)
    string(JSON _c SET "${_c}" program "\"${_prog}\"")
    get_property(_exs GLOBAL PROPERTY WB_CH${_nn}_EXERCISES_JSON)
    set(_arr "[]")
    set(_k 0)
    foreach(_e IN LISTS _exs)
      string(JSON _arr SET "${_arr}" ${_k} "${_e}")
      math(EXPR _k "${_k} + 1")
    endforeach()
    string(JSON _c SET "${_c}" exercises "${_arr}")
    string(JSON _json SET "${_json}" ${_i} "${_c}")
    math(EXPR _i "${_i} + 1")
  endforeach()
  file(WRITE "${CMAKE_BINARY_DIR}/wb_manifest.json" "${_json}\n")
endfunction()

# wb_chapter(): call first in chapters/NN_slug/CMakeLists.txt.
# wb_chapter(MPI): the chapter's code is MPI code. Its exercise tests, program and benchmarks run under
# mpirun (tools/mpi_run.py: 1, 2 and 4 ranks, 4 oversubscribed, each run under a timeout, OpenMPI's
# allow-root variables set, no process left behind), and every target links MPI::MPI_CXX. Without
# OpenMPI the chapter is skipped here, with a message naming the packages: the macro returns from the
# chapter's CMakeLists.txt.
macro(wb_chapter)
  cmake_parse_arguments(_WB_CHAPTER "ISA_DISPATCH;MPI;CUDA" "" "" ${ARGN})
  set(WB_CH_ISA_DISPATCH ${_WB_CHAPTER_ISA_DISPATCH})
  set(WB_CH_MPI ${_WB_CHAPTER_MPI})
  get_filename_component(WB_CH_DIR_NAME "${CMAKE_CURRENT_SOURCE_DIR}" NAME)
  string(SUBSTRING "${WB_CH_DIR_NAME}" 0 2 WB_CH_NN)
  set(WB_CH "ch${WB_CH_NN}")
  if(WB_CH_MPI AND NOT WB_HAVE_MPI)
    message(STATUS "workbook: chapter ${WB_CH_DIR_NAME} skipped: OpenMPI not found (Debian: libopenmpi-dev "
                   "and openmpi-bin; tools/setup.sh installs them)")
    set_property(GLOBAL PROPERTY WB_CH${WB_CH_NN}_SKIPPED ON)
    return()
  endif()
  cmake_path(ABSOLUTE_PATH WB_EXERCISES_FROM BASE_DIRECTORY "${WB_ROOT}" OUTPUT_VARIABLE _wb_from)
  set(WB_CH_EXERCISE_DIR "${_wb_from}/${WB_CH_DIR_NAME}")
  set(WB_CH_SOLUTION_DIR "${WB_ROOT}/solutions/${WB_CH_DIR_NAME}")
  set(WB_CH_TEST_DIR "${WB_ROOT}/tests/${WB_CH_DIR_NAME}")
  # The chapter's interface headers: #include "chNN/xxx.hpp"
  add_library(${WB_CH}_interface INTERFACE)
  target_include_directories(${WB_CH}_interface INTERFACE "${CMAKE_CURRENT_SOURCE_DIR}/include")
  target_link_libraries(${WB_CH}_interface INTERFACE wb_common)
  if(WB_CH_MPI)
    target_link_libraries(${WB_CH}_interface INTERFACE MPI::MPI_CXX)
    # The launcher the chapter's programs re-run themselves under when started without one.
    target_compile_definitions(${WB_CH}_interface INTERFACE "WB_MPIEXEC=\"${MPIEXEC_EXECUTABLE}\"")
  endif()
  # One target builds the chapter's program, both test binaries per exercise and its benchmarks.
  add_custom_target(${WB_CH})
  # Everything a learner's exercise needs, for `tools/wb grade`.
  add_custom_target(${WB_CH}_exercises)
  # The wrong answers of the chapter's exercises, each as its own test (WB_WRONG_ANSWERS=ON).
  add_custom_target(${WB_CH}_wrong)
  if(_WB_CHAPTER_CUDA)
    _wb_cuda_chapter()   # cmake/cuda.cmake
  endif()
endmacro()

# _wb_vec_report(<lib> <env-out>): with wb_exercise(... VEC_REPORT), the compiler writes its report of the
# loops it vectorized in <lib> to a file, and the test finds it in WB_VEC_REPORT (WB_VEC_REPORT_FORMAT is
# gcc: "file:line:col: optimized: loop vectorized ..." lines, or clang: a YAML optimization record).
# <env-out> is set to the test's extra environment, starting with ';' ("" without VEC_REPORT).
function(_wb_vec_report lib out)
  set(${out} "" PARENT_SCOPE)
  # Under a sanitizer the checks on every access stop the compiler from vectorizing most loops, so the
  # report says nothing about the learner's code there: the test then skips that check (and says so).
  if(NOT EX_VEC_REPORT OR WB_SANITIZE)
    return()
  endif()
  set(_rep "${CMAKE_CURRENT_BINARY_DIR}/${lib}.vec.txt")
  # The report is a side effect of compiling, which a cache hit would skip: no ccache for this library.
  set_target_properties(${lib} PROPERTIES CXX_COMPILER_LAUNCHER "")
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(${lib} PRIVATE "-fopt-info-vec-optimized=${_rep}")
    set(${out} ";WB_VEC_REPORT=${_rep};WB_VEC_REPORT_FORMAT=gcc" PARENT_SCOPE)
  elseif(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    target_compile_options(${lib} PRIVATE -fsave-optimization-record=yaml "-foptimization-record-file=${_rep}")
    set(${out} ";WB_VEC_REPORT=${_rep};WB_VEC_REPORT_FORMAT=clang" PARENT_SCOPE)
  endif()
endfunction()

# _wb_test_executable(<target> <test source> [EXCLUDE_FROM_ALL]): a Catch2 test binary.
# _wb_test_executable(<target> OBJECTS <object library> [EXCLUDE_FROM_ALL]): the same, linked from a test
# source compiled once by _wb_test_objects: an exercise's wrong answers all link the objects of its
# learner-side test (the same source, flags and WB_IMPL=exercise), so that 150 wrong answers cost 150
# small libraries and links, not 150 more compiles of their tests.
# Catch2's header is compiled once per flag set into a precompiled header that every test of that set
# reuses: it saves Catch2's share of each test's compile, times every test and wrong answer of every
# preset (about 10% of a chapter's build, measured on chapter 04).
function(_wb_test_executable target)
  cmake_parse_arguments(T "EXCLUDE_FROM_ALL" "OBJECTS" "" ${ARGN})
  set(_excl)
  if(T_EXCLUDE_FROM_ALL)
    set(_excl EXCLUDE_FROM_ALL)
  endif()
  if(T_OBJECTS)
    add_executable(${target} ${_excl} $<TARGET_OBJECTS:${T_OBJECTS}>)
    wb_flags(${target} AUTHORED)
    _wb_catch_libraries(${target} _pch)
  else()
    add_executable(${target} ${_excl} ${T_UNPARSED_ARGUMENTS})
    _wb_catch_setup(${target})
  endif()
endfunction()

# _wb_test_objects(<object library> <test source>): a Catch2 test source compiled once (see above).
function(_wb_test_objects target src)
  add_library(${target} OBJECT "${src}")
  _wb_catch_setup(${target})
endfunction()

# What a Catch2 test target links, and the name of its precompiled header's target (out variable).
function(_wb_catch_libraries target pch_out)
  if(WB_CH_MPI)
    # Every rank runs the same Catch2 test cases; common/src/mpi_catch_main.cpp initialises MPI, lets rank 0
    # alone print Catch2's report, and ends the whole job (MPI_Abort) at the first failed check on any rank,
    # so a failure on one rank never leaves the others waiting in a collective.
    if(NOT TARGET wb_mpi_catch_main)
      add_library(wb_mpi_catch_main OBJECT "${WB_ROOT}/common/src/mpi_catch_main.cpp")
      wb_flags(wb_mpi_catch_main AUTHORED)
      # Catch2 v2: the header-only target (the main's file compiles the implementation); v3: the library
      # without Catch2's own main.
      target_link_libraries(wb_mpi_catch_main PUBLIC wb_common Catch2::Catch2 MPI::MPI_CXX)
    endif()
    target_link_libraries(${target} PRIVATE wb_testing wb_mpi_catch_main MPI::MPI_CXX)
    set(${pch_out} wb_catch_pch_mpi PARENT_SCOPE)
  else()
    target_link_libraries(${target} PRIVATE wb_testing Catch2::Catch2WithMain)
    if(WB_CH_ISA_DISPATCH)
      set(${pch_out} wb_catch_pch_dispatch PARENT_SCOPE)
    else()
      set(${pch_out} wb_catch_pch PARENT_SCOPE)
    endif()
  endif()
endfunction()

function(_wb_catch_setup target)
  wb_flags(${target} AUTHORED)
  _wb_catch_libraries(${target} _pch)
  if(NOT TARGET ${_pch})
    file(WRITE "${CMAKE_BINARY_DIR}/${_pch}.cpp" "// the precompiled Catch2 header's own translation unit\n")
    add_library(${_pch} OBJECT "${CMAKE_BINARY_DIR}/${_pch}.cpp")
    wb_flags(${_pch} AUTHORED)
    # Compiled as the tests that reuse it are (an object library takes only the usage requirements).
    _wb_catch_libraries(${_pch} _same)
    target_link_libraries(${_pch} PRIVATE Threads::Threads OpenMP::OpenMP_CXX)
    target_precompile_headers(${_pch} PRIVATE "${WB_ROOT}/common/include/wb/catch.hpp")
  endif()
  target_precompile_headers(${target} REUSE_FROM ${_pch})
endfunction()

# wb_test(NAME <name> SOURCES <files...> [LIBS <targets>] [TIMEOUT <s>])
# A Catch2 test of the chapter's own code that is not an exercise (chNN_<name>_test, test chNN.<name>),
# linked like the program with the reference solutions: call it after the chapter's wb_exercise lines.
function(wb_test)
  cmake_parse_arguments(T "" "NAME;TIMEOUT" "SOURCES;LIBS" ${ARGN})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT ${WB_TEST_TIMEOUT})
  endif()
  set(_t ${WB_CH}_${T_NAME}_test)
  list(POP_FRONT T_SOURCES _first)
  _wb_test_executable(${_t} "${CMAKE_CURRENT_SOURCE_DIR}/${_first}")
  foreach(_s IN LISTS T_SOURCES)
    target_sources(${_t} PRIVATE "${CMAKE_CURRENT_SOURCE_DIR}/${_s}")
  endforeach()
  get_property(_libs DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" PROPERTY WB_SOLUTION_LIBS)
  target_link_libraries(${_t} PRIVATE ${WB_CH}_interface ${_libs} ${T_LIBS} Threads::Threads OpenMP::OpenMP_CXX)
  target_compile_definitions(${_t} PRIVATE WB_IMPL=solution)
  add_test(NAME ${WB_CH}.${T_NAME} COMMAND ${_t})
  set_tests_properties(${WB_CH}.${T_NAME} PROPERTIES LABELS "${WB_CH}" TIMEOUT ${T_TIMEOUT})
  add_dependencies(${WB_CH} ${_t})
endfunction()

# The environment every test of an MPI chapter runs with: OpenMPI refuses to start as root unless both
# allow-root variables are set (containers and CI run as root); shared-memory transfers without the
# ptrace-based single copy, which containers often forbid; and, under AddressSanitizer, no leak report
# at exit (OpenMPI's own allocations are never freed and are not the code under test).
function(_wb_mpi_env out)
  set(_e "OMPI_ALLOW_RUN_AS_ROOT=1;OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1;OMPI_MCA_btl_vader_single_copy_mechanism=none")
  if(WB_SANITIZE MATCHES "address")
    list(APPEND _e "ASAN_OPTIONS=detect_leaks=0")
  endif()
  set(${out} "${_e}" PARENT_SCOPE)
endfunction()

# _wb_add_exercise_test(<test name> <target> <timeout> <labels> <environment>): one ctest test of an
# exercise side or a wrong answer. In an MPI chapter the test binary runs under mpirun at 1, 2 and 4 ranks
# (tools/mpi_run.py), each run under its own timeout of a third of the test's: a job that hangs (a
# deadlock) is killed, with every process it started, and reported as a hang.
function(_wb_add_exercise_test name target timeout labels env)
  if(WB_CH_MPI)
    math(EXPR _per_run "${timeout} / 3 - 2")
    add_test(NAME ${name} COMMAND "${Python3_EXECUTABLE}" "${WB_ROOT}/tools/mpi_run.py"
             --mpiexec "${MPIEXEC_EXECUTABLE}" --ranks 1,2,4 --timeout ${_per_run} -- $<TARGET_FILE:${target}>)
    _wb_mpi_env(_mpi_env)
    set(env "${env};${_mpi_env}")
  else()
    add_test(NAME ${name} COMMAND ${target})
  endif()
  set_tests_properties(${name} PROPERTIES LABELS "${labels}" TIMEOUT ${timeout} ENVIRONMENT "${env}")
endfunction()

# _wb_json_strings(<out> <items...>): a JSON array of the items as strings, for the chapter manifest.
function(_wb_json_strings out)
  set(_arr "[]")
  set(_k 0)
  foreach(_item IN LISTS ARGN)
    string(JSON _arr SET "${_arr}" ${_k} "\"${_item}\"")
    math(EXPR _k "${_k} + 1")
  endforeach()
  set(${out} "${_arr}" PARENT_SCOPE)
endfunction()

# _wb_wrong_answer(<diff> <slug> <first source> <output source> <target> <entry-out> <rejected-by-out>):
# applies a wrong answer's diff (tests/NN_slug/wrong/<name>.<slug>.diff) to the solution's first source,
# writing <output source>, and makes its entry of the manifest. <rejected-by-out> is the diff's
# "REJECTED BY" list, empty when the diff does not apply: the entry then says why (./wb check reports it).
function(_wb_wrong_answer diff slug src0 out target entry_out by_out)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${diff}" "${WB_CH_SOLUTION_DIR}/${src0}")
  execute_process(COMMAND "${Python3_EXECUTABLE}" "${WB_ROOT}/tools/wrong_answer.py" apply "${diff}"
                          "${WB_CH_SOLUTION_DIR}/${src0}" "${out}"
                  RESULT_VARIABLE _rc OUTPUT_VARIABLE _by ERROR_VARIABLE _err)
  set(_entry "{}")
  string(JSON _entry SET "${_entry}" slug "\"${slug}\"")
  cmake_path(RELATIVE_PATH diff BASE_DIRECTORY "${WB_ROOT}" OUTPUT_VARIABLE _rel)
  string(JSON _entry SET "${_entry}" diff "\"${_rel}\"")
  string(JSON _entry SET "${_entry}" test "\"${WB_CH}.${EX_NAME}.wrong.${slug}\"")
  string(JSON _entry SET "${_entry}" target "\"${target}\"")
  if(NOT _rc EQUAL 0)
    string(STRIP "${_err}" _err)
    message(WARNING "${_err}")
    string(REPLACE "\"" "'" _err "${_err}")
    string(JSON _entry SET "${_entry}" broken "\"${_err}\"")
    set(_by "")
  else()
    string(JSON _entry SET "${_entry}" broken "null")
    string(STRIP "${_by}" _by)
  endif()
  set(${entry_out} "${_entry}" PARENT_SCOPE)
  set(${by_out} "${_by}" PARENT_SCOPE)
endfunction()

# wb_exercise(<number> NAME <name> SOURCES <files...> [DEPENDS <other exercise names>]
#             [LIBS <targets>] [TIMEOUT <s>] [RACE] [RACY_STUB] [VEC_REPORT])
# Builds lib <ch>_<name>_{exercise,solution} from exercises/NN_slug/<files> and solutions/NN_slug/<files>,
# and tests/NN_slug/test_<name>.cpp against each. RACE: the grader also runs it under ThreadSanitizer.
# RACY_STUB (implies RACE): the untouched stub runs racy code on purpose; `./wb check` verifies that
# ThreadSanitizer reports it. VEC_REPORT: the test can read the compiler's vectorization report of the
# learner's file (see _wb_vec_report).
function(wb_exercise number)
  cmake_parse_arguments(EX "RACE;RACY_STUB;VEC_REPORT" "NAME;TIMEOUT" "SOURCES;DEPENDS;LIBS" ${ARGN})
  if(NOT EX_TIMEOUT)
    set(EX_TIMEOUT ${WB_TEST_TIMEOUT})
  endif()
  set(_id "${WB_CH_NN}.${number}")
  foreach(side exercise solution)
    if(side STREQUAL "exercise")
      set(_dir "${WB_CH_EXERCISE_DIR}")
      set(_kind LEARNER)
    else()
      set(_dir "${WB_CH_SOLUTION_DIR}")
      set(_kind AUTHORED)
    endif()
    set(_lib ${WB_CH}_${EX_NAME}_${side})
    set(_srcs "")
    foreach(_src IN LISTS EX_SOURCES)
      if(side STREQUAL "exercise" AND NOT EXISTS "${_dir}/${_src}")
        # A learner's (or a student's) file that is missing is graded as the untouched stub.
        message(STATUS "${WB_CH_DIR_NAME}/${_src} is not in ${_dir}: using the stub from exercises/")
        list(APPEND _srcs "${WB_ROOT}/exercises/${WB_CH_DIR_NAME}/${_src}")
      else()
        list(APPEND _srcs "${_dir}/${_src}")
      endif()
    endforeach()
    add_library(${_lib} STATIC ${_srcs})
    wb_flags(${_lib} ${_kind})
    target_compile_definitions(${_lib} PRIVATE WB_IMPL=${side})
    _wb_vec_report(${_lib} _vec_env)
    target_link_libraries(${_lib} PUBLIC ${WB_CH}_interface Threads::Threads OpenMP::OpenMP_CXX ${EX_LIBS})
    foreach(_dep IN LISTS EX_DEPENDS)
      target_link_libraries(${_lib} PUBLIC ${WB_CH}_${_dep}_${side})
    endforeach()

    set(_test ${WB_CH}_test_${EX_NAME}_${side})
    if(side STREQUAL "exercise")
      # The learner-side test source, compiled once for this test and every wrong answer's.
      set(_tobj ${WB_CH}_test_${EX_NAME}_objects)
      _wb_test_objects(${_tobj} "${WB_CH_TEST_DIR}/test_${EX_NAME}.cpp")
      target_compile_definitions(${_tobj} PRIVATE WB_IMPL=exercise)
      target_link_libraries(${_tobj} PRIVATE ${WB_CH}_interface Threads::Threads OpenMP::OpenMP_CXX ${EX_LIBS})
      _wb_test_executable(${_test} OBJECTS ${_tobj})
    else()
      _wb_test_executable(${_test} "${WB_CH_TEST_DIR}/test_${EX_NAME}.cpp")
      target_compile_definitions(${_test} PRIVATE WB_IMPL=${side})
    endif()
    target_link_libraries(${_test} PRIVATE ${_lib})
    _wb_add_exercise_test(${WB_CH}.${EX_NAME}.${side} ${_test} ${EX_TIMEOUT} "${side};${WB_CH}"
                          "WB_EXERCISE_ID=${_id}${_vec_env}")
    add_dependencies(${WB_CH} ${_test})
    if(side STREQUAL "exercise")
      add_dependencies(${WB_CH}_exercises ${_test})
    endif()
  endforeach()
  # Wrong answers (authoring check): each tests/NN_slug/wrong/<name>.<slug>.diff applied to the solution,
  # built in the learner's place against the same test source.
  set(_wrong_json "[]")
  if(WB_WRONG_ANSWERS)
    file(GLOB _diffs CONFIGURE_DEPENDS "${WB_CH_TEST_DIR}/wrong/${EX_NAME}.*.diff")
    list(SORT _diffs)
    list(GET EX_SOURCES 0 _src0)
    set(_w 0)
    foreach(_diff IN LISTS _diffs)
      get_filename_component(_fn "${_diff}" NAME)
      string(REGEX REPLACE "^${EX_NAME}\\.(.+)\\.diff$" "\\1" _slug "${_fn}")
      set(_out "${CMAKE_CURRENT_BINARY_DIR}/wrong/${EX_NAME}.${_slug}/${_src0}")
      _wb_wrong_answer("${_diff}" ${_slug} "${_src0}" "${_out}" ${WB_CH}_test_${EX_NAME}_wrong_${_slug} _entry _by)
      if(_by)
        set(_lib ${WB_CH}_${EX_NAME}_wrong_${_slug})
        # The diff changes the first source; the exercise's other sources are the solution's.
        set(_rest ${EX_SOURCES})
        list(REMOVE_AT _rest 0)
        list(TRANSFORM _rest PREPEND "${WB_CH_SOLUTION_DIR}/")
        add_library(${_lib} STATIC EXCLUDE_FROM_ALL "${_out}" ${_rest})
        wb_flags(${_lib} LEARNER)
        target_compile_definitions(${_lib} PRIVATE WB_IMPL=exercise)
        _wb_vec_report(${_lib} _vec_env)
        target_link_libraries(${_lib} PUBLIC ${WB_CH}_interface Threads::Threads OpenMP::OpenMP_CXX ${EX_LIBS})
        foreach(_dep IN LISTS EX_DEPENDS)
          target_link_libraries(${_lib} PUBLIC ${WB_CH}_${_dep}_exercise)
        endforeach()
        set(_test ${WB_CH}_test_${EX_NAME}_wrong_${_slug})
        _wb_test_executable(${_test} OBJECTS ${WB_CH}_test_${EX_NAME}_objects EXCLUDE_FROM_ALL)
        target_link_libraries(${_test} PRIVATE ${_lib})
        _wb_add_exercise_test(${WB_CH}.${EX_NAME}.wrong.${_slug} ${_test} ${EX_TIMEOUT} "wrong;${WB_CH}"
                              "WB_EXERCISE_ID=${_id}${_vec_env}")
        add_dependencies(${WB_CH}_wrong ${_test})
        string(REPLACE "," ";" _by "${_by}")
        if("speed" IN_LIST _by)
          set_property(DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" APPEND PROPERTY WB_WRONG_SPEED "${EX_NAME}:${_slug}:${_lib}")
        endif()
      endif()
      string(JSON _wrong_json SET "${_wrong_json}" ${_w} "${_entry}")
      math(EXPR _w "${_w} + 1")
    endforeach()
  endif()

  set(_ex "{}")
  string(JSON _ex SET "${_ex}" number "\"${number}\"")
  string(JSON _ex SET "${_ex}" name "\"${EX_NAME}\"")
  _wb_json_strings(_arr ${EX_SOURCES})
  string(JSON _ex SET "${_ex}" sources "${_arr}")
  _wb_json_strings(_arr ${EX_DEPENDS})
  string(JSON _ex SET "${_ex}" depends "${_arr}")
  if(EX_RACE OR EX_RACY_STUB)
    string(JSON _ex SET "${_ex}" race true)
  else()
    string(JSON _ex SET "${_ex}" race false)
  endif()
  if(EX_RACY_STUB)
    string(JSON _ex SET "${_ex}" racy_stub true)
  else()
    string(JSON _ex SET "${_ex}" racy_stub false)
  endif()
  string(JSON _ex SET "${_ex}" test "\"${WB_CH}.${EX_NAME}.exercise\"")
  string(JSON _ex SET "${_ex}" test_target "\"${WB_CH}_test_${EX_NAME}_exercise\"")
  string(JSON _ex SET "${_ex}" wrong "${_wrong_json}")
  set_property(GLOBAL APPEND PROPERTY WB_CH${WB_CH_NN}_EXERCISES_JSON "${_ex}")
  # Solutions that the chapter's program, benchmarks and perf report link.
  set_property(DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" APPEND PROPERTY WB_SOLUTION_LIBS ${WB_CH}_${EX_NAME}_solution)
  set_property(DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" APPEND PROPERTY WB_EXERCISE_LIBS ${WB_CH}_${EX_NAME}_exercise)
endfunction()

# An executable of the chapter built on its reference solutions (program, benchmarks, race demos).
function(_wb_solution_executable target)
  cmake_parse_arguments(X "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${target} ${X_SOURCES})
  wb_flags(${target} AUTHORED)
  get_property(_libs DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" PROPERTY WB_SOLUTION_LIBS)
  target_link_libraries(${target} PRIVATE ${WB_CH}_interface ${_libs} ${X_LIBS} Threads::Threads OpenMP::OpenMP_CXX)
  target_compile_definitions(${target} PRIVATE WB_IMPL=solution)
  if(WB_CH_ISA_DISPATCH)
    # The machine stamp of this chapter's results: no -march=native, vector files dispatched.
    wb_describe_flags(_f)
    string(REPLACE " -march=native" "" _f "${_f}")
    string(REPLACE ";" " " _a2 "${WB_ISA_FLAGS_avx2}")
    string(REPLACE ";" " " _a5 "${WB_ISA_FLAGS_avx512}")
    set(_f "${_f}; dispatched at run time: *_avx2.cpp ${_a2}, *_avx512.cpp ${_a5}")
    set(_stamp "${CMAKE_CURRENT_BINARY_DIR}/${target}_flags.cpp")
    file(CONFIGURE OUTPUT "${_stamp}" CONTENT "extern \"C\" {\nextern const char* wb_chapter_build_flags;\nconst char* wb_chapter_build_flags = \"${_f}\";\n}\n")
    target_sources(${target} PRIVATE "${_stamp}")
  endif()
  add_dependencies(${WB_CH} ${target})
endfunction()

# wb_program(SOURCES <files> [LIBS <targets>] [SMOKE_ARGS <args...>])
# The chapter's standalone program chNN_program, linked with the chapter's solutions.
# Tests: one run with SMOKE_ARGS, --help exits 0, a bad option exits 2.
function(wb_program)
  cmake_parse_arguments(P "" "" "SOURCES;LIBS;SMOKE_ARGS" ${ARGN})
  set(_t ${WB_CH}_program)
  _wb_solution_executable(${_t} SOURCES ${P_SOURCES} LIBS ${P_LIBS})
  cmake_path(RELATIVE_PATH CMAKE_CURRENT_BINARY_DIR BASE_DIRECTORY "${CMAKE_BINARY_DIR}" OUTPUT_VARIABLE _rel)
  set_property(GLOBAL PROPERTY WB_CH${WB_CH_NN}_PROGRAM "${_rel}/${_t}")
  # The same program on the learner's own exercises (./wb run NN --mine); built only when asked for.
  add_executable(${_t}_mine EXCLUDE_FROM_ALL ${P_SOURCES} "${WB_ROOT}/common/src/on_exercises.cpp")
  wb_flags(${_t}_mine AUTHORED)
  get_property(_libs DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" PROPERTY WB_EXERCISE_LIBS)
  target_link_libraries(${_t}_mine PRIVATE ${WB_CH}_interface ${_libs} ${P_LIBS} Threads::Threads OpenMP::OpenMP_CXX)
  target_compile_definitions(${_t}_mine PRIVATE WB_IMPL=exercise WB_PROGRAM_ON_EXERCISES=1)
  add_test(NAME ${WB_CH}.program.smoke COMMAND ${_t} ${P_SMOKE_ARGS})
  add_test(NAME ${WB_CH}.program.help COMMAND ${CMAKE_COMMAND} -DPROG=$<TARGET_FILE:${_t}> -DARGS=--help
           -DEXPECT=0 -DMATCH=Usage -P "${WB_ROOT}/cmake/expect_exit.cmake")
  add_test(NAME ${WB_CH}.program.bad_option COMMAND ${CMAKE_COMMAND} -DPROG=$<TARGET_FILE:${_t}>
           -DARGS=--no-such-option -DEXPECT=2 -P "${WB_ROOT}/cmake/expect_exit.cmake")
  set_tests_properties(${WB_CH}.program.smoke ${WB_CH}.program.help ${WB_CH}.program.bad_option
                       PROPERTIES LABELS "program;${WB_CH}" TIMEOUT ${WB_TEST_TIMEOUT})
  if(WB_CH_MPI)
    # The program starts itself under mpirun when run without a launcher (see the chapter's code).
    _wb_mpi_env(_mpi_env)
    set_tests_properties(${WB_CH}.program.smoke ${WB_CH}.program.help ${WB_CH}.program.bad_option
                         PROPERTIES ENVIRONMENT "${_mpi_env}")
  endif()
endfunction()

# wb_mpi_program(NAME <name> SOURCES <files> [LIBS <targets>])
# Another MPI program of an MPI chapter, chNN_<name>, linked with the chapter's solutions; it has no test
# of its own (wb_mpi_test runs it).
function(wb_mpi_program)
  cmake_parse_arguments(M "" "NAME" "SOURCES;LIBS" ${ARGN})
  _wb_solution_executable(${WB_CH}_${M_NAME} SOURCES ${M_SOURCES} LIBS ${M_LIBS})
endfunction()

# wb_mpi_test(NAME <name> (RANKS <n,n,...> | MPMD) [EXPECT_FAIL <regex>] [PASS_REGEX <regex>] [TIMEOUT <s>]
#             [PYTHON_MODULE <module>] COMMAND <args...>)
# Test chNN.mpi.<name>: tools/mpi_run.py runs `mpirun -n N --oversubscribe COMMAND` for each N of RANKS,
# or with MPMD, `mpirun --oversubscribe COMMAND` once, where COMMAND holds mpirun's app contexts
# ("-n 1 prog1 : -n 2 prog2": several programs, one MPI_COMM_WORLD). Each run under TIMEOUT / #runs,
# every process of the job gone afterwards. EXPECT_FAIL: each run must end non-zero (not hang) with output
# matching the regex. PYTHON_MODULE: the test needs that module in the workbook's Python (mpi4py): without
# it the test is not added, and configure says which Debian package provides it.
function(wb_mpi_test)
  cmake_parse_arguments(T "MPMD" "NAME;RANKS;EXPECT_FAIL;PASS_REGEX;TIMEOUT;PYTHON_MODULE" "COMMAND" ${ARGN})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT ${WB_TEST_TIMEOUT})
  endif()
  if(T_PYTHON_MODULE)
    execute_process(COMMAND "${Python3_EXECUTABLE}" -c "import ${T_PYTHON_MODULE}" RESULT_VARIABLE _rc OUTPUT_QUIET ERROR_QUIET)
    if(NOT _rc EQUAL 0)
      message(STATUS "workbook: test ${WB_CH}.mpi.${T_NAME} skipped: ${Python3_EXECUTABLE} cannot import "
                     "${T_PYTHON_MODULE} (Debian: python3-${T_PYTHON_MODULE})")
      return()
    endif()
  endif()
  set(_args --mpiexec "${MPIEXEC_EXECUTABLE}")
  if(T_MPMD)
    list(APPEND _args --mpmd)
    set(_runs 1)
  else()
    list(APPEND _args --ranks ${T_RANKS})
    string(REPLACE "," ";" _r "${T_RANKS}")
    list(LENGTH _r _runs)
  endif()
  math(EXPR _per_run "${T_TIMEOUT} / ${_runs} - 2")
  list(APPEND _args --timeout ${_per_run})
  if(T_EXPECT_FAIL)
    list(APPEND _args --expect-fail "${T_EXPECT_FAIL}")
  endif()
  set(_name ${WB_CH}.mpi.${T_NAME})
  add_test(NAME ${_name} COMMAND "${Python3_EXECUTABLE}" "${WB_ROOT}/tools/mpi_run.py" ${_args} -- ${T_COMMAND})
  _wb_mpi_env(_env)
  set_tests_properties(${_name} PROPERTIES LABELS "program;${WB_CH}" TIMEOUT ${T_TIMEOUT} ENVIRONMENT "${_env}")
  if(T_PASS_REGEX)
    set_tests_properties(${_name} PROPERTIES PASS_REGULAR_EXPRESSION "${T_PASS_REGEX}")
  endif()
endfunction()

# wb_race_demo(NAME <name> SOURCES <files> [ARGS <args...>] [LIBS <targets>])
# A program that is meant to contain a data race (chNN_<name>). Normal builds run it once as a smoke
# test; ThreadSanitizer builds (preset tsan) expect TSan to report the race: the test passes only then.
function(wb_race_demo)
  cmake_parse_arguments(R "" "NAME" "SOURCES;ARGS;LIBS" ${ARGN})
  set(_t ${WB_CH}_${R_NAME})
  _wb_solution_executable(${_t} SOURCES ${R_SOURCES} LIBS ${R_LIBS})
  add_test(NAME ${WB_CH}.race_demo.${R_NAME} COMMAND ${_t} ${R_ARGS})
  set_tests_properties(${WB_CH}.race_demo.${R_NAME} PROPERTIES LABELS "race-demo;${WB_CH}" TIMEOUT ${WB_TEST_TIMEOUT})
  if(WB_SANITIZE STREQUAL "thread")
    set_tests_properties(${WB_CH}.race_demo.${R_NAME} PROPERTIES
      PASS_REGULAR_EXPRESSION "WARNING: ThreadSanitizer: data race"
      ENVIRONMENT "TSAN_OPTIONS=ignore_noninstrumented_modules=1")
  endif()
endfunction()

# wb_benchmark(SOURCES <files> [LIBS <targets>])
# Google Benchmark binary chNN_bench (main and machine stamp from wb_bench_main),
# a smoke test with a tiny --benchmark_min_time, and target chNN_bench_json that writes
# results/chNN.json in the build folder.
function(wb_benchmark)
  cmake_parse_arguments(B "" "" "SOURCES;LIBS" ${ARGN})
  set(_t ${WB_CH}_bench)
  _wb_solution_executable(${_t} SOURCES ${B_SOURCES} LIBS ${B_LIBS} wb_bench_main benchmark::benchmark)
  add_test(NAME ${WB_CH}.bench.smoke COMMAND ${_t} --benchmark_min_time=0.001 --wb_smoke)
  set_tests_properties(${WB_CH}.bench.smoke PROPERTIES LABELS "bench;${WB_CH}" TIMEOUT 300)
  if(WB_CH_MPI)
    _wb_mpi_env(_mpi_env)
    set_tests_properties(${WB_CH}.bench.smoke PROPERTIES ENVIRONMENT "${_mpi_env}")
  endif()
  set(_json "${CMAKE_BINARY_DIR}/results/${WB_CH_DIR_NAME}.json")
  _wb_python_bench(_py_cmd _py_deps)
  add_custom_target(${WB_CH}_bench_json
    COMMAND ${CMAKE_COMMAND} -E make_directory "${CMAKE_BINARY_DIR}/results"
    COMMAND $<TARGET_FILE:${_t}> --benchmark_min_time=${WB_BENCH_MIN_TIME}
            --benchmark_out=${_json} --benchmark_out_format=json
    ${_py_cmd}
    DEPENDS ${_t} ${_py_deps} USES_TERMINAL
    COMMENT "Benchmarks of chapter ${WB_CH_NN} -> ${_json}")
endfunction()

# wb_perf(SOURCES <perf.cpp>)
# chNN_perf: the learner's exercises and the reference solutions in one process, each
# perf.cpp compiled once per side (its functions land in namespace exercise / solution),
# timed alternately by common/src/perf_main.cpp. Used by `./wb grade`.
function(wb_perf)
  cmake_parse_arguments(PF "" "" "SOURCES;LIBS" ${ARGN})
  set(_t ${WB_CH}_perf)
  add_executable(${_t} "${WB_ROOT}/common/src/perf_main.cpp")
  wb_flags(${_t} AUTHORED)
  target_link_libraries(${_t} PRIVATE wb_common Threads::Threads OpenMP::OpenMP_CXX)
  foreach(side exercise solution)
    add_library(${_t}_${side} OBJECT ${PF_SOURCES})
    wb_flags(${_t}_${side} AUTHORED)
    target_compile_definitions(${_t}_${side} PRIVATE WB_IMPL=${side} WB_PERF_SIDE=${side})
    string(TOUPPER "${side}" _S)
    get_property(_libs DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" PROPERTY WB_${_S}_LIBS)
    target_link_libraries(${_t}_${side} PRIVATE ${WB_CH}_interface ${PF_LIBS})
    target_sources(${_t} PRIVATE $<TARGET_OBJECTS:${_t}_${side}>)
    target_link_libraries(${_t} PRIVATE ${_libs})
  endforeach()
  target_link_libraries(${_t} PRIVATE ${PF_LIBS})
  add_dependencies(${WB_CH} ${_t})
  add_dependencies(${WB_CH}_exercises ${_t})
  cmake_path(RELATIVE_PATH CMAKE_CURRENT_BINARY_DIR BASE_DIRECTORY "${CMAKE_BINARY_DIR}" OUTPUT_VARIABLE _rel)
  set_property(GLOBAL PROPERTY WB_CH${WB_CH_NN}_PERF "${_rel}/${_t}")

  # A speed report per wrong answer that only a speed FAIL rejects: the learner's side is the solutions
  # (the check-solutions presets) with that one exercise replaced by the wrong answer.
  get_property(_speed_wrong DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" PROPERTY WB_WRONG_SPEED)
  get_property(_ex_libs DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" PROPERTY WB_EXERCISE_LIBS)
  get_property(_sol_libs DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" PROPERTY WB_SOLUTION_LIBS)
  foreach(_w IN LISTS _speed_wrong)
    string(REPLACE ":" ";" _w "${_w}")
    list(GET _w 0 _name)
    list(GET _w 1 _slug)
    list(GET _w 2 _wlib)
    set(_wt ${_t}_wrong_${_name}_${_slug})
    add_executable(${_wt} EXCLUDE_FROM_ALL "${WB_ROOT}/common/src/perf_main.cpp"
                   $<TARGET_OBJECTS:${_t}_exercise> $<TARGET_OBJECTS:${_t}_solution>)
    wb_flags(${_wt} AUTHORED)
    list(TRANSFORM _ex_libs REPLACE "^${WB_CH}_${_name}_exercise$" "${_wlib}" OUTPUT_VARIABLE _libs)
    target_link_libraries(${_wt} PRIVATE wb_common ${_libs} ${_sol_libs} ${PF_LIBS} Threads::Threads OpenMP::OpenMP_CXX)
    add_dependencies(${WB_CH}_wrong ${_wt})
    set_property(GLOBAL APPEND PROPERTY WB_CH${WB_CH_NN}_PERF_WRONG "${_name}.${_slug}=${_rel}/${_wt}")
  endforeach()
endfunction()

# ---------------------------------------------------------------------------
# Python: the module wb_kernels, the Python benchmarks beside the C++ ones, pybind11 exercises
# ---------------------------------------------------------------------------
# wb_python(): called once at the top level, before the chapters. With Debian's pybind11-dev and a
# build without sanitizers (an instrumented module would need the sanitizer runtime preloaded into
# Python), builds the module wb_kernels (chapters/10_from_python/module/, the reference kernels of
# chapters 02-07) into <build>/python/, whatever WB_CHAPTERS says: the Python benchmarks of every
# chapter check their results against it and take the C++ benchmarks' inputs from it.
# WB_PYTHON_MODULES is ON when pybind11 modules are built; WB_PYTHON_WHY_NOT says why not.
set(WB_PYTHON_DIR "${CMAKE_BINARY_DIR}/python")
function(wb_python)
  # The headers of the kernels wb_kernels exposes, for it and for chapter 10's C++ side (LIBS wb_kernel_headers).
  add_library(wb_kernel_headers INTERFACE)
  foreach(_ch 02_process_pools 04_race_conditions 05_parallel_loops 10_from_python)
    target_include_directories(wb_kernel_headers INTERFACE "${WB_ROOT}/chapters/${_ch}/include")
  endforeach()
  set(_why "")
  if(WB_SANITIZE)
    set(_why "a sanitizer build (WB_SANITIZE=${WB_SANITIZE}): Python modules are not built")
  elseif(NOT Python3_Development.Module_FOUND)
    set(_why "Python's headers not found (Debian: python3-dev)")
  elseif(NOT pybind11_FOUND)
    set(_why "pybind11 not found (Debian: pybind11-dev)")
  endif()
  if(_why)
    message(STATUS "workbook: ${_why}; the Python rows are not checked against C++ and chapter 10's module is skipped")
    set_property(GLOBAL PROPERTY WB_PYTHON_MODULES OFF)
    set_property(GLOBAL PROPERTY WB_PYTHON_WHY_NOT "${_why}")
    return()
  endif()
  set_property(GLOBAL PROPERTY WB_PYTHON_MODULES ON)
  file(MAKE_DIRECTORY "${WB_PYTHON_DIR}")
  _wb_python_module(wb_kernels "${WB_PYTHON_DIR}" AUTHORED "${WB_ROOT}/chapters/10_from_python/module/wb_kernels.cpp")
  target_link_libraries(wb_kernels PRIVATE wb_kernel_headers)
  # Chapters 06 and 07's kernels are not header-only: their reference solutions and ISA-dispatched files,
  # compiled here as those chapters compile them (x86-64 baseline, *_avx2.cpp / *_avx512.cpp with their
  # flags, no -march=native), position-independent for the module, whatever WB_CHAPTERS says.
  set(_c6 "${WB_ROOT}/chapters/06_simd")
  set(_c7 "${WB_ROOT}/chapters/07_memory_hierarchy")
  set(_s "${WB_ROOT}/solutions")
  add_library(wb_kernels_simd STATIC
              ${_c6}/ways.cpp ${_c6}/ways_avx2.cpp ${_c6}/ways_avx512.cpp
              ${_s}/06_simd/moving_mean.cpp ${_s}/06_simd/mandelbrot.cpp ${_s}/06_simd/nbody.cpp
              ${_c7}/memory.cpp ${_c7}/memory_avx2.cpp ${_c7}/memory_avx512.cpp
              ${_c7}/transpose_simd_avx2.cpp ${_c7}/transpose_simd_avx512.cpp
              ${_s}/07_memory_hierarchy/transpose_tiled.cpp ${_s}/07_memory_hierarchy/blur_separable.cpp
              ${_s}/07_memory_hierarchy/matmul_blocked.cpp ${_s}/07_memory_hierarchy/matmul_blocked_avx2.cpp
              ${_s}/07_memory_hierarchy/matmul_blocked_avx512.cpp)
  set(WB_CH_ISA_DISPATCH ON)  # this function's scope only: wb_flags then leaves out -march=native
  wb_flags(wb_kernels_simd AUTHORED)
  set_target_properties(wb_kernels_simd PROPERTIES POSITION_INDEPENDENT_CODE ON)
  target_include_directories(wb_kernels_simd PUBLIC ${_c6}/include ${_c6} ${_c7}/include ${_c7})
  target_link_libraries(wb_kernels_simd PUBLIC wb_common OpenMP::OpenMP_CXX Threads::Threads)
  target_link_libraries(wb_kernels PRIVATE wb_kernels_simd)
  message(STATUS "workbook: pybind11 ${pybind11_VERSION}: module wb_kernels -> ${WB_PYTHON_DIR}")
endfunction()

# _wb_python_module(<target> <output dir> <AUTHORED|LEARNER> <sources...>): a pybind11 module built with
# the workbook's flags into <output dir>. The module's import name is the one its PYBIND11_MODULE gives,
# so the output file is named after that (OUTPUT_NAME), whatever the target is called.
function(_wb_python_module target outdir kind)
  cmake_parse_arguments(M "" "MODULE_NAME" "" ${ARGN})
  pybind11_add_module(${target} MODULE NO_EXTRAS ${M_UNPARSED_ARGUMENTS})
  wb_flags(${target} ${kind})
  target_link_libraries(${target} PRIVATE wb_common OpenMP::OpenMP_CXX Threads::Threads)
  set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${outdir}")
  if(M_MODULE_NAME)
    set_target_properties(${target} PROPERTIES OUTPUT_NAME "${M_MODULE_NAME}")
  endif()
endfunction()

# The command that runs Python with the workbook's package (python/wbpy) and modules on its path.
function(_wb_python_command out)
  set(${out} ${CMAKE_COMMAND} -E env "PYTHONPATH=${WB_PYTHON_DIR}:${WB_ROOT}/python" PYTHONDONTWRITEBYTECODE=1
             "${Python3_EXECUTABLE}" PARENT_SCOPE)
endfunction()

# _wb_python_bench(<commands-out> <deps-out>): called by wb_benchmark. When python/wbpy/ch<NN>.py exists,
# the chapter's Python kernels (NumPy, Numba, multiprocessing) run in chNN_bench_json right after its C++
# benchmarks (one after the other, never beside them), at the same sizes and on the same inputs, each
# checked against the C++ result, into results/<NN_slug>.python.json (Google Benchmark's JSON form;
# tools/results_to_docs.py adds the rows to the chapter's page). Also a smoke test (label python).
# A new chapter's Python side is one file, python/wbpy/chNN.py: nothing to add here or in the chapter.
function(_wb_python_bench cmd_out deps_out)
  set(${cmd_out} "" PARENT_SCOPE)
  set(${deps_out} "" PARENT_SCOPE)
  if(NOT EXISTS "${WB_ROOT}/python/wbpy/ch${WB_CH_NN}.py")
    return()
  endif()
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${WB_ROOT}/python/wbpy/ch${WB_CH_NN}.py")
  _wb_python_command(_py)
  set(_pyjson "${CMAKE_BINARY_DIR}/results/${WB_CH_DIR_NAME}.python.json")
  get_property(_mods GLOBAL PROPERTY WB_PYTHON_MODULES)
  get_property(_why GLOBAL PROPERTY WB_PYTHON_WHY_NOT)
  if(_mods)
    set(${deps_out} wb_kernels PARENT_SCOPE)
    add_dependencies(${WB_CH} wb_kernels)
  endif()
  set(${cmd_out} COMMAND ${_py} -m wbpy.run ${WB_CH_NN} --min-time ${WB_BENCH_MIN_TIME} --out "${_pyjson}"
                 "--no-module-because=${_why}" PARENT_SCOPE)
  add_test(NAME ${WB_CH}.python.smoke COMMAND ${_py} -m wbpy.run ${WB_CH_NN} --quick --strict "--no-module-because=${_why}")
  set_tests_properties(${WB_CH}.python.smoke PROPERTIES LABELS "bench;python;${WB_CH}" TIMEOUT 300)
endfunction()

# wb_py_exercise(<number> NAME <name> SOURCES <file.cpp> [TIMEOUT <s>])
# An exercise whose learner's file is a pybind11 module (chapter 10): exercises/NN_slug/<file.cpp> and
# solutions/NN_slug/<file.cpp> each become the module <name> (their PYBIND11_MODULE must use that name),
# built into <build>/.../py/<side>/, and tests/NN_slug/test_<name>.py is run on each by pytest (through
# ctest, tests chNN.<name>.exercise and chNN.<name>.solution) with that folder first on PYTHONPATH.
# Wrong answers (WB_WRONG_ANSWERS) work as for wb_exercise: each diff is applied to the solution, built as
# the module in its own folder, and its pytest run must fail. The manifest entry has the same shape.
function(wb_py_exercise number)
  cmake_parse_arguments(EX "" "NAME;TIMEOUT" "SOURCES" ${ARGN})
  if(NOT EX_TIMEOUT)
    set(EX_TIMEOUT ${WB_TEST_TIMEOUT})
  endif()
  get_property(_mods GLOBAL PROPERTY WB_PYTHON_MODULES)
  if(NOT _mods)
    get_property(_why GLOBAL PROPERTY WB_PYTHON_WHY_NOT)
    message(STATUS "${WB_CH_DIR_NAME}: exercise ${EX_NAME} skipped: ${_why}")
    return()
  endif()
  set(_id "${WB_CH_NN}.${number}")
  list(GET EX_SOURCES 0 _src0)
  set(_test_src "${WB_CH_TEST_DIR}/test_${EX_NAME}.py")
  # _wb_py_exercise_side(<side label> <kind> <source> <target> <test name> <labels>)
  macro(_wb_py_side label kind src target test labels)
    set(_out "${CMAKE_CURRENT_BINARY_DIR}/py/${label}")
    _wb_python_module(${target} "${_out}" ${kind} "${src}" MODULE_NAME ${EX_NAME})
    target_link_libraries(${target} PRIVATE ${WB_CH}_interface)
    target_compile_definitions(${target} PRIVATE WB_IMPL=${side_impl})
    add_test(NAME ${test} COMMAND ${CMAKE_COMMAND} -E env "PYTHONPATH=${_out}:${WB_PYTHON_DIR}:${WB_ROOT}/python"
             PYTHONDONTWRITEBYTECODE=1 "${Python3_EXECUTABLE}" -m pytest -q -p no:cacheprovider "${_test_src}")
    set_tests_properties(${test} PROPERTIES LABELS "${labels}" TIMEOUT ${EX_TIMEOUT} ENVIRONMENT "WB_EXERCISE_ID=${_id}")
  endmacro()
  foreach(side exercise solution)
    set(side_impl ${side})
    if(side STREQUAL "exercise")
      set(_src "${WB_CH_EXERCISE_DIR}/${_src0}")
      if(NOT EXISTS "${_src}")
        set(_src "${WB_ROOT}/exercises/${WB_CH_DIR_NAME}/${_src0}")
      endif()
      _wb_py_side(${side} LEARNER "${_src}" ${WB_CH}_${EX_NAME}_${side} ${WB_CH}.${EX_NAME}.${side} "${side};python;${WB_CH}")
      add_dependencies(${WB_CH}_exercises ${WB_CH}_${EX_NAME}_${side})
    else()
      _wb_py_side(${side} AUTHORED "${WB_CH_SOLUTION_DIR}/${_src0}" ${WB_CH}_${EX_NAME}_${side} ${WB_CH}.${EX_NAME}.${side} "${side};python;${WB_CH}")
    endif()
    add_dependencies(${WB_CH} ${WB_CH}_${EX_NAME}_${side})
  endforeach()
  set(_wrong_json "[]")
  if(WB_WRONG_ANSWERS)
    file(GLOB _diffs CONFIGURE_DEPENDS "${WB_CH_TEST_DIR}/wrong/${EX_NAME}.*.diff")
    list(SORT _diffs)
    set(_w 0)
    set(side_impl exercise)
    foreach(_diff IN LISTS _diffs)
      get_filename_component(_fn "${_diff}" NAME)
      string(REGEX REPLACE "^${EX_NAME}\\.(.+)\\.diff$" "\\1" _slug "${_fn}")
      set(_wsrc "${CMAKE_CURRENT_BINARY_DIR}/wrong/${EX_NAME}.${_slug}/${_src0}")
      _wb_wrong_answer("${_diff}" ${_slug} "${_src0}" "${_wsrc}" ${WB_CH}_${EX_NAME}_wrong_${_slug} _entry _by)
      if(_by)
        _wb_py_side(wrong_${_slug} LEARNER "${_wsrc}" ${WB_CH}_${EX_NAME}_wrong_${_slug}
                    ${WB_CH}.${EX_NAME}.wrong.${_slug} "wrong;python;${WB_CH}")
        set_target_properties(${WB_CH}_${EX_NAME}_wrong_${_slug} PROPERTIES EXCLUDE_FROM_ALL ON)
        add_dependencies(${WB_CH}_wrong ${WB_CH}_${EX_NAME}_wrong_${_slug})
      endif()
      string(JSON _wrong_json SET "${_wrong_json}" ${_w} "${_entry}")
      math(EXPR _w "${_w} + 1")
    endforeach()
  endif()
  set(_ex "{}")
  string(JSON _ex SET "${_ex}" number "\"${number}\"")
  string(JSON _ex SET "${_ex}" name "\"${EX_NAME}\"")
  _wb_json_strings(_arr ${EX_SOURCES})
  string(JSON _ex SET "${_ex}" sources "${_arr}")
  string(JSON _ex SET "${_ex}" depends "[]")
  string(JSON _ex SET "${_ex}" race false)
  string(JSON _ex SET "${_ex}" racy_stub false)
  string(JSON _ex SET "${_ex}" python true)
  string(JSON _ex SET "${_ex}" test "\"${WB_CH}.${EX_NAME}.exercise\"")
  string(JSON _ex SET "${_ex}" test_target "\"${WB_CH}_${EX_NAME}_exercise\"")
  string(JSON _ex SET "${_ex}" wrong "${_wrong_json}")
  set_property(GLOBAL APPEND PROPERTY WB_CH${WB_CH_NN}_EXERCISES_JSON "${_ex}")
endfunction()

# wb_pytest(NAME <name> TEST <file.py> [TIMEOUT <s>]): a pytest file of the chapter's tests folder run by
# ctest (test chNN.<name>.pytest, labels python and chNN) with the workbook's modules on PYTHONPATH.
function(wb_pytest)
  cmake_parse_arguments(T "" "NAME;TEST;TIMEOUT" "" ${ARGN})
  get_property(_mods GLOBAL PROPERTY WB_PYTHON_MODULES)
  if(NOT _mods)
    return()
  endif()
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT ${WB_TEST_TIMEOUT})
  endif()
  _wb_python_command(_py)
  add_test(NAME ${WB_CH}.${T_NAME}.pytest COMMAND ${_py} -m pytest -q -p no:cacheprovider "${WB_CH_TEST_DIR}/${T_TEST}")
  set_tests_properties(${WB_CH}.${T_NAME}.pytest PROPERTIES LABELS "python;${WB_CH}" TIMEOUT ${T_TIMEOUT})
  add_dependencies(${WB_CH} wb_kernels)
endfunction()

# wb_python_program(SCRIPT <file.py> [SMOKE_ARGS <args...>]): the chapter's program written in Python
# (chapter 10). A launcher chNN_program in the build folder runs Debian's python on the script with the
# workbook's modules on PYTHONPATH, so `./wb run NN` works as for a C++ program; the same three tests
# (smoke, --help, a bad option exits 2). Target chNN_program builds what the script imports.
function(wb_python_program)
  cmake_parse_arguments(P "" "SCRIPT" "SMOKE_ARGS" ${ARGN})
  set(_t ${WB_CH}_program)
  get_property(_mods GLOBAL PROPERTY WB_PYTHON_MODULES)
  add_custom_target(${_t})
  if(_mods)
    add_dependencies(${_t} wb_kernels)
  endif()
  add_dependencies(${WB_CH} ${_t})
  set(_launcher "${CMAKE_CURRENT_BINARY_DIR}/${_t}")
  set(_py "${Python3_EXECUTABLE}")
  set(_script "${CMAKE_CURRENT_SOURCE_DIR}/${P_SCRIPT}")
  set(_path "${WB_PYTHON_DIR}:${WB_ROOT}/python")
  file(CONFIGURE OUTPUT "${_launcher}" @ONLY CONTENT [=[#!/bin/sh
# @WB_CH@'s program (Python), generated by wb_python_program in cmake/workbook.cmake
PYTHONPATH='@_path@' PYTHONDONTWRITEBYTECODE=1 exec '@_py@' '@_script@' "$@"
]=])
  file(CHMOD "${_launcher}" PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
  # ./wb run NN --mine: the same script on the learner's modules (py/exercise, from wb_py_exercise).
  add_custom_target(${_t}_mine)
  if(TARGET ${WB_CH}_exercises)
    add_dependencies(${_t}_mine ${_t} ${WB_CH}_exercises)
  endif()
  set(_path "${CMAKE_CURRENT_BINARY_DIR}/py/exercise:${_path}")
  file(CONFIGURE OUTPUT "${_launcher}_mine" @ONLY CONTENT [=[#!/bin/sh
# @WB_CH@'s program (Python) on the learner's exercises, generated by wb_python_program
WB_PROGRAM_ON_EXERCISES=1 PYTHONPATH='@_path@' PYTHONDONTWRITEBYTECODE=1 exec '@_py@' '@_script@' "$@"
]=])
  file(CHMOD "${_launcher}_mine" PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
  cmake_path(RELATIVE_PATH CMAKE_CURRENT_BINARY_DIR BASE_DIRECTORY "${CMAKE_BINARY_DIR}" OUTPUT_VARIABLE _rel)
  set_property(GLOBAL PROPERTY WB_CH${WB_CH_NN}_PROGRAM "${_rel}/${_t}")
  if(_mods)
    add_test(NAME ${WB_CH}.program.smoke COMMAND "${_launcher}" ${P_SMOKE_ARGS})
  else()
    # The program needs the module: without it (a sanitizer build, no pybind11) the run is Skipped, with why.
    get_property(_why GLOBAL PROPERTY WB_PYTHON_WHY_NOT)
    add_test(NAME ${WB_CH}.program.smoke COMMAND "${_py}" -c "print('skipped: ${_why}'); raise SystemExit(77)")
    set_tests_properties(${WB_CH}.program.smoke PROPERTIES SKIP_RETURN_CODE 77)
  endif()
  add_test(NAME ${WB_CH}.program.help COMMAND ${CMAKE_COMMAND} -DPROG=${_launcher} -DARGS=--help
           -DEXPECT=0 -DMATCH=usage -P "${WB_ROOT}/cmake/expect_exit.cmake")
  add_test(NAME ${WB_CH}.program.bad_option COMMAND ${CMAKE_COMMAND} -DPROG=${_launcher}
           -DARGS=--no-such-option -DEXPECT=2 -P "${WB_ROOT}/cmake/expect_exit.cmake")
  set_tests_properties(${WB_CH}.program.smoke ${WB_CH}.program.help ${WB_CH}.program.bad_option
                       PROPERTIES LABELS "program;${WB_CH}" TIMEOUT ${WB_TEST_TIMEOUT})
endfunction()
