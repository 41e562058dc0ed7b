#!/bin/sh
# Installs what sentinel needs on Debian 12, as root. With --test, also what
# the tests run against: PostgreSQL 15, kubectl, bash, zsh, tmux, shellcheck,
# vim-tiny (a full-screen program under the status line), the oracles of
# the project-directory targets (the AWS CLI and python-dotenv), the
# forwarders the reach tests put in front of a server (socat, pgbouncer, ssh
# and sshd, openssl for a test HTTPS server), and what tests/hardening.sh
# builds with: clang 14 with its sanitizer and libFuzzer runtimes
# (libclang-rt-14-dev), ICU (the sanitiser's oracle).
set -eu

build="build-essential cmake pkg-config python3 libpq-dev libncurses-dev libtomlplusplus-dev
doctest-dev libfyaml-dev nlohmann-json3-dev libpg-query-dev libprotobuf-c-dev
nettle-dev"
test="postgresql postgresql-client bash zsh tmux shellcheck procps util-linux bsdutils vim-tiny awscli python3-dotenv
socat pgbouncer openssh-server openssh-client openssl clang-14 libclang-rt-14-dev libicu-dev"

packages=$build
if [ "${1:-}" = "--test" ]; then packages="$build $test"; fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086 # the lists are meant to split into words
apt-get install -y -qq --no-install-recommends $packages >/dev/null
# The differential tests compare sentinel with the real kubectl. Keep one that
# is already installed (for example from Google's repository); otherwise take
# Debian's.
if [ "${1:-}" = "--test" ] && ! command -v kubectl >/dev/null 2>&1; then
    apt-get install -y -qq --no-install-recommends kubernetes-client >/dev/null
fi
echo "sentinel: dependencies installed"
