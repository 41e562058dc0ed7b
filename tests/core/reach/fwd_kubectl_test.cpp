#include <doctest/doctest.h>

#include "sentinel/core/reach/forwarder.hpp"

using namespace sentinel;

TEST_CASE("kubectl port-forward: resource, the mapping of this port, the forwarder's own flags") {
    Forward f = recognise({"kubectl", "port-forward", "--context", "prod-eu", "svc/orders-db", "15433:5432"}, 15433, "");
    CHECK(f.goal == Forward::Goal::kube);
    CHECK(f.kind == "kubectl port-forward");
    CHECK(f.program == "kubectl");
    CHECK(f.get("resource") == "svc/orders-db");
    CHECK(f.get("remote_port") == "5432");
    REQUIRE(f.kube);
    CHECK(f.kube->context == "prod-eu");
    CHECK(f.command == "kubectl port-forward svc/orders-db 15433:5432");

    Forward g = recognise({"/usr/local/bin/kubectl", "--kubeconfig=/k/config", "-n", "db", "port-forward",
                           "--address", "127.0.0.1,::1", "orders-0", "8080:80", "15432:5432", ":9000"},
                          15432, "");
    CHECK(g.get("resource") == "pod/orders-0");
    CHECK(g.get("remote_port") == "5432");
    CHECK(g.kube->kubeconfig == "/k/config");
    CHECK(g.kube->namespace_ == "db");
    // The same port on both sides: "5432".
    CHECK(recognise({"kubectl", "port-forward", "deploy/api", "5432"}, 5432, "").get("remote_port") == "5432");
    // A random local port (":5432") with one mapping: that one.
    CHECK(recognise({"oc", "port-forward", "svc/x", ":5432"}, 40001, "").get("remote_port") == "5432");
    CHECK(recognise({"oc", "port-forward", "svc/x", ":5432"}, 40001, "").kind == "oc port-forward");
}

TEST_CASE("kubectl port-forward: a token on the command line never reaches the summary") {
    Forward f = recognise({"kubectl", "--token=CANARY-token", "port-forward", "--token", "CANARY2", "svc/db", "5432"},
                          5432, "");
    CHECK(f.goal == Forward::Goal::kube);
    CHECK(f.get("resource") == "svc/db");
    CHECK(f.command.find("CANARY") == std::string::npos);
    for (const Field& field : f.reached) CHECK(field.value.find("CANARY") == std::string::npos);
}

TEST_CASE("kubectl proxy reaches the API server of its context; other verbs are unknown") {
    Forward p = recognise({"kubectl", "proxy", "--port=8001", "--context", "staging"}, 8001, "");
    CHECK(p.goal == Forward::Goal::kube);
    CHECK(p.kind == "kubectl proxy");
    CHECK(p.kube->context == "staging");
    Forward w = recognise({"kubectl", "get", "pods", "-w"}, 1234, "");
    CHECK(w.goal == Forward::Goal::unknown);
    CHECK(w.problems.front() == "kubectl get is not a port-forward or proxy");
    CHECK(recognise({"kubectl", "port-forward"}, 1, "").problems.front() == "port-forward without a resource");
}
