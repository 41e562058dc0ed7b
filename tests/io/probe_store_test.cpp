#include "sentinel/io/probe_store.hpp"

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "sentinel/core/reach/probe_cache.hpp"

using namespace sentinel;

namespace {

std::string temp_dir() {
    char dir[] = "/tmp/sentinel-store-XXXXXX";
    REQUIRE(::mkdtemp(dir));
    return dir;
}

std::string slurp(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

void spit(const std::string& path, const std::string& text) {
    std::ofstream out(path);
    out << text;
}

}  // namespace

TEST_CASE("append_identity: appends, keeps every byte the user wrote, creates what is missing") {
    std::string home = temp_dir();
    Vars vars = {{"HOME", home}};
    auto created = append_identity(vars, "\n[[identity]]\ncluster_name = \"a\"\ntier = \"production\"\n");
    REQUIRE(created);
    CHECK(*created == home + "/.config/sentinel/config.toml");
    struct stat st;
    ::stat(created->c_str(), &st);
    CHECK((st.st_mode & 0777) == 0600);

    std::string mine = "# my settings\nenv = [\"APP_ENV\"]   # trailing comment\n\n[tiers.production]\nlabel = \"P\"";
    spit(*created, mine);
    auto appended = append_identity(vars, "\n[[identity]]\ncluster_name = \"b\"\ntier = \"production\"\n");
    REQUIRE(appended);
    std::string after = slurp(*created);
    CHECK(after.rfind(mine + "\n", 0) == 0);
    CHECK(after.size() > mine.size());
    auto parsed = parse_config(after, *created, false);
    REQUIRE(parsed);
    CHECK(parsed->identities.size() == 1);
    CHECK(parsed->tiers.size() == 1);
}

TEST_CASE("append_identity: a broken file is refused, a conflicting one is restored") {
    std::string home = temp_dir();
    Vars vars = {{"XDG_CONFIG_HOME", home + "/cfg"}, {"HOME", home}};
    std::string path = home + "/cfg/sentinel/config.toml";
    REQUIRE(::mkdir((home + "/cfg").c_str(), 0700) == 0);
    REQUIRE(::mkdir((home + "/cfg/sentinel").c_str(), 0700) == 0);
    spit(path, "env = [\n");
    auto broken = append_identity(vars, "\n[[identity]]\ncluster_name = \"a\"\ntier = \"production\"\n");
    REQUIRE_FALSE(broken);
    CHECK(broken.error().message.find("(fix it before pinning)") != std::string::npos);
    CHECK(slurp(path) == "env = [\n");

    std::string inline_array = "identity = [ { cluster_name = \"x\", tier = \"staging\" } ]\n";
    spit(path, inline_array);
    auto conflict = append_identity(vars, "\n[[identity]]\ncluster_name = \"a\"\ntier = \"production\"\n");
    REQUIRE_FALSE(conflict);
    CHECK(conflict.error().message.find("(the entry was not kept)") != std::string::npos);
    CHECK(slurp(path) == inline_array);
}

TEST_CASE("remember_probes: merged into the cache file, mode 0600") {
    std::string home = temp_dir();
    Vars vars = {{"HOME", home}};
    ServerWord a;
    a.declared_tier = "production";
    ServerWord b;
    b.replica = true;
    REQUIRE(remember_probes(vars, {{"pg a", a}}));
    auto path = remember_probes(vars, {{"pg b", b}, {"", a}});
    REQUIRE(path);
    CHECK(*path == home + "/.cache/sentinel/probes.json");
    auto entries = parse_probe_cache(slurp(*path));
    CHECK(entries.size() == 2);
    CHECK(entries["pg a"].word.declared_tier == "production");
    CHECK(entries["pg b"].word.replica);
    struct stat st;
    ::stat(path->c_str(), &st);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK_FALSE(remember_probes({}, {{"pg a", a}}));
}
