# sentinel: shows in the prompt what a command typed here would act on.
# Printed by `sentinel init zsh`; in ~/.zshrc:  eval "$(sentinel init zsh)"
#
# How a prompt costs no fork: once per shell, a relay (`sentinel relay`) is
# started through a process substitution; the shell keeps two descriptors
# to it (a FIFO it writes, a pipe it reads with sysread). Each prompt writes
# one line with the builtin print and reads one short line; the variables
# are sent again only when they changed. The relay answers within
# SENTINEL_TIMEOUT_MS even when the agent is stopped or gone.
#
# Sets PROMPT_SUBST (the segment reaches PROMPT as ${SENTINEL_SEGMENT}; its
# value is escaped for prompt expansion and never expanded again).
# Settings (set before the eval):
#   SENTINEL_AUTO_PROMPT=0   do not prepend the segment to PROMPT; place
#                            ${SENTINEL_SEGMENT} in PROMPT yourself
#   SENTINEL_TIMEOUT_MS=10   how long a prompt waits for the agent (ms)
#   SENTINEL_AUTOSTART=0     never start the agent (systemd runs it)
#   SENTINEL_WRAP="psql kubectl helm terraform"   wrap these tools with `sentinel guard`
#                            (the agent is asked first over the relay: a
#                            command that needs no question runs directly)
# Results (shell variables, updated at each prompt):
#   SENTINEL_SEGMENT  the coloured segment, escaped for PROMPT
#   SENTINEL_TIER SENTINEL_LABEL SENTINEL_KUBE_CONTEXT SENTINEL_KUBE_NAMESPACE
#   SENTINEL_PG SENTINEL_ENV SENTINEL_CHANGED  (sanitized text)
#   SENTINEL_STATE    ok, stale (agent slow or stopped), down, or restart
#                     (sentinel was upgraded under this shell: start a new one)

typeset -g _sentinel_bin='@SENTINEL_BIN@'

# The shell protocol version this file speaks (kShellProtocolVersion in
# sentinel/core/agent/protocol.hpp), and the variables a `new` reply sets,
# in order (state_fields() in sentinel/core/display/prompt.hpp). A unit test
# checks both lines against the binary that embeds this file.
typeset -g _sentinel_protocol=3
typeset -ga _sentinel_fields
_sentinel_fields=(_sentinel_gen SENTINEL_TIER SENTINEL_LABEL _sentinel_segment SENTINEL_CHANGED SENTINEL_KUBE_CONTEXT SENTINEL_KUBE_NAMESPACE SENTINEL_PG SENTINEL_ENV _sentinel_names_text _sentinel_stale_tier _sentinel_stale_label _sentinel_stale_segment _sentinel_stale_label_segment)

# sentinel_confirm ACTION...: asks as the guard does; exit 0 to go ahead.
sentinel_confirm() {
  command "$_sentinel_bin" confirm --action "$*"
}

