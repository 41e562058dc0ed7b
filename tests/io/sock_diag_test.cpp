#include "sentinel/io/sock_diag.hpp"

#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>

using namespace sentinel;

namespace {

// A listening TCP socket on 127.0.0.1 (or ::1), closed on destruction.
struct TcpListener {
    int fd = -1;
    int port = 0;
    std::uint64_t inode = 0;
    explicit TcpListener(bool v6 = false, bool v6only = false) {
        fd = ::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        REQUIRE(fd >= 0);
        if (v6) {
            int on = v6only ? 1 : 0;
            ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
            sockaddr_in6 a{};
            a.sin6_family = AF_INET6;
            a.sin6_addr = in6addr_loopback;
            REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
        } else {
            sockaddr_in a{};
            a.sin_family = AF_INET;
            a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
        }
        REQUIRE(::listen(fd, 4) == 0);
        sockaddr_storage s{};
        socklen_t len = sizeof s;
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&s), &len);
        port = ntohs(v6 ? reinterpret_cast<sockaddr_in6*>(&s)->sin6_port : reinterpret_cast<sockaddr_in*>(&s)->sin_port);
        struct stat st;
        ::fstat(fd, &st);
        inode = st.st_ino;
    }
    ~TcpListener() { ::close(fd); }
};

}  // namespace

TEST_CASE("SockDiag::tcp lists our own listening sockets with inode, uid and v6only") {
    TcpListener v4;
    TcpListener v6(true, true);
    SockDiag diag;
    auto table = diag.tcp();
    REQUIRE(table);
    bool found4 = false, found6 = false;
    for (const SocketEntry& s : *table) {
        if (s.inode == v4.inode) {
            found4 = true;
            CHECK(s.family == SocketEntry::Family::v4);
            CHECK(s.address == "127.0.0.1");
            CHECK(s.port == v4.port);
            CHECK(s.uid == static_cast<long>(::getuid()));
        }
        if (s.inode == v6.inode) {
            found6 = true;
            CHECK(s.address == "::1");
            CHECK(s.v6only);
        }
    }
    CHECK(found4);
    CHECK(found6);
    // Asked again on the same netlink socket.
    CHECK(diag.tcp());
}

TEST_CASE("SockDiag::unix_sockets: a listening Unix socket with its path and file identity") {
    char dir[] = "/tmp/sentinel-diag-XXXXXX";
    REQUIRE(::mkdtemp(dir));
    std::string path = std::string(dir) + "/.s.PGSQL.5432";
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::strcpy(a.sun_path, path.c_str());
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    REQUIRE(::listen(fd, 4) == 0);
    struct stat file, sock;
    ::stat(path.c_str(), &file);
    ::fstat(fd, &sock);
    SockDiag diag;
    auto table = diag.unix_sockets();
    REQUIRE(table);
    bool found = false;
    for (const SocketEntry& s : *table) {
        if (s.inode != sock.st_ino) continue;
        found = true;
        CHECK(s.path == path);
        CHECK(s.vfs_ino == file.st_ino);
        CHECK(s.vfs_dev == file.st_dev);
        CHECK(s.uid == static_cast<long>(::getuid()));
    }
    CHECK(found);
    ::close(fd);
    ::unlink(path.c_str());
    ::rmdir(dir);
}
