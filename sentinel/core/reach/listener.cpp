#include "sentinel/core/reach/listener.hpp"

namespace sentinel {

std::string Listener::identity() const {
    std::string id = std::to_string(inode);
    if (pid) id += ":" + std::to_string(pid) + ":" + std::to_string(start_time);
    return id;
}

const std::vector<std::string>& listener_env_names() {
    static const std::vector<std::string> names = {"KUBECONFIG", "HOME", "PGDATA"};
    return names;
}

}  // namespace sentinel
