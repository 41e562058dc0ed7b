# sentinel: shows in the prompt what a command typed here would act on.
# Printed by `sentinel init fish`; in ~/.config/fish/config.fish:
#   sentinel init fish | source
#
# fish cannot keep a descriptor open between commands, so each prompt runs
# one short process, `sentinel relay --prompt`: it hands the shell's
# exported variables and the prompt to this shell's relay (the same relay
# bash and zsh keep, started by the first prompt and ending with the shell)
# and prints its one-line answer, within SENTINEL_TIMEOUT_MS even when the
# agent is stopped or gone. Each command line runs `sentinel relay --busy`,
# so that the status line is never painted over a running program.
# Nothing the relay sends is ever evaluated: values are only assigned and
# printed, so a context named $(rm -rf ~) shows as text.
#
# Settings (set before the source line):
#   SENTINEL_AUTO_PROMPT=0   do not put the segment in front of fish_prompt;
#                            print $SENTINEL_SEGMENT yourself
#   SENTINEL_TIMEOUT_MS=10   how long a prompt waits for the agent (ms)
#   SENTINEL_AUTOSTART=0     never start the agent (systemd runs it)
#   SENTINEL_WRAP="psql kubectl helm terraform"   run these tools through `sentinel guard`
# Results (global variables, updated at each prompt):
#   SENTINEL_SEGMENT  the coloured segment
#   SENTINEL_TIER SENTINEL_LABEL SENTINEL_KUBE_CONTEXT SENTINEL_KUBE_NAMESPACE
#   SENTINEL_PG SENTINEL_ENV SENTINEL_CHANGED  (sanitized text)
#   SENTINEL_STATE    ok, stale (agent slow or stopped), down, or restart
#                     (sentinel was upgraded under this shell: start a new one)

set -g _sentinel_bin '@SENTINEL_BIN@'

# The shell protocol version this file speaks (kShellProtocolVersion in
# sentinel/core/agent/protocol.hpp), and the variables a `new` reply sets,
# in order (state_fields() in sentinel/core/display/prompt.hpp). A unit test
# checks both lines against the binary that embeds this file.
set -g _sentinel_protocol 3
set -g _sentinel_fields _sentinel_gen SENTINEL_TIER SENTINEL_LABEL _sentinel_segment SENTINEL_CHANGED SENTINEL_KUBE_CONTEXT SENTINEL_KUBE_NAMESPACE SENTINEL_PG SENTINEL_ENV _sentinel_names_text _sentinel_stale_tier _sentinel_stale_label _sentinel_stale_segment _sentinel_stale_label_segment

# sentinel_confirm ACTION...: asks as the guard does; status 0 to go ahead.
function sentinel_confirm --description 'ask before acting on this terminal\'s targets'
    command $_sentinel_bin confirm --action "$argv"
end

# The fields of a relay's "new" answer: each sets the variable of the same
# position in _sentinel_fields. Values are assigned, never evaluated.
function _sentinel_state
    set -l i 1
    for name in $_sentinel_fields
        set -g $name $argv[$i]
        set i (math $i + 1)
    end
end

# A stale or missing answer never looks safe: the prompt shows the stale
# fields of the last full answer (the unknown tier's label and colour, or
# the last tier's when it ranks at least as high), else the built-in
# UNKNOWN, and the next answer is asked for in full.
function _sentinel_unanswered
    set -g SENTINEL_TIER unknown
    test -n "$_sentinel_stale_tier"; and set -g SENTINEL_TIER $_sentinel_stale_tier
    set -g SENTINEL_LABEL UNKNOWN
    test -n "$_sentinel_stale_label"; and set -g SENTINEL_LABEL $_sentinel_stale_label
    set -g _sentinel_segment \e'[1;35mUNKNOWN'\e'[0m'
    test -n "$_sentinel_stale_segment"; and set -g _sentinel_segment $_sentinel_stale_segment
    set -g _sentinel_gen ''
end

function _sentinel_paint
    set -l mark
    test "$SENTINEL_STATE" = ok; or _sentinel_unanswered
    switch "$SENTINEL_STATE"
        case stale
            set mark \e'[1;7;35m[sentinel: stale]'\e'[0m'
        case down
            set mark \e'[1;7;35m[sentinel: agent down]'\e'[0m'
        case restart
            set mark \e'[1;7;35m[sentinel: restart your shell]'\e'[0m'
            set -g _sentinel_segment ''
    end
    if test -n "$mark" -a -n "$_sentinel_segment"
        set -g SENTINEL_SEGMENT "$mark $_sentinel_segment"
    else
        set -g SENTINEL_SEGMENT "$mark$_sentinel_segment"
    end
