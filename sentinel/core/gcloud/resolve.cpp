#include "sentinel/core/gcloud/resolve.hpp"

#include <optional>

#include "sentinel/core/ini/configparser.hpp"

namespace sentinel {
namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool secret_key(std::string_view name) {
    return ends_with(name, "password") || ends_with(name, "secret") || ends_with(name, "token");
}

// named_configs.py _VALID_CONFIG_NAME_REGEX, and the reserved "NONE".
bool valid_config_name(const std::string& name) {
    if (name == "NONE") return true;
    if (name.empty() || name[0] < 'a' || name[0] > 'z') return false;
    for (char c : name)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    return true;
}

// configparser.BasicInterpolation.before_get for one value of `section`:
// `%%` is '%', `%(name)s` the (interpolated) option `name` of the section,
// at most 10 levels deep. nullopt for anything else after '%'.
std::optional<std::string> interpolate(const IniSection& section, const std::string& value, int depth = 0) {
    if (depth > 10) return std::nullopt;
    std::string out;
    for (std::size_t i = 0; i < value.size(); ++i) {
        if (value[i] != '%') {
            out += value[i];
            continue;
        }
        if (i + 1 < value.size() && value[i + 1] == '%') {
            out += '%';
            ++i;
            continue;
        }
        std::size_t close = value.find(")s", i);
        if (i + 1 >= value.size() || value[i + 1] != '(' || close == std::string::npos) return std::nullopt;
        std::string name = value.substr(i + 2, close - i - 2);
        for (char& c : name)
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        const IniOption* o = section.find(name);
        if (!o || o->secret) return std::nullopt;
        auto inner = interpolate(section, o->value, depth + 1);
        if (!inner) return std::nullopt;
        out += *inner;
        i = close + 1;
    }
    return out;
}

// The active configuration's name (and its origin) in `dir`, as
// named_configs.py decides it; `named` tells that something named one.
std::string active_configuration(const Vars& vars, const std::string& dir, const FileReader& files, Target& t,
                                 bool& named) {
    named = false;
    std::string activator = dir + "/active_config";
    if (auto v = get(vars, "CLOUDSDK_ACTIVE_CONFIG_NAME"); v && !v->empty()) {
        named = true;
        t.set("configuration", *v, "CLOUDSDK_ACTIVE_CONFIG_NAME");
        return *v;
    }
    if (FileRead r = files.read(activator); r.status == FileRead::Status::ok) {
        named = true;
        if (valid_config_name(r.data)) {
            t.set("configuration", r.data, activator + ":1");
            t.files.push_back(activator);
            return r.data;
        }
    }
    t.set("configuration", "default", "default");
    return "default";
}

// The properties file of configuration `name`, parsed and interpolated as
// gcloud loads it; problems go to `t`. `exists` tells whether it was there.
IniFile load_properties(const std::string& path, bool none, const FileReader& files, Target& t, bool& exists) {
    FileRead r = none ? FileRead{} : files.read(path);
    exists = r.status != FileRead::Status::missing;
    IniFile ini;
    if (r.status == FileRead::Status::error) {
        t.problems.push_back(path + ": " + r.reason);
        return ini;
    }
    if (r.status != FileRead::Status::ok) return ini;
    t.files.push_back(path);
    auto parsed = parse_configparser(r.data, path, secret_key);
    if (!parsed) {
        t.problems.push_back(parsed.error().to_string() + " (gcloud cannot parse this file)");
        return ini;
    }
    // gcloud interpolates every option of every section as it loads them.
    for (const IniSection& s : parsed->sections)
        for (const IniOption& o : s.options)
            if (!o.secret && !interpolate(s, o.value)) {
                t.problems.push_back(path + ":" + std::to_string(o.line) +
                                     ": '%' must be followed by '%' or '(name)s' (gcloud fails on it)");
                return ini;
            }
    return std::move(parsed.value());
}

}  // namespace

std::optional<Target> resolve_gcloud(const Vars& vars, const std::string& cwd, const FileReader& files,
                                     std::vector<std::string>& warnings) {
    std::string dir;
    if (auto v = get(vars, "CLOUDSDK_CONFIG"); v && !v->empty()) {
        dir = (*v)[0] == '/' || cwd.empty() ? *v : (cwd == "/" ? "" : cwd) + "/" + *v;
    } else if (auto home = get(vars, "HOME"); home && !home->empty()) {
        dir = *home + "/.config/gcloud";
    } else {
        return std::nullopt;
    }
    Target t;
    t.kind = Kind::gcloud;
    for (const char* var : {"CLOUDSDK_CONFIG", "CLOUDSDK_ACTIVE_CONFIG_NAME", "CLOUDSDK_CORE_PROJECT",
                            "CLOUDSDK_CORE_ACCOUNT", "CLOUDSDK_COMPUTE_REGION"})
        if (auto v = get(vars, var); v && !v->empty()) t.sources.push_back(var);
    bool named = false, exists = false;
    std::string name = active_configuration(vars, dir, files, t, named);
    std::string path = dir + "/configurations/config_" + name;
    IniFile ini = load_properties(path, name == "NONE", files, t, exists);
    auto property = [&](const char* field, const char* var, const char* section, const char* key) {
        if (auto v = get(vars, var); v && !v->empty()) return t.set(field, *v, var);
        const IniSection* s = ini.find(section);
        const IniOption* o = s ? s->find(key) : nullptr;
        if (o && !o->secret) return t.set(field, *interpolate(*s, o->value), path + ":" + std::to_string(o->line));
        t.set(field, "", "");
    };
    property("project", "CLOUDSDK_CORE_PROJECT", "core", "project");
    property("account", "CLOUDSDK_CORE_ACCOUNT", "core", "account");
    property("region", "CLOUDSDK_COMPUTE_REGION", "compute", "region");
    bool overridden = false;
    for (const char* var : {"CLOUDSDK_CORE_PROJECT", "CLOUDSDK_CORE_ACCOUNT", "CLOUDSDK_COMPUTE_REGION"})
        if (auto v = get(vars, var); v && !v->empty()) overridden = true;
    if (!named && !exists && !overridden) return std::nullopt;
    if (!t.problems.empty()) warnings.push_back("gcloud: " + t.problems.front());
    return t;
}

}  // namespace sentinel
