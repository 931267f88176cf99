#!/usr/bin/env bash
# tools/device_run.sh: the reference run on a machine with an NVIDIA GPU (the device tool's H200 with 16
# cores). Builds Release with CUDA for sm_90 (H100/H200) and sm_80, runs chapter 08's tests and
# benchmarks, then every other chapter's CPU benchmarks, and writes everything under $OUT:
#   $OUT/device_run.log          what ran, with timings, and what was skipped and why
#   $OUT/gpu.txt                 nvidia-smi's view of the GPU (when nvidia-smi exists)
#   $OUT/ch08_tests.txt          ctest of chapter 08 (the device test must say Passed, not Skipped)
#   $OUT/ch08_program.txt        the chapter program's full output (predictions beside measurements)
#   $OUT/results/<NN_slug>.json  Google Benchmark JSON per chapter, stamped by the benchmark main
# The whole run stops starting new work after DEADLINE seconds (default 510: the device tool allows 600
# per command), so it always leaves its results behind.
#
#   OUT=/tmp/out tools/device_run.sh             the real run
#   OUT=/tmp/out tools/device_run.sh --dry       a check on any machine: chapter 08 and chapter 00 only,
#                                                 tiny benchmark times, CUDA rows skip without a GPU
set -uo pipefail

dry=0
for a in "$@"; do
  case "$a" in
    --dry) dry=1 ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "device_run: unknown option '$a'" >&2; exit 2 ;;
  esac
done

root="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${OUT:-$root/build/device-out}"
mkdir -p "$OUT/results"
log="$OUT/device_run.log"
: > "$log"
start=$(date +%s)
DEADLINE="${DEADLINE:-510}"
say() { echo "[$(( $(date +%s) - start ))s] $*" | tee -a "$log"; }
left() { echo $(( DEADLINE - ($(date +%s) - start) )); }

cores=$(nproc)
build="$root/build/device"
min_time=0.25
chapters=""
archs="90;80"
if [ "$dry" = 1 ]; then
  build="$root/build/device-dry"
  min_time=0.01
  chapters="00;08"
  archs="80"
fi

say "device_run: $(uname -n), $cores cores, dry=$dry, out=$OUT"
if command -v nvidia-smi > /dev/null; then
  nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm,clocks.max.mem --format=csv > "$OUT/gpu.txt" 2>&1
  say "GPU: $(tail -n +2 "$OUT/gpu.txt" | head -1)"
else
  say "no nvidia-smi: the CUDA parts will report why they skip"
fi
for tool in cmake ninja g++; do
  command -v "$tool" > /dev/null || { say "MISSING: $tool (tools/setup.sh installs it)"; exit 1; }
done
nvcc=""
if [ -n "${CUDACXX:-}" ]; then nvcc="$CUDACXX"; elif command -v nvcc > /dev/null; then nvcc="$(command -v nvcc)";
elif [ -x /usr/local/cuda/bin/nvcc ]; then nvcc=/usr/local/cuda/bin/nvcc; fi
say "nvcc: ${nvcc:-none}"

export CMAKE_BUILD_PARALLEL_LEVEL="$cores"
cfg=(cmake --preset default -B "$build" "-DWB_CUDA_ARCHITECTURES=$archs" "-DWB_CHAPTERS=$chapters")
[ -n "$nvcc" ] && cfg+=("-DCMAKE_CUDA_COMPILER=$nvcc")
say "configure: ${cfg[*]}"
"${cfg[@]}" >> "$log" 2>&1 || { say "configure FAILED (see the log)"; exit 1; }

say "build chapter 08"
timeout "$(left)" cmake --build "$build" --target ch08 >> "$log" 2>&1 || say "build of ch08 FAILED or timed out"
say "chapter 08 tests"
(cd "$build" && timeout 120 ctest -L ch08 -LE "exercise|wrong" --output-on-failure > "$OUT/ch08_tests.txt" 2>&1)
say "$(grep -E 'tests passed|tests failed' "$OUT/ch08_tests.txt" | tail -1); device test: $(grep -E 'ch08.device' "$OUT/ch08_tests.txt" | tail -1 | sed 's/.*\.\.\. *//')"
prog="$build/chapters/08_gpu/ch08_program"
if [ -x "$prog" ]; then
  pargs=(); [ "$dry" = 1 ] && pargs=(--quick)
  timeout 120 "$prog" "${pargs[@]}" > "$OUT/ch08_program.txt" 2>&1; say "ch08 program: exit $?"
fi
bench() {  # bench <binary> <NN_slug>
  local t; t=$(left)
  if [ "$t" -lt 20 ]; then say "SKIPPED $2: out of time"; return; fi
  timeout "$t" "$1" "--benchmark_min_time=$min_time" "--benchmark_out=$OUT/results/$2.json" \
      --benchmark_out_format=json > "$OUT/results/$2.txt" 2>&1
  say "benchmarks $2: exit $?"
}
[ -x "$build/chapters/08_gpu/ch08_bench" ] && bench "$build/chapters/08_gpu/ch08_bench" 08_gpu

# Every other chapter's CPU benchmarks, on this machine's 16 cores: build all of them in one go, then run
# them one after the other (never two at once), oldest chapter first, while time is left.
targets=()
for d in "$root"/chapters/[0-9][0-9]_*/; do
  slug=$(basename "$d"); nn=${slug:0:2}
  [ "$nn" = 08 ] && continue
  [ -n "$chapters" ] && [[ ";$chapters;" != *";$nn;"* ]] && continue
  [ -f "$d/bench.cpp" ] && targets+=("ch${nn}_bench")
done
if [ "${#targets[@]}" -gt 0 ]; then
  say "build ${targets[*]}"
  timeout "$(left)" cmake --build "$build" --target "${targets[@]}" >> "$log" 2>&1 || say "some CPU benchmarks did not build (see the log)"
  for d in "$root"/chapters/[0-9][0-9]_*/; do
    slug=$(basename "$d"); nn=${slug:0:2}
    b="$build/chapters/$slug/ch${nn}_bench"
    [ "$nn" = 08 ] || [ ! -x "$b" ] && continue
    if [ "$nn" = 09 ]; then
      say "SKIPPED 09_mpi: its benchmarks run under mpirun (./wb bench 09)"
      continue
    fi
    bench "$b" "$slug"
  done
fi
say "done in $(( $(date +%s) - start )) s; results in $OUT/results"
