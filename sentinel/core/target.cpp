#include "sentinel/core/target.hpp"

namespace sentinel {

std::string_view kind_name(Kind kind) {
    switch (kind) {
        case Kind::kube: return "kube";
        case Kind::pg: return "pg";
        case Kind::env: return "env";
        case Kind::terraform: return "terraform";
        case Kind::aws: return "aws";
        case Kind::gcloud: return "gcloud";
    }
    return "?";
}

const Field* Target::find(std::string_view name) const {
    for (const Field& f : fields)
        if (f.name == name) return &f;
    return nullptr;
}

const std::string& Target::get(std::string_view name) const {
    static const std::string empty;
    const Field* f = find(name);
    return f ? f->value : empty;
}

const std::string& Hop::get(std::string_view name) const {
    static const std::string empty;
    for (const Field& f : reached)
        if (f.name == name) return f.value;
    return empty;
}

void Target::set(std::string_view name, std::string value, std::string origin) {
    for (Field& f : fields) {
        if (f.name == name) {
            f.value = std::move(value);
            f.origin = std::move(origin);
            return;
        }
    }
    fields.push_back({std::string(name), std::move(value), std::move(origin)});
}

std::string Target::display_name() const {
    switch (kind) {
        case Kind::kube:
            return get("context");
        case Kind::pg:
            if (!get("service").empty()) return get("service");
            return get("dbname") + "@" + (get("host").empty() ? get("hostaddr") : get("host"));
        case Kind::env:
            return get("name") + "=" + get("value");
        case Kind::terraform:
            return get("workspace");
        case Kind::aws:
            return get("profile");
        case Kind::gcloud:
            return get("project").empty() ? get("configuration") : get("project");
    }
    return {};
}

}  // namespace sentinel
