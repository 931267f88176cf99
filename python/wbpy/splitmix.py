"""SplitMix64 (chapter 04's generator, ch04/pi_streams.hpp) in NumPy and in Numba: the same numbers as
the C++ one, bit for bit, so the Python benchmarks draw exactly the C++ benchmarks' samples.

NumPy's uint64 arithmetic wraps modulo 2^64 like C++'s (arrays never warn), so the generator
vectorizes: the k-th number of a stream is mix64(seed + k * gamma), no loop needed.
"""
from __future__ import annotations

import numpy as np

GAMMA = np.uint64(0x9E3779B97F4A7C15)
M1 = np.uint64(0xBF58476D1CE4E5B9)
M2 = np.uint64(0x94D049BB133111EB)
S30, S27, S31, S11 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(11)
TWO_M53 = 2.0 ** -53
MASK = (1 << 64) - 1
BLOCK = 1 << 16  # ch04::pi_block_samples


def mix64_int(z: int) -> int:
    """mix64 on a Python int (exact, for the block seeds)."""
    z &= MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def block_seed(seed: int, block: int) -> int:
    """ch04::block_seed: the seed of block `block` of a run seeded with `seed`."""
    return mix64_int(seed + mix64_int(block + 1))


def uniform(n: int, seed: int, start: int = 0) -> np.ndarray:
    """Numbers start .. start+n-1 of SplitMix64{seed}.uniform(), as float64."""
    k = np.arange(start + 1, start + n + 1, dtype=np.uint64)
    z = np.uint64(seed) + k * GAMMA
    z = (z ^ (z >> S30)) * M1
    z = (z ^ (z >> S27)) * M2
    z ^= z >> S31
    return (z >> S11).astype(np.float64) * TWO_M53


def hits_numpy(samples: int, seed: int) -> int:
    """Points (x, y), drawn x then y from one stream, inside the quarter circle: NumPy whole-array."""
    u = uniform(2 * samples, seed)
    x, y = u[0::2], u[1::2]
    return int(np.count_nonzero(x * x + y * y < 1.0))


def block_hits_numpy(args: tuple[int, int, int]) -> int:
    """The hits of block b of `samples` (a task for a process pool): its own stream."""
    samples, seed, b = args
    count = min(BLOCK, samples - b * BLOCK)
    return hits_numpy(count, block_seed(seed, b))


def numba_kernels(numba):
    """The Numba versions: a serial stream, and the blocks in a prange loop. Compiled on first call."""
    njit, prange = numba.njit, numba.prange

    @njit(inline="always")
    def mix64(z):
        z = (z ^ (z >> S30)) * M1
        z = (z ^ (z >> S27)) * M2
        return z ^ (z >> S31)

    @njit
    def hits_serial(samples, seed):
        state = np.uint64(seed)
        hits = 0
        for _ in range(samples):
            state += GAMMA
            x = np.float64(mix64(state) >> S11) * TWO_M53
            state += GAMMA
            y = np.float64(mix64(state) >> S11) * TWO_M53
            if x * x + y * y < 1.0:
                hits += 1
        return hits

    @njit(parallel=True)
    def hits_blocks(samples, seed):
        blocks = (samples + BLOCK - 1) // BLOCK
        hits = 0
        for b in prange(blocks):
            state = mix64(np.uint64(seed) + mix64(np.uint64(b + 1)))  # block_seed(seed, b)
            count = min(BLOCK, samples - b * BLOCK)
            h = 0
            for _ in range(count):
                state += GAMMA
                x = np.float64(mix64(state) >> S11) * TWO_M53
                state += GAMMA
                y = np.float64(mix64(state) >> S11) * TWO_M53
                if x * x + y * y < 1.0:
                    h += 1
            hits += h
        return hits

    return hits_serial, hits_blocks
