// Fixtures follow the files the Cloud SDK writes (checked against
// `gcloud config configurations create/activate` and `gcloud config set` of
// SDK 528): CONFIG_DIR/active_config holds the name without a newline;
// CONFIG_DIR/configurations/config_NAME is "[core]\nproject = ...\n" with a
// blank line after each section (googlecloudsdk/core/configurations/
// named_configs.py, properties_file.py).

#include <doctest/doctest.h>

#include "sentinel/core/gcloud/resolve.hpp"
#include "tests/fake_fs.hpp"

using namespace sentinel;
using test::FakeFs;

namespace {

const char* kProd = "[core]\nproject = acme-prod\naccount = ops@acme.example\n\n[compute]\nregion = europe-west1\n\n";

FakeFs sdk() {
    FakeFs fs;
    fs.file("/h/.config/gcloud/active_config", "prod-eu");
    fs.file("/h/.config/gcloud/configurations/config_prod-eu", kProd);
    fs.file("/h/.config/gcloud/configurations/config_default", "");
    return fs;
}

Target gcloud(const FakeFs& fs, Vars vars = {}) {
    vars.emplace("HOME", "/h");
    std::vector<std::string> warnings;
    auto t = resolve_gcloud(vars, "/w", fs, warnings);
    REQUIRE(t);
    return *t;
}

}  // namespace

TEST_CASE("gcloud: the active configuration and its properties") {
    Target t = gcloud(sdk());
    CHECK(t.get("configuration") == "prod-eu");
    CHECK(t.get("project") == "acme-prod");
    CHECK(t.get("account") == "ops@acme.example");
    CHECK(t.get("region") == "europe-west1");
    CHECK(t.find("project")->origin == "/h/.config/gcloud/configurations/config_prod-eu:2");
    CHECK(t.display_name() == "acme-prod");
}

TEST_CASE("gcloud: variables override, CLOUDSDK_CONFIG moves the directory") {
    Target t = gcloud(sdk(), {{"CLOUDSDK_CORE_PROJECT", "other"}, {"CLOUDSDK_COMPUTE_REGION", "r2"}});
    CHECK(t.get("project") == "other");
    CHECK(t.find("project")->origin == "CLOUDSDK_CORE_PROJECT");
    CHECK(t.get("region") == "r2");
    CHECK(gcloud(sdk(), {{"CLOUDSDK_ACTIVE_CONFIG_NAME", "default"}}).get("project").empty());
    FakeFs moved;
    moved.file("/w/gc/active_config", "dev");
    moved.file("/w/gc/configurations/config_dev", "[core]\nproject = acme-dev\n");
    CHECK(gcloud(moved, {{"CLOUDSDK_CONFIG", "gc"}}).get("project") == "acme-dev");
}

TEST_CASE("gcloud: a corrupt activator is ignored, a missing configuration has no properties") {
    FakeFs fs = sdk();
    fs.file("/h/.config/gcloud/active_config", "Bad Name");
    CHECK(gcloud(fs).get("configuration") == "default");
    Target t = gcloud(sdk(), {{"CLOUDSDK_ACTIVE_CONFIG_NAME", "nosuch"}});
    CHECK(t.get("configuration") == "nosuch");
    CHECK(t.get("project").empty());
    CHECK(t.problems.empty());
    FakeFs none;
    std::vector<std::string> warnings;
    CHECK_FALSE(resolve_gcloud({{"HOME", "/h"}}, "/w", none, warnings));
    CHECK(resolve_gcloud({{"HOME", "/h"}, {"CLOUDSDK_CORE_PROJECT", "p"}}, "/w", none, warnings));
}

TEST_CASE("gcloud: ConfigParser interpolation, and its errors") {
    FakeFs fs = sdk();
    fs.file("/h/.config/gcloud/configurations/config_prod-eu", "[core]\naccount = ops\nproject = %(account)s-100%%\n");
    CHECK(gcloud(fs).get("project") == "ops-100%");
    fs.file("/h/.config/gcloud/configurations/config_prod-eu", "[core]\nproject = a%b\n");
    CHECK(gcloud(fs).problems.front().find("config_prod-eu:2: '%' must be followed") != std::string::npos);
    fs.file("/h/.config/gcloud/configurations/config_prod-eu", "[core]\nproject = a\nproject = b\n");
    CHECK(gcloud(fs).problems.front().find("appears twice") != std::string::npos);
    fs.file("/h/.config/gcloud/configurations/config_prod-eu", "[proxy]\npassword = CANARY\n[core]\nproject = p\n");
    for (const Field& f : gcloud(fs).fields) CHECK(f.value.find("CANARY") == std::string::npos);
}
