#include "sentinel/io/terminfo.hpp"

#include <utility>

// <term.h> (the terminfo layer, without <curses.h>) defines macros named
// after every capability (lines, columns, bell, ...): this is the only file
// that includes it, after every other header.
#include <term.h>

namespace sentinel {
namespace {

// A string capability of the current terminal, "" when absent or not a string.
std::string cap(const char* name) {
    char* s = tigetstr(name);
    if (s == nullptr || s == reinterpret_cast<char*>(-1)) return {};
    return s;
}

// Drops terminfo padding specifications `$<digits[.digit][*][/]>`.
std::string strip_padding(std::string s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '$' && i + 1 < s.size() && s[i + 1] == '<') {
            std::size_t end = s.find('>', i + 2);
            if (end != std::string::npos &&
                s.find_first_not_of("0123456789.*/", i + 2) == end) {
                i = end;
                continue;
            }
        }
        out += s[i];
    }
    return out;
}

std::string expand(const std::string& capability, int a) {
    if (capability.empty()) return {};
    char* s = tiparm(capability.c_str(), a);
    return s ? strip_padding(s) : std::string();
}

std::string expand(const std::string& capability, int a, int b) {
    if (capability.empty()) return {};
    char* s = tiparm(capability.c_str(), a, b);
    return s ? strip_padding(s) : std::string();
}

std::string plain(const std::string& capability) { return strip_padding(capability); }

std::string sc_rc(const TermCaps& c, const std::string& inner) { return plain(c.sc) + inner + plain(c.rc); }

PaletteIndex fit_colour(const TermCaps& c, PaletteIndex index) {
    if (index < 0) return -1;
    if (c.colors >= 256 || index < c.colors) return index;
    return downgrade_to_8(index);
}

}  // namespace

Result<TermCaps> read_term_entry(const std::string& term) {
    auto fail = [&](const std::string& why) {
        return Error{"", 0, 0, "no status line: " + why + "; the prompt segment still shows the target"};
    };
    if (term.empty()) return fail("TERM is not set");
    if (term == "dumb") return fail("TERM=dumb cannot address the cursor");
    if (term.find('/') != std::string::npos || term.size() > 128) return fail("TERM is not a terminal name");
    // setupterm reads TERMINFO, TERMINFO_DIRS and HOME from `environ`.
    std::lock_guard<std::mutex> lock(environ_mutex());
    TERMINAL* previous = cur_term;
    int err = 0;
    // fd -1: read the entry only; sizes come from the terminal itself.
    if (setupterm(term.c_str(), -1, &err) != 0) {
        set_curterm(previous);
        return fail(err == 0 ? "no terminfo entry for TERM=" + term : "the terminfo database cannot be read");
    }
    TermCaps c;
    c.term = term;
    c.csr = cap("csr");
    c.sc = cap("sc");
    c.rc = cap("rc");
    c.cup = cap("cup");
    c.el = cap("el");
    c.sgr0 = cap("sgr0");
    c.setaf = cap("setaf");
    c.setab = cap("setab");
    c.rev = cap("rev");
    c.bold = cap("bold");
    c.ind = cap("ind");
    c.ri = cap("ri");
    c.cuu1 = cap("cuu1");
    c.cud = cap("cud");
    c.cuu = cap("cuu");
    int colors = tigetnum("colors");
    c.colors = colors > 0 ? colors : 0;
    TERMINAL* loaded = set_curterm(previous);
    del_curterm(loaded);
    return c;
}

std::vector<std::string> missing_capabilities(const TermCaps& c) {
    std::vector<std::string> missing;
    const std::pair<const char*, const std::string*> needed[] = {
        {"csr", &c.csr}, {"sc", &c.sc}, {"rc", &c.rc}, {"cup", &c.cup}, {"el", &c.el}, {"ind", &c.ind}, {"cuu1", &c.cuu1},
    };
    for (const auto& [name, value] : needed)
        if (value->empty()) missing.push_back(name);
    return missing;
}

Result<TermCaps> load_term_caps(const std::string& term) {
    auto c = read_term_entry(term);
    if (!c) return c;
    auto fail = [&](const std::string& why) {
        return Error{"", 0, 0, "no status line: " + why + "; the prompt segment still shows the target"};
    };
    if (c->csr.empty()) return fail("TERM=" + term + " has no scroll region (csr)");
    if (!missing_capabilities(*c).empty()) return fail("TERM=" + term + " lacks sc, rc, cup, el, ind or cuu1");
    return c;
}

bool can_reserve(ScreenSize size) { return size.rows >= 3 && size.cols >= 10; }

