#include "sentinel/core/pg/sql_classify.hpp"

#include <pg_query.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>

#include "sentinel/core/pg/parse_stack.hpp"
#include "sentinel/core/pg/sql_depth.hpp"

namespace sentinel {
namespace {

using nlohmann::json;

// Walk calls per level of nesting are at most a few (a statement node, its
// body, the member holding the next level); past this the walk gives up.
constexpr int kMaxWalkDepth = 4 * static_cast<int>(kMaxSqlNesting) + 1'000;

// Statements that only read (or only change session state).
const std::set<std::string, std::less<>> kReadStatements = {
    "SelectStmt",   "VariableShowStmt", "VariableSetStmt",  "TransactionStmt", "FetchStmt",
    "ClosePortalStmt", "DeclareCursorStmt", "PrepareStmt", "DeallocateStmt", "ListenStmt",
    "UnlistenStmt", "DiscardStmt",      "ConstraintsSetStmt", "ExplainStmt", "CopyStmt",
};

// Statements that remove data or objects whatever their arguments.
const std::set<std::string, std::less<>> kDestructiveStatements = {
    "DropStmt",           "TruncateStmt",         "DropdbStmt",          "DropRoleStmt",
    "DropOwnedStmt",      "DropTableSpaceStmt",   "DropSubscriptionStmt", "DropUserMappingStmt",
};

// Functions that change server state even inside a SELECT.
const std::set<std::string, std::less<>> kWritingFunctions = {
    "pg_terminate_backend", "pg_cancel_backend", "pg_reload_conf", "pg_rotate_logfile", "pg_switch_wal",
    "pg_promote", "pg_drop_replication_slot", "pg_create_logical_replication_slot",
    "pg_create_physical_replication_slot", "pg_replication_origin_drop", "setval", "nextval", "set_config",
    "lo_unlink", "lo_import", "lo_export", "lo_create", "lo_from_bytea", "lo_put", "dblink_exec",
    "pg_file_write", "pg_file_unlink", "pg_file_rename", "pg_truncate_visibility_map",
};

// "DeleteStmt" -> "DELETE", "CreateTableAsStmt" -> "CREATE TABLE AS".
std::string keyword_of(std::string_view node) {
    if (node.size() > 4 && node.substr(node.size() - 4) == "Stmt") node.remove_suffix(4);
    std::string out;
    for (std::size_t i = 0; i < node.size(); ++i) {
        char c = node[i];
        if (i > 0 && std::isupper(static_cast<unsigned char>(c)) &&
            !std::isupper(static_cast<unsigned char>(node[i - 1])))
            out += ' ';
        out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return out;
}

// "OBJECT_TABLE" -> "TABLE".
std::string object_of(const json& node) {
    auto it = node.find("removeType");
    if (it == node.end() || !it->is_string()) return {};
    std::string t = it->get<std::string>();
    if (t.rfind("OBJECT_", 0) == 0) t = t.substr(7);
    std::replace(t.begin(), t.end(), '_', ' ');
    return t;
}

bool explain_analyzes(const json& node) {
    auto options = node.find("options");
    if (options == node.end() || !options->is_array()) return false;
    for (const json& o : *options) {
        auto d = o.find("DefElem");
        if (d == o.end()) continue;
        if (d->value("defname", "") != "analyze") continue;
        // ANALYZE false is written as arg {"String":{"sval":"false"}} or a boolean.
        std::string arg = d->contains("arg") ? d->at("arg").dump() : "";
        return arg.find("false") == std::string::npos && arg.find("off") == std::string::npos;
    }
    return false;
}

Risk walk(const json& value, int depth);

// Risk of one statement node `name: body`, `depth` walk calls down.
Risk statement_risk(const std::string& name, const json& body, std::string& kind, int depth = 0) {
    kind = keyword_of(name);
    if (kDestructiveStatements.count(name)) {
        if (name == "DropStmt") kind = "DROP " + object_of(body);
        return Risk::destructive;
    }
    if ((name == "DeleteStmt" || name == "UpdateStmt") && !body.contains("whereClause")) {
        kind += " without WHERE";
        return Risk::destructive;
    }
    if (name == "AlterTableStmt") {
        Risk r = Risk::write;
        for (const json& cmd : body.value("cmds", json::array())) {
            std::string sub = cmd.contains("AlterTableCmd") ? cmd["AlterTableCmd"].value("subtype", "") : "";
            if (sub.rfind("AT_Drop", 0) == 0 || sub == "AT_DetachPartition") {
                kind = "ALTER TABLE ... DROP";
                r = Risk::destructive;
            }
        }
        return max_risk(r, walk(body, depth + 1));
    }
    if (name == "ExplainStmt") return explain_analyzes(body) ? walk(body.value("query", json::object()), depth + 1) : Risk::read;
    if (name == "PrepareStmt") return Risk::read;  // prepares, does not run
    if (name == "CopyStmt") {
        if (body.value("is_from", false)) {
            kind = "COPY FROM";
            return Risk::write;
        }
        return walk(body, depth + 1);
    }
    if (name == "SelectStmt" && (body.contains("intoClause") || body.contains("lockingClause")))
        return max_risk(Risk::write, walk(body, depth + 1));
    Risk base = kReadStatements.count(name) ? Risk::read : Risk::write;
    return max_risk(base, walk(body, depth + 1));
}

// Highest risk of the statements and function calls in `value`, a parse
// tree node (a statement wrapper such as {"DeleteStmt": {...}} included),
// `depth` calls down; deeper than kMaxWalkDepth counts as destructive.
Risk walk(const json& value, int depth) {
    Risk r = Risk::read;
    if (depth > kMaxWalkDepth) return Risk::destructive;
    if (value.is_array()) {
        for (const json& v : value) r = max_risk(r, walk(v, depth + 1));
        return r;
    }
    if (!value.is_object()) return r;
    for (auto it = value.begin(); it != value.end(); ++it) {
        const std::string& key = it.key();
        const json& child = it.value();
        if (key.size() > 4 && key.compare(key.size() - 4, 4, "Stmt") == 0 && child.is_object()) {
            std::string kind;
            r = max_risk(r, statement_risk(key, child, kind, depth + 1));
        } else if (key == "FuncCall" && child.is_object()) {
            const json& names = child.value("funcname", json::array());
            if (!names.empty()) {
                std::string fn = names.back().contains("String") ? names.back()["String"].value("sval", "") : "";
                std::transform(fn.begin(), fn.end(), fn.begin(), [](unsigned char c) { return std::tolower(c); });
                if (kWritingFunctions.count(fn)) r = max_risk(r, Risk::write);
            }
            r = max_risk(r, walk(child, depth + 1));
        } else {
            r = max_risk(r, walk(child, depth + 1));
        }
    }
    return r;
}

std::string trim(std::string_view s) {
    auto b = s.find_first_not_of(" \t\r\n\f\v");
    if (b == std::string_view::npos) return {};
    auto e = s.find_last_not_of(" \t\r\n\f\v");
    return std::string(s.substr(b, e - b + 1));
}

// psql meta-commands by effect.
const std::set<std::string, std::less<>> kUnknownMeta = {
    "i", "include", "ir", "include_relative", "gexec", "!", "c", "connect", "e", "edit", "ef", "ev", "lo_unlink",
};
const std::set<std::string, std::less<>> kWriteMeta = {"lo_import", "password"};
const std::set<std::string, std::less<>> kReadMeta = {
    "a", "C", "cd", "conninfo", "copyright", "crosstabview", "echo", "encoding", "errverbose", "f", "g", "gx",
    "gset", "gdesc", "h", "help", "H", "html", "l", "list", "lo_export", "lo_list", "o", "out", "p", "print",
    "prompt", "pset", "q", "quit", "qecho", "r", "reset", "s", "set", "setenv", "sf", "sv", "t", "T", "timing",
    "unset", "w", "write", "warn", "watch", "x", "z", "if", "elif", "else", "endif", "?", "getenv",
};

}  // namespace

const SqlStatement* SqlVerdict::worst() const {
    for (const SqlStatement& s : statements)
        if (s.risk == risk) return &s;
    return nullptr;
}

void SqlVerdict::merge(const SqlVerdict& more) {
    for (const SqlStatement& s : more.statements) statements.push_back(s);
    risk = max_risk(risk, more.risk);
}

namespace {

SqlVerdict unclassified(const std::string& text, std::string kind) {
    SqlVerdict v;
    v.statements.push_back({Risk::destructive, std::move(kind), trim(text)});
    v.risk = Risk::destructive;
    return v;
}

// Parses `text` and classifies each statement. Runs on run_on_own_stack.
SqlVerdict parse_and_classify(const std::string& text) {
    PgQueryParseResult parsed = pg_query_parse(text.c_str());
    if (parsed.error) {
        pg_query_free_parse_result(parsed);
        return unclassified(text, "unparsable SQL");
    }
    json tree = json::parse(parsed.parse_tree, nullptr, false);
    pg_query_free_parse_result(parsed);
    if (tree.is_discarded()) return unclassified(text, "unparsable SQL");
    SqlVerdict v;
    for (const json& raw : tree.value("stmts", json::array())) {
        const json& wrapper = raw.value("stmt", json::object());
        if (!wrapper.is_object() || wrapper.empty()) continue;
        // The iterator must outlive the key and value it yields (a structured
        // binding to `*wrapper.items().begin()` dangles: clang's build crashed).
        auto first = wrapper.begin();
        SqlStatement s;
        s.risk = statement_risk(first.key(), first.value(), s.kind);
        std::size_t loc = raw.value("stmt_location", 0);
        std::size_t len = raw.value("stmt_len", 0);
        if (loc <= text.size()) s.text = trim(std::string_view(text).substr(loc, len == 0 ? std::string::npos : len));
        v.risk = max_risk(v.risk, s.risk);
        v.statements.push_back(std::move(s));
    }
    return v;
}

}  // namespace

SqlVerdict classify_sql(std::string_view sql) {
    std::string text(sql);
    std::size_t depth = sql_nesting_bound(text);
    SqlVerdict v;
    if (depth > kMaxSqlNesting) return unclassified(text, "SQL nested too deeply to classify");
    if (!run_with_parse_stack(depth, [&] { v = parse_and_classify(text); }))
        return unclassified(text, "unclassified SQL (no thread with a large enough stack to parse it on)");
    return v;
}

SqlVerdict classify_psql_meta(std::string_view line) {
    SqlVerdict v;
    std::size_t i = 0;
    while ((i = line.find('\\', i)) != std::string_view::npos) {
        ++i;
        std::size_t end = i;
        if (end < line.size() && line[end] == '!') ++end;
        else
            while (end < line.size() && (std::isalnum(static_cast<unsigned char>(line[end])) || line[end] == '_' ||
                                         line[end] == '?'))
                ++end;
        std::string name(line.substr(i, end - i));
        SqlStatement s;
        s.kind = "\\" + name;
        s.text = trim(line);
        if (name.empty()) {
            s.risk = Risk::read;  // "\\\\" separator or a lone backslash
        } else if (kUnknownMeta.count(name)) {
            s.risk = Risk::destructive;
        } else if (name == "copy") {
            std::string rest(line.substr(end));
            std::transform(rest.begin(), rest.end(), rest.begin(), [](unsigned char c) { return std::tolower(c); });
            s.risk = rest.find(" from ") != std::string::npos ? Risk::write : Risk::read;
        } else if (kWriteMeta.count(name)) {
            s.risk = Risk::write;
        } else if (kReadMeta.count(name) || name[0] == 'd') {
            s.risk = Risk::read;  // \d and its family describe
        } else {
            s.risk = Risk::write;
        }
        v.risk = max_risk(v.risk, s.risk);
        v.statements.push_back(std::move(s));
        i = end;
    }
    return v;
}

SqlVerdict classify_psql_command(std::string_view text) {
    std::string t = trim(text);
    if (!t.empty() && t[0] == '\\') return classify_psql_meta(t);
    return classify_sql(text);
}

SqlVerdict classify_psql_script(std::string_view text) {
    SqlVerdict v;
    std::string sql;
    auto flush = [&] {
        if (!trim(sql).empty()) v.merge(classify_sql(sql));
        sql.clear();
    };
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t nl = text.find('\n', start);
        std::string_view line = text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
        std::string t = trim(line);
        if (!t.empty() && t[0] == '\\') {
            flush();
            v.merge(classify_psql_meta(t));
        } else {
            sql.append(line);
            sql += '\n';
        }
        if (nl == std::string_view::npos) break;
        start = nl + 1;
    }
    flush();
    return v;
}

std::string_view pg_query_postgres_version() { return PG_VERSION; }

}  // namespace sentinel
