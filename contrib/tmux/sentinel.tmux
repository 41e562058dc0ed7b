#!/usr/bin/env bash
# sentinel for tmux: shows the active pane's target in the status line.
#
# Use as a TPM plugin (set -g @plugin '...' with this directory), or from
# ~/.tmux.conf:  run-shell /path/to/contrib/tmux/sentinel.tmux
#
# sentinel sets per-pane user options on each pane whose shell it knows
# (the agent, or `sentinel bar --push-tmux` in that shell):
#   @sentinel_tier   tier name            @sentinel_label  "PROD", "DEV", ...
#   @sentinel_text   "kube ctx/ns · pg db@host · APP_ENV=..."
#   @sentinel_fg     "colourN"            @sentinel_style  the label's style
# Values are escaped for tmux formats (# doubled), so a name like
# "#(rm -rf ~)" prints as text. This file only ever reads them through
# #{@...} (never #() or run-shell), and tmux redraws the status line when
# an option changes or focus moves: no status-interval polling.
#
# Settings (set before the plugin runs):
#   @sentinel-position  "right" (default) or "left": which side gets the segment
#   @sentinel-format    a replacement format for the segment
set -eu

get() { tmux show-option -gqv "$1"; }

segment='#{?@sentinel_label,#[#{@sentinel_style}] #{@sentinel_label} #[default]#[fg=#{@sentinel_fg}] #{@sentinel_text} #[default],}'
custom="$(get @sentinel-format)"
[ -n "$custom" ] && segment="$custom"
side="$(get @sentinel-position)"
[ "$side" = left ] || side=right

current="$(get "status-$side")"
case "$current" in
  *'@sentinel_'*) ;;  # already installed (the plugin ran before)
  *)
    if [ "$side" = left ]; then
      tmux set-option -g status-left "$segment$current"
    else
      tmux set-option -g status-right "$segment$current"
    fi
    ;;
esac
length="$(get "status-$side-length")"
if [ "${length:-0}" -lt 100 ]; then
  tmux set-option -g "status-$side-length" 100
fi
