#!/usr/bin/env bash
# tools/setup.sh: installs what the workbook needs, from Debian/Ubuntu packages only.
# Idempotent: when everything is present it installs nothing and says so.
# Needs root, or sudo for a normal user. Called by ./wb; can be run on its own.
#
#   tools/setup.sh            what a learner needs: build, test, benchmarks, docs
#   tools/setup.sh --browser  also headless Chromium, for the docs check in a real browser
#                             (tools/check_site.py, target check_site; CI runs it). About 130 more
#                             packages, so it is not installed for learners unless asked.
set -euo pipefail

# Build: compilers, CMake, Ninja, ccache (the presets' build folders share what they compile alike).
# Libraries: OpenMP (libomp for clang), ThreadSanitizer runtime, Catch2, Google Benchmark, TBB (parallel
# algorithms); what chapters 06-07 compare with: Google Highway, Eigen, OpenBLAS. Chapter 09: OpenMPI (compiler wrappers, headers, mpirun) and mpi4py for the job that
# mixes a Python rank with C++ ranks. Python beside C++ (python/wbpy, chapter 10): Numba, pytest,
# pybind11 and Python's headers (for the module wb_kernels and chapter 10's exercises).
# Chapter 08: g++'s OpenMP offloading to NVIDIA GPUs (nvptx); CUDA itself (nvcc) is optional and not a
# Debian package here: install NVIDIA's toolkit to /usr/local/cuda to build the CUDA kernels.
# Docs: Doxygen, Graphviz, Matplotlib, NumPy.
packages=(
  g++ clang cmake ninja-build git ccache
  libomp-dev libclang-rt-dev libtbb-dev
  catch2 libbenchmark-dev
  libhwy-dev libeigen3-dev libopenblas-dev
  libopenmpi-dev openmpi-bin python3-mpi4py
  gcc-12-offload-nvptx
  doxygen graphviz python3 python3-matplotlib python3-numpy
  python3-numba python3-pytest pybind11-dev python3-dev
)

for arg in "$@"; do
  case "$arg" in
    --browser) packages+=(chromium) ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "setup: unknown option '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages already installed"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "setup: missing packages (${missing[*]}) and neither root nor sudo is available" >&2
  exit 1
fi

echo "setup: installing ${#missing[@]} missing package(s): ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq "${missing[@]}"
echo "setup: done"
