#include "sentinel/io/probing.hpp"

#include "sentinel/core/classify.hpp"
#include "sentinel/core/reach/probe_cache.hpp"
#include "sentinel/core/reach/server_word.hpp"
#include "sentinel/io/probe_store.hpp"

namespace sentinel {

void apply_probe(Snapshot& s, Kind kind, const ServerWord& word, const Vars& vars, bool remember) {
    std::vector<std::pair<std::string, ServerWord>> answers;
    for (Target& t : s.targets) {
        if (t.kind != kind || !t.problems.empty()) continue;
        answers.emplace_back(probe_key(t), word);
        apply_server_word(t, word, s.config, s.warnings);
    }
    s.tier = overall_tier(s.targets, s.config);
    if (answers.empty() || !remember) return;
    if (auto stored = remember_probes(vars, answers); !stored)
        s.warnings.push_back("the probe cache cannot be written: " + stored.error().to_string());
}

bool any_wants_probe(const Snapshot& s, Kind kind) {
    for (const Target& t : s.targets)
        if (t.kind == kind && wants_probe(t, s.config)) return true;
    return false;
}

}  // namespace sentinel
