# cuda.cmake: optional GPU code (chapter 08), included by cmake/workbook.cmake.
#
#   wb_chapter(CUDA)          # in the chapter's CMakeLists.txt: its .cu and *_offload.cpp files are handled here
#   wb_library(NAME emu SOURCES emu.cpp)   # chapter code every target of the chapter links (chNN_emu)
#   wb_device_test(NAME device SOURCES test_device.cpp)   # a wb_test that exits 77 (Skipped) without a GPU
#
# CUDA. nvcc is looked for at $CUDACXX, on PATH, then at /usr/local/cuda/bin/nvcc. Where it is found (and
# the build has no sanitizer), CUDA is enabled and every .cu file of a wb_chapter(CUDA) chapter (exercise,
# solution, wrong answer, program, benchmark, library) is compiled by nvcc for WB_CUDA_ARCHITECTURES. Where
# it is not, the same .cu files are compiled as plain C++ by the C++ compiler: their code must then compile
# without __CUDACC__ (the emulator and host parts), and WB_CUDA_WHY_NOT says why, for the programs and tests
# to print. Sanitizer builds always take the second way: nvcc's objects would not be instrumented.
#
# OpenMP offload. Files named *_offload.cpp get GCC's nvptx offload flags where g++ has the offload compiler
# (Debian: gcc-12-offload-nvptx) and the build has no sanitizer; the targets that contain them link with
# the same flags. Elsewhere they are compiled as ordinary OpenMP code (target regions run on the host), and
# WB_OFFLOAD_WHY_NOT says why.
#
# Every target of such a chapter sees WB_HAVE_CUDA, WB_CUDA_WHY_NOT, WB_HAVE_OFFLOAD, WB_OFFLOAD_WHY_NOT and
# WB_CUDA_ARCHS (compile definitions through chNN_interface).

include_guard(GLOBAL)

option(WB_CUDA "Compile .cu files with nvcc when it is found (OFF: as plain C++, the emulator only)" ON)
set(WB_CUDA_ARCHITECTURES "80;90" CACHE STRING
    "GPU architectures nvcc compiles for (CMAKE_CUDA_ARCHITECTURES form; 'native' needs a GPU at configure)")
option(WB_OFFLOAD "Compile *_offload.cpp with g++'s nvptx offloading when available" ON)
set(WB_OFFLOAD_FLAGS -foffload=nvptx-none -foffload-options=nvptx-none=-misa=sm_80)

