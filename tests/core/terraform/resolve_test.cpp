#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "sentinel/core/terraform/resolve.hpp"
#include "tests/fake_fs.hpp"

using namespace sentinel;
using test::FakeFs;

namespace {

std::string fixture(const std::string& name) {
    std::ifstream in(std::string(SENTINEL_FIXTURES) + "/terraform/" + name);
    std::stringstream s;
    s << in.rdbuf();
    REQUIRE(!s.str().empty());
    return s.str();
}

Target tf(const FakeFs& fs, const Vars& vars = {}) {
    std::vector<std::string> warnings;
    auto t = resolve_terraform(vars, "/w/infra", true, fs, warnings);
    REQUIRE(t);
    return *t;
}

}  // namespace

TEST_CASE("terraform: an uninitialised directory has no terminal target, a command still has one") {
    FakeFs fs;
    std::vector<std::string> warnings;
    CHECK_FALSE(resolve_terraform({}, "/w/infra", true, fs, warnings));
    auto t = resolve_terraform({}, "/w/infra", false, fs, warnings);
    REQUIRE(t);
    CHECK(t->get("workspace") == "default");
    CHECK(t->get("backend") == "local");
    CHECK(t->get("dir") == "/w/infra");
}

TEST_CASE("terraform: workspace from TF_WORKSPACE, else .terraform/environment, else default") {
    FakeFs fs;
    fs.error("/w/infra/.terraform", "not a regular file");
    CHECK(tf(fs).get("workspace") == "default");
    fs.file("/w/infra/.terraform/environment", "prod");  // written without a newline
    CHECK(tf(fs).get("workspace") == "prod");
    CHECK(tf(fs).find("workspace")->origin == "/w/infra/.terraform/environment:1");
    fs.file("/w/infra/.terraform/environment", "  staging\n");
    CHECK(tf(fs).get("workspace") == "staging");
    CHECK(tf(fs, {{"TF_WORKSPACE", "prod-eu"}}).get("workspace") == "prod-eu");
    CHECK(tf(fs, {{"TF_WORKSPACE", "a/b"}}).problems.front() == "TF_WORKSPACE is not a valid workspace name");
    CHECK(tf(fs, {{"TF_WORKSPACE", ""}}).get("workspace") == "staging");  // empty counts as unset
}

TEST_CASE("terraform: TF_DATA_DIR, relative to the working directory") {
    FakeFs fs;
    fs.error("/w/infra/state", "not a regular file");
    fs.file("/w/infra/state/environment", "qa");
    CHECK(tf(fs, {{"TF_DATA_DIR", "state"}}).get("workspace") == "qa");
    std::vector<std::string> warnings;
    CHECK_FALSE(resolve_terraform({}, "/w/infra", true, fs, warnings));
}

TEST_CASE("terraform: backends from state files as terraform writes them, no credential copied") {
    FakeFs fs;
    fs.error("/w/infra/.terraform", "not a regular file");
    fs.file("/w/infra/.terraform/terraform.tfstate", fixture("s3.tfstate"));
    CHECK(tf(fs).get("backend") == "s3 acme-tf-state/payments/terraform.tfstate");
    fs.file("/w/infra/.terraform/environment", "prod");
    Target s3 = tf(fs);
    CHECK(s3.get("backend") == "s3 acme-tf-state/env:/prod/payments/terraform.tfstate");
    for (const Field& f : s3.fields) CHECK(f.value.find("CANARY") == std::string::npos);
    fs.file("/w/infra/.terraform/terraform.tfstate", fixture("gcs.tfstate"));
    CHECK(tf(fs).get("backend") == "gcs acme-tf/network/prod.tfstate");
    fs.file("/w/infra/.terraform/terraform.tfstate", fixture("remote.tfstate"));
    CHECK(tf(fs).get("backend") == "remote acme/payments-prod");
    fs.file("/w/infra/.terraform/terraform.tfstate", fixture("cloud.tfstate"));
    CHECK(tf(fs).get("backend") == "cloud acme/payments-prod");
    CHECK(tf(fs).files == std::vector<std::string>{"/w/infra/.terraform/environment", "/w/infra/.terraform/terraform.tfstate"});
}

TEST_CASE("terraform: broken state files are problems") {
    FakeFs fs;
    fs.error("/w/infra/.terraform", "not a regular file");
    fs.file("/w/infra/.terraform/terraform.tfstate", "{not json");
    CHECK(tf(fs).problems.front().find("invalid JSON") != std::string::npos);
    fs.file("/w/infra/.terraform/terraform.tfstate", R"({"version": 4, "backend": {"type": "s3"}})");
    CHECK(tf(fs).problems.front().find("unsupported backend state version") != std::string::npos);
    fs.file("/w/infra/.terraform/terraform.tfstate", R"({"version": 3})");
    CHECK(tf(fs).get("backend") == "local");
    CHECK(tf(fs).problems.empty());
    fs.file("/w/infra/.terraform/terraform.tfstate",
            R"({"version": 3, "backend": {"type": "http", "config": {"address": "https://u:pw@state.example/x"}}})");
    CHECK(tf(fs).get("backend") == "http https://u:***@state.example/x");
}

TEST_CASE("valid_workspace_name: as Go's url.PathEscape leaves it") {
    CHECK(valid_workspace_name("prod-eu_1.x~$&+:=@"));
    CHECK_FALSE(valid_workspace_name(""));
    CHECK_FALSE(valid_workspace_name("a b"));
    CHECK_FALSE(valid_workspace_name("a/b"));
    CHECK_FALSE(valid_workspace_name("a;b"));
}
