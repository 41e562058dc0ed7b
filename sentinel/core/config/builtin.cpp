// The configuration sentinel has with no config file at all.

#include "sentinel/core/config/config.hpp"

namespace sentinel {
namespace {

// A word standing alone in a name: not glued to other letters, so "prod-eu"
// and "eu_prod1" match "prod" but "product" and "delivery" do not.
std::string word_regex(const std::string& alternatives) {
    return "(^|[^[:alpha:]])(" + alternatives + ")([^[:alpha:]]|$)";
}

Rule rule(const char* tier, std::string origin, std::vector<std::pair<std::string, Pattern>> conditions,
          std::optional<Kind> kind = std::nullopt) {
    Rule r;
    r.tier = Tier(tier);
    r.origin = "built-in: " + std::move(origin);
    r.kind = kind;
    for (auto& [field, pattern] : conditions) r.conditions.push_back({field, std::move(pattern)});
    return r;
}

Pattern regex(const std::string& text) { return Pattern::compile(Pattern::Type::regex, text).value(); }

}  // namespace

ConfigFile builtin_config() {
    ConfigFile c;
    c.path = "built-in";
    auto tier = [&](std::string name, std::string label, Color color, Policy policy, int rank) {
        TierPatch t;
        t.tier = Tier(std::move(name));
        t.label = std::move(label);
        t.color = color;
        t.policy = policy;
        t.rank = rank;
        t.origin = "built-in";
        c.tiers.push_back(std::move(t));
    };
    tier("production", "PROD", Color::ansi(1), Policy::type_name, 100);
    tier("unknown", "UNKNOWN", Color::ansi(5), Policy::type_name, 100);
    tier("staging", "STAGING", Color::ansi(3), Policy::yes, 50);
    tier("development", "DEV", Color::ansi(4), Policy::none, 20);
    tier("local", "LOCAL", Color::ansi(2), Policy::none, 10);

    c.rules.push_back(rule("production", "production names (prod, production, prd, live)",
                           {{"any", regex(word_regex("prod|production|prd|live"))}}));
    c.rules.push_back(rule("staging", "staging names (staging, stage, stg, preprod, uat)",
                           {{"any", regex(word_regex("staging|stage|stg|preprod|uat"))}}));
    c.rules.push_back(rule("local", "local Kubernetes (kind-*, minikube, docker-desktop)",
                           {{"context", regex("^(kind-.*|minikube|docker-desktop|rancher-desktop|orbstack|k3d-.*)$")}},
                           Kind::kube));
    c.rules.push_back(rule("local", "local Kubernetes (API server on loopback)",
                           {{"server", regex("^https?://(localhost|127\\.[0-9.]+|\\[::1\\])(:[0-9]+)?(/|$)")}},
                           Kind::kube));
    c.rules.push_back(rule("local", "local PostgreSQL (Unix socket, localhost)",
                           {{"host", regex("^(/.*|localhost|127\\.[0-9.]+|::1)$")}}, Kind::pg));
    c.rules.push_back(rule("local", "local PostgreSQL (hostaddr on loopback)",
                           {{"hostaddr", regex("^(127\\.[0-9.]+|::1)$")}}, Kind::pg));
    // "local" says where a kube cluster, a database or an app runs; for
    // terraform it names the state backend (the resources are elsewhere),
    // so it is no tier for the project-directory and cloud kinds.
    for (Kind kind : {Kind::kube, Kind::pg, Kind::env})
        c.rules.push_back(
            rule("local", "local names (local, localhost)", {{"any", regex(word_regex("local|localhost"))}}, kind));
    c.rules.push_back(rule("development", "development names (dev, development, test, qa, sandbox)",
                           {{"any", regex(word_regex("dev|devel|develop|development|test|testing|qa|sandbox"))}}));
    c.env = std::vector<std::string>{"APP_ENV",     "ENVIRONMENT", "RAILS_ENV",           "NODE_ENV",
                                     "AWS_PROFILE", "AWS_VAULT",   "GOOGLE_CLOUD_PROJECT", "CLOUDSDK_CORE_PROJECT"};
    c.dotenv = std::vector<std::string>{".env", ".env.local"};
    return c;
}

}  // namespace sentinel
