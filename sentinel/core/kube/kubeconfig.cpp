#include "sentinel/core/kube/kubeconfig.hpp"

#include <libfyaml.h>
#include <regex.h>

#include <algorithm>
#include <deque>
#include <memory>
#include <unordered_map>

#include "sentinel/core/sanitize.hpp"

namespace sentinel {
namespace {

// A YAML node as the event stream builds it. Aliases point at the anchored
// node instead of copying it, so an alias bomb stays as small as its text.
struct Node {
    enum class Type { scalar, null, sequence, mapping } type = Type::null;
    std::string text;
    bool plain = false;  // an unquoted scalar, whose type YAML resolves from its text
    Pos pos;
    std::vector<const Node*> items;  // sequence items, or key, value, key, value...
};

Pos pos_of(fy_event* event) {
    const fy_mark* mark = fy_event_start_mark(event);
    if (!mark) return {};
    return {mark->line + 1, mark->column + 1};
}

bool is_null_scalar(fy_token* value, std::string_view text) {
    if (fy_token_scalar_style(value) != FYSS_PLAIN) return false;
    return text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL";
}

std::string token_text(fy_token* token) {
    size_t len = 0;
    const char* text = fy_token_get_text(token, &len);
    return text ? std::string(text, len) : std::string();
}

struct ParserDeleter {
    void operator()(fy_parser* p) const { fy_parser_destroy(p); }
};
struct DiagDeleter {
    void operator()(fy_diag* d) const { fy_diag_destroy(d); }
};

void discard_output(fy_diag*, void*, const char*, size_t) {}

// Builds the node tree of the first document in `data`.
class TreeBuilder {
public:
    TreeBuilder(const std::string& path, const YamlLimits& limits) : path_(path), limits_(limits) {}

    Result<const Node*> build(std::string_view data) {
        fy_diag_cfg dcfg;
        fy_diag_cfg_default(&dcfg);
        dcfg.fp = nullptr;
        dcfg.output_fn = discard_output;
        dcfg.show_source = false;
        std::unique_ptr<fy_diag, DiagDeleter> diag(fy_diag_create(&dcfg));
        if (!diag) return fail({}, "out of memory");
        fy_diag_set_collect_errors(diag.get(), true);

        fy_parse_cfg cfg{};
        cfg.flags = static_cast<fy_parse_cfg_flags>(FYPCF_QUIET | FYPCF_COLLECT_DIAG |
                                                    FYPCF_DEFAULT_VERSION_1_2 | FYPCF_JSON_NONE);
        cfg.diag = diag.get();
        std::unique_ptr<fy_parser, ParserDeleter> parser(fy_parser_create(&cfg));
        if (!parser) return fail({}, "out of memory");
        if (fy_parser_set_string(parser.get(), data.data(), data.size()) != 0)
            return fail({}, "cannot read input");

        const Node* root = nullptr;
        bool in_document = false;
        for (;;) {
            fy_event* event = fy_parser_parse(parser.get());
            if (!event) break;
            auto type = event->type;
            std::optional<Error> error;
            if (type == FYET_DOCUMENT_START) {
                if (root || in_document) error = Error{path_, pos_of(event).line, pos_of(event).col,
                                                       "more than one YAML document"};
                in_document = true;
            } else if (type == FYET_DOCUMENT_END) {
                in_document = false;
            } else if (type != FYET_STREAM_START && type != FYET_STREAM_END) {
                error = on_node_event(event, root);
            }
            fy_parser_event_free(parser.get(), event);
            if (error) return *error;
        }
        if (fy_parser_get_stream_error(parser.get())) return syntax_error(diag.get());
        if (!stack_.empty()) return fail({}, "unexpected end of file");
        return root;
    }

private:
    struct Open {
        Node* node;
    };

    Error fail(Pos pos, std::string message) const { return Error{path_, pos.line, pos.col, std::move(message)}; }

    Error syntax_error(fy_diag* diag) const {
        void* iter = nullptr;
        if (fy_diag_error* e = fy_diag_errors_iterate(diag, &iter)) {
            // libfyaml messages describe the problem ("invalid tab character",
            // "block sequence entries are not allowed in this context"); they do
            // not repeat the source line, which we never print.
            std::string message = std::string("invalid YAML: ") + (e->msg ? e->msg : "syntax error");
            return Error{path_, e->line, e->column, message};  // libfyaml counts from 1 here
        }
        return fail({}, "invalid YAML");
    }

