// ch09_mpmd_worker: the C++ side of one MPI job shared with a Python rank (chapters/09_mpi/mpmd_rank.py,
// mpi4py). Started by one mpirun with two programs, one MPI_COMM_WORLD:
//
//   mpirun -n 1 /usr/bin/python3 chapters/09_mpi/mpmd_rank.py : -n 2 build/default/chapters/09_mpi/ch09_mpmd_worker
//
// Rank 0 (Python) broadcasts the number of intervals; every rank, Python and C++, integrates its share
// of pi (block_range, the midpoint rule) and the shares are reduced to rank 0; rank 0 gathers which
// language each rank runs. Only buffer messages cross the language boundary: mpi4py's upper-case calls
// (Bcast, Reduce, Gather on NumPy arrays) send the bytes C++ expects; its lower-case calls (bcast, reduce)
// would send pickled Python objects, which C++ cannot read.
#include <mpi.h>

#include <cstdint>
#include <cstdio>
#include <stdexcept>

#include "ch09/mpi_util.hpp"
#include "ch09/pi.hpp"
#include "mpi_demo.hpp"

int main(int argc, char** argv) {
    MPI_Init(&argc, &argv);
    const int rc = ch09::demo::run_guarded([] {
        const int rank = ch09::rank_of(MPI_COMM_WORLD), size = ch09::size_of(MPI_COMM_WORLD);
        if (rank == 0) throw std::runtime_error("rank 0 is the Python rank (mpmd_rank.py); start it first");
        //! [mpmd]
        std::int64_t intervals = 0;
        MPI_Bcast(&intervals, 1, MPI_INT64_T, 0, MPI_COMM_WORLD);           // numpy int64 from Python
        const double mine = ch09::pi_partial(ch09::block_range(intervals, rank, size), intervals);
        MPI_Reduce(&mine, nullptr, 1, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);   // float64 sum on rank 0
        const std::int32_t language = 2;                                     // 1: Python, 2: C++
        MPI_Gather(&language, 1, MPI_INT32_T, nullptr, 1, MPI_INT32_T, 0, MPI_COMM_WORLD);
        //! [mpmd]
        std::printf("C++ rank %d of %d: share %.12f of %lld intervals\n", rank, size, mine,
                    static_cast<long long>(intervals));
    });
    MPI_Finalize();
    return rc;
}
