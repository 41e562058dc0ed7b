#include "sentinel/core/kube/args.hpp"

#include <doctest/doctest.h>

using sentinel::KubeOverrides;
using sentinel::parse_kube_args;

namespace {

using Args = std::vector<std::string>;

std::string context_of(const Args& args) { return parse_kube_args(args).context.value_or("<unset>"); }
std::string namespace_of(const Args& args) { return parse_kube_args(args).namespace_.value_or("<unset>"); }

}  // namespace

TEST_CASE("kube_args: --context in both long forms") {
    CHECK(context_of({"--context=prod", "get", "pods"}) == "prod");
    CHECK(context_of({"--context", "prod", "get", "pods"}) == "prod");
    CHECK(context_of({"get", "pods", "--context", "prod"}) == "prod");
    CHECK(context_of({"get", "pods"}) == "<unset>");
    CHECK(context_of({"--context"}) == "<unset>");   // no value: nothing to take
    CHECK(context_of({"--context="}) == "<unset>");  // empty: kubectl ignores it
    CHECK(context_of({"--contexts=prod"}) == "<unset>");
}

TEST_CASE("kube_args: -n and --namespace in every pflag form") {
    CHECK(namespace_of({"-n", "web"}) == "web");
    CHECK(namespace_of({"-nweb"}) == "web");
    CHECK(namespace_of({"-n=web"}) == "web");
    CHECK(namespace_of({"--namespace", "web"}) == "web");
    CHECK(namespace_of({"--namespace=web"}) == "web");
    CHECK(namespace_of({"get", "pods", "-n", "web"}) == "web");
}

TEST_CASE("kube_args: --kubeconfig, --cluster, --user, --server and -s") {
    KubeOverrides o = parse_kube_args({"--kubeconfig", "/k", "--cluster=c", "--user", "u", "-s", "https://s"});
    CHECK(o.kubeconfig.value_or("") == "/k");
    CHECK(o.cluster.value_or("") == "c");
    CHECK(o.user.value_or("") == "u");
    CHECK(o.server.value_or("") == "https://s");
    CHECK(o.given == std::vector<std::string>{"--kubeconfig", "--cluster", "--user", "-s"});
    CHECK(parse_kube_args({"--server=https://t"}).server.value_or("") == "https://t");
    CHECK(parse_kube_args({"-shttps://u"}).server.value_or("") == "https://u");
}

TEST_CASE("kube_args: helm spells it --kube-context") {
    CHECK(parse_kube_args({"upgrade", "rel", "chart", "--kube-context", "prod"}, true).context.value_or("") == "prod");
    CHECK(parse_kube_args({"--kube-context=prod", "list"}, true).context.value_or("") == "prod");
    CHECK(parse_kube_args({"--kube-context=prod"}, true).given == std::vector<std::string>{"--kube-context"});
}

TEST_CASE("kube_args: the last occurrence wins") {
    CHECK(context_of({"--context=a", "get", "--context", "b"}) == "b");
    CHECK(namespace_of({"-n", "a", "--namespace=b", "-nc"}) == "c");
    CHECK(context_of({"--context=a", "--context="}) == "<unset>");
}

TEST_CASE("kube_args: scanning stops at --") {
    Args args = {"exec", "pod", "-n", "web", "--", "sh", "-c", "kubectl --context prod -n kube-system"};
    KubeOverrides o = parse_kube_args(args);
    CHECK(o.namespace_.value_or("") == "web");
    CHECK_FALSE(o.context);
    CHECK(namespace_of({"--", "-n", "x"}) == "<unset>");
}

TEST_CASE("kube_args: other flags and verbs are left alone") {
    KubeOverrides o = parse_kube_args({"delete", "pod", "x", "-l", "app=web", "--grace-period=0", "-it", "-w"});
    CHECK_FALSE(o.context);
    CHECK_FALSE(o.namespace_);
    CHECK_FALSE(o.server);
    CHECK(o.given.empty());
}

TEST_CASE("kube_args: shorthand clusters and the values of other flags (bug: -wn and -l --context=x)") {
    CHECK(namespace_of({"get", "po", "-wn", "kube-system"}) == "kube-system");
    CHECK(namespace_of({"get", "-Rnprod"}) == "prod");
    CHECK(context_of({"get", "pods", "-l", "--context=x"}) == "<unset>");  // the selector's value
    CHECK(context_of({"get", "pods", "--selector", "--context=x"}) == "<unset>");
    CHECK(context_of({"get", "pods", "-lapp=web", "--context=x"}) == "x");
    CHECK(namespace_of({"logs", "-c", "-n", "x"}) == "<unset>");  // -c takes "-n" as its value
}

TEST_CASE("kube_args: helm spells the context --kube-context and has no -s") {
    CHECK(parse_kube_args({"upgrade", "--kube-context", "prod", "r", "c"}, true).context.value_or("") == "prod");
    CHECK_FALSE(parse_kube_args({"template", "-s", "templates/x.yaml"}, true).server);
    CHECK_FALSE(parse_kube_args({"--context", "prod"}, true).context);
    CHECK(parse_kube_args({"-n", "web"}, true).namespace_.value_or("") == "web");
}