    std::optional<Error> on_node_event(fy_event* event, const Node*& root) {
        Pos pos = pos_of(event);
        switch (event->type) {
            case FYET_SCALAR: {
                // Certificates and tokens are most of a kubeconfig's bytes;
                // libfyaml copies a scalar's text only when asked, so ask
                // only for keys and the values resolution reads.
                Node* node = make(pos);
                if (!node) return limit_error(pos);
                bool plain = fy_token_scalar_style(event->scalar.value) == FYSS_PLAIN;
                const fy_mark* end = fy_event_end_mark(event);
                const fy_mark* start = fy_event_start_mark(event);
                // A plain scalar short enough to be null or ~ is cheap to read.
                bool maybe_null = plain && (!start || !end || end->input_pos - start->input_pos <= 8);
                bool fetch = event->scalar.anchor || wanted_scalar() || maybe_null;
                std::string text = fetch ? token_text(event->scalar.value) : std::string();
                node->type = fetch && is_null_scalar(event->scalar.value, text) ? Node::Type::null : Node::Type::scalar;
                node->plain = plain;
                node->text = std::move(text);
                if (event->scalar.anchor) anchors_[token_text(event->scalar.anchor)] = node;
                return attach(node, root);
            }
            case FYET_ALIAS: {
                auto it = anchors_.find(token_text(event->alias.anchor));
                if (it == anchors_.end()) return fail(pos, "alias to an undefined or enclosing anchor");
                return attach(it->second, root);
            }
            case FYET_SEQUENCE_START:
            case FYET_MAPPING_START: {
                if (static_cast<int>(stack_.size()) >= limits_.max_depth)
                    return fail(pos, "nesting deeper than " + std::to_string(limits_.max_depth) + " levels");
                Node* node = make(pos);
                if (!node) return limit_error(pos);
                bool seq = event->type == FYET_SEQUENCE_START;
                node->type = seq ? Node::Type::sequence : Node::Type::mapping;
                fy_token* anchor = seq ? event->sequence_start.anchor : event->mapping_start.anchor;
                std::string name = anchor ? token_text(anchor) : std::string();
                if (auto e = attach(node, root)) return e;
                stack_.push_back({node});
                pending_anchor_.push_back(std::move(name));
                return std::nullopt;
            }
            case FYET_SEQUENCE_END:
            case FYET_MAPPING_END: {
                if (stack_.empty()) return fail(pos, "unbalanced collection");
                // An anchor names its collection only once it is complete, so
                // an alias inside it (a cycle) finds no anchor.
                if (!pending_anchor_.back().empty()) anchors_[pending_anchor_.back()] = stack_.back().node;
                stack_.pop_back();
                pending_anchor_.pop_back();
                return std::nullopt;
            }
            default:
                return std::nullopt;
        }
    }

    // True when the next scalar is a mapping key, or the value of a key
    // whose value resolution reads.
    bool wanted_scalar() const {
        if (stack_.empty()) return true;
        const Node* parent = stack_.back().node;
        if (parent->type != Node::Type::mapping) return false;
        if (parent->items.size() % 2 == 0) return true;
        const std::string& key = parent->items.back()->text;
        return key == "current-context" || key == "name" || key == "cluster" || key == "user" ||
               key == "namespace" || key == "server" || key == "kind" || key == "apiVersion";
    }

    Node* make(Pos pos) {
        if (nodes_.size() >= limits_.max_nodes) return nullptr;
        nodes_.emplace_back();
        nodes_.back().pos = pos;
        return &nodes_.back();
    }

    Error limit_error(Pos pos) const {
        return fail(pos, "more than " + std::to_string(limits_.max_nodes) + " YAML nodes");
    }

    std::optional<Error> attach(const Node* node, const Node*& root) {
        if (stack_.empty()) {
            root = node;
            return std::nullopt;
        }
        stack_.back().node->items.push_back(node);
        return std::nullopt;
    }

