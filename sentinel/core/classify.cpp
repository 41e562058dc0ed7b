#include "sentinel/core/classify.hpp"

#include "sentinel/core/sanitize.hpp"

namespace sentinel {
namespace {

bool condition_holds(const Target& target, const Condition& c) {
    if (c.field != "any") {
        const Field* f = target.find(c.field);
        return f && !f->value.empty() && c.pattern.matches(f->value);
    }
    for (const std::string& name : name_fields(target.kind)) {
        const std::string& value = target.get(name);
        if (!value.empty() && c.pattern.matches(value)) return true;
    }
    return false;
}

std::string describe(const Rule& rule) {
    std::string out = rule.origin;
    if (rule.origin.rfind("built-in", 0) == 0) return out;
    out += " (";
    for (std::size_t i = 0; i < rule.conditions.size(); ++i) {
        const Condition& c = rule.conditions[i];
        if (i) out += ", ";
        out += c.field + (c.pattern.type() == Pattern::Type::regex ? " ~ /" : " = \"") + c.pattern.text() +
               (c.pattern.type() == Pattern::Type::regex ? "/" : "\"");
    }
    return out + ")";
}

}  // namespace

const std::vector<std::string>& name_fields(Kind kind) {
    static const std::vector<std::string> kube = {"context", "cluster", "server", "namespace"};
    // "instance": a Cloud SQL instance reached through cloud-sql-proxy.
    static const std::vector<std::string> pg = {"service", "host", "hostaddr", "dbname", "instance"};
    static const std::vector<std::string> env = {"value"};
    // terraform's dir is left out: a home directory named "dev" must not
    // make every workspace under it a development target.
    static const std::vector<std::string> terraform = {"workspace", "backend"};
    static const std::vector<std::string> aws = {"profile", "role"};
    static const std::vector<std::string> gcloud = {"configuration", "project"};
    switch (kind) {
        case Kind::kube: return kube;
        case Kind::pg: return pg;
        case Kind::env: return env;
        case Kind::terraform: return terraform;
        case Kind::aws: return aws;
        case Kind::gcloud: return gcloud;
    }
    return env;
}

void classify(Target& target, const Config& config) {
    if (!target.problems.empty()) {
        target.tier = Tier::unknown();
        target.rule = "problem: " + target.problems.front();
        return;
    }
    for (const std::string& name : name_fields(target.kind)) {
        if (is_suspicious_name(target.get(name))) {
            target.tier = Tier::unknown();
            target.rule = "suspicious characters in " + name + " (control, bidi or look-alike letters)";
            return;
        }
    }
    for (const Rule& rule : config.rules) {
        if (rule.kind && *rule.kind != target.kind) continue;
        bool all = true;
        for (const Condition& c : rule.conditions) {
            if (!condition_holds(target, c)) {
                all = false;
                break;
            }
        }
        if (all) {
            target.tier = rule.tier;
            target.rule = describe(rule);
            return;
        }
    }
    target.tier = Tier::unknown();
    target.rule = "no rule matches";
}

int most_dangerous(const std::vector<Target>& targets, const Config& config) {
    int best = -1;
    int best_rank = 0;
    for (std::size_t i = 0; i < targets.size(); ++i) {
        int rank = config.rank(targets[i].tier);
        if (best < 0 || rank > best_rank) {
            best = static_cast<int>(i);
            best_rank = rank;
        }
    }
    return best;
}

Tier overall_tier(const std::vector<Target>& targets, const Config& config) {
    if (!config.errors.empty()) return Tier::unknown();
    int worst = most_dangerous(targets, config);
    return worst < 0 ? Tier::none() : targets[static_cast<std::size_t>(worst)].tier;
}

}  // namespace sentinel
