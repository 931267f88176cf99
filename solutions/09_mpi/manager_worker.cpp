// EXERCISE 09.4 Goal: share the rows of chapter 05's lopsided Mandelbrot frame among ranks the way a
// cluster job must when some nodes are slower than others: a manager hands out one row at a time to
// whichever worker is free, instead of a fixed block per rank.
//
// What the grade checks: under mpirun with 1, 2 and 4 ranks, rank 0 assembles the image of the serial
// loop (exactly: same integer escape times), owner[] names the rank that computed each row (a worker
// when there are workers), the job ends (every worker is told to stop; a hang fails), and with one worker
// slowed down 60 ms per row the others take over its share: it computes at most half of an equal block.
// Read first: chapters/09_mpi/README.md, section "Manager and workers".
// Stuck? `./wb hint 09.4` shows a hint, one stage per call.
#include "ch09/manager_worker.hpp"

#include <algorithm>
#include <stdexcept>
#include <vector>

#include "ch09/mpi_util.hpp"

namespace ch09 {
WB_IMPL_BEGIN

namespace {
constexpr int kWork = 1, kResult = 2, kStop = 3;
}

void mandelbrot_manager_worker(MPI_Comm comm, const ch05::Frame& f, std::span<int> out, std::span<int> owner,
                               const std::function<void(int row)>& before_row) {
    const int rank = rank_of(comm), size = size_of(comm);
    const std::size_t width = static_cast<std::size_t>(f.width);
    if (rank == 0) {
        if (out.size() != ch05::pixels(f) || owner.size() != static_cast<std::size_t>(f.height))
            throw std::invalid_argument("mandelbrot_manager_worker: out or owner has the wrong size");
        if (size == 1) {
            for (int row = 0; row < f.height; ++row) {
                if (before_row) before_row(row);
                ch05::mandelbrot_row(f, row, out);
                owner[static_cast<std::size_t>(row)] = 0;
            }
            return;
        }
        // A result message: the row number, then the row's escape times.
        std::vector<int> msg(width + 1);
        int next = 0, busy = 0;
        for (int w = 1; w < size; ++w) {
            if (next < f.height) {
                MPI_Send(&next, 1, MPI_INT, w, kWork, comm);
                ++next;
                ++busy;
            } else {
                MPI_Send(nullptr, 0, MPI_INT, w, kStop, comm);
            }
        }
        while (busy > 0) {
            MPI_Status st;
            MPI_Recv(msg.data(), static_cast<int>(msg.size()), MPI_INT, MPI_ANY_SOURCE, kResult, comm, &st);
            const int row = msg[0];
            std::copy(msg.begin() + 1, msg.end(), out.begin() + static_cast<std::ptrdiff_t>(row * width));
            owner[static_cast<std::size_t>(row)] = st.MPI_SOURCE;
            // The worker that just answered is free: give it the next row, or tell it to stop.
            if (next < f.height) {
                MPI_Send(&next, 1, MPI_INT, st.MPI_SOURCE, kWork, comm);
                ++next;
            } else {
                MPI_Send(nullptr, 0, MPI_INT, st.MPI_SOURCE, kStop, comm);
                --busy;
            }
        }
        return;
    }
    std::vector<int> msg(width + 1);
    while (true) {
        int row = 0;
        MPI_Status st;
        MPI_Recv(&row, 1, MPI_INT, 0, MPI_ANY_TAG, comm, &st);
        if (st.MPI_TAG == kStop) return;
        if (before_row) before_row(row);
        mandelbrot_row_into(f, row, std::span<int>(msg).subspan(1));
        msg[0] = row;
        MPI_Send(msg.data(), static_cast<int>(msg.size()), MPI_INT, 0, kResult, comm);
    }
}

WB_IMPL_END
}  // namespace ch09
