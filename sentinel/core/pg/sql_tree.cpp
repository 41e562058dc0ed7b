#include "sentinel/core/pg/sql_tree.hpp"

#include <pg_query.h>

#include <deque>
#include <string>

namespace sentinel {

// Everything SqlTree adds lives here until the tree goes: nodes, arrays of
// node pointers and strings (protobuf-c wants char*).
struct SqlTree::Arena {
    struct Box {
        virtual ~Box() = default;
    };
    template <class T>
    struct Held : Box {
        explicit Held(T v) : value(std::move(v)) {}
        T value;
    };
    std::deque<std::unique_ptr<Box>> boxes;

    template <class T>
    T* hold(T value) {
        auto box = std::make_unique<Held<T>>(std::move(value));
        T* raw = &box->value;
        boxes.push_back(std::move(box));
        return raw;
    }
    char* text(std::string_view s) { return hold(std::string(s))->data(); }
    PgQuery__Node** list(const std::vector<PgQuery__Node*>& nodes) {
        return hold(std::vector<PgQuery__Node*>(nodes))->data();
    }
    PgQuery__Node* node(PgQuery__Node__NodeCase which) {
        PgQuery__Node n = PG_QUERY__NODE__INIT;
        n.node_case = which;
        return hold(n);
    }
};

Result<SqlTree> SqlTree::parse(std::string_view sql) {
    std::string text(sql);
    PgQueryProtobufParseResult r = pg_query_parse_protobuf(text.c_str());
    if (r.error) {
        Error e{"", 0, 0, std::string("SQL does not parse: ") + r.error->message};
        pg_query_free_protobuf_parse_result(r);
        return e;
    }
    PgQuery__ParseResult* parsed =
        pg_query__parse_result__unpack(nullptr, r.parse_tree.len, reinterpret_cast<const uint8_t*>(r.parse_tree.data));
    pg_query_free_protobuf_parse_result(r);
    if (!parsed) return Error{"", 0, 0, "libpg_query gave a tree it cannot read back"};
    if (parsed->n_stmts != 1 || !parsed->stmts[0]->stmt) {
        bool none = parsed->n_stmts == 0;
        pg_query__parse_result__free_unpacked(parsed, nullptr);
        return Error{"", 0, 0, none ? "no statement" : "more than one statement"};
    }
    SqlTree tree;
    tree.parsed_ = parsed;
    tree.version_ = parsed->version;
    tree.arena_ = std::make_unique<Arena>();
    return tree;
}

SqlTree::SqlTree(SqlTree&& other) noexcept
    : parsed_(other.parsed_), arena_(std::move(other.arena_)), version_(other.version_) {
    other.parsed_ = nullptr;
}

SqlTree& SqlTree::operator=(SqlTree&& other) noexcept {
    if (this != &other) {
        if (parsed_) pg_query__parse_result__free_unpacked(parsed_, nullptr);
        parsed_ = other.parsed_;
        arena_ = std::move(other.arena_);
        version_ = other.version_;
        other.parsed_ = nullptr;
    }
    return *this;
}

SqlTree::~SqlTree() {
    arena_.reset();  // derived nodes only point into the parsed tree
    if (parsed_) pg_query__parse_result__free_unpacked(parsed_, nullptr);
}

PgQuery__Node* SqlTree::statement() const { return parsed_->stmts[0]->stmt; }

PgQuery__Node* SqlTree::string(std::string_view text) {
    PgQuery__String s = PG_QUERY__STRING__INIT;
    s.sval = arena_->text(text);
    PgQuery__Node* n = arena_->node(PG_QUERY__NODE__NODE_STRING);
    n->string = arena_->hold(s);
    return n;
}

PgQuery__Node* SqlTree::column_ref(const std::vector<std::string>& fields, bool star) {
    std::vector<PgQuery__Node*> parts;
    for (const std::string& f : fields) parts.push_back(string(f));
    if (star) {
        PgQuery__AStar a = PG_QUERY__A__STAR__INIT;
        PgQuery__Node* n = arena_->node(PG_QUERY__NODE__NODE_A_STAR);
        n->a_star = arena_->hold(a);
        parts.push_back(n);
    }
    PgQuery__ColumnRef c = PG_QUERY__COLUMN_REF__INIT;
    c.n_fields = parts.size();
    c.fields = arena_->list(parts);
    c.location = -1;
    PgQuery__Node* n = arena_->node(PG_QUERY__NODE__NODE_COLUMN_REF);
    n->column_ref = arena_->hold(c);
    return n;
}

PgQuery__Node* SqlTree::func_call(const std::string& name, const std::vector<PgQuery__Node*>& args, bool star,
                                  bool distinct) {
    PgQuery__FuncCall f = PG_QUERY__FUNC_CALL__INIT;
    std::vector<PgQuery__Node*> names = {string(name)};
    f.n_funcname = 1;
    f.funcname = arena_->list(names);
    f.n_args = args.size();
    f.args = arena_->list(args);
    f.agg_star = star;
    f.agg_distinct = distinct;
    f.funcformat = PG_QUERY__COERCION_FORM__COERCE_EXPLICIT_CALL;
    f.location = -1;
    PgQuery__Node* n = arena_->node(PG_QUERY__NODE__NODE_FUNC_CALL);
    n->func_call = arena_->hold(f);
    return n;
}

PgQuery__Node* SqlTree::row(const std::vector<PgQuery__Node*>& args) {
    PgQuery__RowExpr r = PG_QUERY__ROW_EXPR__INIT;
    r.n_args = args.size();
    r.args = arena_->list(args);
    r.row_format = PG_QUERY__COERCION_FORM__COERCE_IMPLICIT_CAST;
    r.location = -1;
    PgQuery__Node* n = arena_->node(PG_QUERY__NODE__NODE_ROW_EXPR);
    n->row_expr = arena_->hold(r);
    return n;
}

PgQuery__Node* SqlTree::res_target(PgQuery__Node* value) {
    PgQuery__ResTarget t = PG_QUERY__RES_TARGET__INIT;
    t.val = value;
    t.location = -1;
    PgQuery__Node* n = arena_->node(PG_QUERY__NODE__NODE_RES_TARGET);
    n->res_target = arena_->hold(t);
    return n;
}

PgQuery__Node* SqlTree::range_var(const PgQuery__RangeVar* relation, const std::string& alias) {
    PgQuery__RangeVar copy = *relation;  // shallow: names and alias stay the parsed ones
    if (!alias.empty()) {
        PgQuery__Alias a = PG_QUERY__ALIAS__INIT;
        a.aliasname = arena_->text(alias);
        copy.alias = arena_->hold(a);
    }
    PgQuery__Node* n = arena_->node(PG_QUERY__NODE__NODE_RANGE_VAR);
    n->range_var = arena_->hold(copy);
    return n;
}

PgQuery__Node* SqlTree::scalar_subquery(PgQuery__Node* select) {
    PgQuery__SubLink s = PG_QUERY__SUB_LINK__INIT;
    s.sub_link_type = PG_QUERY__SUB_LINK_TYPE__EXPR_SUBLINK;
    s.subselect = select;
    s.location = -1;
    PgQuery__Node* n = arena_->node(PG_QUERY__NODE__NODE_SUB_LINK);
    n->sub_link = arena_->hold(s);
    return n;
}

PgQuery__Node* SqlTree::in_subquery(PgQuery__Node* test, PgQuery__Node* select) {
    PgQuery__SubLink s = PG_QUERY__SUB_LINK__INIT;
    s.sub_link_type = PG_QUERY__SUB_LINK_TYPE__ANY_SUBLINK;
    s.testexpr = test;
    s.subselect = select;
    s.location = -1;
    PgQuery__Node* n = arena_->node(PG_QUERY__NODE__NODE_SUB_LINK);
    n->sub_link = arena_->hold(s);
    return n;
}

PgQuery__Node* SqlTree::for_update_of(const std::string& name) {
    PgQuery__RangeVar rel = PG_QUERY__RANGE_VAR__INIT;
    rel.relname = arena_->text(name);
    rel.inh = true;
    rel.relpersistence = arena_->text("p");
    rel.location = -1;
    PgQuery__Node* relnode = arena_->node(PG_QUERY__NODE__NODE_RANGE_VAR);
    relnode->range_var = arena_->hold(rel);
    PgQuery__LockingClause l = PG_QUERY__LOCKING_CLAUSE__INIT;
    std::vector<PgQuery__Node*> rels = {relnode};
    l.n_locked_rels = 1;
    l.locked_rels = arena_->list(rels);
    l.strength = PG_QUERY__LOCK_CLAUSE_STRENGTH__LCS_FORUPDATE;
    l.wait_policy = PG_QUERY__LOCK_WAIT_POLICY__LockWaitBlock;
    PgQuery__Node* n = arena_->node(PG_QUERY__NODE__NODE_LOCKING_CLAUSE);
    n->locking_clause = arena_->hold(l);
    return n;
}

PgQuery__Node* SqlTree::delete_returning(const PgQuery__DeleteStmt* stmt, const std::string& ref) {
    PgQuery__DeleteStmt copy = *stmt;
    std::vector<PgQuery__Node*> returning = {res_target(column_ref({ref}, true))};
    copy.n_returning_list = 1;
    copy.returning_list = arena_->list(returning);
    PgQuery__Node* n = arena_->node(PG_QUERY__NODE__NODE_DELETE_STMT);
    n->delete_stmt = arena_->hold(copy);
    return n;
}

PgQuery__RangeVar* SqlTree::relation(const std::vector<std::string>& names, bool only) {
    PgQuery__RangeVar rel = PG_QUERY__RANGE_VAR__INIT;
    if (names.size() >= 2) rel.schemaname = arena_->text(names[names.size() - 2]);
    if (names.size() >= 3) rel.catalogname = arena_->text(names[names.size() - 3]);
    rel.relname = arena_->text(names.empty() ? "" : names.back());
    rel.inh = !only;
    rel.relpersistence = arena_->text("p");
    rel.location = -1;
    return arena_->hold(rel);
}

PgQuery__Node* SqlTree::select(const Select& parts) {
    PgQuery__SelectStmt s = PG_QUERY__SELECT_STMT__INIT;
    s.n_target_list = parts.targets_.size();
    s.target_list = arena_->list(parts.targets_);
    s.n_from_clause = parts.from_.size();
    s.from_clause = arena_->list(parts.from_);
    s.where_clause = parts.where_;
    s.with_clause = parts.with_;
    s.n_locking_clause = parts.locking_.size();
    s.locking_clause = arena_->list(parts.locking_);
    s.limit_option = PG_QUERY__LIMIT_OPTION__LIMIT_OPTION_DEFAULT;
    s.op = PG_QUERY__SET_OPERATION__SETOP_NONE;
    PgQuery__Node* n = arena_->node(PG_QUERY__NODE__NODE_SELECT_STMT);
    n->select_stmt = arena_->hold(s);
    return n;
}

Result<std::string> SqlTree::deparse(PgQuery__Node* node) const {
    PgQuery__RawStmt raw = PG_QUERY__RAW_STMT__INIT;
    raw.stmt = node;
    PgQuery__RawStmt* raws[] = {&raw};
    PgQuery__ParseResult result = PG_QUERY__PARSE_RESULT__INIT;
    result.version = version_;
    result.n_stmts = 1;
    result.stmts = raws;
    std::string bytes(pg_query__parse_result__get_packed_size(&result), '\0');
    pg_query__parse_result__pack(&result, reinterpret_cast<uint8_t*>(bytes.data()));
    PgQueryProtobuf tree{bytes.size(), bytes.data()};
    PgQueryDeparseResult d = pg_query_deparse_protobuf(tree);
    if (d.error) {
        Error e{"", 0, 0, std::string("cannot deparse: ") + d.error->message};
        pg_query_free_deparse_result(d);
        return e;
    }
    std::string out = d.query;
    pg_query_free_deparse_result(d);
    return out;
}

std::string quote_ident(std::string_view name) {
    std::string out = "\"";
    for (char c : name) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

std::string quote_literal(std::string_view text) {
    std::string out = "E'";
    for (char c : text) {
        if (c == '\\' || c == '\'') out += c;
        out += c;
    }
    return out + "'";
}

}  // namespace sentinel