# Called from wb_find_dependencies() (a macro: enable_language must run at the top level).
macro(wb_find_cuda)
  set(WB_HAVE_CUDA OFF)
  set(WB_CUDA_WHY_NOT "")
  if(NOT WB_CUDA)
    set(WB_CUDA_WHY_NOT "built with WB_CUDA=OFF")
  elseif(WB_SANITIZE)
    set(WB_CUDA_WHY_NOT "a sanitizer build (WB_SANITIZE=${WB_SANITIZE}) compiles .cu files as plain C++")
  else()
    if(NOT CMAKE_CUDA_COMPILER AND NOT DEFINED ENV{CUDACXX})
      find_program(WB_NVCC_ON_PATH nvcc)
      if(NOT WB_NVCC_ON_PATH AND EXISTS /usr/local/cuda/bin/nvcc)
        set(ENV{CUDACXX} /usr/local/cuda/bin/nvcc)
      endif()
    endif()
    include(CheckLanguage)
    check_language(CUDA)
    if(CMAKE_CUDA_COMPILER)
      set(CMAKE_CUDA_ARCHITECTURES "${WB_CUDA_ARCHITECTURES}")
      enable_language(CUDA)
      find_package(CUDAToolkit QUIET)
      if(TARGET CUDA::cudart)
        set(WB_HAVE_CUDA ON)
      else()
        set(WB_CUDA_WHY_NOT "nvcc found at ${CMAKE_CUDA_COMPILER} but not the CUDA runtime library (cudart)")
      endif()
    else()
      set(WB_CUDA_WHY_NOT "nvcc not found (looked at $CUDACXX, on PATH and at /usr/local/cuda/bin/nvcc)")
    endif()
  endif()
  if(WB_HAVE_CUDA)
    message(STATUS "workbook: CUDA ${CMAKE_CUDA_COMPILER_VERSION} (${CMAKE_CUDA_COMPILER}), architectures ${WB_CUDA_ARCHITECTURES}")
  else()
    message(STATUS "workbook: no CUDA: ${WB_CUDA_WHY_NOT}; chapter 08 builds its kernels for the emulator only")
  endif()

  set(WB_HAVE_OFFLOAD OFF)
  set(WB_OFFLOAD_WHY_NOT "")
  if(NOT WB_OFFLOAD)
    set(WB_OFFLOAD_WHY_NOT "built with WB_OFFLOAD=OFF")
  elseif(WB_SANITIZE)
    set(WB_OFFLOAD_WHY_NOT "a sanitizer build (WB_SANITIZE=${WB_SANITIZE}) compiles no offload code")
  elseif(NOT CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    set(WB_OFFLOAD_WHY_NOT "offloading is set up for g++ only (this build uses ${CMAKE_CXX_COMPILER_ID})")
  else()
    include(CheckCXXSourceCompiles)
    set(CMAKE_REQUIRED_FLAGS "-fopenmp")
    set(CMAKE_REQUIRED_LINK_OPTIONS -fopenmp ${WB_OFFLOAD_FLAGS})
    list(JOIN WB_OFFLOAD_FLAGS " " _wb_of)
    string(APPEND CMAKE_REQUIRED_FLAGS " ${_wb_of}")
    check_cxx_source_compiles([=[
      #include <omp.h>
      int main() { int on_host = 1;
      #pragma omp target map(from: on_host)
        on_host = omp_is_initial_device();
        return on_host < 0; }]=] WB_GCC_OFFLOAD_NVPTX)
    unset(CMAKE_REQUIRED_FLAGS)
    unset(CMAKE_REQUIRED_LINK_OPTIONS)
    if(WB_GCC_OFFLOAD_NVPTX)
      set(WB_HAVE_OFFLOAD ON)
      message(STATUS "workbook: OpenMP offload to nvptx with g++ (${WB_OFFLOAD_FLAGS})")
    else()
      set(WB_OFFLOAD_WHY_NOT "g++ cannot offload to nvptx here (Debian: gcc-12-offload-nvptx)")
    endif()
  endif()
  if(NOT WB_HAVE_OFFLOAD)
    message(STATUS "workbook: no OpenMP offload: ${WB_OFFLOAD_WHY_NOT}; target regions run on the host")
  endif()
endmacro()

# Called by wb_chapter(CUDA) in the chapter's directory.
function(_wb_cuda_chapter)
  string(REPLACE ";" "," _archs "${WB_CUDA_ARCHITECTURES}")
  target_compile_definitions(${WB_CH}_interface INTERFACE
    WB_HAVE_CUDA=$<BOOL:${WB_HAVE_CUDA}> "WB_CUDA_WHY_NOT=\"${WB_CUDA_WHY_NOT}\""
    WB_HAVE_OFFLOAD=$<BOOL:${WB_HAVE_OFFLOAD}> "WB_OFFLOAD_WHY_NOT=\"${WB_OFFLOAD_WHY_NOT}\""
    "WB_CUDA_ARCHS=\"${_archs}\"")
  if(WB_HAVE_CUDA)
    target_link_libraries(${WB_CH}_interface INTERFACE CUDA::cudart)
  endif()
  # The targets are made after this call (wb_exercise, wb_program...): their .cu files are set up at the
  # end of the chapter's CMakeLists.txt.
  cmake_language(DEFER CALL _wb_cuda_finish)
endfunction()

# wb_library(NAME <name> SOURCES <files...>): chapter code compiled once into the static library
# chNN_<name>, which every target of the chapter links (through chNN_interface).
function(wb_library)
  cmake_parse_arguments(L "" "NAME" "SOURCES" ${ARGN})
  set(_t ${WB_CH}_${L_NAME})
  add_library(${_t} STATIC ${L_SOURCES})
  wb_flags(${_t} AUTHORED)
  target_include_directories(${_t} PUBLIC "${CMAKE_CURRENT_SOURCE_DIR}/include")
  get_target_property(_defs ${WB_CH}_interface INTERFACE_COMPILE_DEFINITIONS)
  target_compile_definitions(${_t} PRIVATE ${_defs})
  target_link_libraries(${_t} PUBLIC wb_common Threads::Threads OpenMP::OpenMP_CXX)
  if(WB_HAVE_CUDA)
    target_link_libraries(${_t} PUBLIC CUDA::cudart)
  endif()
  target_link_libraries(${WB_CH}_interface INTERFACE ${_t})
endfunction()

# wb_device_test(NAME <name> SOURCES <files...>): a wb_test that needs a GPU. Without one the test binary
# prints why and exits 77, which ctest reports as Skipped (label device).
function(wb_device_test)
  cmake_parse_arguments(D "" "NAME" "SOURCES" ${ARGN})
  wb_test(NAME ${D_NAME} SOURCES ${D_SOURCES})
  set_tests_properties(${WB_CH}.${D_NAME} PROPERTIES SKIP_RETURN_CODE 77 LABELS "${WB_CH};device")
endfunction()

# Deferred to the end of a wb_chapter(CUDA) chapter's CMakeLists.txt: every .cu source of its targets is
# compiled by nvcc (options meant for the C++ compiler kept away from it) or, without CUDA, as C++; every
# *_offload.cpp gets the offload flags.
function(_wb_cuda_finish)
  get_property(_targets DIRECTORY PROPERTY BUILDSYSTEM_TARGETS)
  foreach(_t IN LISTS _targets)
    get_target_property(_type ${_t} TYPE)
    if(_type STREQUAL "INTERFACE_LIBRARY" OR _type STREQUAL "UTILITY")
      continue()
    endif()
    get_target_property(_srcs ${_t} SOURCES)
    set(_has_cu OFF)
    foreach(_s IN LISTS _srcs)
      if(_s MATCHES "\\.cu$")
        set(_has_cu ON)
        if(NOT WB_HAVE_CUDA)
          set_source_files_properties("${_s}" TARGET_DIRECTORY ${_t} PROPERTIES LANGUAGE CXX)
        endif()
      elseif(_s MATCHES "_offload\\.cpp$" AND WB_HAVE_OFFLOAD)
        set_source_files_properties("${_s}" TARGET_DIRECTORY ${_t} PROPERTIES
                                    COMPILE_OPTIONS "${WB_OFFLOAD_FLAGS}" SKIP_PRECOMPILE_HEADERS ON)
        # -fopenmp at the link too: it brings in g++'s offload tables (crtoffloadbegin/end.o).
        # -no-pie: the offload table holds absolute addresses (a PIE would need text relocations, and ld warns).
        target_link_options(${_t} PUBLIC -fopenmp -no-pie ${WB_OFFLOAD_FLAGS})
      endif()
    endforeach()
    if(NOT _has_cu OR NOT WB_HAVE_CUDA)
      continue()
    endif()
    # nvcc gets none of the C++ compiler's options (-Wpedantic, -march=native, ...): wb_flags() set them
    # for every language, so each is limited to C++ here, and nvcc gets its own.
    get_target_property(_opts ${_t} COMPILE_OPTIONS)
    set(_learner OFF)
    if("-Wno-unused-parameter" IN_LIST _opts)
      set(_learner ON)   # wb_flags(... LEARNER): a learner's file, never -Werror
    endif()
    set(_cxx_only "")
    foreach(_o IN LISTS _opts)
      list(APPEND _cxx_only "$<$<COMPILE_LANGUAGE:CXX>:${_o}>")
    endforeach()
    # CMake 3.25 knows no C++20 flag for nvcc (CUDA_STANDARD 20 fails): nvcc gets -std=c++20 directly.
    set(_cuda -std=c++20 -Xcompiler=-Wall,-Wextra)
    if(_learner)
      list(APPEND _cuda -Xcompiler=-Wno-unused-parameter,-Wno-unused-variable,-Wno-unused-function,-Wno-unused-but-set-variable)
    elseif(WB_WARNINGS_AS_ERRORS)
      # nvcc's own warnings and the host compiler's warnings on our code are errors; -Wpedantic stays off
      # (nvcc's generated host code is not pedantic C++).
      list(APPEND _cuda -Werror=all-warnings -Xcompiler=-Werror)
    endif()
    list(TRANSFORM _cuda REPLACE "^(.+)$" "$<$<COMPILE_LANGUAGE:CUDA>:\\1>")
    set_target_properties(${_t} PROPERTIES COMPILE_OPTIONS "${_cxx_only};${_cuda}"
                          CUDA_ARCHITECTURES "${WB_CUDA_ARCHITECTURES}")
  endforeach()
endfunction()
