#include "sentinel/io/fs.hpp"

#include "sentinel/io/budget.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;

namespace sentinel {

FileRead PosixFileReader::read(const std::string& path) const {
    FileRead out;
    int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        if (errno == ENOENT || errno == ENOTDIR) return out;  // missing
        out.status = FileRead::Status::error;
        out.reason = errno == ELOOP ? "too many levels of symbolic links" : std::strerror(errno);
        return out;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        out.status = FileRead::Status::error;
        out.reason = "not a regular file";
        out.directory = S_ISDIR(st.st_mode);
        return out;
    }
    if (static_cast<std::size_t>(st.st_size) > kMaxFileBytes) {
        ::close(fd);
        out.status = FileRead::Status::error;
        out.reason = "larger than " + std::to_string(kMaxFileBytes >> 20) + " MiB";
        return out;
    }
    // One byte of room past the size, so that a file that does not grow is
    // read into this one buffer: no reallocation leaves a copy (of an AWS
    // credentials file, say) in freed memory.
    out.data.resize(static_cast<std::size_t>(st.st_size) + 1);
    std::size_t got = 0;
    for (;;) {
        if (got == out.data.size()) {
            // The file may have grown since fstat; read on, within the limit.
            if (out.data.size() >= kMaxFileBytes + 1) break;
            out.data.resize(std::min(kMaxFileBytes + 1, out.data.size() * 2 + 4096));
        }
        ssize_t n = ::read(fd, out.data.data() + got, out.data.size() - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            ::close(fd);
            out.status = FileRead::Status::error;
            out.reason = std::strerror(errno);
            out.data.clear();
            return out;
        }
        if (n == 0) break;
        got += static_cast<std::size_t>(n);
    }
    ::close(fd);
    if (got > kMaxFileBytes) {
        out.status = FileRead::Status::error;
        out.reason = "larger than " + std::to_string(kMaxFileBytes >> 20) + " MiB";
        out.data.clear();
        return out;
    }
    out.data.resize(got);
    out.status = FileRead::Status::ok;
    return out;
}

Result<std::string> PosixFileReader::run_bounded(const std::function<std::string()>& parse,
                                                 std::size_t input_bytes) const {
    return run_in_child(parse, parse_budget(input_bytes));
}

Vars environment_vars() {
    Vars vars;
    for (char** e = environ; e && *e; ++e) {
        const char* eq = std::strchr(*e, '=');
        if (!eq) continue;
        vars.emplace(std::string(*e, static_cast<std::size_t>(eq - *e)), std::string(eq + 1));
    }
    return vars;
}

std::string current_directory() {
    std::string buf(4096, '\0');
    if (!::getcwd(buf.data(), buf.size())) return {};
    buf.resize(std::strlen(buf.c_str()));
    return buf;
}

}  // namespace sentinel
