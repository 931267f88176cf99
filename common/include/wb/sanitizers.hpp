// wb/sanitizers.hpp: which sanitizer the code is built with, as constants code can branch on (a racy
// demonstration shrinks its loops under ThreadSanitizer, which drops reports on very long racy loops).
#pragma once

namespace wb {

#if defined(__SANITIZE_THREAD__)
inline constexpr bool under_tsan = true;
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
inline constexpr bool under_tsan = true;
#else
inline constexpr bool under_tsan = false;
#endif
#else
inline constexpr bool under_tsan = false;
#endif

}  // namespace wb
