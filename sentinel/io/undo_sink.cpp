#include "sentinel/io/undo_sink.hpp"

#include <fcntl.h>
#include <nettle/sha2.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>
#include <optional>

#include "sentinel/core/sanitize.hpp"
#include "sentinel/core/undo/manifest.hpp"
#include "sentinel/io/fs.hpp"
#include "sentinel/io/undo_store.hpp"

namespace sentinel {
namespace {

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v ? v : "";
}

void report(const std::string& line) {
    std::string fd_text = env("SENTINEL_UNDO_STATUS_FD");
    if (fd_text.empty()) return;
    int fd = std::atoi(fd_text.c_str());
    std::string l = line + "\n";
    if (::write(fd, l.data(), l.size()) < 0) { /* the guard will see the part missing */
    }
}

// Reads and forgets the rest of stdin, so that psql is not left writing
// into a closed pipe (best-effort goes on without the copy).
void drain() {
    char buf[65536];
    while (::read(STDIN_FILENO, buf, sizeof buf) > 0) {
    }
}

int failed(const std::string& part, const std::string& reason, const std::string& path) {
    if (!path.empty()) unlink(path.c_str());
    if (env("SENTINEL_UNDO_MODE") == "best-effort") {
        drain();
        report("skip " + part + " " + reason);
        std::fprintf(stderr, "sentinel: warning: no undo copy: %s\n", sanitize(reason).c_str());
        return 0;
    }
    report("fail " + part + " " + reason);
    std::fprintf(stderr, "sentinel: error: the undo copy cannot be written: %s\n", sanitize(reason).c_str());
    return 1;
}

std::string hex(const uint8_t* d, std::size_t n) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < n; ++i) {
        out += digits[d[i] >> 4];
        out += digits[d[i] & 15];
    }
    return out;
}

struct Stats {
    std::int64_t rows = 0, bytes = 0;
    std::string sha256;
};

// Copies `in` to a new file `path` (0600), counting lines and hashing;
// stops at `limit` bytes. Returns the reason on failure.
std::optional<std::string> stream_to(int in, const std::string& path, std::int64_t limit, Stats& stats) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) return path + ": " + std::strerror(errno);
    sha256_ctx ctx;
    sha256_init(&ctx);
    constexpr std::int64_t kWriteBehind = 1 << 20;
    std::int64_t flushed = 0;
    char buf[1 << 16];
    for (;;) {
        ssize_t n = ::read(in, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            ::close(fd);
            return std::string("reading the rows: ") + std::strerror(errno);
        }
        if (n == 0) break;
        stats.bytes += n;
        if (stats.bytes > limit) {
            ::close(fd);
            return "the copy grew past undo_max_bytes (" + std::to_string(limit) + " bytes)";
        }
        for (const char* at = buf;
             (at = static_cast<const char*>(std::memchr(at, '\n', static_cast<std::size_t>(buf + n - at)))); ++at)
            ++stats.rows;
        sha256_update(&ctx, static_cast<std::size_t>(n), reinterpret_cast<const uint8_t*>(buf));
        for (ssize_t done = 0; done < n;) {
            ssize_t w = ::write(fd, buf + done, static_cast<std::size_t>(n - done));
            if (w < 0 && errno == EINTR) continue;
            if (w <= 0) {
                std::string why = path + ": " + std::strerror(w < 0 ? errno : ENOSPC);
                ::close(fd);
                return why;
            }
            done += w;
        }
        // Start writing back what is there, so that the fsync at the end,
        // which psql waits for, has little left to do.
        if (stats.bytes - flushed >= kWriteBehind) {
            sync_file_range(fd, flushed, stats.bytes - flushed, SYNC_FILE_RANGE_WRITE);
            flushed = stats.bytes;
        }
    }
    if (fsync(fd) != 0) {
        std::string why = path + ": " + std::strerror(errno);
        ::close(fd);
        return why;
    }
    if (::close(fd) != 0) return path + ": " + std::strerror(errno);
    if (!sync_dir(path.substr(0, path.rfind('/')))) return path + ": cannot sync its directory";
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_digest(&ctx, sizeof digest, digest);
    stats.sha256 = hex(digest, sizeof digest);
    return std::nullopt;
}

int sink_meta(const std::string& dir, const std::string& part) {
    std::string data;
    char buf[65536];
    ssize_t n;
    while ((n = ::read(STDIN_FILENO, buf, sizeof buf)) > 0 && data.size() < (1u << 24))
        data.append(buf, static_cast<std::size_t>(n));
    std::string line = data.substr(0, data.find('\n'));
    auto fields = decode_copy_line(line);
    if (fields.size() != 1 || !fields[0]) return failed(part, "the table's description is missing", "");
    std::string path = dir + "/" + part + ".meta.json";
    if (auto e = write_new_file(path, *fields[0] + "\n")) return failed(part, *e, "");
    report("ok " + part + " meta");
    return 0;
}

