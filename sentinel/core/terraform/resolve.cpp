#include "sentinel/core/terraform/resolve.hpp"

#include <nlohmann/json.hpp>

#include "sentinel/core/dotenv/resolve.hpp"

namespace sentinel {
namespace {

using Json = nlohmann::json;

std::string join(const std::string& dir, const std::string& name) {
    if (!name.empty() && name[0] == '/') return name;
    return dir == "/" ? "/" + name : dir + "/" + name;
}

std::string trim(const std::string& s) {
    std::size_t b = s.find_first_not_of(" \t\r\n\f\v");
    if (b == std::string::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t\r\n\f\v") - b + 1);
}

// A string member of a backend config ("" for absent, null or not a string).
std::string text(const Json& config, const char* key) {
    auto it = config.find(key);
    return it != config.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Where the state of `workspace` lives for the backends people use most;
// only names, never a credential. Sources: the backends' documentation
// (workspace_key_prefix "env:" for s3, "<prefix>/<workspace>.tfstate" for
// gcs, "<key>env:<workspace>" for azurerm, "tfstate-<workspace>-<suffix>"
// for kubernetes, the prefix naming for remote).
std::string backend_summary(const std::string& type, const Json& config, const std::string& workspace) {
    bool other = workspace != "default";
    if (type == "s3") {
        std::string prefix = text(config, "workspace_key_prefix");  // null when not set: the default
        if (prefix.empty()) prefix = "env:";
        std::string key = text(config, "key");
        return "s3 " + text(config, "bucket") + "/" + (other ? prefix + "/" + workspace + "/" : "") + key;
    }
    if (type == "gcs") {
        std::string prefix = text(config, "prefix");
        return "gcs " + text(config, "bucket") + "/" + (prefix.empty() ? "" : prefix + "/") + workspace + ".tfstate";
    }
    if (type == "azurerm")
        return "azurerm " + text(config, "storage_account_name") + "/" + text(config, "container_name") + "/" +
               text(config, "key") + (other ? "env:" + workspace : "");
    if (type == "remote" || type == "cloud") {
        std::string org = text(config, "organization");
        auto ws = config.find("workspaces");
        std::string name, prefix;
        if (ws != config.end() && ws->is_object()) {
            name = text(*ws, "name");
            prefix = text(*ws, "prefix");
        }
        if (!name.empty()) return type + " " + org + "/" + name;
        if (!prefix.empty()) return type + " " + org + "/" + prefix + workspace;
        return type + " " + org + "/" + workspace;
    }
    if (type == "consul") return "consul " + text(config, "path") + (other ? "-env:" + workspace : "");
    if (type == "kubernetes") {
        std::string ns = text(config, "namespace");
        return "kubernetes " + (ns.empty() ? std::string("default") : ns) + "/tfstate-" + workspace + "-" +
               text(config, "secret_suffix");
    }
    if (type == "http") return "http " + redact_passwords(text(config, "address"));
    if (type == "pg") return "pg schema " + (text(config, "schema_name").empty() ? std::string("terraform_remote_state")
                                                                                 : text(config, "schema_name"));
    if (type == "local") {
        std::string path = text(config, "path");
        return "local" + (path.empty() ? "" : " " + path);
    }
    return type;
}

// The `backend` field of `t` from the backend state file `state`
// (workdir.ParseBackendStateFile's rules); problems go to `t`.
void set_backend(Target& t, const std::string& state, const std::string& workspace, const FileReader& files,
                 std::vector<std::string>& warnings) {
    FileRead r = files.read(state);
    if (r.status == FileRead::Status::missing) {
        t.set("backend", "local", "default (no " + state + ")");
        return;
    }
    t.files.push_back(state);
    if (r.status == FileRead::Status::error) {
        t.set("backend", "", "");
        t.problems.push_back(state + ": " + r.reason);
        return;
    }
    Json root = Json::parse(r.data, nullptr, false);
    if (root.is_discarded() || !root.is_object()) {
        t.set("backend", "", "");
        t.problems.push_back(state + ": not a terraform backend state file (invalid JSON)");
        warnings.push_back(t.problems.back());
        return;
    }
    // workdir.ParseBackendStateFile: only format version 3 is read.
    auto version = root.find("version");
    if (version == root.end() || !version->is_number_integer() || version->get<long long>() != 3) {
        t.set("backend", "", "");
        t.problems.push_back(state + ": unsupported backend state version (terraform reads version 3 only)");
        warnings.push_back(t.problems.back());
        return;
    }
    auto backend = root.find("backend");
    if (backend == root.end() || backend->is_null()) {
        t.set("backend", "local", state);
        return;
    }
    std::string type = backend->is_object() ? text(*backend, "type") : "";
    if (type.empty()) {
        t.set("backend", "", "");
        t.problems.push_back(state + ": the backend has no type");
        warnings.push_back(t.problems.back());
        return;
    }
    auto config = backend->find("config");
    Json empty = Json::object();
    const Json& c = config != backend->end() && config->is_object() ? *config : empty;
    t.set("backend", backend_summary(type, c, workspace), state);
}

}  // namespace

bool valid_workspace_name(const std::string& name) {
    if (name.empty()) return false;
    for (char c : name) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  std::string_view("-_.~$&+:=@").find(c) != std::string_view::npos;
        if (!ok) return false;
    }
    return true;
}

std::optional<Target> resolve_terraform(const Vars& vars, const std::string& dir, bool initialised_only,
                                        const FileReader& files, std::vector<std::string>& warnings) {
    std::string data_dir = join(dir, ".terraform");
    std::string data_origin = "default";
    if (auto d = get(vars, "TF_DATA_DIR"); d && !d->empty()) {
        data_dir = join(dir, *d);
        data_origin = "TF_DATA_DIR";
    }
    if (initialised_only && files.read(data_dir).status == FileRead::Status::missing) return std::nullopt;

    Target t;
    t.kind = Kind::terraform;
    if (data_origin != "default") t.sources.push_back(data_origin);
    std::string workspace = "default";
    std::string origin = "default";
    if (auto w = get(vars, "TF_WORKSPACE"); w && !w->empty()) {
        workspace = *w;
        origin = "TF_WORKSPACE";
        t.sources.push_back("TF_WORKSPACE");
        if (!valid_workspace_name(workspace)) t.problems.push_back("TF_WORKSPACE is not a valid workspace name");
    } else {
        std::string path = data_dir + "/environment";
        FileRead r = files.read(path);
        if (r.status == FileRead::Status::error)
            warnings.push_back(path + ": " + r.reason + " (terraform then uses the default workspace)");
        if (r.status == FileRead::Status::ok && !trim(r.data).empty()) {
            workspace = trim(r.data);
            origin = path + ":1";
            t.files.push_back(path);
        }
    }
    t.set("workspace", workspace, origin);
    t.set("dir", dir, "working directory");

    set_backend(t, data_dir + "/terraform.tfstate", workspace, files, warnings);
    return t;
}

}  // namespace sentinel
