#pragma once
// One kubeconfig file, reduced to what decides a target. Credentials (token,
// client-key-data, exec, auth-provider) are never copied out of the parser.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sentinel/core/result.hpp"
#include "sentinel/core/vars.hpp"

namespace sentinel {

/// A 1-based position in a file.
struct Pos {
    int line = 0;
    int col = 0;
};

/// A scalar value and where it stands.
struct Located {
    std::string value;
    Pos pos;
};

/// An entry of `contexts:`. Absent keys are empty strings with pos {0,0}.
struct KubeContext {
    Pos pos;  ///< position of the entry's `name`
    Located cluster, user, namespace_;
};

/// An entry of `clusters:`.
struct KubeCluster {
    Pos pos;
    std::optional<Located> server;  ///< nullopt when the cluster has no `server`
};

/// An entry of `users:`. Only its existence and place are kept.
struct KubeUser {
    Pos pos;
};

/// The parts of one kubeconfig file that resolution uses, keyed by name.
struct Kubeconfig {
    std::optional<Located> current_context;  ///< nullopt when unset or ""
    std::map<std::string, KubeContext, std::less<>> contexts;
    std::map<std::string, KubeCluster, std::less<>> clusters;
    std::map<std::string, KubeUser, std::less<>> users;
};

/// Limits that keep a hostile file from taking the process down
/// (BAD_INPUTS.md rows 12-14).
struct YamlLimits {
    int max_depth = 64;              ///< nesting of mappings and sequences
    std::size_t max_nodes = 2'000'000;  ///< scalars, mappings and sequences, aliases counted once
};

/// Parses the bytes of a kubeconfig (YAML 1.2 or JSON) read from `path`,
/// with libfyaml's event parser. An empty file (or one holding only
/// comments or `null`) is an empty config, as kubectl treats it.
/// Rules follow kubectl's v1 Config: `current-context`, `contexts[].name`
/// with `.context.{cluster,user,namespace}`, `clusters[].name` with
/// `.cluster.server`, `users[].name`; unknown keys are ignored; a name
/// listed twice in one file is an error, as in kubectl's conversion.
/// Errors: syntax errors, wrong shapes, limits exceeded, as
/// `path:line:col: message` without the text of the line.
Result<Kubeconfig> parse_kubeconfig(std::string_view data, const std::string& path,
                                    const YamlLimits& limits = {});

/// What loading one kubeconfig file gave.
struct LoadedKubeconfig {
    FileRead::Status status = FileRead::Status::missing;
    Kubeconfig config;   ///< when status is ok
    std::string error;   ///< when status is error: "path: reason" or "path:line:col: message"
};

/// Where resolution gets parsed kubeconfigs from: parsed afresh, or from a
/// cache keyed by the file's identity (io/kube_cache.hpp).
class KubeconfigLoader {
public:
    virtual ~KubeconfigLoader() = default;
    /// Loads `path`; never throws.
    virtual LoadedKubeconfig load(const std::string& path) const = 0;
};

/// Reads each file with a FileReader and parses it every time, under the
/// reader's budget (FileReader::run_bounded).
class ParsingKubeconfigLoader : public KubeconfigLoader {
public:
    explicit ParsingKubeconfigLoader(const FileReader& files) : files_(files) {}
    LoadedKubeconfig load(const std::string& path) const override;

private:
    const FileReader& files_;
};

/// Kubeconfig as compact text for a cache: one line per entry, fields
/// tab-separated, with `\\`, `\t` and `\n` escaped. Holds names, servers
/// and positions only: nothing that parse_kubeconfig did not keep.
std::string encode_kubeconfig(const Kubeconfig& config);

/// Inverse of encode_kubeconfig. Errors: any line that is not well formed.
Result<Kubeconfig> decode_kubeconfig(std::string_view text);

}  // namespace sentinel
