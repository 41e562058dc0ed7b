// `sentinel --version`: sentinel's own version and the libraries it runs
// with, one per line.

#include <cstdio>
#include <string>

#include "sentinel/cmd/commands.hpp"
#include "sentinel/core/sanitize.hpp"
#include "sentinel/io/versions.hpp"
#include "sentinel/core/version.hpp"

namespace sentinel {

int print_version() {
    std::string out = "sentinel " + std::string(kVersion) + "\n";
    for (const LibraryVersion& lib : library_versions())
        out += lib.name + " " + (lib.version.empty() ? "?" : sanitize(lib.version)) + " (" + sanitize(lib.source) + ")\n";
    std::fwrite(out.data(), 1, out.size(), stdout);
    return std::fflush(stdout) == 0 ? kExitOk : 1;
}

}  // namespace sentinel
