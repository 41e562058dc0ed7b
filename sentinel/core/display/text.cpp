#include <cctype>
#include <set>

#include "sentinel/core/display/format.hpp"
#include "sentinel/core/sanitize.hpp"

namespace sentinel {
namespace {

struct Painter {
    bool color;
    std::string paint(const std::string& text, const std::string& sgr) const {
        if (!color || sgr.empty()) return text;
        return "\x1b[" + sgr + "m" + text + "\x1b[0m";
    }
};

std::string tier_sgr(const Snapshot& s, const Tier& tier_name, bool bold) {
    const TierSpec* tier = s.config.spec(tier_name);
    std::string sgr = tier ? tier->color.sgr(false) : "";
    if (bold) sgr = sgr.empty() ? "1" : "1;" + sgr;
    return sgr;
}

std::string label_of(const Snapshot& s, const Tier& tier_name) {
    const TierSpec* tier = s.config.spec(tier_name);
    return sanitize(tier ? tier->label : tier_name.name());
}

// The short form of a target for one-line displays.
std::string short_name(const Target& t) {
    switch (t.kind) {
        case Kind::kube: {
            std::string ctx = t.get("context").empty() ? "(no context)" : t.get("context");
            return sanitize(ctx) + "/" + sanitize(t.get("namespace"));
        }
        case Kind::pg: {
            std::string host = t.get("host").empty() ? t.get("hostaddr") : t.get("host");
            std::string out = sanitize(t.get("dbname")) + "@" + sanitize(host);
            if (t.get("port") != "5432") out += ":" + sanitize(t.get("port"));
            if (!t.get("service").empty()) out = sanitize(t.get("service")) + " (" + out + ")";
            return out;
        }
        case Kind::env:
            return sanitize(t.get("name")) + "=" + sanitize(t.get("value"));
    }
    return {};
}

}  // namespace

std::string format_plain(const Snapshot& s, bool color) {
    Painter p{color};
    std::string out;
    out += "tier: " + p.paint(label_of(s, s.tier), tier_sgr(s, s.tier, true)) + " (" + sanitize(s.tier.name()) + ")\n";
    if (s.targets.empty()) out += "no targets: no kube context, PostgreSQL variables or configured env variables\n";
    for (const Target& t : s.targets) {
        out += std::string(kind_name(t.kind)) + "  ";
        std::string details;
        for (const Field& f : t.fields) {
            if (f.value.empty()) continue;
            if (!details.empty()) details += "  ";
            details += f.name + "=" + sanitize(f.value);
        }
        out += details.empty() ? "(unresolved)" : details;
        out += "  " + p.paint(label_of(s, t.tier), tier_sgr(s, t.tier, true)) + "  by " + sanitize(t.rule) + "\n";
    }
    for (const std::string& w : s.warnings) out += "warning: " + sanitize(w) + "\n";
    return out;
}

std::string format_prompt(const Snapshot& s, bool color, std::size_t width) {
    if (s.targets.empty() && s.tier != Tier::unknown()) return {};
    Painter p{color};
    std::string label = label_of(s, s.tier);
    std::string names;
    std::set<std::string> seen;
    for (const Target& t : s.targets) {
        std::string name = short_name(t);
        if (!seen.insert(name).second) continue;
        if (!names.empty()) names += " ";
        names += name;
    }
    if (width) {
        if (display_width(label) >= width) return p.paint(elide_middle(label, width), tier_sgr(s, s.tier, true));
        names = elide_middle(names, width - display_width(label) - 1);
    }
    std::string out = p.paint(label, tier_sgr(s, s.tier, true));
    if (!names.empty()) out += " " + p.paint(names, tier_sgr(s, s.tier, false));
    return out;
}

}  // namespace sentinel
