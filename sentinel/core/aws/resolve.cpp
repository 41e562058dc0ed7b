#include "sentinel/core/aws/resolve.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include "sentinel/core/ini/configparser.hpp"

namespace sentinel {
namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// One option of a profile and where it was set.
struct Setting {
    std::string value;  // "" for a secret
    bool secret = false;
    std::string where;  // "path:line"
};
using Profile = std::map<std::string, Setting>;

struct Profiles {
    std::map<std::string, Profile> profiles;
    std::map<std::string, Profile> sso_sessions;
};

void add_section(std::map<std::string, Profile>& into, const std::string& name, const IniSection& section,
                 const std::string& path, bool update) {
    Profile& p = into[name];
    if (!update) p.clear();  // a later [default] / [profile default] replaces the earlier one
    for (const IniOption& o : section.options)
        p[o.name] = {o.value, o.secret, path + ":" + std::to_string(o.line)};
}

// botocore's build_profile_map over the config file.
void config_profiles(const IniFile& file, const std::string& path, Profiles& out) {
    for (const IniSection& s : file.sections) {
        bool profile = s.name.rfind("profile", 0) == 0;
        bool sso = s.name.rfind("sso-session", 0) == 0;
        if (profile || sso) {
            bool ok = false;
            std::vector<std::string> parts = shlex_split(s.name, ok);
            if (!ok || parts.size() != 2) continue;
            add_section(profile ? out.profiles : out.sso_sessions, parts[1], s, path, false);
        } else if (s.name == "default") {
            add_section(out.profiles, "default", s, path, false);
        }
    }
}

const Setting* find(const Profile& p, const std::string& key) {
    auto it = p.find(key);
    return it == p.end() ? nullptr : &it->second;
}

std::string value(const Profile& p, const std::string& key) {
    const Setting* s = find(p, key);
    return s ? s->value : std::string();
}

bool has_static_keys(const Profile& p) { return find(p, "aws_secret_access_key") || find(p, "aws_access_key_id"); }
bool assume_role(const Profile& p) { return find(p, "role_arn") && !find(p, "web_identity_token_file"); }
bool has_sso(const Profile& p) { return find(p, "sso_session") || find(p, "sso_start_url"); }

std::string credentials_kind(const Profile& p) {
    if (assume_role(p)) return "assume role";
    if (find(p, "role_arn") && find(p, "web_identity_token_file")) return "web identity";
    if (has_sso(p)) return "sso";
    if (has_static_keys(p)) return "static keys";
    if (find(p, "credential_process")) return "process";
    return "";
}

// botocore's AssumeRoleProvider checks (credentials.py _get_role_config,
// _validate_source_profile, _resolve_credentials_from_profile), in its
// words; "" when the chain from `name` is sound.
std::string check_role_chain(const Profiles& all, const std::string& name, std::vector<std::string>& visited) {
    const Profile& p = all.profiles.at(name);
    std::string source = value(p, "source_profile");
    bool has_source = find(p, "source_profile") != nullptr;
    bool has_credential_source = find(p, "credential_source") != nullptr;
    if (has_source && has_credential_source)
        return "The profile \"" + name + "\" contains both source_profile and credential_source.";
    if (!has_source && !has_credential_source)
        return "Partial credentials found in assume-role, missing: source_profile or credential_source";
    if (has_credential_source) {
        std::string cs = value(p, "credential_source");
        if (cs != "Environment" && cs != "Ec2InstanceMetadata" && cs != "EcsContainer")
            return "The credential source \"" + cs + "\" referenced in profile \"" + name + "\" is not valid.";
        return "";
    }
    auto it = all.profiles.find(source);
    if (it == all.profiles.end())
        return "The source_profile \"" + source + "\" referenced in the profile \"" + name + "\" does not exist.";
    if (std::find(visited.begin(), visited.end(), source) != visited.end()) {
        if (source != name || !has_static_keys(it->second))
            return "Infinite loop in profile configuration through source_profile \"" + source + "\".";
        return "";
    }
    visited.push_back(source);
    const Profile& sp = it->second;
    if (has_static_keys(sp) || !assume_role(sp)) {
        bool creds = has_static_keys(sp) || has_sso(sp) || find(sp, "credential_process") ||
                     (find(sp, "role_arn") && find(sp, "web_identity_token_file"));
        return creds ? "" : "The source profile \"" + source + "\" must have credentials.";
    }
    return check_role_chain(all, source, visited);
}

// An ARN split at ':' into arn, partition, service, region, account and
// the resource (which may hold ':' itself).
std::vector<std::string> arn_parts(const std::string& arn) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (parts.size() < 5) {
        std::size_t colon = arn.find(':', start);
        if (colon == std::string::npos) break;
        parts.push_back(arn.substr(start, colon - start));
        start = colon + 1;
    }
    parts.push_back(arn.substr(start));
    return parts;
}

