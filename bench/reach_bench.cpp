// Benchmark (not a test): what tracing a loopback target costs (issue 11).
//
//   build/reach_bench [--runs N] [--processes N]
//
// 1. An agent evaluation whose listener is unchanged: EvalCache::get (the
//    agent's path at every prompt) for PGHOST=localhost, with a process
//    listening there, against the same evaluation of a host that is not on
//    this machine (nothing traced), interleaved in the same run. Goal:
//    at most +0.05 ms.
// 2. Finding a new listener among N other processes (default 500): a full
//    evaluate() with a fresh SystemListeners (nothing remembered: the
//    kernel's table, the /proc search, the process's command line) against
//    evaluate() without tracing. Goal: at most +2 ms. Measured twice: the
//    listener started after the N processes (a forwarder someone just
//    started; the agent also searches processes it has not seen first) and
//    before them (the whole of /proc is searched by a one-shot command; the
//    agent, which searched /proc before, remembers every socket it met).
// Prints medians, 10th and 90th percentiles, the difference of medians
// and the ratio.

#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "sentinel/core/snapshot.hpp"
#include "sentinel/io/agent_cache.hpp"
#include "sentinel/io/fs.hpp"
#include "sentinel/io/listeners.hpp"

using namespace sentinel;

namespace {

double ms(std::chrono::steady_clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

double time_of(const std::function<void()>& f) {
    auto t0 = std::chrono::steady_clock::now();
    f();
    return ms(std::chrono::steady_clock::now() - t0);
}

double pct(std::vector<double> v, double q) {
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())))];
}

void report(const char* name, const std::vector<double>& traced, const std::vector<double>& base, double goal) {
    double a = pct(traced, 0.5), b = pct(base, 0.5);
    std::printf("%s\n  traced   median %.4f ms  p10 %.4f  p90 %.4f\n  baseline median %.4f ms  p10 %.4f  p90 %.4f\n"
                "  added    %.4f ms (goal <= %.2f ms)  ratio %.2f  %s\n",
                name, a, pct(traced, 0.1), pct(traced, 0.9), b, pct(base, 0.1), pct(base, 0.9), a - b, goal, a / b,
                a - b <= goal ? "ok" : "OVER");
}

// A child process listening on 127.0.0.1 (a free port), waiting to be killed.
pid_t start_listener(int& port) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::listen(fd, 4);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    port = ntohs(a.sin_port);
    pid_t pid = ::fork();
    if (pid == 0) {
        for (;;) ::pause();
    }
    ::close(fd);
    return pid;
}

std::vector<pid_t> start_sleepers(int n) {
    std::vector<pid_t> pids;
    for (int i = 0; i < n; ++i) {
        pid_t pid = ::fork();
        if (pid == 0) {
            for (;;) ::pause();
        }
        pids.push_back(pid);
    }
    return pids;
}

void stop(const std::vector<pid_t>& pids) {
    for (pid_t p : pids) ::kill(p, SIGKILL);
    for (pid_t p : pids) ::waitpid(p, nullptr, 0);
}

Vars vars_for(const std::string& dir, const std::string& host, int port) {
    return {{"HOME", dir}, {"XDG_CACHE_HOME", dir + "/cache"}, {"XDG_CONFIG_HOME", dir + "/config"},
            {"SENTINEL_SYSTEM_CONFIG", dir + "/none"}, {"PGHOST", host}, {"PGPORT", std::to_string(port)},
            {"PGDATABASE", "app"}, {"PGUSER", "app"}};
}

void unchanged(const std::string& dir, int runs) {
    int port = 0;
    pid_t listener = start_listener(port);
    EvalCache cache;
    Vars traced = vars_for(dir, "localhost", port), base = vars_for(dir, "db.example.com", port);
    cache.get(traced);
    cache.get(base);
    std::vector<double> t, b;
    for (int i = 0; i < runs; ++i) {
        t.push_back(time_of([&] { cache.get(traced); }));
        b.push_back(time_of([&] { cache.get(base); }));
    }
    if (cache.evaluations() != 2) std::printf("  (the cache re-evaluated: %llu evaluations)\n",
                                              static_cast<unsigned long long>(cache.evaluations()));
    report("1. agent evaluation, listener unchanged (EvalCache::get, cached)", t, b, 0.05);
    stop({listener});
}

// How much an evaluation remembers of earlier searches of /proc.
enum class Memory {
    none,       // a one-shot command's first search
    file,       // a one-shot command after an earlier one kept its sockets (socket_cache_path)
    agent,      // the agent: it searched /proc before, for another listener
};

// `listener_first`: the listener is older than the other processes.
void among(const std::string& dir, int runs, int processes, bool listener_first, Memory memory) {
    int port = 0, other_port = 0;
    pid_t listener = 0;
    pid_t other = start_listener(other_port);
    if (listener_first) listener = start_listener(port);
    std::vector<pid_t> sleepers = start_sleepers(processes);
    if (!listener_first) listener = start_listener(port);
    PosixFileReader files;
    Vars traced = vars_for(dir, "localhost", port), base = vars_for(dir, "db.example.com", port);
    evaluate(base, files, {});  // libpq loaded before timing
    std::string cache = dir + "/cache/sockets";
    if (memory == Memory::file) {
        std::remove(cache.c_str());
        SystemListeners earlier(cache);  // an earlier command
        evaluate(traced, files, {}, nullptr, {}, &earlier);
    }
    std::vector<double> t, b;
    for (int i = 0; i < runs; ++i) {
        SystemListeners listeners(memory == Memory::file ? cache : "");
        if (memory == Memory::agent) listeners.lookup(*tcp_endpoint("127.0.0.1", std::to_string(other_port)));
        t.push_back(time_of([&] { evaluate(traced, files, {}, nullptr, {}, &listeners); }));
        b.push_back(time_of([&] { evaluate(base, files, {}, nullptr, {}, nullptr); }));
    }
    const char* how = memory == Memory::none   ? ", one-shot, nothing remembered"
                      : memory == Memory::file ? ", one-shot, after an earlier command kept the sockets it met"
                                               : ", the agent, which searched /proc before";
    std::string name = "2. evaluate(), a new listener found among " + std::to_string(processes) +
                       " processes, started " + (listener_first ? "before them" : "after them") + how;
    report(name.c_str(), t, b, 2.0);
    sleepers.push_back(listener);
    sleepers.push_back(other);
    stop(sleepers);
}

}  // namespace

int main(int argc, char** argv) {
    int runs = 300, processes = 500;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string a = argv[i];
        if (a == "--runs") runs = std::atoi(argv[i + 1]);
        else if (a == "--processes") processes = std::atoi(argv[i + 1]);
    }
    char dir[] = "/tmp/sentinel-reach-bench-XXXXXX";
    if (!::mkdtemp(dir)) return 1;
    std::printf("reach_bench: %d runs, %d processes, %ld processes on the machine before\n", runs, processes,
                static_cast<long>(list_pids().size()));
    unchanged(dir, runs * 10);
    among(dir, runs, processes, false, Memory::none);
    among(dir, runs / 3 + 1, processes, true, Memory::none);
    among(dir, runs, processes, true, Memory::file);
    among(dir, runs, processes, true, Memory::agent);
    std::string cleanup = std::string("rm -rf ") + dir;
    return std::system(cleanup.c_str()) == 0 ? 0 : 1;
}
