#include "sentinel/io/agent_ask.hpp"

#include <poll.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>

#include "sentinel/io/clock.hpp"
#include "sentinel/core/config/config.hpp"
#include "sentinel/io/fs.hpp"
#include "sentinel/io/runtime_dir.hpp"
#include "sentinel/io/socket.hpp"
#include "sentinel/core/agent/protocol.hpp"
#include "sentinel/core/env/resolve.hpp"
#include "sentinel/core/agent/session.hpp"

namespace sentinel {
namespace {

// Values that may carry a password are not sent: a conninfo's password=,
// a URL's user:password@ in an argument (variables have it redacted).
bool may_hold_password(const std::string& value) {
    std::string lower(value);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char ch) { return std::tolower(ch); });
    return lower.find("password") != std::string::npos;
}

bool url_with_userinfo(const std::string& value) {
    std::size_t scheme = value.find("://");
    return scheme != std::string::npos && value.find('@', scheme) != std::string::npos;
}

// The EVAL frame, or nullopt when something must not or cannot be sent.
std::optional<std::string> eval_request(const std::vector<std::string>& command, const Vars& vars) {
    Config config = load_config(vars, PosixFileReader());
    if (!config.errors.empty()) return std::nullopt;
    char cwd[4096];
    if (!::getcwd(cwd, sizeof cwd)) return std::nullopt;
    Frame f = {"EVAL", cwd, std::to_string(command.size())};
    for (const std::string& arg : command) {
        if (may_hold_password(arg) || url_with_userinfo(arg)) return std::nullopt;
        f.push_back(arg);
    }
    for (const std::string& name : reported_names(config)) {
        auto value = get(vars, name);
        if (!value) continue;
        if (may_hold_password(*value)) return std::nullopt;
        f.push_back(name + "=" + (url_with_userinfo(*value) ? redact_url_password(*value) : *value));
    }
    std::string frame = encode_frame({"HELLO", std::to_string(kProtocolVersion), "sentinel-guard"}) + encode_frame(f);
    if (frame.size() > kMaxFrame) return std::nullopt;
    return frame;
}

}  // namespace

std::optional<bool> agent_runs_unasked(const std::vector<std::string>& command, const Vars& vars, int timeout_ms) {
    std::optional<std::string> request = eval_request(command, vars);
    if (!request) return std::nullopt;
    auto path = agent_socket_path(vars);
    if (!path) return std::nullopt;
    auto fd = connect_unix(*path);
    if (!fd) return std::nullopt;
    std::optional<bool> answer;
    long deadline = monotonic_ms() + timeout_ms;
    FrameBuffer in;
    std::optional<uid_t> peer = peer_uid(*fd);
    bool ok = peer && *peer == ::geteuid();
    while (ok && !answer) {
        long left = deadline - monotonic_ms();
        if (left <= 0) break;
        struct pollfd p = {*fd, static_cast<short>(request->empty() ? POLLIN : POLLIN | POLLOUT), 0};
        if (::poll(&p, 1, static_cast<int>(left)) <= 0) continue;
        if (!request->empty() && !flush_some(*fd, *request)) break;
        if (!(p.revents & (POLLIN | POLLHUP))) continue;
        char buf[4096];
        ssize_t n = ::read(*fd, buf, sizeof buf);
        if (n <= 0) {
            if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
            break;
        }
        in.feed(std::string_view(buf, static_cast<std::size_t>(n)));
        std::string line;
        while (!answer && in.next(line)) {
            auto frame = decode_frame(line);
            if (!frame || (*frame)[0] == "ERROR") {
                ok = false;
                break;
            }
            if ((*frame)[0] == "VERDICT" && frame->size() >= 2) answer = (*frame)[1] == "run";
        }
        if (in.overflowed()) break;
    }
    ::close(*fd);
    return answer;
}

}  // namespace sentinel
