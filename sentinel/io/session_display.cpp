#include "sentinel/io/session_display.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <iterator>

#include "sentinel/io/terminfo_tty.hpp"

namespace sentinel {

SessionTerminal session_terminal(long pid, const std::string& tty, const std::string& tmux, const std::string& tmux_pane) {
    SessionTerminal t;
    t.tty = tty;
    t.tmux = tmux;
    t.tmux_pane = tmux_pane;
    std::string path = "/proc/" + std::to_string(pid) + "/environ";
    struct stat st{};
    if (pid <= 0 || stat(("/proc/" + std::to_string(pid)).c_str(), &st) != 0 || st.st_uid != getuid()) return t;
    std::ifstream in(path, std::ios::binary);
    std::string env((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (std::size_t start = 0; start < env.size();) {
        std::size_t end = env.find('\0', start);
        if (end == std::string::npos) end = env.size();
        std::string_view entry(env.data() + start, end - start);
        if (entry.rfind("TERM=", 0) == 0) t.term = std::string(entry.substr(5));
        if (entry.rfind("NO_COLOR=", 0) == 0) t.no_color = entry.size() > 9;
        start = end + 1;
    }
    return t;
}

SessionTerminal reported_terminal(SessionTerminal terminal, const Vars& vars, bool reported) {
    if (!reported) return terminal;
    if (auto term = get(vars, "TERM")) terminal.term = *term;
    auto no_color = get(vars, "NO_COLOR");
    terminal.no_color = no_color && !no_color->empty();
    return terminal;
}

Result<bool> TmuxControlPool::set(const TmuxPane& pane, const std::vector<TmuxOption>& options) {
    std::unique_ptr<TmuxControl>& client = clients_[pane.socket];
    for (int attempt = 0; attempt < 2; ++attempt) {
        if (!client) {
            auto started = TmuxControl::start(tmux_binary_, pane);
            if (!started) break;
            client = std::move(started.value());
        }
        if (client->set(pane, options)) return true;
        client.reset();
    }
    return push_tmux_options(pane, options, tmux_binary_);
}

SessionDisplay::SessionDisplay(SessionTerminal terminal, const DisplaySettings& settings, TmuxControlPool& tmux)
    : terminal_(std::move(terminal)),
      line_(terminal_.tty.empty() ? std::string() : terminal_.term,
            terminal_.tty.empty() ? Placement::off : settings.statusline),
      // OSC 11 inside tmux would tint the outer terminal: tmux gets the pane style instead.
      tint_(settings.osc_tint && !terminal_.no_color && terminal_.tmux.empty() && !terminal_.tty.empty()),
      pane_(tmux_pane_of(terminal_.tmux, terminal_.tmux_pane)),
      tmux_settings_{.tint = settings.tmux_tint, .no_color = terminal_.no_color},
      tmux_(tmux) {}

void SessionDisplay::paint(const std::string& bytes) {
    if (!bytes.empty()) write_to_tty(terminal_.tty, bytes);
}

void SessionDisplay::push(const Display& content) {
    if (!pane_) return;
    auto options = tmux_pane_options(content, tmux_settings_);
    if (options == pushed_) return;
    if (tmux_.set(*pane_, options)) pushed_ = std::move(options);
}

std::string SessionDisplay::prompt_bytes(ReservedLine& line, OscTint& tint, const SessionTerminal& terminal,
                                         const Display& content, std::optional<ScreenSize> size) {
    if (terminal.tty.empty()) return {};
    std::string bytes;
    if (line.usable() && size) bytes = line.at_prompt(content, *size, terminal.no_color);
    return bytes + tint.update(content.dangerous, content.color.palette());
}

void SessionDisplay::at_prompt(const Display& content) {
    std::optional<ScreenSize> size;
    if (!terminal_.tty.empty() && line_.usable()) size = tty_size(terminal_.tty);
    paint(prompt_bytes(line_, tint_, terminal_, content, size));
    push(content);
}

std::string SessionDisplay::peek_prompt(const Display& content, std::optional<ScreenSize> size) const {
    ReservedLine line = line_;
    OscTint tint = tint_;
    return prompt_bytes(line, tint, terminal_, content, size);
}

void SessionDisplay::shown_at_prompt(const Display& content, std::optional<ScreenSize> size) {
    (void)prompt_bytes(line_, tint_, terminal_, content, size);
    push(content);
}

void SessionDisplay::on_change(const Display& content, bool idle) {
    if (idle && !terminal_.tty.empty()) {
        std::string bytes;
        if (line_.usable())
            if (auto size = tty_size(terminal_.tty)) bytes = line_.on_change(content, *size, terminal_.no_color);
        paint(bytes + tint_.update(content.dangerous, content.color.palette()));
    }
    push(content);
}

void SessionDisplay::at_redraw(const Display& content, bool idle) {
    if (!idle || terminal_.tty.empty() || !line_.usable()) return;
    if (auto size = tty_size(terminal_.tty)) paint(line_.at_redraw(content, *size, terminal_.no_color));
}

void SessionDisplay::notify(const std::string& text) {
    if (!terminal_.tty.empty()) paint(text);
}

void SessionDisplay::on_exit() {
    if (!terminal_.tty.empty()) paint(line_.release() + tint_.release());
}

}  // namespace sentinel