// botocore parses a value that starts on the next line (an indented block)
// as `key = value` lines and fails on a line without '='.
bool nested_ok(const std::string& value) {
    if (value.empty() || value[0] != '\n') return true;
    std::size_t start = 1;
    while (start <= value.size()) {
        std::size_t end = value.find('\n', start);
        if (end == std::string::npos) end = value.size();
        std::string_view line(value.data() + start, end - start);
        if (!line.empty() && line.find('=') == std::string_view::npos) return false;
        start = end + 1;
    }
    return true;
}

// Reads one file into `out`; false with `problem` set when the CLI cannot
// use it. A missing file is empty.
bool load(const FileReader& files, const std::string& path, bool config, Profiles& out, std::string& problem) {
    FileRead r = files.read(path);
    if (r.status == FileRead::Status::missing) return true;
    if (r.status == FileRead::Status::error) {
        problem = path + ": " + r.reason;
        return false;
    }
    auto parsed = parse_configparser(r.data, path, aws_secret_key);
    // The raw bytes may hold keys: they are not kept past this point.
    std::fill(r.data.begin(), r.data.end(), '\0');
    if (!parsed) {
        problem = parsed.error().to_string() + " (the AWS CLI cannot parse this file)";
        return false;
    }
    for (const IniSection& s : parsed->sections)
        for (const IniOption& o : s.options)
            if (!o.secret && !nested_ok(o.value)) {
                problem = path + ":" + std::to_string(o.line) +
                          ": a nested setting without '=' (the AWS CLI cannot parse this file)";
                return false;
            }
    if (config) {
        config_profiles(*parsed, path, out);
    } else {
        for (const IniSection& s : parsed->sections) add_section(out.profiles, s.name, s, path, true);
    }
    return true;
}

// The account and role the profile acts as: from its role_arn (the chain
// behind it checked), else its SSO account and role.
void account_and_role(Target& t, const Profiles& all, const std::string& name, const Profile& p) {
    if (const Setting* arn = find(p, "role_arn")) {
        std::vector<std::string> parts = arn_parts(arn->value);
        const std::string& resource = parts.size() == 6 ? parts[5] : std::string();
        if (parts.size() == 6 && parts[0] == "arn" && parts[2] == "iam" && resource.rfind("role/", 0) == 0) {
            t.set("account", parts[4], arn->where + " (role_arn)");
            t.set("role", resource.substr(resource.rfind('/') + 1), arn->where + " (role_arn)");
        } else {
            t.problems.push_back(arn->where + ": role_arn is not an IAM role ARN");
        }
        if (assume_role(p)) {
            std::vector<std::string> visited = {name};
            if (std::string why = check_role_chain(all, name, visited); !why.empty()) t.problems.push_back(why);
        }
    } else if (const Setting* account = find(p, "sso_account_id")) {
        t.set("account", account->value, account->where + " (sso_account_id)");
        if (const Setting* role = find(p, "sso_role_name")) t.set("role", role->value, role->where + " (sso_role_name)");
    }
}

// botocore's SSO provider: the sso-session must exist, and a key set both
// in it and in the profile must agree.
void check_sso_session(Target& t, const Profiles& all, const Profile& p) {
    const Setting* session = find(p, "sso_session");
    if (!session) return;
    auto s = all.sso_sessions.find(session->value);
    if (s == all.sso_sessions.end()) {
        t.problems.push_back("The specified sso-session does not exist: \"" + session->value + "\"");
        return;
    }
    for (const auto& [key, setting] : s->second) {
        const Setting* mine = find(p, key);
        if (mine && !mine->secret && !setting.secret && mine->value != setting.value) {
            t.problems.push_back("The value for " + key + " is inconsistent between profile (" + mine->value +
                                 ") and sso-session (" + setting.value + ").");
            return;
        }
    }
}

}  // namespace

