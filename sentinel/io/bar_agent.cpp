#include "sentinel/io/bar_agent.hpp"

#include <unistd.h>

#include <cerrno>

#include "sentinel/io/runtime_dir.hpp"
#include "sentinel/io/socket.hpp"
#include "sentinel/core/sanitize.hpp"

namespace sentinel {
namespace {

// The <targets> field of a SESSION frame: lines "<kind> TAB <name>".
std::vector<TargetView> targets_of(const std::string& field) {
    std::vector<TargetView> out;
    std::size_t start = 0;
    while (start < field.size()) {
        std::size_t end = field.find('\n', start);
        if (end == std::string::npos) end = field.size();
        std::string line = field.substr(start, end - start);
        start = end + 1;
        std::size_t tab = line.find('\t');
        if (tab == std::string::npos) continue;
        TargetView v;
        std::string kind = line.substr(0, tab);
        v.kind = kind == "pg" ? Kind::pg : kind == "env" ? Kind::env : Kind::kube;
        v.name = line.substr(tab + 1);  // sanitized by the agent (make_display)
        out.push_back(std::move(v));
    }
    return out;
}

}  // namespace

Result<std::unique_ptr<AgentFeed>> AgentFeed::connect(const Vars& vars, BarFollow follow, Config config) {
    auto path = agent_socket_path(vars);
    if (!path) return path.error();
    auto fd = connect_unix(*path);
    if (!fd)
        return Error{"", 0, 0, "no agent at " + *path + " (" + fd.error().message +
                                   "); start it with `sentinel agent` or open a shell with the integration"};
    std::string hello = encode_frame({"HELLO", std::to_string(kProtocolVersion), "bar"}) + encode_frame({"SUBSCRIBE"});
    for (int tries = 0; !hello.empty() && tries < 100; ++tries) {
        if (!flush_some(*fd, hello)) break;
        if (!hello.empty()) usleep(1000);  // a fresh socket takes two short frames at once in practice
    }
    if (!hello.empty()) {
        ::close(*fd);
        return Error{"", 0, 0, "the agent at " + *path + " does not take requests"};
    }
    return std::unique_ptr<AgentFeed>(new AgentFeed(*fd, std::move(follow), std::move(config)));
}

AgentFeed::AgentFeed(int fd, BarFollow follow, Config config)
    : fd_(fd), follow_(std::move(follow)), config_(std::move(config)) {}

AgentFeed::~AgentFeed() {
    if (fd_ >= 0) ::close(fd_);
}

void AgentFeed::on_frame(const Frame& f) {
    if (f[0] == "GONE" && f.size() >= 2) {
        sessions_.erase(f[1]);
    } else if (f[0] == "SESSION" && f.size() >= 13) {
        Seen& s = sessions_[f[1]];
        bool changed = s.gen != f[8] || f[7] == "1";  // a new view, or a prompt
        s.pid = f[2];
        s.pane = f[6];
        s.gen = f[8];
        s.tier = f[9];
        s.label = f[10];
        s.text = f[11];
        s.changed_from = f[12];
        s.color = f.size() >= 16 ? Color::parse(f[13]) : std::nullopt;
        s.dangerous = f.size() >= 16 && f[14] == "1";
        s.targets.clear();
        if (s.color) s.targets = targets_of(f[15]);
        if (changed) s.activity = ++clock_;
    } else if (f[0] == "ERROR") {
        alive_ = false;
    }
}

Display AgentFeed::content() const {
    const Seen* chosen = nullptr;
    for (const auto& [id, s] : sessions_) {
        bool match = follow_.by == BarFollow::By::pid    ? s.pid == follow_.value
                     : follow_.by == BarFollow::By::pane ? s.pane == follow_.value
                                                         : !chosen || s.activity > chosen->activity;
        if (match) chosen = &s;
    }
    Display c;
    if (!chosen) {
        c.note = follow_.by == BarFollow::By::pid    ? "waiting for the shell with pid " + sanitize(follow_.value)
                 : follow_.by == BarFollow::By::pane ? "waiting for a shell in pane " + sanitize(follow_.value)
                                                     : "waiting for a shell with the integration";
        return c;
    }
    c.tier = Tier(chosen->tier);
    c.label = chosen->label;
    std::string changed = chosen->changed_from.empty() ? "" : "changed from " + chosen->changed_from;
    if (chosen->color) {
        c.color = *chosen->color;
        c.dangerous = chosen->dangerous;
        c.targets = chosen->targets;
        c.note = changed;
        return c;
    }
    const TierSpec* tier = config_.spec(c.tier);
    c.color = tier ? tier->color : Color{};
    c.dangerous = config_.production_ranked(c.tier);
    std::string text = chosen->text;  // format_prompt without colour: "LABEL names..."
    if (!c.label.empty() && text.rfind(c.label, 0) == 0) text = text.substr(c.label.size());
    while (!text.empty() && text[0] == ' ') text.erase(0, 1);
    c.note = text.empty() ? changed : changed.empty() ? text : text + " \u00b7 " + changed;
    return c;
}

std::optional<Display> AgentFeed::next() {
    char buf[8192];
    for (;;) {
        ssize_t n = ::read(fd_, buf, sizeof buf);
        if (n > 0) {
            buffer_.feed(std::string_view(buf, static_cast<std::size_t>(n)));
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) alive_ = false;
        break;
    }
    std::string line;
    while (buffer_.next(line)) {
        auto frame = decode_frame(line);
        if (frame) on_frame(*frame);
    }
    if (buffer_.overflowed()) alive_ = false;
    Display now = content();
    if (shown_ && *shown_ == now) return std::nullopt;
    shown_ = now;
    return now;
}

}  // namespace sentinel
