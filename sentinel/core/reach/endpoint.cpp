#include "sentinel/core/reach/endpoint.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>

namespace sentinel {
namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

std::optional<int> parse_port(std::string_view text) {
    if (text.empty() || text.size() > 5) return std::nullopt;
    int port = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        port = port * 10 + (c - '0');
    }
    if (port < 1 || port > 65535) return std::nullopt;
    return port;
}

std::vector<std::string> loopback_addresses(std::string_view host) {
    std::string h = lower(host);
    if (!h.empty() && h.back() == '.') h.pop_back();
    if (h.size() > 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
    if (h == "localhost" || ends_with(h, ".localhost")) return {"::1", "127.0.0.1"};
    if (h == "0.0.0.0") return {"127.0.0.1"};
    in_addr v4{};
    if (inet_pton(AF_INET, h.c_str(), &v4) == 1) {
        if ((ntohl(v4.s_addr) >> 24) != 127) return {};
        char text[INET_ADDRSTRLEN];
        return {inet_ntop(AF_INET, &v4, text, sizeof text)};
    }
    in6_addr v6{};
    if (inet_pton(AF_INET6, h.c_str(), &v6) == 1) {
        if (IN6_IS_ADDR_UNSPECIFIED(&v6)) return {"::1"};
        if (IN6_IS_ADDR_LOOPBACK(&v6)) return {"::1"};
        if (IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127) {
            char text[INET_ADDRSTRLEN];
            return {inet_ntop(AF_INET, &v6.s6_addr[12], text, sizeof text)};
        }
    }
    return {};
}

std::string host_port(std::string_view address, int port) {
    std::string a(address);
    if (a.find(':') != std::string::npos) a = "[" + a + "]";
    return a + ":" + std::to_string(port);
}

std::optional<Endpoint> tcp_endpoint(std::string_view host, std::string_view port) {
    auto p = parse_port(port);
    if (!p) return std::nullopt;
    std::vector<std::string> addresses = loopback_addresses(host);
    if (addresses.empty()) return std::nullopt;
    Endpoint e;
    e.type = Endpoint::Type::tcp;
    e.addresses = std::move(addresses);
    e.port = *p;
    std::string shown(host);
    if (shown.find(':') != std::string::npos && shown.front() != '[') shown = "[" + shown + "]";
    e.name = shown + ":" + std::to_string(*p);
    return e;
}

std::optional<Endpoint> pg_endpoint(const Target& target) {
    if (target.kind != Kind::pg || !target.problems.empty()) return std::nullopt;
    const std::string& port = target.get("port").empty() ? std::string("5432") : target.get("port");
    if (!target.get("hostaddr").empty()) return tcp_endpoint(target.get("hostaddr"), port);
    const std::string& host = target.get("host");
    if (!host.empty() && host[0] == '/') {
        auto p = parse_port(port);
        if (!p) return std::nullopt;
        Endpoint e;
        e.type = Endpoint::Type::unix_socket;
        e.port = *p;
        std::string dir = host;
        while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
        e.path = (dir == "/" ? "" : dir) + "/.s.PGSQL." + std::to_string(*p);
        e.name = e.path;
        return e;
    }
    return tcp_endpoint(host, port);
}

std::optional<Endpoint> kube_endpoint(const Target& target) {
    if (target.kind != Kind::kube || !target.problems.empty()) return std::nullopt;
    std::string url = target.get("server");
    std::string scheme;
    std::size_t start = url.find("://");
    if (start == std::string::npos) return std::nullopt;
    scheme = lower(url.substr(0, start));
    if (scheme != "https" && scheme != "http") return std::nullopt;
    std::string authority = url.substr(start + 3);
    authority = authority.substr(0, authority.find_first_of("/?#"));
    if (auto at = authority.rfind('@'); at != std::string::npos) authority = authority.substr(at + 1);
    std::string host, port;
    if (!authority.empty() && authority[0] == '[') {
        std::size_t close = authority.find(']');
        if (close == std::string::npos) return std::nullopt;
        host = authority.substr(0, close + 1);
        if (close + 1 < authority.size()) {
            if (authority[close + 1] != ':') return std::nullopt;
            port = authority.substr(close + 2);
        }
    } else {
        std::size_t colon = authority.rfind(':');
        host = authority.substr(0, colon);
        if (colon != std::string::npos) port = authority.substr(colon + 1);
    }
    if (port.empty()) port = scheme == "https" ? "443" : "80";
    auto e = tcp_endpoint(host, port);
    return e;
}

}  // namespace sentinel