    const std::string& path_;
    const YamlLimits& limits_;
    std::deque<Node> nodes_;  // the tree; lives as long as the builder
    std::vector<Open> stack_;
    std::vector<std::string> pending_anchor_;
    std::unordered_map<std::string, const Node*> anchors_;
};

// kubectl reads kubeconfigs with go-yaml v2 (YAML 1.1), where unquoted
// yes/no/on/off, numbers and .inf are not strings, and a string field
// holding one makes the whole file invalid.
bool resolves_to_string_in_yaml11(std::string_view text) {
    static const char* const kBools[] = {"y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
                                         "true", "True", "TRUE", "false", "False", "FALSE",
                                         "on", "On", "ON", "off", "Off", "OFF"};
    for (const char* b : kBools)
        if (text == b) return false;
    static const regex_t* number = [] {
        static regex_t re;
        regcomp(&re,
                "^([-+]?(0b[01_]+|0x[0-9a-fA-F_]+|0[0-7_]+|[0-9][0-9_]*(:[0-5]?[0-9])*|"
                "([0-9][0-9_]*)?\\.[0-9_]*([eE][-+]?[0-9]+)?|\\.(inf|Inf|INF))|\\.(nan|NaN|NAN))$",
                REG_EXTENDED | REG_NOSUB);
        return &re;
    }();
    std::string s(text);
    return regexec(number, s.c_str(), 0, nullptr, 0) != 0;
}

class Extractor {
public:
    explicit Extractor(const std::string& path) : path_(path) {}

    Result<Kubeconfig> run(const Node* root) {
        auto result = extract(root);
        if (merges_exhausted_)
            return Error{path_, 0, 0, "too many YAML merge keys to follow (more than " +
                                          std::to_string(kMergeBudget) + "); is this an alias bomb?"};
        return result;
    }

private:
    static constexpr int kMergeBudget = 10'000;

    // Looks up `key` in a mapping, following YAML merge keys (`<<`) as Go's
    // yaml package does; of duplicate keys the last wins, as there. Merges
    // followed across the whole file are bounded, so nested merges of
    // aliases cannot multiply the work. Returns nullptr when absent.
    const Node* lookup(const Node* map, std::string_view key, int depth = 0) {
        if (!map || map->type != Node::Type::mapping || depth > 8) return nullptr;
        for (std::size_t i = map->items.size() / 2 * 2; i >= 2; i -= 2)
            if (map->items[i - 2]->type == Node::Type::scalar && map->items[i - 2]->text == key)
                return map->items[i - 1];
        for (std::size_t i = 0; i + 1 < map->items.size(); i += 2) {
            if (map->items[i]->text != "<<") continue;
            const Node* merge = map->items[i + 1];
            std::vector<const Node*> sources;
            if (merge->type == Node::Type::mapping) sources.push_back(merge);
            else if (merge->type == Node::Type::sequence) sources = merge->items;
            for (const Node* m : sources) {
                if (--merge_budget_ < 0) {
                    merges_exhausted_ = true;
                    return nullptr;
                }
                if (const Node* found = lookup(m, key, depth + 1)) return found;
            }
        }
        return nullptr;
    }

    Result<Kubeconfig> extract(const Node* root) {
        Kubeconfig config;
        if (!root || root->type == Node::Type::null) return config;
        if (root->type != Node::Type::mapping) return fail(root, "a kubeconfig must be a mapping");
        // Like kubectl: no kind or apiVersion is fine, another one is not.
        if (const Node* kind = lookup(root, "kind"); kind && kind->type == Node::Type::scalar && kind->text != "Config")
            return fail(kind, "kind must be \"Config\"");
        if (const Node* v = lookup(root, "apiVersion"); v && v->type == Node::Type::scalar && v->text != "v1")
            return fail(v, "apiVersion must be \"v1\"");

        if (const Node* cc = lookup(root, "current-context")) {
            auto value = string_of(cc, "current-context");
            if (!value) return value.error();
            if (!value->empty()) config.current_context = Located{*value, cc->pos};
        }
        auto contexts = entries(root, "contexts", "context", [&](KubeContext& c, const Node* entry, const Node* body) {
            c.pos = entry->pos;
            for (auto [key, slot] : {std::pair{"cluster", &c.cluster}, {"user", &c.user}, {"namespace", &c.namespace_}}) {
                const Node* n = lookup(body, key);
                if (!n) continue;
                auto value = string_of(n, key);
                if (!value) return std::optional<Error>(value.error());
                *slot = Located{*value, n->pos};
            }
            return std::optional<Error>();
        }, config.contexts);
        if (contexts) return *contexts;

        auto clusters = entries(root, "clusters", "cluster", [&](KubeCluster& c, const Node* entry, const Node* body) {
            c.pos = entry->pos;
            if (const Node* n = lookup(body, "server")) {
                auto value = string_of(n, "server");
                if (!value) return std::optional<Error>(value.error());
                if (!value->empty()) c.server = Located{*value, n->pos};
            }
            return std::optional<Error>();
        }, config.clusters);
        if (clusters) return *clusters;

        auto users = entries(root, "users", "user", [&](KubeUser& u, const Node* entry, const Node*) {
            u.pos = entry->pos;
            return std::optional<Error>();
        }, config.users);
        if (users) return *users;
        return config;
    }

