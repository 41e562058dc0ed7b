#include "sentinel/core/reach/sockets.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <bit>
#include <cstring>

namespace sentinel {
namespace {

bool is_v4_mapped(const std::string& address, std::string& v4) {
    in6_addr a{};
    if (inet_pton(AF_INET6, address.c_str(), &a) != 1 || !IN6_IS_ADDR_V4MAPPED(&a)) return false;
    char text[INET_ADDRSTRLEN];
    v4 = inet_ntop(AF_INET, &a.s6_addr[12], text, sizeof text);
    return true;
}

// How well a listening socket matches a destination address: higher wins,
// 0 never. Exact address first, then the same family's wildcard, then a
// dual-stack IPv6 wildcard for IPv4.
int score(const SocketEntry& s, const std::string& destination, bool destination_v6) {
    if (s.family == SocketEntry::Family::unix_socket) return 0;
    if (!destination_v6) {
        std::string mapped;
        if (s.family == SocketEntry::Family::v4 && s.address == destination) return 4;
        if (s.family == SocketEntry::Family::v6 && !s.v6only && is_v4_mapped(s.address, mapped) && mapped == destination)
            return 3;
        if (s.family == SocketEntry::Family::v4 && s.address == "0.0.0.0") return 2;
        if (s.family == SocketEntry::Family::v6 && !s.v6only && s.address == "::") return 1;
        return 0;
    }
    if (s.family != SocketEntry::Family::v6) return 0;
    if (s.address == destination) return 4;
    if (s.address == "::") return 2;
    return 0;
}

std::vector<std::string> split_ws(std::string_view line) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
        std::size_t start = i;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
        if (i > start) out.emplace_back(line.substr(start, i - start));
    }
    return out;
}

bool hex_value(std::string_view text, std::uint64_t& out) {
    if (text.empty() || text.size() > 16) return false;
    out = 0;
    for (char c : text) {
        int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (v < 0) return false;
        out = out * 16 + static_cast<std::uint64_t>(v);
    }
    return true;
}

bool decimal(std::string_view text, std::uint64_t& out) {
    if (text.empty() || text.size() > 19) return false;
    out = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return false;
        out = out * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return true;
}

// The kernel prints each 32-bit word of an address with %08X of the word as
// stored, so on a little-endian machine the bytes of each word come reversed.
bool decode_address(std::string_view hex, bool v6, std::string& out) {
    std::size_t words = v6 ? 4 : 1;
    if (hex.size() != words * 8) return false;
    unsigned char bytes[16];
    for (std::size_t w = 0; w < words; ++w) {
        std::uint64_t v;
        if (!hex_value(hex.substr(w * 8, 8), v)) return false;
        std::uint32_t word = static_cast<std::uint32_t>(v);
        if constexpr (std::endian::native == std::endian::little) {
            for (int b = 0; b < 4; ++b) bytes[w * 4 + b] = static_cast<unsigned char>(word >> (8 * b));
        } else {
            for (int b = 0; b < 4; ++b) bytes[w * 4 + b] = static_cast<unsigned char>(word >> (8 * (3 - b)));
        }
    }
    char text[INET6_ADDRSTRLEN];
    if (!inet_ntop(v6 ? AF_INET6 : AF_INET, bytes, text, sizeof text)) return false;
    out = text;
    return true;
}

}  // namespace

std::string SocketEntry::text() const {
    if (family == Family::unix_socket) return path;
    return host_port(address, port);
}

std::vector<SocketEntry> reached_sockets(const std::vector<SocketEntry>& table, const Endpoint& endpoint,
                                         const FileId& file) {
    std::vector<SocketEntry> out;
    auto add = [&](const SocketEntry& s) {
        if (std::none_of(out.begin(), out.end(), [&](const SocketEntry& o) { return o.inode == s.inode; }))
            out.push_back(s);
    };
    if (endpoint.type == Endpoint::Type::unix_socket) {
        bool by_file = file.ino != 0;
        for (const SocketEntry& s : table) {
            if (s.family != SocketEntry::Family::unix_socket) continue;
            if (by_file && s.vfs_ino != 0 ? (s.vfs_ino == file.ino && s.vfs_dev == file.dev) : s.path == endpoint.path)
                add(s);
        }
        return out;
    }
    for (const std::string& destination : endpoint.addresses) {
        bool v6 = destination.find(':') != std::string::npos;
        int best = 0;
        for (const SocketEntry& s : table)
            if (s.port == endpoint.port) best = std::max(best, score(s, destination, v6));
        if (best == 0) continue;
        for (const SocketEntry& s : table)
            if (s.port == endpoint.port && score(s, destination, v6) == best) add(s);
    }
    return out;
}

std::vector<SocketEntry> parse_proc_net_tcp(std::string_view text, bool v6) {
    std::vector<SocketEntry> out;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        std::vector<std::string> f = split_ws(text.substr(start, end - start));
        start = end + 1;
        // sl local rem st tx:rx tr:when retrnsmt uid timeout inode ...
        if (f.size() < 10 || f[3] != "0A") continue;
        std::size_t colon = f[1].find(':');
        if (colon == std::string::npos) continue;
        SocketEntry s;
        s.family = v6 ? SocketEntry::Family::v6 : SocketEntry::Family::v4;
        std::uint64_t port, uid, inode;
        if (!decode_address(std::string_view(f[1]).substr(0, colon), v6, s.address)) continue;
        if (!hex_value(std::string_view(f[1]).substr(colon + 1), port) || port > 65535) continue;
        if (!decimal(f[7], uid) || !decimal(f[9], inode)) continue;
        s.port = static_cast<int>(port);
        s.uid = static_cast<long>(uid);
        s.inode = inode;
        out.push_back(std::move(s));
    }
    return out;
}

std::vector<SocketEntry> parse_proc_net_unix(std::string_view text) {
    std::vector<SocketEntry> out;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(start, end - start);
        start = end + 1;
        // Num RefCount Protocol Flags Type St Inode [Path]: the path is the
        // rest of the line after the seventh field and may hold spaces.
        std::size_t pos = 0;
        std::vector<std::string_view> fields;
        while (fields.size() < 7 && pos < line.size()) {
            while (pos < line.size() && line[pos] == ' ') ++pos;
            std::size_t field_start = pos;
            while (pos < line.size() && line[pos] != ' ') ++pos;
            if (pos > field_start) fields.push_back(line.substr(field_start, pos - field_start));
        }
        if (fields.size() < 7) continue;
        std::uint64_t flags, inode;
        if (!hex_value(fields[3], flags) || !(flags & 0x10000) || !decimal(fields[6], inode)) continue;
        SocketEntry s;
        s.family = SocketEntry::Family::unix_socket;
        s.inode = inode;
        if (pos < line.size()) s.path = std::string(line.substr(pos + 1));
        out.push_back(std::move(s));
    }
    return out;
}

}  // namespace sentinel
