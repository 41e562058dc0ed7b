#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "sentinel/io/undo_store.hpp"

namespace sentinel {
namespace {

struct TempDir {
    std::string path;
    TempDir() {
        char templ[] = "/tmp/sentinel-undo-store-XXXXXX";
        path = mkdtemp(templ);
    }
    ~TempDir() { std::system(("rm -rf '" + path + "'").c_str()); }
};

int mode_of(const std::string& p) {
    struct stat st;
    return stat(p.c_str(), &st) == 0 ? static_cast<int>(st.st_mode & 0777) : -1;
}

}  // namespace

TEST_CASE("undo store: private directories and files, written once") {
    TempDir t;
    std::string root = undo_root({{"XDG_STATE_HOME", t.path + "/state"}});
    CHECK(root == t.path + "/state/sentinel/undo");
    auto dir = create_undo_dir(root, "20261130-074212-a1b2c3");
    REQUIRE(dir.ok());
    CHECK(mode_of(root) == 0700);
    CHECK(mode_of(*dir) == 0700);
    CHECK_FALSE(create_undo_dir(root, "20261130-074212-a1b2c3").ok());  // never reused
    CHECK_FALSE(write_new_file(*dir + "/a", "x").has_value());
    CHECK(mode_of(*dir + "/a") == 0600);
    CHECK(write_new_file(*dir + "/a", "y").has_value());  // never overwritten
    CHECK(undo_root({{"HOME", "/home/u"}}) == "/home/u/.local/state/sentinel/undo");
}

TEST_CASE("undo store: a symlinked root is refused") {
    TempDir t;
    mkdir((t.path + "/elsewhere").c_str(), 0700);
    mkdir((t.path + "/state").c_str(), 0700);
    mkdir((t.path + "/state/sentinel").c_str(), 0700);
    REQUIRE(symlink((t.path + "/elsewhere").c_str(), (t.path + "/state/sentinel/undo").c_str()) == 0);
    auto dir = create_undo_dir(t.path + "/state/sentinel/undo", "20261130-074212-a1b2c3");
    REQUIRE_FALSE(dir.ok());
    CHECK(dir.error().message.find("not a directory (or a symlink)") != std::string::npos);
}

TEST_CASE("undo store: list, read and prune by the manifest's time") {
    TempDir t;
    std::string root = t.path + "/undo";
    for (auto [id, time] : {std::pair<std::string, long>{"20200101-000000-000001", 1577836800L},
                            {"20261130-074212-a1b2c3", 1796038932L}}) {
        auto dir = create_undo_dir(root, id);
        REQUIRE(dir.ok());
        Manifest m;
        m.id = id;
        m.time = time;
        REQUIRE_FALSE(write_new_file(*dir + "/manifest.json", format_manifest(m)).has_value());
    }
    CHECK(list_undo(root).size() == 2);
    CHECK(read_undo(root, "20261130-074212-a1b2c3").ok());
    CHECK_FALSE(read_undo(root, "../x").ok());
    CHECK(prune_undo(root, 30, 1796038932L) == 1);
    CHECK(list_undo(root).size() == 1);
}

}  // namespace sentinel
