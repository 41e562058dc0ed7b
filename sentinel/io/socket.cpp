#include "sentinel/io/socket.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace sentinel {
namespace {

bool fill_address(const std::string& path, sockaddr_un& addr) {
    std::memset(&addr, 0, sizeof addr);
    addr.sun_family = AF_UNIX;
    if (path.size() >= sizeof addr.sun_path) return false;
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    return true;
}

}  // namespace

bool make_nonblocking(int fd) {
    int fl = ::fcntl(fd, F_GETFL);
    if (fl < 0 || ::fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0) return false;
    int fd_flags = ::fcntl(fd, F_GETFD);
    return fd_flags >= 0 && ::fcntl(fd, F_SETFD, fd_flags | FD_CLOEXEC) == 0;
}

Result<int> listen_unix(const std::string& path) {
    std::string temp = path + ".new." + std::to_string(::getpid());
    sockaddr_un addr;
    if (!fill_address(temp, addr)) return Error{path, 0, 0, "socket path too long"};
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return Error{path, 0, 0, std::string("socket: ") + std::strerror(errno)};
    ::unlink(temp.c_str());
    mode_t old = ::umask(0177);
    int rc = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::umask(old);
    if (rc != 0 || ::listen(fd, 128) != 0 || ::rename(temp.c_str(), path.c_str()) != 0) {
        std::string why = std::strerror(errno);
        ::close(fd);
        ::unlink(temp.c_str());
        return Error{path, 0, 0, "cannot listen: " + why};
    }
    return fd;
}

Result<int> connect_unix(const std::string& path, int* errno_out) {
    if (errno_out) *errno_out = 0;
    sockaddr_un addr;
    if (!fill_address(path, addr)) {
        if (errno_out) *errno_out = ENAMETOOLONG;
        return Error{path, 0, 0, "socket path too long"};
    }
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return Error{path, 0, 0, std::strerror(errno)};
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        int e = errno;
        ::close(fd);
        if (errno_out) *errno_out = e;
        return Error{path, 0, 0, std::strerror(e)};
    }
    return fd;
}

std::optional<uid_t> peer_uid(int fd) {
    ucred cred;
    socklen_t len = sizeof cred;
    if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) return std::nullopt;
    return cred.uid;
}

namespace {

// Writes with `put` until `data` is empty or the descriptor is full.
template <typename Put>
bool drain_into(std::string& data, Put put) {
    while (!data.empty()) {
        ssize_t n = put(data);
        if (n < 0) {
            if (errno == EINTR) continue;
            return errno == EAGAIN || errno == EWOULDBLOCK;
        }
        data.erase(0, static_cast<std::size_t>(n));
    }
    return true;
}

}  // namespace

bool flush_some(int fd, std::string& data) {
    return drain_into(data, [fd](const std::string& d) { return ::send(fd, d.data(), d.size(), MSG_NOSIGNAL | MSG_DONTWAIT); });
}

bool write_some(int fd, std::string& data) {
    return drain_into(data, [fd](const std::string& d) { return ::write(fd, d.data(), d.size()); });
}

}  // namespace sentinel
