#include "sentinel/io/listeners.hpp"

#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include <signal.h>
#include <sys/wait.h>

#include "sentinel/io/capture.hpp"
#include "sentinel/io/proc_scan.hpp"

using namespace sentinel;

namespace {

struct Listening {
    int fd = -1;
    int port = 0;
    std::uint64_t inode = 0;
    Listening() {
        fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
        REQUIRE(::listen(fd, 4) == 0);
        socklen_t len = sizeof a;
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
        port = ntohs(a.sin_port);
        struct stat st;
        ::fstat(fd, &st);
        inode = st.st_ino;
    }
    ~Listening() { ::close(fd); }
};

Endpoint localhost(int port) { return *tcp_endpoint("localhost", std::to_string(port)); }

}  // namespace

TEST_CASE("SystemListeners: finds this process behind its own listening socket, then remembers it") {
    Listening sock;
    SystemListeners listeners;
    Lookup found = listeners.lookup(localhost(sock.port));
    REQUIRE(found.error.empty());
    REQUIRE(found.listeners.size() == 1);
    const Listener& l = found.listeners[0];
    CHECK(l.seen == Listener::Seen::process);
    CHECK(l.pid == ::getpid());
    CHECK(l.inode == sock.inode);
    CHECK(l.port == sock.port);
    CHECK(l.listen == "127.0.0.1:" + std::to_string(sock.port));
    CHECK(l.start_time == process_start_time(::getpid()));
    CHECK_FALSE(l.argv.empty());
    CHECK(l.env_known);
    char cwd[4096];
    CHECK(l.cwd == ::getcwd(cwd, sizeof cwd));
    CHECK(listeners.searches() == 1);

    // Unchanged: no second search of /proc, the same identity.
    Lookup again = listeners.lookup(localhost(sock.port));
    CHECK(listeners.searches() == 1);
    CHECK(lookup_fingerprint(again) == lookup_fingerprint(found));
    CHECK(lookup_fingerprint(again) == std::to_string(sock.inode) + ":" + std::to_string(::getpid()) + ":" +
                                           std::to_string(l.start_time));
    CHECK(listeners.still_same(localhost(sock.port), lookup_fingerprint(again)));
    CHECK_FALSE(listeners.still_same(localhost(sock.port), "none"));
    CHECK_FALSE(listeners.still_same(localhost(sock.port), "1:2:3"));
}

TEST_CASE("read_process: only the variables tracing needs are kept from a process environment") {
    auto pid = spawn_background({"/bin/sleep", "30"},
                                {{"KUBECONFIG", "/tmp/k"}, {"HOME", "/h"}, {"PGPASSWORD", "CANARY"}, {"API_TOKEN", "CANARY"}});
    REQUIRE(pid);
    Listener l;
    // The child may still be the spawning copy of this process for a moment.
    for (int i = 0; i < 200; ++i) {
        l = Listener{};
        read_process(*pid, l);
        if (!l.argv.empty() && l.argv[0] == "/bin/sleep") break;
        ::usleep(5000);
    }
    ::kill(*pid, SIGKILL);
    ::waitpid(*pid, nullptr, 0);
    CHECK(l.argv == std::vector<std::string>{"/bin/sleep", "30"});
    CHECK(l.env == Vars{{"HOME", "/h"}, {"KUBECONFIG", "/tmp/k"}});
}

TEST_CASE("SystemListeners: a socket cache file spares the next process the /proc search") {
    char dir[] = "/tmp/sentinel-sockets-XXXXXX";
    REQUIRE(::mkdtemp(dir));
    std::string cache = std::string(dir) + "/cache/sockets";
    Listening sock;
    {
        SystemListeners first(cache);
        REQUIRE(first.lookup(localhost(sock.port)).listeners.size() == 1);
        CHECK(first.searches() == 1);
    }
    SystemListeners second(cache);
    Lookup l = second.lookup(localhost(sock.port));
    REQUIRE(l.listeners.size() == 1);
    CHECK(l.listeners[0].pid == ::getpid());
    CHECK(second.searches() == 0);
    // A forged line (another process, a descriptor that is not the socket) is only a miss.
    {
        std::FILE* f = std::fopen(cache.c_str(), "w");
        std::fprintf(f, "sentinel-sockets 1\n%llu 1 0\n", static_cast<unsigned long long>(sock.inode));
        std::fclose(f);
    }
    SystemListeners third(cache);
    CHECK(third.lookup(localhost(sock.port)).listeners[0].pid == ::getpid());
    CHECK(third.searches() == 1);
    std::string cleanup = std::string("rm -rf ") + dir;
    CHECK(std::system(cleanup.c_str()) == 0);
}

TEST_CASE("SystemListeners: nothing listening; a closed and reopened port is a new listener") {
    SystemListeners listeners;
    int port;
    std::string before;
    {
        Listening sock;
        port = sock.port;
        before = lookup_fingerprint(listeners.lookup(localhost(port)));
        CHECK(listeners.still_same(localhost(port), before));
    }
    CHECK_FALSE(listeners.still_same(localhost(port), before));
    CHECK(listeners.still_same(localhost(port), "none"));
    CHECK(lookup_fingerprint(listeners.lookup(localhost(port))) == "none");
    CHECK(before != "none");
    Endpoint missing;
    missing.type = Endpoint::Type::unix_socket;
    missing.path = "/nonexistent/.s.PGSQL.5432";
    CHECK(listeners.lookup(missing).listeners.empty());
}

TEST_CASE("proc_scan: the holder of a socket, still_holds, list_pids newest first") {
    Listening sock;
    std::vector<long> pids = list_pids();
    REQUIRE_FALSE(pids.empty());
    // Newest first: this process is older than its own child.
    pid_t child = ::fork();
    if (child == 0) {
        ::pause();
        ::_exit(0);
    }
    std::vector<long> now = list_pids();
    auto pos = [&](long pid) { return std::find(now.begin(), now.end(), pid) - now.begin(); };
    CHECK(pos(child) < pos(::getpid()));
    ::kill(child, SIGKILL);
    ::waitpid(child, nullptr, 0);
    HolderSearch s = find_socket_holder(sock.inode, pids);
    REQUIRE(s.holder);
    CHECK(s.holder->pid == ::getpid());
    CHECK(still_holds(*s.holder, sock.inode));
    CHECK_FALSE(still_holds(*s.holder, sock.inode + 1));
    CHECK_FALSE(find_socket_holder(sock.inode, {}).holder);
    CHECK(process_start_time(::getpid()) > 0);
    CHECK(process_start_time(0) == 0);
    bool complete = false;
    auto mine = processes_of_uid(static_cast<long>(::getuid()), 100000, complete);
    bool self = false;
    for (const ProcessCommand& c : mine) self = self || c.pid == ::getpid();
    CHECK(self);
}
