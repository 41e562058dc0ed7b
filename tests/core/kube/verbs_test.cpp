#include <doctest/doctest.h>

#include <sstream>

#include "sentinel/core/kube/verbs.hpp"

namespace sentinel {
namespace {

std::vector<std::string> words(const std::string& line) {
    std::istringstream in(line);
    std::vector<std::string> out;
    for (std::string w; in >> w;) out.push_back(w);
    return out;
}

struct Case {
    const char* args;
    const char* verb;
    Risk risk;
};

// kubectl argv matrix: verb and flag detection (issue 5: at least 30 cases).
const Case kKubectl[] = {
    {"get pods", "get", Risk::read},
    {"-n prod get pods", "get", Risk::read},
    {"--namespace prod delete pod x", "delete", Risk::write},
    {"--namespace=prod delete pod x", "delete", Risk::write},
    {"-nprod delete pod x", "delete", Risk::write},
    {"-n=prod apply -f x.yaml", "apply", Risk::write},
    {"--context prod-eu get nodes", "get", Risk::read},
    {"--context=prod-eu scale deploy/web --replicas=0", "scale", Risk::write},
    {"--kubeconfig /tmp/k describe pod x", "describe", Risk::read},
    {"--kubeconfig=/tmp/k edit deploy/web", "edit", Risk::write},
    {"-s https://x:6443 get pods", "get", Risk::read},
    {"--server https://x:6443 patch deploy web -p {}", "patch", Risk::write},
    {"--cluster c --user u replace -f x", "replace", Risk::write},
    {"--as admin --as-group system:masters delete ns prod", "delete", Risk::write},
    {"-v 6 logs web-1", "logs", Risk::read},
    {"--v=6 top pods", "top", Risk::read},
    {"--request-timeout 5s get --raw /healthz", "get", Risk::read},
    {"--insecure-skip-tls-verify delete pod x", "delete", Risk::write},
    {"--token abc create ns x", "create", Risk::write},
    {"rollout status deploy/web", "rollout status", Risk::read},
    {"rollout history deploy/web", "rollout history", Risk::read},
    {"-n prod rollout restart deploy/web", "rollout restart", Risk::write},
    {"rollout undo deploy/web", "rollout undo", Risk::write},
    {"auth can-i delete pods", "auth can-i", Risk::read},
    {"auth whoami", "auth whoami", Risk::read},
    {"auth reconcile -f rbac.yaml", "auth reconcile", Risk::write},
    {"config view --minify", "config view", Risk::read},
    {"config use-context prod", "config use-context", Risk::read},
    {"drain node-1 --ignore-daemonsets", "drain", Risk::write},
    {"cordon node-1", "cordon", Risk::write},
    {"uncordon node-1", "uncordon", Risk::write},
    {"taint nodes n1 k=v:NoSchedule", "taint", Risk::write},
    {"label pods x a=b", "label", Risk::write},
    {"annotate pods x a=b", "annotate", Risk::write},
    {"set image deploy/web web=nginx", "set", Risk::write},
    {"exec -it web-1 -- rm -rf /data", "exec", Risk::write},
    {"cp x web-1:/tmp/x", "cp", Risk::write},
    {"explain pods", "explain", Risk::read},
    {"diff -f x.yaml", "diff", Risk::read},
    {"api-resources", "api-resources", Risk::read},
    {"version --client", "version", Risk::read},
    {"apply -f x.yaml --dry-run=client", "apply", Risk::read},
    {"apply -f x.yaml --dry-run=server", "apply", Risk::read},
    {"apply -f x.yaml --dry-run=none", "apply", Risk::write},
    {"delete --help", "delete", Risk::read},
    {"", "", Risk::read},
    {"frobnicate everything", "frobnicate", Risk::write},
    {"-n kube-system exec pod -- kubectl get pods", "exec", Risk::write},
    {"debug node/n1 -it --image=busybox", "debug", Risk::write},
    {"port-forward svc/db 5432", "port-forward", Risk::write},
};

const Case kHelm[] = {
    {"list -A", "list", Risk::read},
    {"--kube-context prod-eu status web", "status", Risk::read},
    {"-n prod upgrade web ./chart", "upgrade", Risk::write},
    {"--kube-context=prod-eu install web ./chart", "install", Risk::write},
    {"--kubeconfig /tmp/k uninstall web", "uninstall", Risk::write},
    {"rollback web 3", "rollback", Risk::write},
    {"history web", "history", Risk::read},
    {"template web ./chart", "template", Risk::read},
    {"upgrade web ./chart --dry-run", "upgrade", Risk::read},
    {"test web", "test", Risk::write},
    {"repo update", "repo", Risk::read},
};

}  // namespace

TEST_CASE("kubectl verb matrix") {
    for (const Case& c : kKubectl) {
        CAPTURE(c.args);
        KubeVerb v = find_kubectl_verb(words(c.args));
        CHECK(v.verb == c.verb);
        CHECK(v.risk == c.risk);
    }
}

TEST_CASE("kubectl verb position") {
    std::vector<std::string> args = words("-n prod --context x delete pod web");
    CHECK(find_kubectl_verb(args).index == 4);
    CHECK(find_kubectl_verb({}).index == 0);
}

TEST_CASE("helm verb matrix") {
    for (const Case& c : kHelm) {
        CAPTURE(c.args);
        KubeVerb v = find_helm_verb(words(c.args));
        CHECK(v.verb == c.verb);
        CHECK(v.risk == c.risk);
    }
}

}  // namespace sentinel