int line_row(Placement placement, ScreenSize size) { return placement == Placement::top ? 0 : size.rows - 1; }

std::string paint_bytes(const TermCaps& c, const StatusLine& line, Placement placement, ScreenSize size) {
    std::string out = expand(c.cup, line_row(placement, size), 0);
    bool colours = c.colors >= 8 && !c.setaf.empty();
    for (const Segment& seg : line.segments) {
        out += plain(c.sgr0);
        Style st = seg.style;
        if (!colours && st.fg >= 0 && seg.style.reverse) st.fg = -1;
        if (!colours && seg.style.fg >= 0 && !seg.style.reverse) st.fg = -1;
        if (st.bold) out += plain(c.bold);
        if (st.reverse) out += plain(c.rev);
        if (colours && st.fg >= 0) out += expand(c.setaf, fit_colour(c, st.fg));
        if (colours && st.bg >= 0 && !c.setab.empty()) out += expand(c.setab, fit_colour(c, st.bg));
        out += seg.text;
    }
    out += plain(c.sgr0) + plain(c.el);
    return sc_rc(c, out);
}

std::string make_room_bytes(const TermCaps& c, Placement placement) {
    if (placement == Placement::top) {
        if (c.ri.empty() || c.cuu.empty() || c.cud.empty()) return {};
        return sc_rc(c, plain(c.ri)) + expand(c.cuu, 1) + expand(c.cud, 1);
    }
    if (c.cud.empty()) return plain(c.ind) + plain(c.cuu1);
    return sc_rc(c, plain(c.ind)) + expand(c.cud, 1) + plain(c.cuu1);
}

std::string reserve_bytes(const TermCaps& c, const StatusLine& line, Placement placement, ScreenSize size) {
    std::string out = sc_rc(c, expand(c.csr, 0, size.rows - 1)) + make_room_bytes(c, placement);
    out += sc_rc(c, placement == Placement::top ? expand(c.csr, 1, size.rows - 1) : expand(c.csr, 0, size.rows - 2));
    return out + paint_bytes(c, line, placement, size);
}

std::string release_bytes(const TermCaps& c, Placement placement, ScreenSize size) {
    std::string clear = expand(c.cup, line_row(placement, size), 0) + plain(c.sgr0) + plain(c.el);
    return sc_rc(c, clear) + sc_rc(c, expand(c.csr, 0, size.rows - 1));
}

ReservedLine::ReservedLine(const std::string& term, Placement placement) : placement_(placement) {
    if (placement == Placement::off) return;
    auto caps = load_term_caps(term);
    if (caps) caps_ = std::move(caps.value());
    else notice_ = "sentinel: " + caps.error().message + "\n";
}

std::string ReservedLine::take_notice() { return std::exchange(notice_, std::string()); }

std::string ReservedLine::at_prompt(const Display& content, ScreenSize size, bool no_color) {
    if (!caps_) return {};
    if (!can_reserve(size)) {
        std::string out = release();
        if (notice_.empty() && painted_.segments.empty())
            notice_ = "sentinel: no status line: the terminal is too small\n";
        return out;
    }
    painted_ = layout_status_line(content, static_cast<std::size_t>(size.cols - 1), no_color);
    std::string out;
    if (reserved_ && size_ != size && size_.rows != size.rows && line_row(placement_, size_) < size.rows)
        out += release_bytes(*caps_, placement_, size_);
    reserved_ = true;
    size_ = size;
    return out + reserve_bytes(*caps_, painted_, placement_, size);
}

std::string ReservedLine::at_redraw(const Display& content, ScreenSize size, bool no_color) {
    if (!caps_ || !reserved_) return {};
    return at_prompt(content, size, no_color);
}

std::string ReservedLine::on_change(const Display& content, ScreenSize size, bool no_color) {
    if (!caps_ || !reserved_) return {};
    if (!can_reserve(size)) return release();
    StatusLine line = layout_status_line(content, static_cast<std::size_t>(size.cols - 1), no_color);
    if (line == painted_ && size == size_) return {};
    // Resized while idle: reserved again for the new size (reserve_bytes
    // keeps the cursor on the shell's text wherever it stands).
    if (size != size_) return at_prompt(content, size, no_color);
    painted_ = std::move(line);
    return paint_bytes(*caps_, painted_, placement_, size);
}

std::string ReservedLine::release() {
    if (!caps_ || !reserved_) return {};
    reserved_ = false;
    painted_ = {};
    return release_bytes(*caps_, placement_, size_);
}

}  // namespace sentinel
