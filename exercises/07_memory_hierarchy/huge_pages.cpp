// EXERCISE 07.3 Goal: a buffer whose memory comes in 2 MiB pages: one page fault and one TLB entry per
// 2 MiB instead of per 4 KiB, which makes touching a big buffer for the first time many times cheaper.
//
// What the grade checks: data() starts on a 2 MiB boundary and size() covers the bytes asked for, in
// whole 2 MiB pages; the kernel's record of the mapping (/proc/self/smaps) shows the huge-page advice
// (flag hg) and all of it resident once the constructor returns, and, when transparent huge pages are
// not 'never' on this machine, most of it in huge pages (AnonHugePages); the memory reads as zeros and
// is writable; the destructor gives all of it back (the process's mapped memory does not grow over many
// buffers). The speed report times constructing and destroying a 64 MiB buffer against the reference.
// Read first: chapters/07_memory_hierarchy/README.md, section "Pages and the TLB".
// Stuck? `./wb hint 07.3` shows a hint, one stage per call.
#include "ch07/huge_pages.hpp"

#include <sys/mman.h>

#include <cstdint>
#include <new>

namespace ch07 {
WB_IMPL_BEGIN

HugeBuffer::HugeBuffer(std::size_t bytes) {
    // EXERCISE: bytes_ = `bytes` rounded up to whole 2 MiB pages (nothing to map when it is 0).
    WB_TODO("07.3");
    // EXERCISE: map anonymous, private, readable and writable memory with enough room for a 2 MiB
    // boundary followed by bytes_ bytes (map_, map_bytes_); a failed mapping throws std::bad_alloc.
    // EXERCISE: data_ = the first 2 MiB boundary inside the mapping.
    // EXERCISE: tell the kernel that [data_, data_ + bytes_) should get huge pages, while nothing of it
    // has been touched yet.
    // EXERCISE: touch it: one write in every 4 KiB.
}

HugeBuffer::~HugeBuffer() {
    // EXERCISE: give the whole mapping back, if there is one.
}

WB_IMPL_END
}  // namespace ch07