end

function _sentinel_return
    return $argv[1]
end

# Puts the segment in front of fish_prompt, again whenever another tool
# (a theme, starship) has defined fish_prompt anew.
function _sentinel_wrap_prompt
    test "$SENTINEL_AUTO_PROMPT" = 0; and return
    functions -q fish_prompt; or return
    string match -q '*_sentinel_user_prompt*' -- (functions fish_prompt); and return
    functions -e _sentinel_user_prompt
    functions -c fish_prompt _sentinel_user_prompt
    function fish_prompt
        set -l last $status
        test -n "$SENTINEL_SEGMENT"; and printf '%s ' "$SENTINEL_SEGMENT"
        _sentinel_return $last
        _sentinel_user_prompt
    end
end

function _sentinel_precmd --on-event fish_prompt
    set -l last $status
    set -l timeout "$SENTINEL_TIMEOUT_MS"
    string match -qr '^[0-9]+$' -- $timeout; or set timeout 10
    # The first prompt may wait for the relay and the agent to start.
    set -q _sentinel_first[1]; and set timeout 1500
    set -g _sentinel_first
    set -g _sentinel_seq (math $_sentinel_seq + 1)
    set -l noauto
    test "$SENTINEL_AUTOSTART" = 0; and set noauto --no-autostart
    set -l f
    # After an upgrade to another protocol, ask nothing more: restart the shell.
    if not set -q _sentinel_restart[1]
        set -l reply (command $_sentinel_bin relay --shell=fish --pid=$fish_pid --protocol=$_sentinel_protocol \
            --prompt=$_sentinel_seq --gen=$_sentinel_gen --timeout=$timeout $noauto </dev/null 2>/dev/null)
        set f (string split \x1f -- "$reply[1]")
        test "$f[1]" = HELLO; and set -g _sentinel_restart 1
    end
    if set -q _sentinel_restart[1]
        set -g SENTINEL_STATE restart
    else if test "$f[1]" != "$_sentinel_seq"
        set -g SENTINEL_STATE down
    else
        switch "$f[2]"
            case same
                set -g SENTINEL_STATE ok
            case new
                set -g SENTINEL_STATE ok
                _sentinel_state $f[3..-1]
            case stale
                set -g SENTINEL_STATE stale
            case '*'
                set -g SENTINEL_STATE down
        end
    end
    _sentinel_paint
    _sentinel_wrap_prompt
    _sentinel_return $last
end

# A command line starts: the status line must not be painted over it.
function _sentinel_preexec --on-event fish_preexec
    set -l noauto
    test "$SENTINEL_AUTOSTART" = 0; and set noauto --no-autostart
    set -q _sentinel_restart[1]; and return
    command $_sentinel_bin relay --shell=fish --pid=$fish_pid --protocol=$_sentinel_protocol --busy $noauto \
        </dev/null >/dev/null 2>&1
end

# SENTINEL_WRAP="psql kubectl helm": functions of those names that run the
# tool through `sentinel guard`, which asks the agent first and decides.
function _sentinel_wrap_tools
    set -g _sentinel_wrapped
    for tool in (string split -n ' ' -- "$SENTINEL_WRAP")
        switch $tool
            case psql kubectl helm terraform
                function $tool --inherit-variable tool
                    command $_sentinel_bin guard --tool $tool -- $tool $argv
                end
                set -a _sentinel_wrapped $tool
        end
    end
end

function _sentinel_install
    _sentinel_wrap_tools
    # For `sentinel doctor`: which shell loaded which version, and what it wraps.
    set -gx SENTINEL_INIT (string join ' ' fish '@SENTINEL_VERSION@' $fish_pid $_sentinel_wrapped)
    set -q _sentinel_installed; and return
    set -g _sentinel_installed 1
    set -g SENTINEL_STATE down
    set -g SENTINEL_SEGMENT ''
    set -g _sentinel_segment ''
    set -g _sentinel_seq 0
    set -g _sentinel_gen ''
    set -g _sentinel_names_text ''
    set -g _sentinel_restart
    set -g _sentinel_first 1
end

if status is-interactive
    _sentinel_install
end
