#include "sentinel/core/reach/sockets.hpp"

#include <doctest/doctest.h>

#include <bit>

using namespace sentinel;

namespace {

SocketEntry tcp(SocketEntry::Family f, const std::string& address, int port, std::uint64_t inode, bool v6only = false) {
    SocketEntry s;
    s.family = f;
    s.address = address;
    s.port = port;
    s.inode = inode;
    s.v6only = v6only;
    return s;
}

std::vector<std::uint64_t> inodes(const std::vector<SocketEntry>& list) {
    std::vector<std::uint64_t> out;
    for (const SocketEntry& s : list) out.push_back(s.inode);
    return out;
}

Endpoint at(std::vector<std::string> addresses, int port) {
    Endpoint e;
    e.addresses = std::move(addresses);
    e.port = port;
    return e;
}


}  // namespace

TEST_CASE("reached_sockets: the kernel's choice per address: exact, wildcard, dual-stack") {
    auto v4 = SocketEntry::Family::v4;
    auto v6 = SocketEntry::Family::v6;
    std::vector<SocketEntry> table = {tcp(v4, "0.0.0.0", 5432, 1), tcp(v4, "127.0.0.1", 5432, 2),
                                      tcp(v6, "::", 5432, 3), tcp(v4, "127.0.0.1", 6000, 4)};
    CHECK(inodes(reached_sockets(table, at({"127.0.0.1"}, 5432), {})) == std::vector<std::uint64_t>{2});
    CHECK(inodes(reached_sockets(table, at({"127.0.0.2"}, 5432), {})) == std::vector<std::uint64_t>{1});
    CHECK(inodes(reached_sockets(table, at({"::1"}, 5432), {})) == std::vector<std::uint64_t>{3});
    CHECK(inodes(reached_sockets(table, at({"::1", "127.0.0.1"}, 5432), {})) == std::vector<std::uint64_t>{3, 2});
    CHECK(reached_sockets(table, at({"::1"}, 6000), {}).empty());
    CHECK(reached_sockets(table, at({"127.0.0.1"}, 7000), {}).empty());

    // A dual-stack "::" takes IPv4 when nothing IPv4 listens; a v6only one does not.
    std::vector<std::vector<SocketEntry>> tables = {{tcp(v6, "::", 15432, 9)}, {tcp(v6, "::", 15432, 9, true)}};
    CHECK(inodes(reached_sockets(tables[0], at({"127.0.0.1"}, 15432), {})) == std::vector<std::uint64_t>{9});
    CHECK(reached_sockets(tables[1], at({"127.0.0.1"}, 15432), {}).empty());
    // SO_REUSEPORT: several sockets, all returned.
    std::vector<SocketEntry> reuse = {tcp(v4, "127.0.0.1", 80, 10), tcp(v4, "127.0.0.1", 80, 11)};
    CHECK(inodes(reached_sockets(reuse, at({"127.0.0.1"}, 80), {})) == std::vector<std::uint64_t>{10, 11});
}

TEST_CASE("reached_sockets: a Unix socket by its file identity, else by path") {
    SocketEntry a;
    a.family = SocketEntry::Family::unix_socket;
    a.path = "/run/postgresql/.s.PGSQL.5432";
    a.inode = 100;
    a.vfs_dev = 7;
    a.vfs_ino = 55;
    SocketEntry stale = a;  // a socket still bound to a path whose file was replaced
    stale.inode = 99;
    stale.vfs_ino = 54;
    Endpoint e;
    e.type = Endpoint::Type::unix_socket;
    e.path = a.path;
    CHECK(inodes(reached_sockets({stale, a}, e, FileId{7, 55})) == std::vector<std::uint64_t>{100});
    CHECK(inodes(reached_sockets({stale, a}, e, FileId{})) == std::vector<std::uint64_t>{99, 100});
    SocketEntry nameless = a;
    nameless.vfs_ino = 0;  // /proc/net/unix gives no file identity
    CHECK(inodes(reached_sockets({nameless}, e, FileId{7, 55})) == std::vector<std::uint64_t>{100});
}

TEST_CASE("parse_proc_net_tcp: listening rows, host-order hex words, uid, inode") {
    // As a little-endian kernel prints 127.0.0.1:5432 and 0.0.0.0:22.
    std::string v4 =
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
        "   0: 0100007F:1538 00000000:0000 0A 00000000:00000000 00:00000000 00000000   101        0 4242 1 0 100 0 0 10 0\n"
        "   1: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 17 1 0 100 0 0 10 0\n"
        "   2: 0100007F:1538 0100007F:9C40 01 00000000:00000000 00:00000000 00000000  1000        0 5000 1 0 100 0 0 10 0\n"
        "garbage\n";
    auto rows = parse_proc_net_tcp(v4, false);
    if constexpr (std::endian::native == std::endian::little) {
        REQUIRE(rows.size() == 2);
        CHECK(rows[0].address == "127.0.0.1");
        CHECK(rows[0].port == 5432);
        CHECK(rows[0].uid == 101);
        CHECK(rows[0].inode == 4242);
        CHECK(rows[1].address == "0.0.0.0");
        CHECK(rows[1].port == 22);
        std::string v6 =
            "  sl  local_address                         remote_address                        st\n"
            "   0: 00000000000000000000000001000000:1538 00000000000000000000000000000000:0000 0A 00000000:00000000 "
            "00:00000000 00000000     0        0 77 1 0\n"
            "   1: 00000000000000000000000000000000:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 "
            "00:00000000 00000000     0        0 78 1 0\n";
        auto rows6 = parse_proc_net_tcp(v6, true);
        REQUIRE(rows6.size() == 2);
        CHECK(rows6[0].address == "::1");
        CHECK(rows6[0].family == SocketEntry::Family::v6);
        CHECK(rows6[1].address == "::");
        CHECK(rows6[1].port == 80);
    }
}

TEST_CASE("parse_proc_net_unix: listening sockets (__SO_ACCEPTCON) with paths holding spaces") {
    std::string text =
        "Num       RefCount Protocol Flags    Type St Inode Path\n"
        "0000000000000000: 00000002 00000000 00010000 0001 01 23456 /run/postgresql/.s.PGSQL.5432\n"
        "0000000000000000: 00000002 00000000 00000000 0001 03 23457 /run/client\n"
        "0000000000000000: 00000002 00000000 00010000 0001 01 23458 /tmp/a b/.s.PGSQL.1\n"
        "0000000000000000: 00000002 00000000 00010000 0001 01  23459\n";
    auto rows = parse_proc_net_unix(text);
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].path == "/run/postgresql/.s.PGSQL.5432");
    CHECK(rows[0].inode == 23456);
    CHECK(rows[1].path == "/tmp/a b/.s.PGSQL.1");
    CHECK(rows[2].path.empty());
    CHECK(rows[2].inode == 23459);
}

TEST_CASE("SocketEntry::text") {
    CHECK(tcp(SocketEntry::Family::v6, "::", 5432, 1).text() == "[::]:5432");
    CHECK(tcp(SocketEntry::Family::v4, "127.0.0.1", 5432, 1).text() == "127.0.0.1:5432");
}