bool aws_secret_key(std::string_view name) {
    return name == "aws_access_key_id" || name == "aws_secret_access_key" || name == "aws_session_token" ||
           name == "aws_security_token" || name == "credential_process" || ends_with(name, "password") ||
           ends_with(name, "secret") || ends_with(name, "token");
}

std::string expand_path(const std::string& path, const Vars& vars, const std::string& cwd) {
    std::string out;
    for (std::size_t i = 0; i < path.size(); ++i) {
        if (path[i] != '$') {
            out += path[i];
            continue;
        }
        bool braced = i + 1 < path.size() && path[i + 1] == '{';
        std::size_t start = i + (braced ? 2 : 1), end = start;
        while (end < path.size() && (std::isalnum(static_cast<unsigned char>(path[end])) || path[end] == '_')) ++end;
        bool closed = !braced || (end < path.size() && path[end] == '}');
        auto v = end > start && closed ? get(vars, path.substr(start, end - start)) : std::nullopt;
        if (!v) {
            out += path[i];
            continue;
        }
        out += *v;
        i = end - (braced ? 0 : 1);
    }
    if (!out.empty() && out[0] == '~' && (out.size() == 1 || out[1] == '/'))
        out = get(vars, "HOME").value_or("~") + out.substr(1);
    if (!out.empty() && out[0] != '/' && !cwd.empty()) out = (cwd == "/" ? "" : cwd) + "/" + out;
    return out;
}

std::optional<Target> resolve_aws(const Vars& vars, const std::string& cwd, const FileReader& files,
                                  std::vector<std::string>& warnings) {
    std::string name = "default", name_origin = "default";
    for (const char* var : {"AWS_PROFILE", "AWS_DEFAULT_PROFILE"})
        if (auto v = get(vars, var); v && !v->empty()) {
            name = *v;
            name_origin = var;
            break;
        }
    std::string home = get(vars, "HOME").value_or("");
    auto path_of = [&](const char* var, const char* fallback) {
        if (auto v = get(vars, var); v && !v->empty()) return expand_path(*v, vars, cwd);
        return home.empty() ? std::string() : home + fallback;
    };
    std::string config_path = path_of("AWS_CONFIG_FILE", "/.aws/config");
    std::string credentials_path = path_of("AWS_SHARED_CREDENTIALS_FILE", "/.aws/credentials");

    Target t;
    t.kind = Kind::aws;
    for (const char* var : {"AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE",
                            "AWS_REGION", "AWS_DEFAULT_REGION"})
        if (get(vars, var)) t.sources.push_back(var);
    t.set("profile", name, name_origin);
    t.set("account", "", "");
    t.set("role", "", "");
    t.set("region", "", "");
    t.set("credentials", "", "");

    Profiles all;
    std::string problem;
    if ((!config_path.empty() && !load(files, config_path, true, all, problem)) ||
        (!credentials_path.empty() && !load(files, credentials_path, false, all, problem))) {
        t.problems.push_back(problem);
        warnings.push_back("aws: " + problem);
        return t;
    }
    auto it = all.profiles.find(name);
    if (it == all.profiles.end()) {
        if (name_origin == "default") return std::nullopt;
        t.problems.push_back("The config profile (" + name + ") could not be found");
        return t;
    }
    const Profile& p = it->second;
    for (const std::string& path : {config_path, credentials_path})
        if (std::any_of(p.begin(), p.end(), [&](const auto& kv) { return kv.second.where.rfind(path + ":", 0) == 0; }))
            t.files.push_back(path);
    if (auto rv = get(vars, "AWS_REGION"); rv && !rv->empty()) t.set("region", *rv, "AWS_REGION");
    else if (auto dv = get(vars, "AWS_DEFAULT_REGION"); dv && !dv->empty()) t.set("region", *dv, "AWS_DEFAULT_REGION");
    else if (const Setting* r = find(p, "region")) t.set("region", r->value, r->where);
    t.set("credentials", credentials_kind(p), "");

    account_and_role(t, all, name, p);
    check_sso_session(t, all, p);
    return t;
}

}  // namespace sentinel
