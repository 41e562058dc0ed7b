#include "sentinel/core/pg/volatility.hpp"

#include "sentinel/core/pg/sql_tree.hpp"

namespace sentinel {
namespace {

// ("schema", "name") of "schema.name"; a bare name has an empty schema.
std::pair<std::string, std::string> split_name(const std::string& qualified) {
    auto dot = qualified.rfind('.');
    // An operator may itself hold dots? PostgreSQL operator characters exclude '.'.
    if (dot == std::string::npos) return {"", qualified};
    std::string schema = qualified.substr(0, dot);
    auto inner = schema.rfind('.');  // catalog.schema.name: keep the schema
    if (inner != std::string::npos) schema = schema.substr(inner + 1);
    return {schema, qualified.substr(dot + 1)};
}

std::string values(const std::vector<std::string>& names) {
    std::string out;
    for (const std::string& n : names) {
        auto [schema, name] = split_name(n);
        out += std::string(out.empty() ? "" : ", ") + "(" + quote_literal(n) + ", " + quote_literal(schema) + ", " +
               quote_literal(name) + ")";
    }
    return out;
}

const VolatilityRow* find_row(const std::vector<VolatilityRow>& rows, const std::string& kind,
                              const std::string& name) {
    for (const VolatilityRow& r : rows)
        if (r.kind == kind && r.name == name) return &r;
    return nullptr;
}

}  // namespace

std::string volatility_query(const std::vector<std::string>& functions, const std::vector<std::string>& operators) {
    std::string q;
    if (!functions.empty())
        q += "SELECT 'f', f.name, (SELECT string_agg(DISTINCT p.provolatile::text, '') FROM pg_catalog.pg_proc p "
             "JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace WHERE p.proname = f.fname AND "
             "(f.fschema = '' OR n.nspname = f.fschema)) FROM (VALUES " +
             values(functions) + ") AS f(name, fschema, fname)";
    if (!operators.empty())
        q += std::string(q.empty() ? "" : " UNION ALL ") +
             "SELECT 'o', o.name, (SELECT string_agg(DISTINCT p.provolatile::text, '') FROM pg_catalog.pg_operator op "
             "JOIN pg_catalog.pg_proc p ON p.oid = op.oprcode JOIN pg_catalog.pg_namespace n ON n.oid = "
             "op.oprnamespace WHERE op.oprname = o.oname AND (o.oschema = '' OR n.nspname = o.oschema)) FROM (VALUES " +
             values(operators) + ") AS o(name, oschema, oname)";
    if (q.empty()) q = "SELECT 'f', '', 'i' WHERE false";
    return q;
}

VolatilityVerdict judge_volatility(const std::vector<VolatilityRow>& rows, const std::vector<std::string>& functions,
                                   const std::vector<std::string>& operators) {
    auto judge = [&](const std::string& kind, const std::string& name) -> std::optional<std::string> {
        std::string shown = kind == "f" ? name + "()" : "operator " + name;
        const VolatilityRow* r = find_row(rows, kind, name);
        if (!r || !r->volatilities) return shown + " is not in the catalog";
        if (r->volatilities->empty()) return shown + " is not in the catalog";
        for (char c : *r->volatilities)
            if (c != 'i' && c != 's') return shown + " is volatile";
        return std::nullopt;
    };
    for (const std::string& f : functions)
        if (auto why = judge("f", f)) return {false, *why};
    for (const std::string& o : operators)
        if (auto why = judge("o", o)) return {false, *why};
    return {true, ""};
}

}  // namespace sentinel
