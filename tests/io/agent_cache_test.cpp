#include "sentinel/io/agent_cache.hpp"

#include <doctest/doctest.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "sentinel/io/inotify.hpp"
#include "sentinel/io/runtime_dir.hpp"

using namespace sentinel;

namespace {

// A temporary directory removed at the end of the test.
struct TempDir {
    std::string path;
    TempDir() {
        char tmpl[] = "/tmp/sentinel-cache-test-XXXXXX";
        path = ::mkdtemp(tmpl);
    }
    ~TempDir() { std::filesystem::remove_all(path); }
};

void write(const std::string& path, const std::string& context) {
    std::ofstream(path) << "apiVersion: v1\nkind: Config\ncurrent-context: " << context
                        << "\ncontexts:\n- name: " << context << "\n  context: {cluster: c, user: u}\n"
                        << "clusters:\n- name: c\n  cluster: {server: https://10.0.0.1}\nusers:\n- name: u\n  user: {}\n";
}

Vars vars_for(const TempDir& d, const std::string& kubeconfig) {
    return {{"HOME", d.path}, {"KUBECONFIG", kubeconfig}, {"SENTINEL_SYSTEM_CONFIG", d.path + "/none.toml"}};
}

}  // namespace

TEST_CASE("EvalCache: evaluates once while files keep their identity") {
    TempDir d;
    std::string kc = d.path + "/config";
    write(kc, "staging-eu");
    EvalCache cache;
    CHECK(cache.get(vars_for(d, kc)).view.kube_context == "staging-eu");
    CHECK(cache.get(vars_for(d, kc)).view.kube_context == "staging-eu");
    CHECK(cache.evaluations() == 1);
    CHECK(cache.files().count(kc) == 1);
    CHECK(cache.files().count(d.path + "/.config/sentinel/config.toml") == 1);
}

TEST_CASE("EvalCache: a changed identity or an invalidation evaluates again") {
    TempDir d;
    std::string kc = d.path + "/config";
    write(kc, "staging-eu");
    EvalCache cache;
    cache.get(vars_for(d, kc));
    write(kc + ".new", "prod-eu");
    std::filesystem::rename(kc + ".new", kc);  // new inode
    CHECK(cache.get(vars_for(d, kc)).view.kube_context == "prod-eu");
    CHECK(cache.evaluations() == 2);
    CHECK_FALSE(cache.invalidate({d.path + "/unrelated"}));
    CHECK(cache.invalidate({kc}));
    CHECK(cache.depends(vars_for(d, kc), {kc}));
    cache.get(vars_for(d, kc));
    CHECK(cache.evaluations() == 3);
}

TEST_CASE("EvalCache: retain keeps the evaluations in use and a few others") {
    TempDir d;
    EvalCache cache;
    std::set<EvalKey> in_use;
    for (int i = 0; i < 5; ++i) {
        Vars v = vars_for(d, d.path + "/missing" + std::to_string(i));
        cache.get(v);
        if (i == 0) in_use.insert(EvalKey{v, ""});
    }
    cache.retain(in_use, 1);
    CHECK(cache.files().count(d.path + "/missing0") == 1);
    CHECK(cache.files().count(d.path + "/missing4") == 1);
    CHECK(cache.files().count(d.path + "/missing2") == 0);
}

TEST_CASE("FileWatcher: rename over, creation later, unrelated names ignored") {
    TempDir d;
    std::string kc = d.path + "/kube/config";
    std::string later = d.path + "/a/b/config";
    std::filesystem::create_directories(d.path + "/kube");
    write(kc, "x");
    FileWatcher w;
    REQUIRE(w.fd() >= 0);
    w.watch({kc, later});
    write(d.path + "/kube/cache-file", "y");  // an unrelated name in the same directory
    CHECK(w.read_changes().empty());
    write(kc + ".tmp", "z");
    std::filesystem::rename(kc + ".tmp", kc);
    CHECK(w.read_changes() == std::set<std::string>{kc});
    std::filesystem::create_directories(d.path + "/a/b");
    w.read_changes();
    write(later, "w");
    auto changed = w.read_changes();
    CHECK(changed.count(later) == 1);
}

TEST_CASE("runtime dir: created 0700; loose modes refused with the fix") {
    TempDir d;
    auto dir = runtime_dir({{"XDG_RUNTIME_DIR", d.path}});
    REQUIRE(dir.ok());
    CHECK(*dir == d.path + "/sentinel");
    CHECK(agent_socket_path({{"XDG_RUNTIME_DIR", d.path}}).value() == d.path + "/sentinel/agent.sock");
    std::filesystem::permissions(*dir, std::filesystem::perms::owner_all | std::filesystem::perms::group_read |
                                           std::filesystem::perms::group_exec);
    auto bad = runtime_dir({{"XDG_RUNTIME_DIR", d.path}});
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message == "is mode 0750, not 0700; run: chmod 700 " + d.path + "/sentinel");
    auto fallback = runtime_dir({{"TMPDIR", d.path}});
    REQUIRE(fallback.ok());
    CHECK(*fallback == d.path + "/sentinel-" + std::to_string(::getuid()));
}
