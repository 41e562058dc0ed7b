#!/bin/sh
# Runs sentinel on the bundled demo: a kubeconfig whose current context is
# production, a pg service file, and a config with rules. Nothing here
# connects to anything. Run from anywhere after building into build/.
set -eu
demo=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$demo/../.." && pwd)
sentinel=${SENTINEL_BIN:-$root/build/sentinel}
cache=$(mktemp -d)
trap 'rm -rf "$cache"' EXIT

# A clean environment holding only the demo's files.
run() {
    env -i PATH="$PATH" HOME="$cache" TERM="${TERM:-xterm-256color}" \
        KUBECONFIG="$demo/kubeconfig" PGSERVICEFILE="$demo/pg_service.conf" PGSERVICE=orders \
        APP_ENV=production XDG_CONFIG_HOME="$demo" XDG_CACHE_HOME="$cache" \
        SENTINEL_SYSTEM_CONFIG=/nonexistent "$sentinel" "$@"
}

echo "\$ sentinel status            # this terminal: kube context prod-eu, PGSERVICE=orders, APP_ENV=production"
run status --color=always || true
echo
echo "\$ sentinel explain           # which file, line, variable and rule decided"
run explain --color=always || true
echo
echo "\$ sentinel status -- kubectl --context kind-dev get pods"
run status --color=always -- kubectl --context kind-dev get pods || true
echo
echo "\$ sentinel status --json -- psql service=orders-staging"
run status --json -- psql service=orders-staging || true
