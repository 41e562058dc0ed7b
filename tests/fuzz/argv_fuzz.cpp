// psql, kubectl, helm and terraform command lines (argv split at NUL
// bytes): the connection and override parsers, the verb finders, the
// guard's action and the pinned command lines. No crash; a pinned kubectl
// or helm command keeps every original argument; a terraform command is a
// write unless it was parsed as a read.

#include <algorithm>
#include <string>

#include "sentinel/core/guard/describe.hpp"
#include "sentinel/core/guard/pin.hpp"
#include "sentinel/core/kube/args.hpp"
#include "sentinel/core/kube/verbs.hpp"
#include "sentinel/core/pg/args.hpp"
#include "sentinel/core/pg/resolve.hpp"
#include "sentinel/core/terraform/verbs.hpp"
#include "tests/fuzz/fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::vector<std::string> args = sentinel::fuzz::split_nul(std::string(reinterpret_cast<const char*>(data), size));
    if (args.size() > 256) return 0;
    // psql
    sentinel::PsqlConnArgs conn = sentinel::parse_psql_args(args);
    (void)sentinel::psql_params(conn);
    (void)sentinel::tokenize_psql_args(args);
    sentinel::PsqlCommandLine cmd = sentinel::parse_psql_command_line(args);
    auto reader = [](const std::string&) -> std::optional<std::string> { return std::string("select 1; delete from t"); };
    sentinel::Action a = sentinel::psql_action(cmd, size % 2, reader, std::string("drop table t"));
    FUZZ_CHECK(!a.verb.empty());
    sentinel::PinnedConnection pinned;
    pinned.params = {{"host", "db"}, {"port", "5432"}, {"dbname", "app"}, {"user", "u"}};
    sentinel::PinnedCommand pc = sentinel::pin_psql("psql", cmd, pinned, size % 3 == 0, nullptr);
    FUZZ_CHECK(!pc.argv.empty() && pc.argv[0] == "psql");
    // kubectl and helm
    sentinel::Target target;
    target.kind = sentinel::Kind::kube;
    target.set("context", "ctx", "f:1:1");
    target.set("cluster", "cluster", "f:2:2");
    target.set("user", "user", "f:3:3");
    for (bool helm : {false, true}) {
        sentinel::KubeOverrides given = sentinel::parse_kube_args(args, helm);
        sentinel::KubeVerb verb = helm ? sentinel::find_helm_verb(args) : sentinel::find_kubectl_verb(args);
        FUZZ_CHECK(verb.index <= args.size());
        sentinel::Tool tool = helm ? sentinel::Tool::helm : sentinel::Tool::kubectl;
        sentinel::Action k = sentinel::kube_action(tool, args);
        FUZZ_CHECK(!k.verb.empty());
        std::vector<std::string> argv = {helm ? "helm" : "kubectl"};
        argv.insert(argv.end(), args.begin(), args.end());
        std::size_t at = std::min(argv.size(), verb.index + 2);
        std::string kubeconfig_env;
        std::vector<std::string> out = sentinel::pin_kube(tool, argv, at, target, given, kubeconfig_env);
        for (const std::string& original : argv)
            FUZZ_CHECK(std::find(out.begin(), out.end(), original) != out.end());
    }
    // terraform
    sentinel::TerraformCommand tf = sentinel::parse_terraform_command(args);
    FUZZ_CHECK(tf.verb.empty() || tf.verb[0] != '-');
    FUZZ_CHECK(!tf.pin_workspace || tf.risk == sentinel::Risk::write);
    sentinel::Action t = sentinel::terraform_action(args);
    FUZZ_CHECK(!t.verb.empty());
    (void)sentinel::other_action(args);
    return 0;
}
