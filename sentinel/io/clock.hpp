#pragma once
// The one clock of deadlines and timeouts at the edge.

#include <cstdint>

namespace sentinel {

/// Milliseconds on CLOCK_MONOTONIC (clock_gettime(2)): never jumps with the
/// wall clock, so deadlines and "how long ago" survive a time change. Only
/// differences between two readings mean anything.
std::int64_t monotonic_ms();

}  // namespace sentinel
