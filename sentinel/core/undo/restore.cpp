#include "sentinel/core/undo/restore.hpp"

#include <cstdlib>

#include "sentinel/core/pg/sql_tree.hpp"

namespace sentinel {
namespace {

constexpr const char* kTemp = "sentinel_restore";

std::string match(const std::vector<std::string>& key) {
    std::string out;
    for (const std::string& k : key)
        out += (out.empty() ? "" : " AND ") + ("t." + quote_ident(k) + " = s." + quote_ident(k));
    return out;
}

std::string key_text(const std::vector<std::string>& key) {
    std::string out;
    for (const std::string& k : key) out += (out.empty() ? "" : ", ") + ("s." + quote_ident(k));
    return "ROW(" + out + ")::text";
}

}  // namespace

std::string qualified_name(const ManifestPart& part) {
    return (part.schema.empty() ? "" : quote_ident(part.schema) + ".") + quote_ident(part.table);
}

std::string xmin_of(const std::string& xid8) {
    if (xid8.empty() || xid8.find_first_not_of("0123456789") != std::string::npos) return "";
    unsigned long long v = std::strtoull(xid8.c_str(), nullptr, 10);
    return std::to_string(v % 4294967296ULL);
}

RestoreSql restore_sql(const ManifestPart& part, bool force) {
    RestoreSql r;
    const std::string rel = qualified_name(part);
    if (part.columns.empty()) {
        r.refusal = "the copy does not describe the table's columns";
        return r;
    }
    bool update = part.kind == "UPDATE";
    if (update && part.key.empty()) {
        r.refusal =
            "the table has no primary key or replica identity, so updated rows cannot be matched to set them "
            "back";
        return r;
    }
    std::string cols, insert_cols, select_cols, sets;
    bool identity = false;
    for (const UndoColumn& c : part.columns) {
        cols += (cols.empty() ? "" : ", ") + quote_ident(c.name) + " " + c.type;
        if (c.generated) continue;
        identity = identity || c.identity;
        insert_cols += (insert_cols.empty() ? "" : ", ") + quote_ident(c.name);
        select_cols += (select_cols.empty() ? "" : ", ") + ("s." + quote_ident(c.name));
        sets += (sets.empty() ? "" : ", ") + (quote_ident(c.name) + " = s." + quote_ident(c.name));
    }
    r.create_temp = std::string("CREATE TEMP TABLE ") + kTemp + " (" + cols + ")";
    r.copy_in = std::string("COPY ") + kTemp + " FROM STDIN";
    r.drop_temp = std::string("DROP TABLE ") + kTemp;
    const std::string from = std::string(" FROM ") + kTemp + " s";
    if (update) {
        std::string same = match(part.key);
        std::string unchanged = same;
        std::string xmin = xmin_of(part.xid);
        if (!xmin.empty()) unchanged += " AND t.xmin::text = " + quote_literal(xmin);
        r.conflicts = "SELECT count(*) OVER (), " + key_text(part.key) + from + " WHERE NOT EXISTS (SELECT FROM " +
                      rel + " t WHERE " + unchanged + ") LIMIT 5";
        r.apply.push_back("UPDATE " + rel + " t SET " + sets + from + " WHERE " + (force ? same : unchanged));
        return r;
    }
    std::string overriding = identity ? " OVERRIDING SYSTEM VALUE" : "";
    if (part.key.empty()) {
        r.conflicts = "SELECT 0, NULL WHERE false";
        r.apply.push_back("INSERT INTO " + rel + " (" + insert_cols + ")" + overriding + " SELECT " + select_cols +
                          from);
        return r;
    }
    std::string exists = "EXISTS (SELECT FROM " + rel + " t WHERE " + match(part.key) + ")";
    r.conflicts = "SELECT count(*) OVER (), " + key_text(part.key) + from + " WHERE " + exists + " LIMIT 5";
    if (force) {
        r.apply.push_back("DELETE FROM " + rel + " t USING " + kTemp + " s WHERE " + match(part.key));
        r.apply.push_back("INSERT INTO " + rel + " (" + insert_cols + ")" + overriding + " SELECT " + select_cols +
                          from);
    } else {
        r.apply.push_back("INSERT INTO " + rel + " (" + insert_cols + ")" + overriding + " SELECT " + select_cols +
                          from + " WHERE NOT " + exists);
    }
    return r;
}

}  // namespace sentinel
