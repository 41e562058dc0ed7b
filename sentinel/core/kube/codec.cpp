// A kubeconfig reduced by parse_kubeconfig, written as text and read back,
// so that a large file need not be parsed again while it is unchanged.

#include <charconv>

#include "sentinel/core/kube/kubeconfig.hpp"

namespace sentinel {
namespace {

void put(std::string& out, std::string_view value) {
    for (char c : value) {
        if (c == '\\') out += "\\\\";
        else if (c == '\t') out += "\\t";
        else if (c == '\n') out += "\\n";
        else out += c;
    }
}

void put_pos(std::string& out, Pos pos) {
    out += '\t' + std::to_string(pos.line) + '\t' + std::to_string(pos.col);
}

void put_located(std::string& out, const Located& l) {
    out += '\t';
    put(out, l.value);
    put_pos(out, l.pos);
}

// Splits one line on tabs, undoing the escapes of put().
std::vector<std::string> fields_of(std::string_view line) {
    std::vector<std::string> fields(1);
    for (std::size_t i = 0; i < line.size(); ++i) {
        char c = line[i];
        if (c == '\t') fields.emplace_back();
        else if (c == '\\' && i + 1 < line.size()) {
            char n = line[++i];
            fields.back() += n == 't' ? '\t' : n == 'n' ? '\n' : n;
        } else fields.back() += c;
    }
    return fields;
}

bool to_int(const std::string& s, int& out) {
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size();
}

bool read_pos(const std::vector<std::string>& f, std::size_t at, Pos& pos) {
    return at + 1 < f.size() && to_int(f[at], pos.line) && to_int(f[at + 1], pos.col);
}

bool read_located(const std::vector<std::string>& f, std::size_t at, Located& l) {
    if (at >= f.size()) return false;
    l.value = f[at];
    return read_pos(f, at + 1, l.pos);
}

}  // namespace

LoadedKubeconfig ParsingKubeconfigLoader::load(const std::string& path) const {
    LoadedKubeconfig out;
    FileRead read = files_.read(path);
    out.status = read.status;
    if (read.status == FileRead::Status::error) out.error = path + ": " + read.reason;
    if (read.status != FileRead::Status::ok) return out;
    // Parsed under the reader's budget (in a child process for files on
    // disk); the result travels as the cache's text form, an error as "E"
    // and its text.
    auto text = files_.run_bounded(
        [&] {
            auto parsed = parse_kubeconfig(read.data, path);
            return parsed ? "K" + encode_kubeconfig(parsed.value()) : "E" + parsed.error().to_string();
        },
        read.data.size());
    out.status = FileRead::Status::error;
    if (!text) {
        out.error = path + ": " + text.error().message;
        return out;
    }
    if (text->empty() || (*text)[0] != 'K') {
        out.error = text->empty() ? path + ": no answer from the parser" : text->substr(1);
        return out;
    }
    auto decoded = decode_kubeconfig(std::string_view(*text).substr(1));
    if (!decoded) {
        out.error = path + ": the parser's answer did not decode";
        return out;
    }
    out.status = FileRead::Status::ok;
    out.config = std::move(decoded.value());
    return out;
}

std::string encode_kubeconfig(const Kubeconfig& config) {
    std::string out;
    if (config.current_context) {
        out += "current";
        put_located(out, *config.current_context);
        out += '\n';
    }
    for (const auto& [name, c] : config.contexts) {
        out += "context\t";
        put(out, name);
        put_pos(out, c.pos);
        put_located(out, c.cluster);
        put_located(out, c.user);
        put_located(out, c.namespace_);
        out += '\n';
    }
    for (const auto& [name, c] : config.clusters) {
        out += "cluster\t";
        put(out, name);
        put_pos(out, c.pos);
        if (c.server) put_located(out, *c.server);
        out += '\n';
    }
    for (const auto& [name, u] : config.users) {
        out += "user\t";
        put(out, name);
        put_pos(out, u.pos);
        out += '\n';
    }
    return out;
}

Result<Kubeconfig> decode_kubeconfig(std::string_view text) {
    Kubeconfig config;
    int line_no = 0;
    while (!text.empty()) {
        ++line_no;
        std::size_t nl = text.find('\n');
        if (nl == std::string_view::npos) return Error{"", line_no, 0, "unterminated line"};
        std::vector<std::string> f = fields_of(text.substr(0, nl));
        text.remove_prefix(nl + 1);
        bool ok = false;
        if (f[0] == "current" && f.size() == 4) {
            Located l;
            ok = read_located(f, 1, l);
            config.current_context = l;
        } else if (f[0] == "context" && f.size() == 13) {
            KubeContext c;
            ok = read_pos(f, 2, c.pos) && read_located(f, 4, c.cluster) && read_located(f, 7, c.user) &&
                 read_located(f, 10, c.namespace_);
            config.contexts.emplace(f[1], std::move(c));
        } else if (f[0] == "cluster" && (f.size() == 4 || f.size() == 7)) {
            KubeCluster c;
            ok = read_pos(f, 2, c.pos);
            if (f.size() == 7) {
                Located server;
                ok = ok && read_located(f, 4, server);
                c.server = server;
            }
            config.clusters.emplace(f[1], std::move(c));
        } else if (f[0] == "user" && f.size() == 4) {
            KubeUser u;
            ok = read_pos(f, 2, u.pos);
            config.users.emplace(f[1], u);
        }
        if (!ok) return Error{"", line_no, 0, "malformed cache line"};
    }
    return config;
}

}  // namespace sentinel
