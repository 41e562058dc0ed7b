#include "sentinel/core/ini/configparser.hpp"

#include <optional>

#include "sentinel/core/utf8.hpp"

namespace sentinel {
namespace {

constexpr std::string_view kSpace = " \t\n\r\f\v";

std::string_view strip(std::string_view s) {
    std::size_t b = s.find_first_not_of(kSpace);
    if (b == std::string_view::npos) return {};
    std::size_t e = s.find_last_not_of(kSpace);
    return s.substr(b, e - b + 1);
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

// The next line of `text` from `pos` without its end ("\n", "\r\n", "\r"),
// advancing `pos` past the end.
std::string_view next_line(std::string_view text, std::size_t& pos) {
    std::size_t end = text.find_first_of("\r\n", pos);
    std::string_view line = text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    if (end == std::string_view::npos) pos = text.size();
    else pos = end + (text[end] == '\r' && end + 1 < text.size() && text[end + 1] == '\n' ? 2 : 1);
    return line;
}

struct Parser {
    const std::string& path;
    const IniSecretKey& secret;
    std::vector<IniSection> sections;
    IniSection defaults;
    // `current` and `option` point into `sections`; both are re-pointed
    // (and `option` finished) before anything is added that may move them.
    IniSection* current = nullptr;
    IniOption* option = nullptr;        // the option whose value may continue
    std::size_t indent = std::string::npos;
    std::vector<std::string> pending;   // continuation lines of `option`, blank ones as ""

    Error error(int line, std::string message) const { return Error{path, line, 0, std::move(message)}; }

    void finish_option() {
        if (option && !option->secret) {
            while (!pending.empty() && pending.back().empty()) pending.pop_back();
            for (const std::string& p : pending) option->value += "\n" + p;
            // configparser strips the joined value: a first line that was
            // empty leaves the value starting with '\n' (botocore's nested
            // sections), which rstrip keeps.
        }
        pending.clear();
    }

    std::optional<Error> header(std::string_view value, int line) {
        finish_option();
        option = nullptr;
        std::size_t close = value.rfind(']');
        std::string name(value.substr(1, close - 1));
        if (name == "DEFAULT") {
            current = &defaults;
            return std::nullopt;
        }
        for (IniSection& s : sections)
            if (s.name == name) return error(line, "section \"" + name + "\" appears twice");
        sections.push_back({name, line, {}});
        current = &sections.back();
        return std::nullopt;
    }

    std::optional<Error> option_line(std::string_view value, int line) {
        finish_option();
        std::size_t delim = value.find_first_of("=:");
        if (delim == std::string_view::npos) return error(line, "a line that is neither a section, an option nor a comment");
        std::string name = lower(strip(value.substr(0, delim)));
        if (name.empty()) return error(line, "an option without a name");
        for (const IniOption& o : current->options)
            if (o.name == name) return error(line, "option \"" + name + "\" appears twice in its section");
        IniOption o;
        o.name = name;
        o.line = line;
        o.secret = secret && secret(name);
        if (!o.secret) o.value = std::string(strip(value.substr(delim + 1)));
        current->options.push_back(std::move(o));
        option = &current->options.back();
        return std::nullopt;
    }
};

}  // namespace

const IniOption* IniSection::find(std::string_view n) const {
    for (const IniOption& o : options)
        if (o.name == n) return &o;
    return nullptr;
}

const IniSection* IniFile::find(std::string_view n) const {
    for (const IniSection& s : sections)
        if (s.name == n) return &s;
    return nullptr;
}

Result<IniFile> parse_configparser(std::string_view text, const std::string& path, const IniSecretKey& secret) {
    // Python decodes the file before configparser sees it.
    if (!valid_utf8(text)) return Error{path, 0, 0, "not valid UTF-8"};
    Parser p{path, secret, {}, {}, nullptr, nullptr, std::string::npos, {}};
    std::size_t pos = 0;
    for (int line = 1; pos < text.size(); ++line) {
        std::string_view raw = next_line(text, pos);
        std::string_view value = strip(raw);
        bool comment = !value.empty() && (value[0] == '#' || value[0] == ';');
        if (value.empty() || comment) {
            if (!comment && p.option) p.pending.emplace_back();
            continue;
        }
        std::size_t indent = raw.find_first_not_of(kSpace);
        if (p.option && indent > p.indent) {
            if (!p.option->secret) p.pending.emplace_back(value);
            continue;
        }
        p.indent = indent;
        if (value[0] == '[' && value.rfind(']') != std::string_view::npos && value.rfind(']') > 1) {
            if (auto e = p.header(value, line)) return *e;
            continue;
        }
        if (!p.current) return p.error(line, "an option before any [section]");
        if (auto e = p.option_line(value, line)) return *e;
    }
    p.finish_option();
    IniFile file;
    file.sections = std::move(p.sections);
    for (IniSection& s : file.sections)
        for (const IniOption& d : p.defaults.options)
            if (!s.find(d.name)) s.options.push_back(d);
    return file;
}

std::vector<std::string> shlex_split(std::string_view text, bool& ok) {
    ok = true;
    std::vector<std::string> words;
    std::string word;
    bool in_word = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            if (in_word) words.push_back(std::move(word));
            word.clear();
            in_word = false;
        } else if (c == '\'') {
            std::size_t end = text.find('\'', i + 1);
            if (end == std::string_view::npos) return ok = false, std::vector<std::string>{};
            word.append(text.substr(i + 1, end - i - 1));
            in_word = true;
            i = end;
        } else if (c == '"') {
            in_word = true;
            for (++i;; ++i) {
                if (i >= text.size()) return ok = false, std::vector<std::string>{};
                if (text[i] == '"') break;
                if (text[i] == '\\' && i + 1 < text.size() && (text[i + 1] == '\\' || text[i + 1] == '"')) ++i;
                word += text[i];
            }
        } else if (c == '\\') {
            if (i + 1 >= text.size()) return ok = false, std::vector<std::string>{};
            word += text[++i];
            in_word = true;
        } else {
            word += c;
            in_word = true;
        }
    }
    if (in_word) words.push_back(std::move(word));
    return words;
}

}  // namespace sentinel
