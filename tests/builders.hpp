#pragma once
// Targets and snapshots for unit tests, built fluently:
//
//   Target t = kube("prod-eu").ns("payments");
//   Snapshot s = Snap().add(kube("prod-eu")).add(env("APP_ENV", "weird")).user_toml("...").done();
//
// Fields get the origin "test" unless given. Snap classifies every target
// under the built-in configuration (or the user file given) and sets the
// overall tier, as evaluate() does.

#include <doctest/doctest.h>

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "sentinel/core/classify.hpp"
#include "sentinel/core/config/config.hpp"
#include "sentinel/core/display/model.hpp"
#include "sentinel/core/snapshot.hpp"
#include "sentinel/core/target.hpp"
#include "sentinel/core/tier.hpp"

namespace sentinel {

/// doctest prints a Tier in a failed CHECK by its name.
inline std::ostream& operator<<(std::ostream& out, const Tier& tier) { return out << tier.name(); }

namespace test {

/// `"production"_tier` is Tier("production").
inline Tier operator""_tier(const char* name, std::size_t size) { return Tier(std::string(name, size)); }

/// One target under construction; converts to Target.
class TargetBuilder {
public:
    explicit TargetBuilder(Kind kind) { target_.kind = kind; }
    /// Sets field `name` (appended in call order, as resolution does).
    TargetBuilder& field(const std::string& name, const std::string& value, const std::string& origin = "test") {
        target_.set(name, value, origin);
        return *this;
    }
    TargetBuilder& ns(const std::string& name) { return field("namespace", name); }
    TargetBuilder& cluster(const std::string& name) { return field("cluster", name); }
    TargetBuilder& server(const std::string& url) { return field("server", url); }
    TargetBuilder& user(const std::string& name) { return field("user", name); }
    TargetBuilder& service(const std::string& name) { return field("service", name); }
    TargetBuilder& problem(const std::string& why) {
        target_.problems.push_back(why);
        return *this;
    }
    TargetBuilder& file(const std::string& path) {
        target_.files.push_back(path);
        return *this;
    }
    TargetBuilder& source(const std::string& name) {
        target_.sources.push_back(name);
        return *this;
    }
    operator Target() const { return target_; }
    Target done() const { return target_; }

private:
    Target target_;
};

/// A kube target: context (and namespace when given).
inline TargetBuilder kube(const std::string& context) { return std::move(TargetBuilder(Kind::kube).field("context", context)); }

/// A pg target: host, port, dbname, in that order.
inline TargetBuilder pg(const std::string& dbname, const std::string& host, const std::string& port = "5432") {
    return std::move(TargetBuilder(Kind::pg).field("host", host).field("port", port).field("dbname", dbname));
}

/// An env target: NAME=value.
inline TargetBuilder env(const std::string& name, const std::string& value) {
    return std::move(TargetBuilder(Kind::env).field("name", name).field("value", value));
}

/// The configuration of a user file `toml` (path "user.toml") over the
/// built-ins; the file must parse.
inline Config config_with(const std::string& toml) {
    if (toml.empty()) return build_config(std::nullopt, std::nullopt);
    auto file = parse_config(toml, "user.toml", false);
    REQUIRE_MESSAGE(file, (file ? "" : file.error().to_string()));
    return build_config(std::nullopt, file.value());
}

/// A snapshot under construction: targets classified as evaluate() does.
class Snap {
public:
    Snap() = default;
    /// Adds a target (classified at done()).
    Snap& add(const Target& target) {
        targets_.push_back(target);
        return *this;
    }
    /// The user file's TOML (over the built-ins).
    Snap& user_toml(const std::string& toml) {
        toml_ = toml;
        return *this;
    }
    /// A config error: the terminal becomes unknown.
    Snap& config_error(const std::string& error) {
        errors_.push_back(error);
        return *this;
    }
    /// A warning, as resolution adds them.
    Snap& warning(const std::string& text) {
        warnings_.push_back(text);
        return *this;
    }
    Snapshot done() const {
        Snapshot s;
        s.config = config_with(toml_);
        for (const std::string& e : errors_) s.config.errors.push_back(e);
        s.targets = targets_;
        s.warnings = warnings_;
        for (Target& t : s.targets) classify(t, s.config);
        s.tier = overall_tier(s.targets, s.config);
        return s;
    }
    operator Snapshot() const { return done(); }

private:
    std::vector<Target> targets_;
    std::vector<std::string> errors_;
    std::vector<std::string> warnings_;
    std::string toml_;
};

/// A TargetView of `kind` named `name` (already sanitized), for sinks
/// tested without a snapshot.
inline TargetView view(Kind kind, const std::string& name) {
    TargetView v;
    v.kind = kind;
    v.name = name;
    return v;
}

/// The production display of one kube target "prod-eu/payments": label
/// PROD, red, production-ranked.
inline Display production_display() {
    Display d;
    d.tier = Tier::production();
    d.label = "PROD";
    d.color = Color::ansi(1);
    d.dangerous = true;
    d.targets = {view(Kind::kube, "prod-eu/payments")};
    return d;
}

}  // namespace test
}  // namespace sentinel