    Error fail(const Node* node, std::string message) const {
        return Error{path_, node ? node->pos.line : 0, node ? node->pos.col : 0, std::move(message)};
    }

    Result<std::string> string_of(const Node* node, std::string_view key) const {
        if (node->type == Node::Type::null) return std::string();
        if (node->type != Node::Type::scalar) return fail(node, "\"" + std::string(key) + "\" must be a string");
        if (node->plain && !resolves_to_string_in_yaml11(node->text))
            return fail(node, "\"" + std::string(key) + "\" is a number or boolean in YAML 1.1, as kubectl reads it; "
                              "put the value in quotes");
        return node->text;
    }

    // Walks `list_key: [{name: N, body_key: {...}}, ...]`, letting `fill`
    // complete each entry and storing it under its name in `out`.
    template <class Entry, class Fill>
    std::optional<Error> entries(const Node* root, std::string_view list_key, std::string_view body_key, Fill fill,
                                 std::map<std::string, Entry, std::less<>>& out) {
        const Node* list = lookup(root, list_key);
        if (!list || list->type == Node::Type::null) return std::nullopt;
        if (list->type != Node::Type::sequence)
            return fail(list, "\"" + std::string(list_key) + "\" must be a list");
        for (const Node* entry : list->items) {
            if (entry->type != Node::Type::mapping)
                return fail(entry, "each entry of \"" + std::string(list_key) + "\" must be a mapping");
            const Node* name_node = lookup(entry, "name");
            std::string name;
            if (name_node) {
                auto value = string_of(name_node, "name");
                if (!value) return value.error();
                name = *value;
            }
            const Node* body = lookup(entry, body_key);
            if (body && body->type != Node::Type::mapping && body->type != Node::Type::null)
                return fail(body, "\"" + std::string(body_key) + "\" must be a mapping");
            if (out.count(name))
                return fail(name_node ? name_node : entry,
                            "duplicate name in \"" + std::string(list_key) + "\"");
            Entry filled;
            if (auto e = fill(filled, name_node ? name_node : entry, body)) return e;
            out.emplace(std::move(name), std::move(filled));
        }
        return std::nullopt;
    }

    const std::string& path_;
    int merge_budget_ = kMergeBudget;
    bool merges_exhausted_ = false;
};

// The characters go-yaml's reader accepts (kubectl reads kubeconfigs with
// go-yaml): tab, LF, CR, printable ASCII, NEL, U+00A0-D7FF, U+E000-FFFD and
// the supplementary planes.
bool yaml_printable(char32_t cp) {
    return cp == '\t' || cp == '\n' || cp == '\r' || (cp >= 0x20 && cp <= 0x7E) || cp == 0x85 ||
           (cp >= 0xA0 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

// kubectl refuses a kubeconfig holding bytes that are not UTF-8 or a
// character YAML does not allow, at its first one. libfyaml is laxer: it
// stops at a NUL byte as if the file ended there, and 0.7.12 loops forever
// in fy_scan_directive on `%\x8d\n`. Such text never reaches it.
std::optional<Error> screen_yaml(std::string_view data, const std::string& path) {
    int line = 1, col = 1;
    for (std::size_t i = 0; i < data.size();) {
        char32_t cp = 0;
        std::size_t len = decode_utf8(data, i, cp);
        if (len == 0) return Error{path, line, col, "not UTF-8 text"};
        if (cp == 0) return Error{path, line, col, "NUL byte: not a text file"};
        if (!yaml_printable(cp)) return Error{path, line, col, "control character (not allowed in YAML)"};
        if (cp == '\n') ++line, col = 1;
        else ++col;
        i += len;
    }
    return std::nullopt;
}

}  // namespace

Result<Kubeconfig> parse_kubeconfig(std::string_view data, const std::string& path, const YamlLimits& limits) {
    if (auto bad = screen_yaml(data, path)) return *bad;
    TreeBuilder builder(path, limits);
    auto root = builder.build(data);
    if (!root) return root.error();
    return Extractor(path).run(root.value());
}

}  // namespace sentinel
