#include "sentinel/core/config/config.hpp"

#include <toml++/toml.h>

#include "sentinel/core/config/toml_identity.hpp"
#include "sentinel/core/config/toml_error.hpp"

#include <algorithm>
#include <set>

#include "sentinel/core/config/screen.hpp"

namespace sentinel {
namespace {

// Fields a rule may test, per kind, and the pseudo-field "any".
const std::set<std::string, std::less<>> kRuleFields = {
    "any", "context", "cluster", "server", "namespace", "user",     // kube
    "service", "host", "hostaddr", "port", "dbname",               // pg
    "name", "value",                                               // env
    "workspace", "dir", "backend",                                 // terraform
    "profile", "account", "role", "region",                        // aws (account, region: gcloud too)
    "project", "configuration",                                    // gcloud
    // what a traced loopback target reaches (core/reach/trace.hpp)
    "via", "resource", "remote_host", "remote_port", "remote_socket", "remote_dbname", "database", "ssh_host",
    "ssh_hostname", "ssh_user", "ssh_port", "instance", "proxy_host", "container_ip", "container_port",
    "data_directory",
};

std::string position(const std::string& path, const toml::source_region& source) {
    return path + ":" + std::to_string(source.begin.line) + ":" + std::to_string(source.begin.column);
}

Error error_at(const std::string& path, const toml::node& node, std::string message) {
    return Error{path, static_cast<int>(node.source().begin.line), static_cast<int>(node.source().begin.column),
                 std::move(message)};
}

std::optional<Policy> parse_policy(std::string_view text) {
    if (text == "none") return Policy::none;
    if (text == "yes") return Policy::yes;
    if (text == "type-name") return Policy::type_name;
    return std::nullopt;
}

std::optional<Kind> parse_kind(std::string_view text) {
    if (text == "kube") return Kind::kube;
    if (text == "pg") return Kind::pg;
    if (text == "env") return Kind::env;
    if (text == "terraform") return Kind::terraform;
    if (text == "aws") return Kind::aws;
    if (text == "gcloud") return Kind::gcloud;
    return std::nullopt;
}

Result<TierPatch> parse_tier(const std::string& path, const std::string& name, const toml::node& node, bool system) {
    const toml::table* table = node.as_table();
    if (!table) return error_at(path, node, "tier \"" + name + "\" must be a table");
    TierPatch t;
    t.tier = Tier(name);
    t.origin = position(path, node.source());
    for (const auto& [key, value] : *table) {
        std::string_view k = key.str();
        if (k == "label" || k == "color") {
            auto s = value.value<std::string>();
            if (!s) return error_at(path, value, "\"" + std::string(k) + "\" must be a string");
            if (k == "label") {
                t.label = *s;
                continue;
            }
            t.color = Color::parse(*s);
            if (!t.color)
                return error_at(path, value, "unknown colour \"" + *s + "\" (use a name like \"red\", 0-255, or \"#rrggbb\")");
        } else if (k == "policy") {
            auto s = value.value<std::string>();
            auto p = s ? parse_policy(*s) : std::nullopt;
            if (!p) return error_at(path, value, "policy must be \"none\", \"yes\" or \"type-name\"");
            t.policy = p;
        } else if (k == "rank") {
            auto r = value.value<int64_t>();
            if (!r || *r < 0 || *r > 1000) return error_at(path, value, "rank must be an integer from 0 to 1000");
            t.rank = static_cast<int>(*r);
        } else if (k == "grace") {
            auto g = value.value<int64_t>();
            if (!g || *g < 0 || *g > 86400) return error_at(path, value, "grace must be seconds from 0 to 86400");
            t.grace = static_cast<int>(*g);
        } else if (k == "locked") {
            auto b = value.value<bool>();
            if (!b) return error_at(path, value, "\"locked\" must be true or false");
            if (system) t.locked = *b;
        } else {
            return Error{path, static_cast<int>(key.source().begin.line), static_cast<int>(key.source().begin.column),
                         "unknown key \"" + std::string(k) + "\" in tier \"" + name + "\""};
        }
    }
    return t;
}

// The keys of `[display]`. A bad value or an unknown key is an error of the
// file like any other: the file is ignored and the terminal is unknown.
Result<bool> parse_display(const std::string& path, const toml::table& display, ConfigFile& file) {
    for (const auto& [key, value] : display) {
        std::string_view k = key.str();
        if (k == "statusline") {
            auto s = value.is_string() ? value.value<std::string>() : std::nullopt;
            if (s && *s == "bottom") file.display.statusline = Placement::bottom;
            else if (s && *s == "top") file.display.statusline = Placement::top;
            else if (s && *s == "off") file.display.statusline = Placement::off;
            else return error_at(path, value, "statusline must be \"bottom\", \"top\" or \"off\"");
        } else if (k == "tmux_tint" || k == "osc_tint") {
            auto b = value.is_boolean() ? value.value<bool>() : std::nullopt;
            if (!b) return error_at(path, value, std::string(k) + " must be true or false");
            (k == "tmux_tint" ? file.display.tmux_tint : file.display.osc_tint) = *b;
        } else {
            return Error{path, static_cast<int>(key.source().begin.line), static_cast<int>(key.source().begin.column),
                         "unknown key \"" + std::string(k) + "\" in [display] (expected statusline, tmux_tint, osc_tint)"};
        }
    }
    return true;
}

// `dotenv = [".env", ...]`: plain file names, looked for in the project
// directory and its parents; a path could reach outside the project.
Result<std::vector<std::string>> parse_dotenv_names(const std::string& path, const toml::node& value) {
    const toml::array* names = value.as_array();
    if (!names) return error_at(path, value, "\"dotenv\" must be an array of file names");
    std::vector<std::string> out;
    for (const toml::node& n : *names) {
        auto s = n.value<std::string>();
        if (!s || s->empty() || *s == "." || *s == ".." || s->find('/') != std::string::npos ||
            s->find('\0') != std::string::npos)
            return error_at(path, n, "\"dotenv\" entries must be file names without '/'");
        out.push_back(*s);
    }
    return out;
}

// A preview or undo key. Like `[display]`, a bad value is an error of the
// file like any other.
Result<bool> parse_undo(const std::string& path, std::string_view k, const toml::node& value, ConfigFile& file) {
    if (k == "undo") {
        auto s = value.value<std::string>();
        if (s && *s == "required") file.undo.mode = UndoMode::required;
        else if (s && *s == "best-effort") file.undo.mode = UndoMode::best_effort;
        else if (s && *s == "off") file.undo.mode = UndoMode::off;
        else return error_at(path, value, "undo must be \"required\", \"best-effort\" or \"off\"");
    } else if (k == "undo_max_bytes") {
        auto v = value.is_integer() ? value.value<std::int64_t>() : std::nullopt;
        if (!v || *v < 0) return error_at(path, value, "undo_max_bytes must be a number of bytes (0 or more)");
        file.undo.max_bytes = *v;
    } else if (k == "undo_keep_days") {
        auto v = value.is_integer() ? value.value<std::int64_t>() : std::nullopt;
        if (!v || *v < 1 || *v > 36500) return error_at(path, value, "undo_keep_days must be a number of days from 1 to 36500");
        file.undo.keep_days = static_cast<int>(*v);
    } else {
        auto v = value.is_number() ? value.value<double>() : std::nullopt;
        if (!v || !(*v >= 0 && *v <= 600)) return error_at(path, value, "preview_timeout must be seconds from 0 to 600");
        file.undo.preview_timeout_ms = static_cast<int>(*v * 1000 + 0.5);
    }
    return true;
}

Result<Condition> parse_condition(const std::string& path, const std::string& field, const toml::node& value) {
    Pattern::Type type = Pattern::Type::glob;
    std::optional<std::string> text = value.is_string() ? value.value<std::string>() : std::nullopt;
    // A port is a number: `port = 5432` matches as the glob "5432" would.
    if (field == "port" && value.is_integer()) {
        auto port = value.value<int64_t>();
        if (!port || *port < 0 || *port > 65535) return error_at(path, value, "port must be from 0 to 65535");
        text = std::to_string(*port);
    }
    if (const toml::table* t = value.as_table()) {
        if (t->size() != 1 || !(t->contains("glob") || t->contains("regex")))
            return error_at(path, value, "a pattern table must hold exactly one of \"glob\" or \"regex\"");
        type = t->contains("regex") ? Pattern::Type::regex : Pattern::Type::glob;
        text = (*t)[type == Pattern::Type::regex ? "regex" : "glob"].value<std::string>();
    }
    if (!text)
        return error_at(path, value, "\"" + field + "\" must be a glob string or { regex = \"...\" }" +
                                         std::string(field == "port" ? ", or a port number" : ""));
    auto pattern = Pattern::compile(type, *text);
    if (!pattern) return error_at(path, value, pattern.error().message);
    return Condition{field, std::move(pattern.value())};
}

Result<Rule> parse_rule(const std::string& path, const toml::node& node, bool system) {
    const toml::table* table = node.as_table();
    if (!table) return error_at(path, node, "each [[rules]] entry must be a table");
    Rule rule;
    rule.origin = position(path, node.source());
    bool has_tier = false;
    for (const auto& [key, value] : *table) {
        std::string k(key.str());
        const toml::key& key_node = key;  // clang 14 cannot capture a structured binding
        auto key_error = [&](std::string message) {
            return Error{path, static_cast<int>(key_node.source().begin.line),
                         static_cast<int>(key_node.source().begin.column), std::move(message)};
        };
        if (k == "tier") {
            auto s = value.value<std::string>();
            if (!s) return error_at(path, value, "\"tier\" must be a string");
            rule.tier = Tier(*s);
            rule.tier_origin = position(path, value.source());
            has_tier = true;
        } else if (k == "kind") {
            auto s = value.value<std::string>();
            auto kind = s ? parse_kind(*s) : std::nullopt;
            if (!kind)
                return error_at(path, value, "kind must be \"kube\", \"pg\", \"env\", \"terraform\", \"aws\" or \"gcloud\"");
            rule.kind = kind;
        } else if (k == "locked") {
            auto b = value.value<bool>();
            if (!b) return error_at(path, value, "\"locked\" must be true or false");
            rule.locked = system && *b;
        } else if (kRuleFields.count(k)) {
            auto condition = parse_condition(path, k, value);
            if (!condition) return condition.error();
            rule.conditions.push_back(std::move(condition.value()));
        } else {
            return key_error("unknown key \"" + k + "\" in rule (fields: context, cluster, server, namespace, user, "
                             "service, host, hostaddr, port, dbname, name, value, workspace, dir, backend, profile, "
                             "account, role, region, project, configuration, any; through a forwarder: via, "
                             "resource, remote_host, remote_port, ssh_host, ssh_hostname, instance, ...)");
        }
    }
    if (!has_tier) return error_at(path, node, "rule has no \"tier\"");
    if (rule.conditions.empty()) return error_at(path, node, "rule matches nothing: give at least one field pattern");
    return rule;
}

// The keys `file` sets in [display] over `settings`.
void merge_display(DisplaySettings& settings, const ConfigFile& file) {
    if (file.display.statusline) settings.statusline = *file.display.statusline;
    if (file.display.tmux_tint) settings.tmux_tint = *file.display.tmux_tint;
    if (file.display.osc_tint) settings.osc_tint = *file.display.osc_tint;
}

}  // namespace

std::string_view placement_name(Placement placement) {
    switch (placement) {
        case Placement::bottom: return "bottom";
        case Placement::top: return "top";
        case Placement::off: break;
    }
    return "off";
}

std::string_view policy_name(Policy policy) {
    switch (policy) {
        case Policy::none: return "none";
        case Policy::yes: return "yes";
        case Policy::type_name: return "type-name";
    }
    return "type-name";
}

const TierSpec* Config::spec(const Tier& tier) const {
    for (const TierSpec& t : tiers)
        if (t.tier == tier) return &t;
    return nullptr;
}

int Config::rank(const Tier& tier) const {
    if (tier == Tier::none()) return -1;
    const TierSpec* defined = spec(tier);
    if (defined && tier != Tier::unknown()) return defined->rank;
    const TierSpec* unknown = spec(Tier::unknown());
    const TierSpec* production = spec(Tier::production());
    return std::max(unknown ? unknown->rank : 0, production ? production->rank : 100);
}

bool Config::production_ranked(const Tier& tier) const { return rank(tier) >= rank(Tier::production()); }

Result<ConfigFile> parse_config(std::string_view text, const std::string& path, bool system) {
    if (auto bad = screen_toml(text, path)) return *bad;
    toml::table root;
    try {
        root = toml::parse(text, path);
    } catch (const toml::parse_error& e) {
        TomlError plain = reword_toml_error(text, static_cast<int>(e.source().begin.line),
                                            static_cast<int>(e.source().begin.column), e.description());
        return Error{path, plain.line, plain.column, plain.message};
    }
    ConfigFile file;
    file.path = path;
    for (const auto& [key, value] : root) {
        std::string_view k = key.str();
        if (k == "tiers") {
            const toml::table* tiers = value.as_table();
            if (!tiers) return error_at(path, value, "\"tiers\" must be a table of [tiers.NAME] tables");
            for (const auto& [name, tier] : *tiers) {
                if (file.tiers.size() == kMaxTiers)
                    return error_at(path, tier, "more than " + std::to_string(kMaxTiers) + " tiers");
                auto parsed = parse_tier(path, std::string(name.str()), tier, system);
                if (!parsed) return parsed.error();
                file.tiers.push_back(std::move(parsed.value()));
            }
        } else if (k == "rules") {
            const toml::array* rules = value.as_array();
            if (!rules) return error_at(path, value, "\"rules\" must be an array of [[rules]] tables");
            if (rules->size() > kMaxRules)
                return error_at(path, (*rules)[kMaxRules], "more than " + std::to_string(kMaxRules) + " rules");
            for (const toml::node& rule : *rules) {
                auto parsed = parse_rule(path, rule, system);
                if (!parsed) return parsed.error();
                file.rules.push_back(std::move(parsed.value()));
            }
        } else if (k == "env") {
            const toml::array* names = value.as_array();
            if (!names) return error_at(path, value, "\"env\" must be an array of variable names");
            if (names->size() > kMaxEnv)
                return error_at(path, (*names)[kMaxEnv], "more than " + std::to_string(kMaxEnv) + " env variables");
            std::vector<std::string> env;
            for (const toml::node& n : *names) {
                auto s = n.value<std::string>();
                if (!s || s->empty()) return error_at(path, n, "\"env\" entries must be variable names");
                env.push_back(*s);
            }
            file.env = std::move(env);
        } else if (k == "dotenv") {
            auto names = parse_dotenv_names(path, value);
            if (!names) return names.error();
            file.dotenv = std::move(names.value());
        } else if (k == "display") {
            if (!value.as_table()) return error_at(path, value, "\"display\" must be a table");
            if (auto display = parse_display(path, *value.as_table(), file); !display) return display.error();
        } else if (k == "undo" || k == "undo_max_bytes" || k == "undo_keep_days" || k == "preview_timeout") {
            if (auto undo = parse_undo(path, k, value, file); !undo) return undo.error();
        } else if (k == "audit") {
            auto a = value.value<std::string>();
            if (!a || (*a != "required" && *a != "best-effort"))
                return error_at(path, value, "audit must be \"best-effort\" or \"required\"");
            file.audit_required = *a == "required";
        } else if (k == "identity") {
            const toml::array* entries = value.as_array();
            if (!entries) return error_at(path, value, "\"identity\" must be an array of [[identity]] tables");
            for (const toml::node& entry : *entries) {
                auto parsed = parse_identity(path, entry);
                if (!parsed) return parsed.error();
                file.identities.push_back(std::move(parsed.value()));
            }
        } else if (k == "probe") {
            auto text = value.value<std::string>();
            auto mode = text ? parse_probe_mode(*text) : std::nullopt;
            if (!mode) return error_at(path, value, "probe must be \"guarded\", \"always\" or \"never\"");
            file.probe = mode;
        } else if (k == "probe_background") {
            auto b = value.value<bool>();
            if (!b) return error_at(path, value, "\"probe_background\" must be true or false");
            file.probe_background = *b;
        } else if (k == "builtin_rules") {
            auto b = value.value<bool>();
            if (!b) return error_at(path, value, "\"builtin_rules\" must be true or false");
            file.builtin_rules = *b;
        } else {
            return Error{path, static_cast<int>(key.source().begin.line), static_cast<int>(key.source().begin.column),
                         "unknown key \"" + std::string(k) +
                             "\" (expected tiers, rules, env, dotenv, builtin_rules, audit, display, undo, undo_max_bytes, "
                             "undo_keep_days, preview_timeout, identity, probe, probe_background)"};
        }
    }
    return file;
}

Config build_config(const std::optional<ConfigFile>& system, const std::optional<ConfigFile>& user) {
    ConfigFile builtin = builtin_config();
    Config config;

    // "unknown" is treated as production by the guard: no file weakens it.
    std::set<Tier> locked_tiers = {Tier::unknown()};
    if (system) {
        for (const TierPatch& t : system->tiers)
            if (t.locked) locked_tiers.insert(t.tier);
        for (const Rule& r : system->rules)
            if (r.locked) locked_tiers.insert(r.tier);
    }

    auto apply = [&](const ConfigFile& file, bool is_user) {
        for (const TierPatch& patch : file.tiers) {
            auto it = std::find_if(config.tiers.begin(), config.tiers.end(),
                                   [&](const TierSpec& t) { return t.tier == patch.tier; });
            if (it == config.tiers.end()) {
                config.tiers.push_back(TierSpec{patch.tier, patch.tier.name(), Color{}, Policy::type_name, 50, 0, patch.origin});
                it = config.tiers.end() - 1;
            }
            bool locked = (is_user || patch.tier == Tier::unknown()) && locked_tiers.count(patch.tier);
            if (patch.label) it->label = *patch.label;
            if (patch.color) it->color = *patch.color;
            if (patch.policy) {
                if (locked && *patch.policy != it->policy)
                    config.notes.push_back(patch.origin + ": policy of tier \"" + patch.tier.name() +
                                           "\" is locked by the system configuration; ignored");
                else it->policy = *patch.policy;
            }
            if (patch.rank) {
                if (locked && *patch.rank < it->rank)
                    config.notes.push_back(patch.origin + ": rank of tier \"" + patch.tier.name() +
                                           "\" is locked by the system configuration; ignored");
                else it->rank = *patch.rank;
            }
            if (patch.grace) {
                if (locked && *patch.grace > it->grace)
                    config.notes.push_back(patch.origin + ": grace of tier \"" + patch.tier.name() +
                                           "\" is locked by the system configuration; ignored");
                else it->grace = *patch.grace;
            }
            if (!locked) it->origin = patch.origin;
        }
    };
    apply(builtin, false);
    if (system) apply(*system, false);
    if (user) apply(*user, true);

    auto add_rules = [&](const ConfigFile& file, auto keep) {
        for (const Rule& r : file.rules) {
            if (!keep(r)) continue;
            if (!config.spec(r.tier)) {
                config.errors.push_back((r.tier_origin.empty() ? r.origin : r.tier_origin) + ": unknown tier \"" +
                                        r.tier.name() + "\"");
                continue;
            }
            config.rules.push_back(r);
        }
    };
    if (system) add_rules(*system, [](const Rule& r) { return r.locked; });
    if (user) add_rules(*user, [](const Rule&) { return true; });
    if (system) add_rules(*system, [](const Rule& r) { return !r.locked; });
    bool builtin_rules = true;
    if (system && system->builtin_rules) builtin_rules = *system->builtin_rules;
    if (user && user->builtin_rules) builtin_rules = *user->builtin_rules;
    if (builtin_rules) add_rules(builtin, [](const Rule&) { return true; });

    if (system && system->audit_required) config.audit_required = *system->audit_required;
    if (user && user->audit_required) {
        if (config.audit_required && !*user->audit_required)
            config.notes.push_back(user->path + ": audit = \"required\" is set by the system configuration; kept");
        else config.audit_required = *user->audit_required;
    }

    for (const ConfigFile* file : {system ? &*system : nullptr, user ? &*user : nullptr}) {
        if (!file) continue;
        merge_display(config.display, *file);
        apply_undo_patch(file->undo, file->path, system && file == &*system, config.undo);
    }
    for (const ConfigFile* file : {system ? &*system : nullptr, user ? &*user : nullptr}) {
        if (!file) continue;
        for (const IdentityPin& pin : file->identities) {
            if (!config.spec(pin.tier))
                config.errors.push_back(pin.origin + ": unknown tier \"" + pin.tier.name() + "\"");
            else config.identities.push_back(pin);
        }
        if (file->probe) config.probe = *file->probe;
        if (file->probe_background) config.probe_background = *file->probe_background;
    }

    config.env = *builtin.env;
    if (system && system->env) config.env = *system->env;
    if (user && user->env) config.env = *user->env;
    config.dotenv = *builtin.dotenv;
    if (system && system->dotenv) config.dotenv = *system->dotenv;
    if (user && user->dotenv) config.dotenv = *user->dotenv;
    return config;
}

ConfigPaths config_paths(const Vars& vars) {
    ConfigPaths paths;
    paths.system = get(vars, "SENTINEL_SYSTEM_CONFIG").value_or("/etc/sentinel/config.toml");
    if (auto xdg = get(vars, "XDG_CONFIG_HOME"); xdg && !xdg->empty() && (*xdg)[0] == '/')
        paths.user = *xdg + "/sentinel/config.toml";
    else if (auto home = get(vars, "HOME"); home && !home->empty())
        paths.user = *home + "/.config/sentinel/config.toml";
    return paths;
}

Config load_config(const Vars& vars, const FileReader& files) {
    ConfigPaths paths = config_paths(vars);

    std::vector<std::string> errors, read;
    auto load = [&](const std::string& path, bool system) -> std::optional<ConfigFile> {
        if (path.empty()) return std::nullopt;
        FileRead file = files.read(path);
        if (file.status == FileRead::Status::missing) return std::nullopt;
        if (file.status == FileRead::Status::error) {
            errors.push_back(path + ": " + file.reason);
            return std::nullopt;
        }
        read.push_back(path);
        auto parsed = parse_config(file.data, path, system);
        if (!parsed) {
            errors.push_back(parsed.error().to_string());
            return std::nullopt;
        }
        return std::move(parsed.value());
    };
    auto system = load(paths.system, true);
    auto user = load(paths.user, false);
    Config config = build_config(system, user);
    config.files = read;
    config.errors.insert(config.errors.begin(), errors.begin(), errors.end());
    return config;
}

}  // namespace sentinel
