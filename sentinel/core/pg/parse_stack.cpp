#include "sentinel/core/pg/parse_stack.hpp"

#include <pthread.h>

namespace sentinel {
namespace {

constexpr std::size_t kParseStack = 64u << 20;

// Runs `work` on a new thread with a `stack`-byte stack and waits for it.
// False when the thread cannot be created.
bool run_on_own_stack(const std::function<void()>& work, std::size_t stack) {
    pthread_attr_t attr;
    if (pthread_attr_init(&attr) != 0) return false;
    pthread_t thread;
    bool ok = pthread_attr_setstacksize(&attr, stack) == 0 &&
              pthread_create(
                  &thread, &attr,
                  [](void* arg) -> void* {
                      (*static_cast<const std::function<void()>*>(arg))();
                      return nullptr;
                  },
                  const_cast<std::function<void()>*>(&work)) == 0;
    pthread_attr_destroy(&attr);
    return ok && pthread_join(thread, nullptr) == 0;
}

}  // namespace

bool run_with_parse_stack(std::size_t nesting, const std::function<void()>& work) {
    if (nesting > kMaxSqlNesting) return false;
    bool done = false;
    for (std::size_t stack = kParseStack; stack >= kParseStack / 16 && !done; stack /= 4) {
        if (nesting * kParseStack > kMaxSqlNesting * stack) break;  // too deep for this stack
        run_on_own_stack([&] {
            work();
            done = true;
        }, stack);
    }
    return done;
}

}  // namespace sentinel
