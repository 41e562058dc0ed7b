// Options of AddressSanitizer, LeakSanitizer and UndefinedBehaviorSanitizer,
// compiled into every binary of a SENTINEL_SANITIZE build. Being part of the
// binary, they reach every process the tests start, including those started
// with a cleared environment; ASAN_OPTIONS, LSAN_OPTIONS and UBSAN_OPTIONS
// still override them. Every report is also written to
// SENTINEL_SANITIZER_REPORTS/<tool>.<pid> (a test may swallow a child's
// stderr), and CI fails when that directory is not empty afterwards.

#ifndef SENTINEL_SANITIZER_REPORTS
#error "SENTINEL_SANITIZER_REPORTS must name the report directory"
#endif

extern "C" {

// Called by the sanitizer runtimes before main(); must not allocate.
const char* __asan_default_options() {
    return "abort_on_error=1:halt_on_error=1:detect_leaks=1:detect_stack_use_after_return=1:"
           "check_initialization_order=1:strict_init_order=1:detect_invalid_pointer_pairs=0:"
           "log_exe_name=1:log_path=" SENTINEL_SANITIZER_REPORTS "/asan";
}

const char* __lsan_default_options() {
    return "log_exe_name=1:log_path=" SENTINEL_SANITIZER_REPORTS "/lsan";
}

const char* __ubsan_default_options() {
    return "halt_on_error=1:abort_on_error=1:print_stacktrace=1:log_exe_name=1:"
           "log_path=" SENTINEL_SANITIZER_REPORTS "/ubsan";
}

}  // extern "C"
