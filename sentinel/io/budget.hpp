#pragma once
// Parsing what comes from outside (a kubeconfig through libfyaml, PostgreSQL
// service files through libpq) under a budget the parser cannot escape: a
// child process with CPU and memory limits and a deadline. A library bug
// that loops or grows without end then costs one bounded wait and gives
// "unknown: could not parse in time", instead of a `sentinel status` or
// guard that never returns and an agent that stops answering every
// terminal.

#include <cstddef>
#include <functional>
#include <string>

#include "sentinel/core/result.hpp"

namespace sentinel {

/// False in an AddressSanitizer build, whose shadow memory takes terabytes of
/// address space: RLIMIT_AS cannot be applied there (CPU and time limits
/// still are; the normal build checks the memory limit).
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kBudgetLimitsMemory = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kBudgetLimitsMemory = false;
#else
inline constexpr bool kBudgetLimitsMemory = true;
#endif
#else
inline constexpr bool kBudgetLimitsMemory = true;
#endif

/// Limits for one parse.
struct Budget {
    int cpu_seconds = 2;                 ///< RLIMIT_CPU of the child
    std::size_t memory_bytes = 512u << 20;  ///< address space the child may add (RLIMIT_AS); not applied under AddressSanitizer
    int wall_ms = 5000;                  ///< the child is killed past this
};

/// The budget for parsing `input_bytes` of text: 2 s of CPU plus 1 s per
/// 4 MiB (libfyaml parses a 10 MB kubeconfig in well under 1 s), 512 MiB of
/// memory plus 16 bytes per input byte, and a deadline of twice the CPU
/// time plus 1 s.
Budget parse_budget(std::size_t input_bytes);

/// Runs `work` in a forked child under `budget` and returns the text it
/// returned. The child gets RLIMIT_CPU, RLIMIT_AS (the parent's address
/// space plus budget.memory_bytes), no core file, and keeps only the
/// descriptor of the pipe its result travels on; it ends with _exit. Errors:
/// "could not parse in time (over N s)", "could not parse within N MiB of
/// memory", "the parser failed: <what>", "the parser crashed (signal N)",
/// "cannot start a parser: <errno text>". Call only while the process has a
/// single thread.
Result<std::string> run_in_child(const std::function<std::string()>& work, const Budget& budget);

}  // namespace sentinel
