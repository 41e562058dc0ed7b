#pragma once
// The one picture of a terminal (or of a command's targets), derived once
// from a snapshot and drawn by every sink: the prompt segment, the status
// line, `sentinel bar`, the tmux pane options, the OSC tint, `sentinel
// status`, `sentinel explain`, the guard banner and psql's prompt. A sink
// chooses what to draw from it; it never looks a label, a colour or a short
// name up again. Pure.

#include <string>
#include <vector>

#include "sentinel/core/color.hpp"
#include "sentinel/core/snapshot.hpp"
#include "sentinel/core/target.hpp"
#include "sentinel/core/tier.hpp"

namespace sentinel {

/// One target as every sink names it. Every string is sanitized
/// (core/sanitize.hpp).
struct TargetView {
    Kind kind = Kind::kube;
    Tier tier;                       ///< the target's own tier
    std::string label;               ///< its tier's label ("PROD"); "" when the configuration has none
    Color color;                     ///< its tier's colour
    std::string name;                ///< short_name() of the target
    /// Why it cannot be trusted: its first problem, sanitized ("context
    /// \"ghost\" is not defined in any kubeconfig file"); "" when it has none.
    std::string problem;
    /// What stands between the name and what it reaches, nearest first
    /// (a forwarder: "kubectl port-forward svc/db (prod-eu)"); empty when
    /// the name is what it reaches. chain_text() draws it.
    std::vector<std::string> via;
    /// More lines about the target, drawn where a sink has room (the guard
    /// banner, `status`, `explain`), never on one-line sinks.
    std::vector<std::string> lines;

    bool operator==(const TargetView&) const = default;
};

/// The picture: the overall tier and each target.
struct Display {
    Tier tier = Tier::none();         ///< the snapshot's overall tier
    std::string label;                ///< its label, sanitized; "" for none and tiers without one
    Color color;                      ///< its colour (the default colour for none)
    bool dangerous = false;           ///< Config::production_ranked(tier): background tints apply
    std::vector<TargetView> targets;  ///< in Snapshot::targets order, one per target
    /// Text one-line sinks (status line, tmux) show last, e.g. "changed from
    /// STAGING staging-eu" (the agent sets it per session); "" from
    /// make_display.
    std::string note;

    bool operator==(const Display&) const = default;

    /// The label to print: `label`, or the sanitized tier name when there
    /// is none ("none", a tier configured without a label).
    std::string shown_label() const;
};

/// The short name of a target, sanitized, the same in every sink:
/// - kube: "context/namespace", "context" without a namespace, "(no
///   context)" for an empty context;
/// - pg: the service when one is set, else "dbname@host" (hostaddr when
///   there is no host) with ":port" unless the port is 5432 or empty;
/// - env: "NAME=value";
/// - terraform "tf:WORKSPACE", aws "aws:PROFILE", gcloud "gcloud:PROJECT"
///   (its configuration's name without a project): Target::display_name().
std::string short_name(const Target& target);

/// The display of `snapshot`: overall tier, label, colour and
/// production-ranked flag from its configuration (Config::spec, rank),
/// and a TargetView per target.
Display make_display(const Snapshot& snapshot);

/// A target's name with its chain: `name` alone, or with hops
/// "name → hop → … → LABEL" (the label of the tier it reaches, its tier
/// name when it has no label).
std::string chain_text(const TargetView& target);

/// chain_text() of each target in order, a name shown once: what a
/// one-line sink lists. A target with a problem is shown by why instead,
/// briefly: "kube: context \"ghost\" is not defined in any kubeconfig
/// file" (the problem without a parenthesis or "libpq: ", at most 60
/// columns), never
/// by a name with empty fields.
std::vector<std::string> distinct_names(const Display& display);

/// The status line's items: chain_text() of each target prefixed by its
/// kind ("kube prod-eu/payments", "pg orders@db1"; env, terraform, aws and
/// gcloud targets alone, "NAME=value", "tf:prod": the name says what it
/// is), each shown once. A target with a problem: "kube ghost: PROBLEM",
/// the whole first problem.
std::vector<std::string> line_items(const Display& display);

}  // namespace sentinel
