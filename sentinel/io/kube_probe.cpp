#include "sentinel/io/kube_probe.hpp"

#include "sentinel/core/guard/pin.hpp"
#include "sentinel/core/sanitize.hpp"
#include "sentinel/io/capture.hpp"
#include "sentinel/io/pg_probe.hpp"

namespace sentinel {
namespace {

constexpr int kKubectlTimeoutMs = 10000;  // --request-timeout=3s, plus kubectl's start and credential plugins

}  // namespace

Result<ServerWord> probe_kube(const std::string& kubectl, const Target& target) {
    std::vector<std::string> argv = {kubectl, "get", "--raw", "/api/v1/namespaces/kube-system", "--request-timeout=3s"};
    std::string kubeconfig_env;  // the files that defined the target are in this process's own KUBECONFIG
    argv = pin_kube(Tool::kubectl, argv, 2, target, {}, kubeconfig_env);
    auto run = run_capture(argv, "", kKubectlTimeoutMs, 1u << 20);
    if (!run) return run.error();
    if (run->exit_code != 0) {
        std::string why = run->err.substr(0, run->err.find('\n'));
        return Error{"", 0, 0, "kubectl exited with " + std::to_string(run->exit_code) +
                                   (why.empty() ? "" : ": " + elide_middle(sanitize(why), 200))};
    }
    auto word = kube_server_word(run->out);
    if (!word) return word.error();
    word->probed_at = utc_now();
    return word;
}

}  // namespace sentinel
