#include "sentinel/core/undo/manifest.hpp"

#include <cstdio>

#include "sentinel/core/guard/audit.hpp"
#include "sentinel/core/guard/preview.hpp"
#include "sentinel/core/sanitize.hpp"

namespace sentinel {
namespace {

using nlohmann::json;

json part_json(const ManifestPart& p) {
    json cols = json::array();
    for (const UndoColumn& c : p.columns)
        cols.push_back({{"name", c.name}, {"type", c.type}, {"generated", c.generated}, {"identity", c.identity}});
    return {{"statement", p.statement},
            {"kind", p.kind},
            {"relation", p.relation},
            {"schema", p.schema},
            {"table", p.table},
            {"columns", cols},
            {"key", p.key},
            {"key_kind", p.key_kind},
            {"xid", p.xid},
            {"file", p.file},
            {"format", p.format},
            {"rows", p.rows},
            {"bytes", p.bytes},
            {"sha256", p.sha256}};
}

}  // namespace

json manifest_json(const Manifest& m) {
    json conn = json::object();
    for (const auto& [k, v] : m.connection) conn[k] = v;
    json parts = json::array();
    for (const ManifestPart& p : m.parts) parts.push_back(part_json(p));
    return {{"version", 1},
            {"id", m.id},
            {"time", rfc3339_utc(m.time)},
            {"unix_time", m.time},
            {"user", m.user},
            {"tty", m.tty},
            {"tier", m.tier},
            {"target", {{"kind", m.target_kind}, {"name", m.target}, {"connection", conn}}},
            {"statements", m.statements},
            {"parts", parts},
            {"status", m.status},
            {"psql", m.psql},
            {"pg_dump", m.pg_dump}};
}

std::string format_manifest(const Manifest& m) { return manifest_json(m).dump(2, ' ', true) + "\n"; }

Result<Manifest> parse_manifest(std::string_view text) {
    json j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return Error{"", 0, 0, "manifest.json is not a JSON object"};
    try {
        Manifest m;
        m.id = j.at("id").get<std::string>();
        m.time = j.value("unix_time", std::int64_t{0});
        m.user = j.value("user", "");
        m.tty = j.value("tty", "");
        m.tier = j.value("tier", "");
        const json& t = j.at("target");
        m.target_kind = t.value("kind", "pg");
        m.target = t.value("name", "");
        const json conn = t.value("connection", json::object());
        for (const auto& [k, v] : conn.items()) m.connection.emplace_back(k, v.get<std::string>());
        m.statements = j.value("statements", std::vector<std::string>{});
        m.status = j.value("status", "complete");
        m.psql = j.value("psql", "");
        m.pg_dump = j.value("pg_dump", "");
        const json parts = j.at("parts");
        for (const json& p : parts) {
            ManifestPart part;
            part.statement = p.value("statement", std::size_t{0});
            part.kind = p.value("kind", "");
            part.relation = p.value("relation", "");
            part.schema = p.value("schema", "");
            part.table = p.value("table", "");
            const json columns = p.value("columns", json::array());
            for (const json& c : columns)
                part.columns.push_back({c.value("name", ""), c.value("type", ""), c.value("generated", false),
                                        c.value("identity", false)});
            part.key = p.value("key", std::vector<std::string>{});
            part.key_kind = p.value("key_kind", "");
            part.xid = p.value("xid", "");
            part.file = p.value("file", "");
            part.format = p.value("format", "");
            part.rows = p.value("rows", std::int64_t{0});
            part.bytes = p.value("bytes", std::int64_t{0});
            part.sha256 = p.value("sha256", "");
            m.parts.push_back(std::move(part));
        }
        return m;
    } catch (const json::exception& e) {
        return Error{"", 0, 0, std::string("manifest.json: ") + e.what()};
    }
}

bool valid_undo_id(std::string_view id) {
    if (id.size() != 22 || id[8] != '-' || id[15] != '-') return false;
    for (std::size_t i = 0; i < id.size(); ++i) {
        if (i == 8 || i == 15) continue;
        char c = id[i];
        bool digit = c >= '0' && c <= '9';
        if (i < 15 ? !digit : !(digit || (c >= 'a' && c <= 'f'))) return false;
    }
    return true;
}

std::string make_undo_id(std::int64_t unix_seconds, std::uint32_t random) {
    std::string t = rfc3339_utc(unix_seconds);  // 2026-11-23T15:35:51Z
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.4s%.2s%.2s-%.2s%.2s%.2s-%06x", t.c_str(), t.c_str() + 5, t.c_str() + 8,
                  t.c_str() + 11, t.c_str() + 14, t.c_str() + 17, random & 0xffffffu);
    return buf;
}

