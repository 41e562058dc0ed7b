#include "sentinel/core/guard/change.hpp"

#include <vector>

#include "sentinel/core/sanitize.hpp"

namespace sentinel {
namespace {

constexpr std::size_t kValueWidth = 60;

std::string quoted(const std::string& raw) {
    if (raw.empty()) return "(none)";
    return "\"" + elide_middle(sanitize(raw), kValueWidth) + "\"";
}

std::vector<const Target*> of_kind(const Snapshot& s, Kind kind) {
    std::vector<const Target*> out;
    for (const Target& t : s.targets)
        if (t.kind == kind) out.push_back(&t);
    return out;
}

// The differing fields of two targets of one kind, in `a`'s order, then
// fields only `b` has.
void compare(const Target& a, const Target& b, std::vector<std::string>& parts) {
    std::string kind(kind_name(a.kind));
    for (const Field& f : a.fields)
        if (b.get(f.name) != f.value) parts.push_back(kind + " " + f.name + " " + quoted(f.value) + " → " + quoted(b.get(f.name)));
    for (const Field& f : b.fields)
        if (!a.find(f.name) && !f.value.empty()) parts.push_back(kind + " " + f.name + " (none) → " + quoted(f.value));
    if (a.tier != b.tier) parts.push_back("tier " + sanitize(a.tier.name()) + " → " + sanitize(b.tier.name()));
}

}  // namespace

std::string describe_change(const Snapshot& before, const Snapshot& after) {
    std::vector<std::string> parts;
    for (Kind kind : {Kind::kube, Kind::pg, Kind::env}) {
        auto a = of_kind(before, kind), b = of_kind(after, kind);
        std::string name(kind_name(kind));
        for (std::size_t i = 0; i < a.size() || i < b.size(); ++i) {
            if (i >= b.size()) parts.push_back(name + " target " + quoted(a[i]->display_name()) + " is gone");
            else if (i >= a.size()) parts.push_back(name + " target " + quoted(b[i]->display_name()) + " appeared");
            else compare(*a[i], *b[i], parts);
        }
    }
    if (parts.empty() && before.tier != after.tier)
        parts.push_back("tier " + sanitize(before.tier.name()) + " → " + sanitize(after.tier.name()));
    if (parts.empty()) return "the connection settings changed";
    std::string out;
    for (const std::string& p : parts) out += (out.empty() ? "" : "; ") + p;
    return out;
}

}  // namespace sentinel
