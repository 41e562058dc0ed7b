#include <doctest/doctest.h>

#include "sentinel/core/terraform/verbs.hpp"

using namespace sentinel;

namespace {

TerraformCommand cmd(std::vector<std::string> args) { return parse_terraform_command(args); }

}  // namespace

TEST_CASE("terraform verbs: reads pass") {
    for (auto args : std::vector<std::vector<std::string>>{
             {}, {"plan"}, {"plan", "-destroy"}, {"show"}, {"output", "-json"}, {"validate"}, {"fmt", "-recursive"},
             {"-chdir=envs/prod", "plan"}, {"state", "list"}, {"state", "show", "aws_s3_bucket.b"}, {"state", "pull"},
             {"workspace", "list"}, {"workspace", "show"}, {"workspace", "select", "prod"}, {"init"},
             {"init", "-upgrade"}, {"apply", "-help"}, {"-help"}, {"-version"}, {"version"}, {"providers"},
             {"graph"}, {"console"}}) {
        CAPTURE(args);
        CHECK(cmd(args).risk == Risk::read);
        CHECK_FALSE(cmd(args).pin_workspace);
    }
}

TEST_CASE("terraform verbs: writes ask and are pinned, except the workspace subcommands") {
    for (auto args : std::vector<std::vector<std::string>>{
             {"apply"}, {"apply", "-auto-approve"}, {"apply", "plan.tfplan"}, {"destroy"}, {"import", "a.b", "id"},
             {"state", "rm", "a.b"}, {"state", "mv", "a", "b"}, {"state", "push", "f"}, {"taint", "a.b"},
             {"untaint", "a.b"}, {"force-unlock", "123"}, {"refresh"}, {"init", "-migrate-state"},
             {"init", "-force-copy"}, {"frobnicate"}, {"-chdir=x", "apply"}}) {
        CAPTURE(args);
        CHECK(cmd(args).risk == Risk::write);
        CHECK(cmd(args).pin_workspace);
    }
    TerraformCommand del = cmd({"workspace", "delete", "-force", "-lock-timeout", "10s", "prod"});
    CHECK(del.risk == Risk::write);
    CHECK(del.verb == "workspace delete");
    CHECK(del.workspace_arg == "prod");
    CHECK_FALSE(del.pin_workspace);  // terraform refuses to delete the current workspace
}

TEST_CASE("terraform verbs: -chdir, the verb's words") {
    CHECK(cmd({"-chdir=a", "-chdir=envs/prod", "apply"}).chdir == "envs/prod");
    CHECK(cmd({"apply", "-chdir=no"}).chdir.empty());  // only before the subcommand
    CHECK(cmd({"state", "-lock=false", "rm", "x"}).verb == "state rm");
    CHECK(cmd({"apply", "-var", "x=1"}).verb == "apply");
    CHECK(cmd({"init", "-migrate-state=false"}).risk == Risk::read);
}
