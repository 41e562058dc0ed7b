#include "sentinel/core/dotenv/resolve.hpp"

#include <algorithm>
#include <map>

#include "sentinel/core/vars.hpp"
#include "sentinel/core/dotenv/parse.hpp"
#include "sentinel/core/env/resolve.hpp"
#include "sentinel/core/utf8.hpp"

namespace sentinel {
namespace {

std::string without_trailing_slash(std::string path) {
    while (path.size() > 1 && path.back() == '/') path.pop_back();
    return path;
}

std::string parent_of(const std::string& dir) {
    std::size_t slash = dir.rfind('/');
    return slash == 0 || slash == std::string::npos ? "/" : dir.substr(0, slash);
}

std::string join(const std::string& dir, const std::string& name) { return dir == "/" ? "/" + name : dir + "/" + name; }

bool exists(const FileReader& files, const std::string& path) {
    return files.read(path).status != FileRead::Status::missing;
}

Target unreadable_target(const std::string& path, const std::string& why) {
    Target t;
    t.kind = Kind::env;
    t.set("name", path, path);
    t.set("value", "(unreadable)", path);
    t.files.push_back(path);
    t.problems.push_back(path + ": " + why);
    return t;
}

}  // namespace

std::string redact_passwords(const std::string& value) {
    std::string v = redact_url_password(value);
    std::string lower = v;
    for (char& c : lower)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    std::string out;
    std::size_t at = 0;
    for (std::size_t hit = lower.find("password"); hit != std::string::npos; hit = lower.find("password", at)) {
        std::size_t i = hit + 8;
        while (i < v.size() && v[i] == ' ') ++i;
        if (i >= v.size() || v[i] != '=') {
            out += v.substr(at, hit + 8 - at);
            at = hit + 8;
            continue;
        }
        ++i;
        while (i < v.size() && v[i] == ' ') ++i;
        std::size_t end;
        if (i < v.size() && (v[i] == '\'' || v[i] == '"')) {
            end = v.find(v[i], i + 1);
            end = end == std::string::npos ? v.size() : end + 1;
        } else {
            end = v.find_first_of(" \t&;", i);
            if (end == std::string::npos) end = v.size();
        }
        out += v.substr(at, i - at) + "***";
        at = end;
    }
    return out + v.substr(std::min(at, v.size()));
}

std::vector<std::string> dotenv_directories(const Vars& vars, const std::string& cwd, const FileReader& files) {
    if (cwd.empty() || cwd[0] != '/') return {};
    std::string home = without_trailing_slash(get(vars, "HOME").value_or(""));
    std::vector<std::string> dirs;
    for (std::string d = without_trailing_slash(cwd);; d = parent_of(d)) {
        dirs.push_back(d);
        if (exists(files, join(d, ".git")) || d == home) return dirs;
        if (d == "/") break;
    }
    return {without_trailing_slash(cwd)};
}

DotenvOverlay resolve_dotenv(const Vars& vars, const std::string& cwd, const std::vector<std::string>& file_names,
                             const std::vector<std::string>& wanted, const FileReader& files,
                             std::vector<std::string>& warnings) {
    DotenvOverlay out;
    // Per file, nearest directory first and, in one directory, the last
    // name first: the first file that sets a variable gives it.
    std::vector<std::pair<std::string, std::vector<DotenvBinding>>> parsed;
    for (const std::string& dir : dotenv_directories(vars, cwd, files)) {
        for (auto name = file_names.rbegin(); name != file_names.rend(); ++name) {
            std::string path = join(dir, *name);
            FileRead r = files.read(path);
            if (r.status == FileRead::Status::missing) continue;
            // python-dotenv takes regular files only: a virtualenv called
            // `.env` (a directory) or a FIFO is not a dotenv file.
            if (r.status == FileRead::Status::error && r.reason == "not a regular file") continue;
            out.files.push_back(path);
            if (r.status == FileRead::Status::error || !valid_utf8(r.data)) {
                std::string why = r.status == FileRead::Status::error ? r.reason : "not valid UTF-8";
                warnings.push_back(path + ": " + why + " (dotenv file skipped; the terminal counts as unknown)");
                out.unreadable.push_back(unreadable_target(path, why));
                continue;
            }
            DotenvFile file = parse_dotenv(r.data);
            for (int line : file.error_lines)
                warnings.push_back(path + ":" + std::to_string(line) +
                                   ": a statement python-dotenv cannot parse (skipped, as it does)");
            for (const std::string& ref : dotenv_references(file))
                if (std::find(out.references.begin(), out.references.end(), ref) == out.references.end())
                    out.references.push_back(ref);
            parsed.emplace_back(path, dotenv_values(file, vars));
        }
    }
    for (const std::string& name : wanted) {
        if (get(vars, name) || is_secret_variable(name)) continue;
        if (std::any_of(out.values.begin(), out.values.end(), [&](const DotenvValue& v) { return v.name == name; }))
            continue;
        for (const auto& [path, bindings] : parsed) {
            auto it = std::find_if(bindings.begin(), bindings.end(), [&](const DotenvBinding& b) { return b.key == name; });
            if (it == bindings.end()) continue;
            out.values.push_back({name, redact_passwords(*it->value), path, it->line});
            break;
        }
    }
    return out;
}

void attribute_dotenv(std::vector<Target>& targets, const DotenvValue& value) {
    std::string where = value.file + ":" + std::to_string(value.line);
    for (Target& t : targets) {
        if (std::find(t.sources.begin(), t.sources.end(), value.name) == t.sources.end()) continue;
        for (Field& f : t.fields)
            if (f.origin == value.name) f.origin = where + " (" + value.name + ")";
        if (std::find(t.files.begin(), t.files.end(), value.file) == t.files.end()) t.files.push_back(value.file);
    }
}

}  // namespace sentinel