std::vector<std::optional<std::string>> decode_copy_line(std::string_view line) {
    std::vector<std::optional<std::string>> out;
    std::string field;
    std::string raw;  // the field as written, to tell \N (NULL) from a decoded "N"
    auto finish = [&] {
        if (raw == "\\N")
            out.push_back(std::nullopt);
        else
            out.push_back(field);
        field.clear();
        raw.clear();
    };
    for (std::size_t i = 0; i < line.size(); ++i) {
        char c = line[i];
        if (c == '\t') {
            finish();
            continue;
        }
        raw += c;
        if (c != '\\' || i + 1 >= line.size()) {
            field += c;
            continue;
        }
        char n = line[++i];
        raw += n;
        switch (n) {
            case 'b':
                field += '\b';
                break;
            case 'f':
                field += '\f';
                break;
            case 'n':
                field += '\n';
                break;
            case 'r':
                field += '\r';
                break;
            case 't':
                field += '\t';
                break;
            case 'v':
                field += '\v';
                break;
            case 'x': {
                int v = 0, k = 0;
                while (k < 2 && i + 1 < line.size() && std::isxdigit(static_cast<unsigned char>(line[i + 1]))) {
                    char h = line[++i];
                    raw += h;
                    v = v * 16 + (std::isdigit(static_cast<unsigned char>(h)) ? h - '0' : (std::tolower(h) - 'a' + 10));
                    ++k;
                }
                field += static_cast<char>(v);
                break;
            }
            default:
                if (n >= '0' && n <= '7') {
                    int v = n - '0', k = 1;
                    while (k < 3 && i + 1 < line.size() && line[i + 1] >= '0' && line[i + 1] <= '7') {
                        v = v * 8 + (line[++i] - '0');
                        raw += line[i];
                        ++k;
                    }
                    field += static_cast<char>(v);
                } else {
                    field += n;  // \\ and any other escaped character stand for themselves
                }
        }
    }
    finish();
    return out;
}

std::string format_list_line(const Manifest& m) {
    std::int64_t rows = 0, bytes = 0;
    std::string what;
    for (const ManifestPart& p : m.parts) {
        rows += p.rows;
        bytes += p.bytes;
        what += (what.empty() ? "" : ", ") + p.kind + " " + p.relation;
    }
    return sanitize(m.id) + "  " + rfc3339_utc(m.time) + "  " + sanitize(m.tier) + " " + sanitize(m.target) + "  " +
           sanitize(what) + "  " + format_rows(static_cast<double>(rows)) + " rows  " + format_bytes(bytes) +
           (m.status == "complete" ? "" : "  (" + sanitize(m.status) + ")");
}

std::string format_show(const Manifest& m, const std::vector<std::string>& part_texts, std::size_t max_rows) {
    std::string out = "undo copy " + sanitize(m.id) + " (" + sanitize(m.status) + ")\n";
    out += "  time       " + rfc3339_utc(m.time) + "\n";
    out += "  user       " + sanitize(m.user) + (m.tty.empty() ? "" : " on " + sanitize(m.tty)) + "\n";
    out += "  target     " + sanitize(m.tier) + " " + sanitize(m.target_kind) + " " + sanitize(m.target) + "\n";
    for (const auto& [k, v] : m.connection) out += "             " + sanitize(k) + "=" + sanitize(v) + "\n";
    for (std::size_t i = 0; i < m.statements.size(); ++i)
        out += "  statement  " + elide_middle(sanitize(m.statements[i]), 300) + "\n";
    for (std::size_t i = 0; i < m.parts.size(); ++i) {
        const ManifestPart& p = m.parts[i];
        out += "  copy       " + sanitize(p.kind) + " " + sanitize(p.relation) + ": " +
               format_rows(static_cast<double>(p.rows)) + " rows, " + format_bytes(p.bytes) + ", key " +
               (p.key.empty() ? std::string("none") : sanitize(p.key_kind)) + ", sha256 " + sanitize(p.sha256) + "\n";
        std::string cols;
        for (const UndoColumn& c : p.columns) cols += (cols.empty() ? "" : " | ") + sanitize(c.name);
        out += "    " + cols + "\n";
        std::string_view text = i < part_texts.size() ? std::string_view(part_texts[i]) : std::string_view();
        std::size_t shown = 0, start = 0;
        bool in_data = p.format != "pg_dump-plain";
        while (start < text.size() && shown < max_rows) {
            std::size_t nl = text.find('\n', start);
            if (nl == std::string_view::npos) break;  // an incomplete last line is not shown
            std::string_view line = text.substr(start, nl - start);
            start = nl + 1;
            if (!in_data) {
                in_data =
                    line.rfind("COPY ", 0) == 0 && line.size() > 12 && line.substr(line.size() - 12) == "FROM stdin;";
                continue;
            }
            if (line == "\\.") break;
            std::string row;
            for (const auto& v : decode_copy_line(line))
                row += (row.empty() ? "" : " | ") + (v ? sanitize(*v) : "NULL");
            out += "    " + row + "\n";
            ++shown;
        }
        if (static_cast<std::int64_t>(shown) < p.rows)
            out +=
                "    ... (" + format_rows(static_cast<double>(p.rows - static_cast<std::int64_t>(shown))) + " more)\n";
    }
    return out;
}

}  // namespace sentinel
