// The forwarder parsers of the reach path on any command line (argv split at
// NUL bytes; the first string, when it holds a newline, doubles as `ssh -G`
// output and a pgbouncer ini file), and the /proc socket table parsers on
// the same bytes: no crash, no leak, no endless loop.

#include <string>

#include "sentinel/core/reach/forwarder.hpp"
#include "sentinel/core/reach/sockets.hpp"
#include "tests/fuzz/fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    std::vector<std::string> argv = sentinel::fuzz::split_nul(text);
    if (argv.size() > 256) return 0;
    // Every program the recogniser knows, with the fuzzed arguments.
    for (const char* program : {"kubectl", "ssh", "socat", "ncat", "cloud-sql-proxy", "pgbouncer", "docker-proxy",
                                "postgres", "python3"}) {
        std::vector<std::string> full = {program};
        full.insert(full.end(), argv.begin(), argv.end());
        sentinel::Forward f = sentinel::recognise(full, static_cast<int>(size % 65536), "/tmp/s.5432", "/var/pg");
        sentinel::apply_ssh_config(f, argv[0], 5432, "");
        sentinel::apply_pgbouncer_ini(f, argv[0], argv.size() > 1 ? argv[1] : "app");
        (void)sentinel::is_postgres_command(full);
    }
    (void)sentinel::recognise(argv, 0, argv[0]);
    (void)sentinel::program_of(argv);
    (void)sentinel::shell_words(text);
    (void)sentinel::parse_proc_net_tcp(text, size % 2);
    (void)sentinel::parse_proc_net_unix(text);
    return 0;
}
