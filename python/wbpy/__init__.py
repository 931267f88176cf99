"""wbpy: the Python side of the Parallel C++ Workbook.

The kernels the chapters measure in C++, written the way a NumPy or Numba user writes them (NumPy
whole-array code; Numba @njit, parallel=True with prange, nogil functions on Python threads,
@vectorize and @guvectorize; multiprocessing.Pool and concurrent.futures; multiprocessing.shared_memory),
run at the size of the C++ benchmark they stand beside, on its inputs, and checked against its result
through the module wb_kernels (chapter 10). `python3 -m wbpy.run NN` runs chapter NN's; ./wb all does it
after the chapter's C++ benchmarks and the results pages show the rows beside the C++ ones.

One file per chapter, wbpy/chNN.py, with a function `benchmarks(bench)`; a new chapter's Python side is
one new file (CMake finds it). Runs on Debian's /usr/bin/python3 (python3-numpy, python3-numba).
"""
