// ch01/ping_pong.hpp: exercise 01.4, the round-trip time between a parent and its child.
#pragma once

#include <cstdint>

#include "wb/exercise.hpp"

namespace ch01 {
WB_IMPL_BEGIN

struct PingPongResult {
    std::uint64_t last_reply = 0;         ///< the child's answer to the last message
    double seconds_per_round_trip = 0.0;  ///< wall time of all round trips divided by their number
};

/// Forks one child and plays `rounds` round trips with it over two pipes (one per direction): the
/// parent sends k = 0, 1, ..., rounds-1 as a std::uint64_t, the child answers 2k + 1, and the parent
/// checks every answer (std::runtime_error if one is wrong or missing) before it sends the next number.
/// Then the parent closes its sending end, the child sees end of file and ends with _exit(0), and the
/// parent reaps it.
/// Throws std::invalid_argument if rounds < 1, std::runtime_error if the child did not exit with 0.
PingPongResult ping_pong(int rounds);

WB_IMPL_END
}  // namespace ch01
