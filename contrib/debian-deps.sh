#!/bin/sh
# Installs what sentinel needs on Debian 12, as root. With --test, also what
# the tests run against: PostgreSQL 15, kubectl, bash, zsh, fish, tmux,
# shellcheck, vim-tiny (a full-screen program under the status line), the
# oracles of the project-directory targets (the AWS CLI and python-dotenv),
# the forwarders the reach tests put in front of a server (socat, pgbouncer,
# ssh and sshd, openssl for a test HTTPS server), clang 14 (build types are
# built with it too; tests/hardening.sh builds with its sanitizer and
# libFuzzer runtimes, libclang-rt-14-dev, and ICU, the sanitiser's oracle), man, the bash-completion loader, systemd-analyze, and
# what `cpack -G DEB` and dpkg use.
set -eu

# scdoc renders the man pages (doc/*.scd) at build time.
build="build-essential cmake pkg-config python3 libpq-dev libncurses-dev libtomlplusplus-dev
doctest-dev libfyaml-dev nlohmann-json3-dev libpg-query-dev libprotobuf-c-dev
nettle-dev scdoc"
test="postgresql postgresql-client bash zsh fish tmux shellcheck procps util-linux bsdutils
vim-tiny awscli python3-dotenv socat pgbouncer openssh-server openssh-client openssl
clang-14 libclang-rt-14-dev libicu-dev man-db groff-base bash-completion systemd dpkg-dev file xz-utils"

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
