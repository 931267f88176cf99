// ch07/huge_pages.hpp: exercise 07.3, a buffer whose first touch takes 2 MiB pages instead of 4 KiB ones.
#pragma once

#include <cstddef>
#include <utility>

#include "wb/exercise.hpp"

namespace ch07 {

inline constexpr std::size_t kHugePageBytes = std::size_t{2} << 20;  ///< x86-64's transparent huge page

WB_IMPL_BEGIN

/// Anonymous memory of at least `bytes` bytes (rounded up to whole 2 MiB pages) that starts on a 2 MiB
/// boundary, is advised to the kernel as huge-page memory (madvise MADV_HUGEPAGE) before any of it is
/// touched, and is then touched once (one write in every 4 KiB) so that all of it is resident when the
/// constructor returns, filled with zeros. Released by the destructor. Move-only.
class HugeBuffer {
public:
    explicit HugeBuffer(std::size_t bytes);
    ~HugeBuffer();
    HugeBuffer(HugeBuffer&& o) noexcept
        : map_(std::exchange(o.map_, nullptr)),
          map_bytes_(std::exchange(o.map_bytes_, 0)),
          data_(std::exchange(o.data_, nullptr)),
          bytes_(std::exchange(o.bytes_, 0)) {}
    HugeBuffer& operator=(HugeBuffer&& o) noexcept {
        std::swap(map_, o.map_);
        std::swap(map_bytes_, o.map_bytes_);
        std::swap(data_, o.data_);
        std::swap(bytes_, o.bytes_);
        return *this;
    }
    HugeBuffer(const HugeBuffer&) = delete;
    HugeBuffer& operator=(const HugeBuffer&) = delete;

    std::byte* data() const { return data_; }
    std::size_t size() const { return bytes_; }  ///< the usable bytes from data(): a multiple of 2 MiB

private:
    void* map_ = nullptr;        ///< what mmap returned (to give back with munmap)
    std::size_t map_bytes_ = 0;  ///< how much was mapped
    std::byte* data_ = nullptr;  ///< the first 2 MiB boundary in the mapping
    std::size_t bytes_ = 0;
};

WB_IMPL_END

}  // namespace ch07
