#!/usr/bin/env bash
# The tmux plugin's entry point for TPM, which runs every executable *.tmux
# at the top of a plugin's repository. The plugin is contrib/tmux/sentinel.tmux.
exec "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/contrib/tmux/sentinel.tmux" "$@"