int sink_rows(const std::string& dir, const std::string& part) {
    std::int64_t limit = std::strtoll(env("SENTINEL_UNDO_MAX_BYTES").c_str(), nullptr, 10);
    if (limit <= 0) limit = 1LL << 30;
    std::string path = dir + "/" + part + ".rows.copy";
    Stats stats;
    if (auto e = stream_to(STDIN_FILENO, path, limit, stats)) return failed(part, *e, path);
    report("ok " + part + " " + std::to_string(stats.rows) + " " + std::to_string(stats.bytes) + " " + stats.sha256);
    return 0;
}

// pg_dump of one table under the transaction's exported snapshot.
int sink_dump(const std::string& dir, const std::string& part) {
    std::string snapshot;
    char buf[256];
    ssize_t n;
    while ((n = ::read(STDIN_FILENO, buf, sizeof buf)) > 0) snapshot.append(buf, static_cast<std::size_t>(n));
    snapshot = snapshot.substr(0, snapshot.find('\n'));
    FileRead meta = PosixFileReader().read(dir + "/" + part + ".meta.json");
    auto j = nlohmann::json::parse(meta.data, nullptr, false);
    if (snapshot.empty() || j.is_discarded()) return failed(part, "no snapshot or table description for pg_dump", "");
    auto ident = [](const std::string& s) {
        std::string q = "\"";
        for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
        return q + "\"";
    };
    std::string table = ident(j.value("schema", "")) + "." + ident(j.value("table", ""));
    std::string pg_dump = env("SENTINEL_UNDO_PG_DUMP");
    std::string out = dir + "/" + part + ".dump.sql";
    int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) return failed(part, out + ": " + std::strerror(errno), "");
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fd, STDOUT_FILENO);
        int null = ::open("/dev/null", O_RDONLY);
        if (null >= 0) dup2(null, STDIN_FILENO);
        std::string conninfo = env("SENTINEL_UNDO_CONNINFO");
        execl(pg_dump.c_str(), pg_dump.c_str(), "--no-password", ("--snapshot=" + snapshot).c_str(),
              ("--table=" + table).c_str(), ("--dbname=" + conninfo).c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        ::close(fd);
        return failed(
            part, "pg_dump failed (exit " + std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ")", out);
    }
    if (fsync(fd) != 0 || ::close(fd) != 0) return failed(part, out + ": " + std::strerror(errno), out);
    // Hash and count the dump as written (rows: the lines of its COPY block).
    int in = ::open(out.c_str(), O_RDONLY | O_CLOEXEC);
    std::string copy = out + ".check";
    Stats stats;
    auto e = stream_to(in, copy, 1LL << 62, stats);
    ::close(in);
    unlink(copy.c_str());
    if (e) return failed(part, *e, out);
    FileRead dump = PosixFileReader().read(out);
    std::int64_t rows = 0;
    bool in_data = false;
    std::size_t start = 0;
    while (start < dump.data.size()) {
        std::size_t nl = dump.data.find('\n', start);
        if (nl == std::string::npos) nl = dump.data.size();
        std::string_view line(dump.data.data() + start, nl - start);
        if (in_data) {
            if (line == "\\.")
                in_data = false;
            else
                ++rows;
        } else if (line.rfind("COPY ", 0) == 0 && line.size() >= 11 && line.substr(line.size() - 11) == "FROM stdin;") {
            in_data = true;
        }
        start = nl + 1;
    }
    report("ok " + part + " " + std::to_string(rows) + " " + std::to_string(stats.bytes) + " " + stats.sha256);
    return 0;
}

}  // namespace

int run_undo_sink(const std::string& kind, const std::string& part) {
    umask(077);
    std::string dir = env("SENTINEL_UNDO_DIR");
    bool number = !part.empty() && part.find_first_not_of("0123456789") == std::string::npos;
    if (dir.empty() || !number) {
        std::fprintf(stderr, "sentinel: error: undo sink runs inside a guarded psql only\n");
        return 64;
    }
    if (kind == "meta") return sink_meta(dir, part);
    if (kind == "rows") return sink_rows(dir, part);
    if (kind == "dump") return sink_dump(dir, part);
    std::fprintf(stderr, "sentinel: error: unknown undo sink kind\n");
    return 64;
}

}  // namespace sentinel
