#include <doctest/doctest.h>

#include "sentinel/core/aws/resolve.hpp"
#include "tests/fake_fs.hpp"

using namespace sentinel;
using test::FakeFs;

namespace {

const char* kConfig =
    "[default]\nregion = us-east-1\n"
    "[profile prod-admin]\nrole_arn = arn:aws:iam::123456789012:role/ops/ProdAdmin\nsource_profile = base\n"
    "region = eu-west-1\n"
    "[profile \"dev sso\"]\nsso_session = corp\nsso_account_id = 210987654321\nsso_role_name = Dev\n"
    "[sso-session corp]\nsso_region = eu-west-1\n"
    "[profile loop-a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = loop-b\n"
    "[profile loop-b]\nrole_arn = arn:aws:iam::2:role/b\nsource_profile = loop-a\n"
    "[profile dangling]\nrole_arn = arn:aws:iam::3:role/c\nsource_profile = nowhere\n"
    "[profile self]\nrole_arn = arn:aws:iam::4:role/s\nsource_profile = self\naws_access_key_id = AKIA\n"
    "aws_secret_access_key = CANARY\n"
    "[profile empty-source]\nrole_arn = arn:aws:iam::5:role/e\nsource_profile = nocreds\n"
    "[profile nocreds]\nregion = x\n"
    "[profile both]\nrole_arn = arn:aws:iam::6:role/b\nsource_profile = base\ncredential_source = Environment\n"
    "[profile bad-session]\nsso_session = gone\n";
const char* kCredentials = "[base]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = CANARY\n"
                           "[default]\nregion = us-west-2\n";

FakeFs fs() {
    FakeFs f;
    f.file("/h/.aws/config", kConfig);
    f.file("/h/.aws/credentials", kCredentials);
    return f;
}

Target aws(Vars vars) {
    vars.emplace("HOME", "/h");
    std::vector<std::string> warnings;
    auto t = resolve_aws(vars, "/w", fs(), warnings);
    REQUIRE(t);
    return *t;
}

}  // namespace

TEST_CASE("aws: the default profile, credentials file values override the config") {
    Target t = aws({});
    CHECK(t.get("profile") == "default");
    CHECK(t.find("profile")->origin == "default");
    CHECK(t.get("region") == "us-west-2");
    CHECK(t.find("region")->origin == "/h/.aws/credentials:5");
    CHECK(t.problems.empty());
}

TEST_CASE("aws: AWS_PROFILE before AWS_DEFAULT_PROFILE; role chain; region variables") {
    Target t = aws({{"AWS_PROFILE", "prod-admin"}, {"AWS_DEFAULT_PROFILE", "default"}});
    CHECK(t.get("profile") == "prod-admin");
    CHECK(t.get("account") == "123456789012");
    CHECK(t.get("role") == "ProdAdmin");
    CHECK(t.get("region") == "eu-west-1");
    CHECK(t.get("credentials") == "assume role");
    CHECK(t.problems.empty());
    CHECK(aws({{"AWS_DEFAULT_PROFILE", "prod-admin"}}).get("profile") == "prod-admin");
    CHECK(aws({{"AWS_PROFILE", "prod-admin"}, {"AWS_DEFAULT_REGION", "ap-south-1"}}).get("region") == "ap-south-1");
    CHECK(aws({{"AWS_PROFILE", "prod-admin"}, {"AWS_REGION", "r1"}, {"AWS_DEFAULT_REGION", "r2"}}).get("region") == "r1");
}

TEST_CASE("aws: SSO profiles and sessions") {
    Target t = aws({{"AWS_PROFILE", "dev sso"}});
    CHECK(t.get("account") == "210987654321");
    CHECK(t.get("role") == "Dev");
    CHECK(t.get("credentials") == "sso");
    CHECK(t.problems.empty());
    CHECK(aws({{"AWS_PROFILE", "bad-session"}}).problems.front() == "The specified sso-session does not exist: \"gone\"");
}

TEST_CASE("aws: broken chains are problems, as the CLI fails on them") {
    CHECK(aws({{"AWS_PROFILE", "loop-a"}}).problems.front().find("Infinite loop") == 0);
    CHECK(aws({{"AWS_PROFILE", "dangling"}}).problems.front() ==
          "The source_profile \"nowhere\" referenced in the profile \"dangling\" does not exist.");
    CHECK(aws({{"AWS_PROFILE", "self"}}).problems.empty());
    CHECK(aws({{"AWS_PROFILE", "empty-source"}}).problems.front() == "The source profile \"nocreds\" must have credentials.");
    CHECK(aws({{"AWS_PROFILE", "both"}}).problems.front().find("both source_profile and credential_source") !=
          std::string::npos);
    CHECK(aws({{"AWS_PROFILE", "nosuch"}}).problems.front() == "The config profile (nosuch) could not be found");
}

TEST_CASE("aws: no profile named and no default: no target; files and paths") {
    FakeFs empty;
    std::vector<std::string> warnings;
    CHECK_FALSE(resolve_aws({{"HOME", "/h"}}, "/", empty, warnings));
    FakeFs f;
    f.file("/w/cfg", "[profile x]\nregion = r\n");
    auto t = resolve_aws({{"HOME", "/h"}, {"AWS_CONFIG_FILE", "cfg"}, {"AWS_PROFILE", "x"}}, "/w", f, warnings);
    REQUIRE(t);
    CHECK(t->get("region") == "r");
    CHECK(t->files == std::vector<std::string>{"/w/cfg"});
    CHECK(expand_path("~/a/$USER/${X}/$NOPE", {{"HOME", "/h"}, {"USER", "u"}, {"X", "x"}}, "/w") == "/h/a/u/x/$NOPE");
    f.file("/w/bad", "[profile x]\nregion\n");
    auto bad = resolve_aws({{"AWS_CONFIG_FILE", "/w/bad"}}, "/", f, warnings);
    REQUIRE(bad);
    CHECK(bad->problems.front() ==
          "/w/bad:2: a line that is neither a section, an option nor a comment (the AWS CLI cannot parse this file)");
}

TEST_CASE("aws: no key ever reaches a target") {
    for (const char* p : {"self", "prod-admin", "default"}) {
        Target t = aws({{"AWS_PROFILE", p}});
        for (const Field& f : t.fields) {
            CHECK(f.value.find("CANARY") == std::string::npos);
            CHECK(f.value.find("AKIA") == std::string::npos);
        }
    }
}
