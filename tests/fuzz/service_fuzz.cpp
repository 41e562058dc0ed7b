// Service files and conninfo strings as libpq reads them for sentinel: the
// input is a service file (up to the first NUL byte, screened, then read
// by libpq through PGSERVICEFILE on a memory file) and a conninfo string or
// URI (after it) resolved with PGSERVICE set. No crash, hang or leak in
// sentinel or libpq; no password of the conninfo in what comes out.

#include <sys/mman.h>
#include <unistd.h>

#include <string>

#include "sentinel/core/pg/resolve.hpp"
#include "sentinel/core/pg/service_file.hpp"
#include "sentinel/core/sanitize.hpp"
#include "sentinel/io/fs.hpp"
#include "tests/fuzz/fuzz.hpp"

namespace {

// The disk, but parsers run here so that the fuzzer sees their crashes.
class InProcessReader : public sentinel::FileReader {
public:
    sentinel::FileRead read(const std::string& path) const override { return disk_.read(path); }

private:
    sentinel::PosixFileReader disk_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string input(reinterpret_cast<const char*>(data), size);
    std::size_t nul = input.find('\0');
    std::string service_file = input.substr(0, nul);
    std::string conninfo = nul == std::string::npos ? std::string() : input.substr(nul + 1);
    (void)sentinel::screen_service_file(input, "/fuzz/pg_service.conf");

    static int fd = memfd_create("pg_service.conf", MFD_CLOEXEC);
    if (fd < 0) return 0;
    if (ftruncate(fd, 0) != 0 || pwrite(fd, service_file.data(), service_file.size(), 0) < 0) return 0;
    std::string path = "/proc/self/fd/" + std::to_string(fd);
    sentinel::Vars vars = {{"PGSERVICEFILE", path}, {"PGSYSCONFDIR", "/nonexistent"}, {"HOME", "/nonexistent"},
                           {"PGSERVICE", conninfo.size() % 3 ? "svc" : "a"}};
    sentinel::ConnParams params;
    if (!conninfo.empty()) params.emplace_back("dbname", conninfo);
    std::vector<std::string> warnings;
    InProcessReader files;
    std::vector<sentinel::Target> targets = sentinel::resolve_pg(vars, params, "fuzz", {}, warnings, &files);
    FUZZ_CHECK(!targets.empty());
    // A password given in the conninfo never comes out.
    std::size_t at = conninfo.find("password=");
    if (at != std::string::npos) {
        std::string secret = conninfo.substr(at + 9, 12);
        bool once = input.find(secret) == input.rfind(secret);  // not also a host, a name...
        if (secret.size() == 12 && once && secret.find_first_of(" '\\\"&=,") == std::string::npos) {
            for (const sentinel::Target& t : targets)
                for (const sentinel::Field& f : t.fields) FUZZ_CHECK(f.value.find(secret) == std::string::npos);
            for (const std::string& w : warnings) FUZZ_CHECK(w.find(secret) == std::string::npos);
        }
    }
    return 0;
}
