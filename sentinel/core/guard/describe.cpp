#include "sentinel/core/guard/describe.hpp"

#include "sentinel/core/guard/guard.hpp"
#include "sentinel/core/kube/verbs.hpp"
#include "sentinel/core/pg/sql_classify.hpp"
#include "sentinel/core/terraform/verbs.hpp"
#include "sentinel/core/reach/server_word.hpp"

namespace sentinel {

SqlVerdict psql_statements(const PsqlCommandLine& cmd, const SqlReader& read_sql,
                           const std::optional<std::string>& stdin_sql) {
    SqlVerdict v;
    for (const PsqlSql& s : cmd.sql) {
        if (!s.file) {
            v.merge(classify_psql_command(s.text));
            continue;
        }
        std::optional<std::string> text = s.text == "-" ? stdin_sql : read_sql(s.text);
        if (!text) v.merge(SqlVerdict{Risk::destructive, {{Risk::destructive, "unreadable file", "-f " + s.text}}});
        else v.merge(classify_psql_script(*text));
    }
    if (cmd.sql.empty() && !cmd.list && !cmd.info_only) {
        if (!stdin_sql) v.merge(SqlVerdict{Risk::destructive, {{Risk::destructive, "unreadable stdin", "stdin"}}});
        else v.merge(classify_psql_script(*stdin_sql));
    }
    return v;
}

Action psql_action(const PsqlCommandLine& cmd, bool interactive, const SqlReader& read_sql,
                   const std::optional<std::string>& stdin_sql) {
    Action a;
    a.tool = "psql";
    if (interactive) {
        a.verb = cmd.write ? "interactive session with write access" : "interactive session (opened read-only)";
        a.risk = cmd.write ? Risk::write : Risk::read;
        return a;
    }
    if (cmd.sql.empty() && (cmd.list || cmd.info_only)) {
        a.verb = cmd.list ? "list databases" : "version or help";
        a.risk = Risk::read;
        return a;
    }
    SqlVerdict v = psql_statements(cmd, read_sql, stdin_sql);
    a.risk = v.risk;
    const SqlStatement* worst = v.worst();
    if (!worst) {
        a.verb = "no statements";
        return a;
    }
    a.verb = worst->kind;
    if (v.statements.size() > 1) a.verb += " +" + std::to_string(v.statements.size() - 1) + " more";
    if (a.risk == Risk::destructive) a.detail = worst->text;
    return a;
}

Action kube_action(Tool tool, const std::vector<std::string>& args) {
    Action a;
    a.tool = tool == Tool::helm ? "helm" : "kubectl";
    KubeVerb v = tool == Tool::helm ? find_helm_verb(args) : find_kubectl_verb(args);
    a.verb = v.verb.empty() ? "(no verb)" : v.verb;
    a.risk = v.risk;
    return a;
}

Action terraform_action(const std::vector<std::string>& args) {
    TerraformCommand c = parse_terraform_command(args);
    Action a;
    a.tool = "terraform";
    a.verb = c.verb.empty() ? "(no subcommand)" : c.verb;
    a.risk = c.risk;
    return a;
}

Action other_action(const std::vector<std::string>& argv) {
    Action a;
    if (!argv.empty()) a.tool = argv[0].substr(argv[0].rfind('/') + 1);
    a.risk = Risk::write;  // its arguments may hold secrets: neither shown nor audited
    return a;
}

bool runs_unasked(const Snapshot& snapshot, const std::vector<std::string>& command) {
    Tool tool = tool_of(command);
    Action action = other_action(command);
    if ((tool == Tool::kubectl || tool == Tool::helm) && !command.empty())
        action = kube_action(tool, std::vector<std::string>(command.begin() + 1, command.end()));
    if (tool == Tool::terraform) action = terraform_action(std::vector<std::string>(command.begin() + 1, command.end()));
    if (decide(snapshot, action, true, std::nullopt).verdict != Decision::Verdict::run) return false;
    // The guard asks the server before a command that may act (it is about
    // to connect anyway): only it can say whether the server declares a tier.
    if (action.risk == Risk::read) return true;
    for (const Target& t : snapshot.targets)
        if (wants_probe(t, snapshot.config)) return false;
    return true;
}

}  // namespace sentinel
