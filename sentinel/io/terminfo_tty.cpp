#include "sentinel/io/terminfo_tty.hpp"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace sentinel {

std::optional<ScreenSize> terminal_size(int fd) {
    struct winsize ws{};
    if (ioctl(fd, TIOCGWINSZ, &ws) != 0 || ws.ws_row == 0 || ws.ws_col == 0) return std::nullopt;
    return ScreenSize{ws.ws_row, ws.ws_col};
}

namespace {

Result<int> open_tty(const std::string& path) {
    int fd = ::open(path.c_str(), O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return Error{path, 0, 0, std::strerror(errno)};
    static const uid_t self = getuid();  // asked at every prompt's paint: once is enough
    struct stat st{};
    if (fstat(fd, &st) != 0 || !S_ISCHR(st.st_mode) || st.st_uid != self || !isatty(fd)) {
        ::close(fd);
        return Error{path, 0, 0, "not a terminal owned by this user"};
    }
    return fd;
}

}  // namespace

Result<int> open_tty_for_paint(const std::string& tty_path) { return open_tty(tty_path); }

std::optional<ScreenSize> tty_size(const std::string& tty_path) {
    auto fd = open_tty(tty_path);
    if (!fd) return std::nullopt;
    auto size = terminal_size(*fd);
    ::close(*fd);
    return size;
}

Result<bool> write_to_tty(const std::string& tty_path, const std::string& bytes) {
    auto fd = open_tty(tty_path);
    if (!fd) return fd.error();
    std::size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::write(*fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;  // EAGAIN: a stuck terminal never blocks the caller
        done += static_cast<std::size_t>(n);
    }
    ::close(*fd);
    return done == bytes.size();
}

}  // namespace sentinel