# Escapes one protocol field: \ TAB LF CR (protocol.hpp).
_sentinel_escape() {
  _sentinel_v=${_sentinel_v//\\/\\\\}
  _sentinel_v=${_sentinel_v//$'\t'/\\t}
  _sentinel_v=${_sentinel_v//$'\n'/\\n}
  _sentinel_v=${_sentinel_v//$'\r'/\\r}
}

# Removes passwords from a value before it leaves the shell: the userinfo
# password of a URL (scheme://user:secret@host) and password=... words.
_sentinel_redact() {
  emulate -L zsh
  local v=$_sentinel_v pre auth rest out=''
  if [[ $v == *://*@* ]]; then
    pre=${v%@*}
    auth=${pre#*://}
    if [[ $auth == *:* ]]; then
      v="${pre%%://*}://${auth%%:*}:***@${v##*@}"
    fi
  fi
  while [[ $v == *password=* ]]; do
    out+="${v%%password=*}password=***"
    rest=${v#*password=}
    if [[ $rest == \'* ]]; then
      rest=${rest#\'}
      if [[ $rest == *\'* ]]; then rest=${rest#*\'}; else rest=''; fi
    else
      rest=${rest#"${rest%%[ &;]*}"}
    fi
    v=$rest
  done
  _sentinel_v=$out$v
}

# Sets _sentinel_collect to an assignment that computes _sentinel_fp, a
# fingerprint of every reported variable (type and quoted value) and the cwd:
# the common case (nothing changed) costs a few µs. It is run with eval, not
# as a function: a zsh function call maps and unmaps a heap arena, which
# costs far more here than the expansion itself.
_sentinel_define_collect() {
  emulate -L zsh
  # Five variables per statement: one long expansion grows zsh's heap past
  # an arena and costs ten times more than a few short ones.
  local n body='_sentinel_fp=${(qq)PWD}' k=0
  for n in $_sentinel_names; do
    [[ $n =~ '^[A-Za-z_][A-Za-z0-9_]*$' ]] || continue
    (( k++ % 5 == 0 )) && body+=$'\n''_sentinel_fp+="'
    body+=" \${(t)$n}\${(qq)$n}"
    (( k % 5 == 0 )) && body+='"'
  done
  [[ $body == *'"' ]] || body+='"'
  typeset -g _sentinel_collect=$body
}

# The REPORT frame: cwd and every exported reported variable.
_sentinel_report() {
  emulate -L zsh
  local n
  _sentinel_v=$PWD
  _sentinel_escape
  _sentinel_req="REPORT"$'\t'"$_sentinel_v"
  for n in $_sentinel_names; do
    [[ $n =~ '^[A-Za-z_][A-Za-z0-9_]*$' ]] || continue
    [[ ${(tP)n} == *-export* ]] || continue
    _sentinel_v=${(P)n}
    _sentinel_redact
    _sentinel_escape
    _sentinel_req+=$'\t'"$n=$_sentinel_v"
  done
  _sentinel_req+=$'\n'
}

_sentinel_stop() {
  if [[ -n ${_sentinel_wfd-} ]]; then exec {_sentinel_wfd}>&-; fi
  if [[ -n ${_sentinel_rfd-} ]]; then exec {_sentinel_rfd}<&-; fi
  typeset -g _sentinel_wfd='' _sentinel_rfd='' _sentinel_buf=''
}

# Starts the relay (a fork, once per shell or after the relay died). It
# opens with HELLO and its protocol version; another version than this
# file's means the binary was upgraded under this shell: its replies cannot
# be read, so the prompt says to restart the shell and no relay is started
# again.
_sentinel_start() {
  emulate -L zsh
  _sentinel_stop
  typeset -g _sentinel_started=$SECONDS
  local line sep=$'\x1f'
  local -a f
  exec {_sentinel_rfd}< <(exec "$_sentinel_bin" relay --shell=zsh --pid="$$" --protocol="$_sentinel_protocol" </dev/null 2>/dev/null)
  if read -r -t 2 -u $_sentinel_rfd line; then f=("${(@ps:$sep:)line}"); fi
  if [[ ${f[1]-} == HELLO && ${f[2]-} == "$_sentinel_protocol" && -p ${f[3]-} ]]; then
    exec {_sentinel_wfd}<>"${f[3]}"
    typeset -g _sentinel_sent_fp='' _sentinel_first=1
  else
    if [[ ${f[1]-} == HELLO ]]; then
      typeset -g _sentinel_restart=1
    elif [[ ${f[1]-} == ERROR ]]; then
      # Say it once; try again a minute later, not at every prompt.
      [[ -n ${_sentinel_said-} ]] || print -ru2 -- "sentinel: ${f[2]-}"
      typeset -g _sentinel_said=1 _sentinel_started=$(( SECONDS + 58 ))
    fi
    exec {_sentinel_rfd}<&-
    typeset -g _sentinel_rfd=''
  fi
}

_sentinel_precmd() {
  local ret=$?
  emulate -L zsh
  local line chunk sep=$'\x1f' rc mark i
  local -a f
  if [[ -z ${_sentinel_rfd-} && -z ${_sentinel_restart-} ]] && (( SECONDS - ${_sentinel_started:--10} >= 2 )); then _sentinel_start; fi
  typeset -g _sentinel_req='' _sentinel_fp=''
  [[ -n ${_sentinel_rfd-} ]] || SENTINEL_STATE=down
  [[ -n ${_sentinel_restart-} ]] && SENTINEL_STATE=restart
  [[ -n ${_sentinel_rfd-} ]] && eval "$_sentinel_collect"
  if [[ -n ${_sentinel_rfd-} && $_sentinel_fp != "${_sentinel_sent_fp-}" ]]; then
    _sentinel_report
    typeset -g _sentinel_sent_fp=$_sentinel_fp _sentinel_changed_self=1
  fi
  local timeout=${SENTINEL_TIMEOUT_MS:-10}
  [[ $timeout == <-> ]] || timeout=10
  [[ -n ${_sentinel_first-} ]] && timeout=1500
  (( ++_sentinel_seq ))
  [[ -n ${_sentinel_rfd-} ]] &&
    print -rn -u $_sentinel_wfd -- "${_sentinel_req}PROMPT"$'\t'"$_sentinel_seq"$'\t'"${_sentinel_gen-}"$'\t'"$timeout"$'\n'
  local wait=$(( (timeout + 30) / 1000.0 ))
  while [[ -n ${_sentinel_rfd-} ]]; do
    if [[ $_sentinel_buf != *$'\n'* ]]; then
      sysread -t $wait -i $_sentinel_rfd chunk
      rc=$?
      if (( rc == 0 )); then
        _sentinel_buf+=$chunk
        continue
      fi
      if (( rc == 4 )); then typeset -g SENTINEL_STATE=stale; else _sentinel_stop; typeset -g SENTINEL_STATE=down; fi
      break
    fi
    line=${_sentinel_buf%%$'\n'*}
    typeset -g _sentinel_buf=${_sentinel_buf#*$'\n'}
    f=("${(@ps:$sep:)line}")
    [[ ${f[1]-} == "$_sentinel_seq" ]] || continue
    case ${f[2]-} in
      same) typeset -g SENTINEL_STATE=ok _sentinel_changed_self='' ;;
      new)
        typeset -g SENTINEL_STATE=ok _sentinel_changed_self=''
        for (( i = 1; i <= $#_sentinel_fields; i++ )); do
          typeset -g -- "${_sentinel_fields[i]}=${f[i+2]-}"
        done
        if [[ $_sentinel_names_text != "${(j: :)_sentinel_names}" ]]; then
          typeset -ga _sentinel_names
          _sentinel_names=(${(s: :)_sentinel_names_text})
          _sentinel_define_collect
        fi
        ;;
      stale) typeset -g SENTINEL_STATE=stale ;;
      *) typeset -g SENTINEL_STATE=down ;;
    esac
    break
  done
  typeset -g _sentinel_first=''
  # Painted inline (see _sentinel_define_collect about function calls).
  # A stale or missing answer never looks safe: the prompt shows the stale
  # fields of the last full answer (the unknown tier's label and colour, or
  # the last tier's when it ranks at least as high), the label alone when
  # this shell's own variables changed since its last fresh answer, and the
  # next answer is asked for in full.
  if [[ $SENTINEL_STATE != ok ]]; then
    typeset -g SENTINEL_TIER=${_sentinel_stale_tier:-unknown} SENTINEL_LABEL=${_sentinel_stale_label:-UNKNOWN} _sentinel_gen=''
    if [[ -n ${_sentinel_changed_self-} ]]; then
      typeset -g _sentinel_segment=${_sentinel_stale_label_segment:-'%{'$'\e''[1;35m%}UNKNOWN%{'$'\e''[0m%}'}
    else
      typeset -g _sentinel_segment=${_sentinel_stale_segment:-'%{'$'\e''[1;35m%}UNKNOWN%{'$'\e''[0m%}'}
    fi
  fi
  case $SENTINEL_STATE in
    stale) mark='%{'$'\e''[1;7;35m%}[sentinel: stale]%{'$'\e''[0m%}' ;;
    down) mark='%{'$'\e''[1;7;35m%}[sentinel: agent down]%{'$'\e''[0m%}' ;;
    restart) mark='%{'$'\e''[1;7;35m%}[sentinel: restart your shell]%{'$'\e''[0m%}' _sentinel_segment='' ;;
  esac
  typeset -g SENTINEL_SEGMENT=$mark${mark:+${_sentinel_segment:+ }}$_sentinel_segment
  if [[ ${SENTINEL_AUTO_PROMPT-1} != 0 && $PROMPT != *'${SENTINEL_SEGMENT'* ]]; then
    PROMPT='${SENTINEL_SEGMENT:+${SENTINEL_SEGMENT} }'$PROMPT
  fi
  return $ret
}

_sentinel_preexec() {
  [[ -n ${_sentinel_wfd-} ]] && print -rn -u $_sentinel_wfd -- $'BUSY\n'
  return 0
}

# The status line and zle. zle clears to the end of the screen, the row the
# agent reserves at the bottom with it, whenever it draws a whole prompt: a
# new command line, clear-screen, reset-prompt, a completion list, a resize.
# The agent paints the line again when the shell says DRAWN, and the shell
# says it only once zle waits for a key again, never in the middle of a
# redraw: a hook run before zle draws (line-init, line-pre-redraw) arms a
# `zle -F` handler on a descriptor that is always readable (/dev/null); zle
# calls it when it next waits for input, and it removes itself and says
# DRAWN. A WINCH trap runs after zle has redrawn for the new size.
_sentinel_drawn() {
  [[ -n ${_sentinel_wfd-} ]] && print -rn -u $_sentinel_wfd -- $'DRAWN\n'
  return 0
}

_sentinel_zle_idle() {
  zle -F $1
  _sentinel_drawn
}

_sentinel_zle_arm() {
  [[ -n ${_sentinel_wfd-} && -n ${_sentinel_null_fd-} ]] && zle -F $_sentinel_null_fd _sentinel_zle_idle
  return 0
}

# Plain editing (typing, moving, deleting) redraws only what changed: no
# message per keystroke.
_sentinel_zle_pre_redraw() {
  case $LASTWIDGET in
    (self-insert|backward-delete-char|delete-char|forward-char|backward-char|forward-word|backward-word|\
     beginning-of-line|end-of-line|backward-kill-word|kill-word|vi-forward-char|vi-backward-char|\
     vi-backward-delete-char|vi-delete-char) return 0 ;;
  esac
  _sentinel_zle_arm
}

_sentinel_zle_hooks() {
  autoload -Uz add-zle-hook-widget 2>/dev/null || return 0
  exec {_sentinel_null_fd}</dev/null
  add-zle-hook-widget line-init _sentinel_zle_arm
  add-zle-hook-widget line-pre-redraw _sentinel_zle_pre_redraw
  # A TRAPWINCH of the user's, defined before this file, still runs.
  if (( $+functions[TRAPWINCH] )); then
    functions[_sentinel_user_trapwinch]=$functions[TRAPWINCH]
    TRAPWINCH() { _sentinel_user_trapwinch "$@"; local r=$?; _sentinel_drawn; return $r; }
  else
    TRAPWINCH() { _sentinel_drawn; }
  fi
}

# _sentinel_ask_guard TOOL ARGS...: asks the agent, through the relay this
# shell already holds, whether TOOL ARGS would run without a question
# (policy none, a kubectl read). Success means run it directly; failure
# (ask, no agent, no answer within 250 ms, an argument that may hold a
# password, psql --write) means go through `sentinel guard`.
_sentinel_ask_guard() {
  emulate -L zsh
  [[ -n ${_sentinel_wfd-} && -n ${_sentinel_rfd-} ]] || return 1
  local a line chunk req sep=$'\x1f'
  local -a f
  for a in "$@"; do
    case $a in
      (*[Pp][Aa][Ss][Ss][Ww][Oo][Rr][Dd]* | *://*@* | --write) return 1 ;;
    esac
  done
  # The command may run under other variables (PGHOST=x psql): report them.
  typeset -g _sentinel_req='' _sentinel_fp=''
  eval "$_sentinel_collect"
  if [[ $_sentinel_fp != "${_sentinel_sent_fp-}" ]]; then
    _sentinel_report
    typeset -g _sentinel_sent_fp=$_sentinel_fp _sentinel_changed_self=1
  fi
  (( ++_sentinel_seq ))
  req="GUARD"$'\t'"$_sentinel_seq"$'\t250\t'"$#"
  for a in "$@"; do
    _sentinel_v=$a
    _sentinel_escape
    req+=$'\t'"$_sentinel_v"
  done
  print -rn -u $_sentinel_wfd -- "${_sentinel_req}${req}"$'\n'
  while :; do
    if [[ $_sentinel_buf != *$'\n'* ]]; then
      sysread -t 0.28 -i $_sentinel_rfd chunk || return 1
      _sentinel_buf+=$chunk
      continue
    fi
    line=${_sentinel_buf%%$'\n'*}
    typeset -g _sentinel_buf=${_sentinel_buf#*$'\n'}
    f=("${(@ps:$sep:)line}")
    [[ ${f[1]-} == "$_sentinel_seq" ]] || continue
    [[ ${f[2]-} == run ]]
    return
  done
}

_sentinel_guarded() {
  local tool=$1
  shift
  if _sentinel_ask_guard "$tool" "$@"; then
    command "$tool" "$@"
  else
    command "$_sentinel_bin" guard --tool "$tool" -- "$tool" "$@"
  fi
}

_sentinel_wrap() {
  emulate -L zsh
  local tool
  typeset -g _sentinel_wrapped=''
  for tool in ${(s: :)SENTINEL_WRAP-}; do
    case $tool in
      psql | kubectl | helm | terraform)
        eval "function $tool { _sentinel_guarded $tool \"\$@\"; }"
        _sentinel_wrapped+=" $tool"
        ;;
    esac
  done
}

_sentinel_install() {
  typeset -ga _sentinel_names
  _sentinel_names=(HOME KUBECONFIG XDG_CONFIG_HOME XDG_CACHE_HOME SENTINEL_SYSTEM_CONFIG TERM NO_COLOR DATABASE_URL PGSERVICE PGSERVICEFILE PGSYSCONFDIR PGHOST PGHOSTADDR PGPORT PGDATABASE PGUSER TF_WORKSPACE TF_DATA_DIR AWS_PROFILE AWS_DEFAULT_PROFILE AWS_CONFIG_FILE AWS_SHARED_CREDENTIALS_FILE AWS_REGION AWS_DEFAULT_REGION CLOUDSDK_CONFIG CLOUDSDK_ACTIVE_CONFIG_NAME CLOUDSDK_CORE_PROJECT CLOUDSDK_CORE_ACCOUNT CLOUDSDK_COMPUTE_REGION APP_ENV ENVIRONMENT RAILS_ENV NODE_ENV AWS_VAULT GOOGLE_CLOUD_PROJECT)
  _sentinel_define_collect
  _sentinel_wrap
  # For `sentinel doctor`: which shell loaded which version, and what it wraps.
  export SENTINEL_INIT="zsh @SENTINEL_VERSION@ $$$_sentinel_wrapped"
  [[ -n ${_sentinel_installed-} ]] && return 0
  typeset -g _sentinel_installed=1 SENTINEL_STATE=down SENTINEL_SEGMENT='' _sentinel_segment='' _sentinel_names_text=''
  typeset -gi _sentinel_seq=0
  zmodload -F zsh/system b:sysread
  setopt prompt_subst
  autoload -Uz add-zsh-hook
  add-zsh-hook precmd _sentinel_precmd
  add-zsh-hook preexec _sentinel_preexec
  _sentinel_zle_hooks
}

if [[ -o interactive ]]; then
  _sentinel_install
fi
