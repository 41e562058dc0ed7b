#include "sentinel/core/guard/preview.hpp"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "sentinel/core/pg/sql_tree.hpp"

namespace sentinel {
namespace {

std::string about(const StatementPreview& p, double n) {
    return (p.status == StatementPreview::Status::estimated ? "about " : "") + format_rows(n);
}

std::string rows_word(double n) { return std::llround(n) == 1 ? " row" : " rows"; }

}  // namespace

std::string format_rows(double n) {
    long long v = std::llround(n < 0 ? 0 : n);
    std::string digits = std::to_string(v);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

std::string format_bytes(std::int64_t bytes) {
    if (bytes < 1024) return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
    const char* units[] = {"KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = static_cast<double>(bytes);
    int u = -1;
    while (v >= 1024 && u < 4) {
        v /= 1024;
        ++u;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f %s", v, units[u]);
    return buf;
}

std::string preview_line(const StatementPreview& p) {
    using S = StatementPreview::Status;
    bool rows_kind = p.verb == "DELETE" || p.verb == "UPDATE";
    std::string head = rows_kind ? p.verb + " on " + p.target : p.verb + " " + p.target;
    if (p.cascade) head += " CASCADE";
    if (p.status == S::failed) return head + ": no preview (" + (p.note.empty() ? "unknown reason" : p.note) + ")";
    std::string out = head + ": ";
    if (rows_kind) {
        if (!p.touched) return head + ": no preview (" + p.note + ")";
        out += about(p, *p.touched);
        if (p.total) out += " of " + about(p, *p.total);
        out += rows_word(p.total ? *p.total : *p.touched);
        if (p.status == S::counted && p.total && *p.total > 0 && std::llround(*p.touched) == std::llround(*p.total))
            out += " (every row)";
    } else if (p.verb == "DROP SCHEMA" || p.verb == "DROP DATABASE") {
        std::vector<std::string> parts;
        if (p.tables)
            parts.push_back(format_rows(static_cast<double>(*p.tables)) + (*p.tables == 1 ? " table" : " tables"));
        if (p.bytes) parts.push_back(format_bytes(*p.bytes));
        if (parts.empty()) parts.push_back("nothing known");
        for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? ", " : "") + parts[i];
        out += " go with it";
    } else {
        out += p.total ? about(p, *p.total) + rows_word(*p.total) : "rows unknown";
        if (p.bytes) out += ", " + format_bytes(*p.bytes);
    }
    if (p.status == S::estimated && !p.note.empty()) out += " (estimate: " + p.note + ")";
    return out;
}

std::string relation_query(const DerivedStatement& d) {
    if (d.kind == StatementKind::drop_schema) {
        std::string names;
        for (const std::string& s : d.schemas) names += (names.empty() ? "" : ", ") + quote_literal(s);
        return "SELECT count(*), coalesce(sum(pg_catalog.pg_total_relation_size(c.oid)), 0) FROM pg_catalog.pg_class c "
               "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'm') AND "
               "n.nspname IN (" +
               (names.empty() ? std::string("NULL") : names) + ")";
    }
    if (d.kind == StatementKind::drop_database)
        return "SELECT pg_catalog.pg_database_size(oid) FROM pg_catalog.pg_database WHERE datname = " +
               quote_literal(d.database);
    std::string q;
    for (const RelationName& r : d.relations) {
        q += std::string(q.empty() ? "" : " UNION ALL ") +
             "SELECT pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname), c.relkind::text, "
             "c.reltuples, pg_catalog.pg_total_relation_size(c.oid), c.relrowsecurity FROM pg_catalog.pg_class c "
             "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = "
             "pg_catalog.to_regclass(" +
             r.regclass_literal() + ")";
    }
    return q.empty() ? "SELECT NULL WHERE false" : q;
}

std::string reads_query(const DerivedStatement& d) {
    std::string q;
    for (const RelationName& r : d.reads)
        q += std::string(q.empty() ? "" : " UNION ALL ") + "SELECT " + quote_literal(r.display()) +
             ", c.relkind::text, c.relrowsecurity FROM pg_catalog.pg_class c WHERE c.oid = pg_catalog.to_regclass(" +
             r.regclass_literal() + ")";
    return q.empty() ? "SELECT NULL, NULL, NULL WHERE false" : q;
}

std::string reads_problem(const std::vector<std::vector<std::optional<std::string>>>& rows) {
    for (const auto& row : rows) {
        if (row.size() != 3) continue;
        std::string name = row[0].value_or("?");
        if (!countable_relkind(row[1].value_or(""))) return "it reads " + name + ", which is not a plain table";
        if (row[2].value_or("f") == "t") return "row security applies to " + name;
    }
    return "";
}

std::optional<double> explain_rows(const std::string& explain_json) {
    auto j = nlohmann::json::parse(explain_json, nullptr, false);
    if (j.is_discarded() || !j.is_array() || j.empty()) return std::nullopt;
    const auto& plan = j[0].value("Plan", nlohmann::json::object());
    auto rows = plan.find("Plan Rows");
    if (rows == plan.end() || !rows->is_number()) return std::nullopt;
    return rows->get<double>();
}

bool countable_relkind(const std::string& relkind) { return relkind == "r" || relkind == "p" || relkind == "m"; }

}  // namespace sentinel
