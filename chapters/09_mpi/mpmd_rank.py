#!/usr/bin/python3
"""Rank 0 of an MPI job shared with C++ ranks (ch09_mpmd_worker): mpi4py and C++ in one MPI_COMM_WORLD.

    mpirun -n 1 /usr/bin/python3 chapters/09_mpi/mpmd_rank.py : -n 2 build/default/chapters/09_mpi/ch09_mpmd_worker

Broadcasts the number of intervals, integrates its own share of pi with NumPy (the same midpoint rule and
block split as ch09::pi_partial and ch09::block_range), reduces the shares to itself, gathers which
language each rank runs, and checks the result. Prints "MPMD OK" and exits 0 on success; on failure it
ends the whole job with comm.Abort(1), so that no C++ rank waits for ever.
"""
import sys

import numpy as np
from mpi4py import MPI

comm = MPI.COMM_WORLD
rank, size = comm.Get_rank(), comm.Get_size()


def block_range(n: int, r: int, ranks: int) -> tuple[int, int]:
    base, extra = divmod(n, ranks)
    begin = r * base + min(r, extra)
    return begin, begin + base + (1 if r < extra else 0)


def fail(why: str) -> None:
    print(f"Python rank {rank}: FAILED: {why}", flush=True)
    comm.Abort(1)


if rank != 0:
    fail("this script is rank 0; start it first on the mpirun line")

# Upper-case mpi4py calls move buffers (here NumPy arrays), exactly the bytes a C++ rank sends or expects.
intervals = np.array([3_000_000], dtype=np.int64)
comm.Bcast(intervals, root=0)
n = int(intervals[0])
begin, end = block_range(n, rank, size)
h = 1.0 / n
x = (np.arange(begin, end, dtype=np.float64) + 0.5) * h
mine = np.array([np.sum(4.0 / (1.0 + x * x)) * h])
total = np.zeros(1)
comm.Reduce(mine, total, op=MPI.SUM, root=0)
languages = np.zeros(size, dtype=np.int32)
comm.Gather(np.array([1], dtype=np.int32), languages, root=0)

names = {1: "Python", 2: "C++"}
for r, code in enumerate(languages):
    print(f"rank {r}: {names.get(int(code), '?')}", flush=True)
print(f"pi from {size} ranks = {total[0]:.15f} (error {total[0] - np.pi:.2e})", flush=True)
if size < 2 or not all(int(c) == 2 for c in languages[1:]):
    fail("expected C++ ranks 1 .. size-1")
if abs(total[0] - np.pi) > 1e-10:
    fail(f"pi is off by {total[0] - np.pi:.3e}")
print("MPMD OK: one Python rank (mpi4py) and C++ ranks in one MPI_COMM_WORLD", flush=True)
sys.exit(0)
