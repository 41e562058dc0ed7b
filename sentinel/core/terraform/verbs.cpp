#include "sentinel/core/terraform/verbs.hpp"

#include <set>
#include <string_view>

namespace sentinel {
namespace {

using Names = std::set<std::string, std::less<>>;

const Names kReads = {"plan",    "show", "output", "validate", "fmt",   "version", "providers", "graph",
                      "console", "get",  "modules", "metadata", "login", "logout",  "init"};
const Names kStateReads = {"list", "show", "pull", "identities"};
const Names kWorkspaceReads = {"list", "show", "select", "new"};
// Subcommands whose own next word is part of the verb.
const Names kNested = {"state", "workspace", "providers", "metadata"};
// Options of `workspace delete` that take the next argument as their value
// when written without '=' (Go's flag package allows `-lock-timeout 10s`).
const Names kWorkspaceValueFlags = {"-lock-timeout", "--lock-timeout"};

bool is_help(std::string_view a) { return a == "-help" || a == "--help" || a == "-h"; }
bool is_version(std::string_view a) { return a == "-version" || a == "--version" || a == "-v"; }

bool has(const std::vector<std::string>& args, std::size_t from, std::string_view flag) {
    for (std::size_t i = from; i < args.size(); ++i)
        if (args[i] == flag || args[i].rfind(std::string(flag) + "=", 0) == 0) return args[i] != std::string(flag) + "=false";
    return false;
}

}  // namespace

TerraformCommand parse_terraform_command(const std::vector<std::string>& args) {
    TerraformCommand c;
    std::size_t i = 0;
    for (; i < args.size() && !args[i].empty() && args[i][0] == '-'; ++i) {
        if (args[i].rfind("-chdir=", 0) == 0) c.chdir = args[i].substr(7);
        if (is_help(args[i]) || is_version(args[i])) return c;  // terraform prints and acts on nothing
    }
    if (i >= args.size()) return c;
    for (std::size_t k = i; k < args.size(); ++k)
        if (is_help(args[k])) {
            c.verb = args[i];
            return c;
        }
    std::string verb = args[i];
    std::string sub;
    std::size_t next = i + 1;
    if (kNested.count(verb)) {
        for (; next < args.size(); ++next)
            if (args[next].empty() || args[next][0] != '-') break;
        if (next < args.size()) sub = args[next++];
    }
    c.verb = sub.empty() ? verb : verb + " " + sub;
    if (verb == "state") c.risk = kStateReads.count(sub) || sub.empty() ? Risk::read : Risk::write;
    else if (verb == "workspace") c.risk = kWorkspaceReads.count(sub) || sub.empty() ? Risk::read : Risk::write;
    else if (verb == "init") c.risk = has(args, i + 1, "-migrate-state") || has(args, i + 1, "-force-copy") ? Risk::write : Risk::read;
    else c.risk = kReads.count(verb) ? Risk::read : Risk::write;

    if (verb == "workspace" && sub == "delete") {
        for (std::size_t k = next; k < args.size(); ++k) {
            if (kWorkspaceValueFlags.count(args[k])) {
                ++k;
                continue;
            }
            if (!args[k].empty() && args[k][0] == '-') continue;
            c.workspace_arg = args[k];
            break;
        }
    }
    c.pin_workspace = c.risk == Risk::write && verb != "workspace";
    return c;
}

}  // namespace sentinel
