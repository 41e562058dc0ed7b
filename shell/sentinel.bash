# shellcheck shell=bash
# SC2016: single-quoted ${...} is deliberate: PS1 and PS0 expand it at each
# prompt. SC2034: the SENTINEL_* results are read by the user's PS1.
# shellcheck disable=SC2016,SC2034
# sentinel: shows in the prompt what a command typed here would act on.
# Printed by `sentinel init bash`; in ~/.bashrc:  eval "$(sentinel init bash)"
#
# How a prompt costs no fork: once per shell, a relay (`sentinel relay`) is
# started through a process substitution; the shell keeps two descriptors
# to it (a FIFO it writes, a pipe it reads). Each prompt writes one line
# with the builtin printf and reads one short line with `read -t`; the
# variables are sent again only when they changed. The relay answers within
# SENTINEL_TIMEOUT_MS even when the agent is stopped or gone.
#
# Settings (set before the eval):
#   SENTINEL_AUTO_PROMPT=0   do not prepend the segment to PS1; place
#                            ${SENTINEL_SEGMENT} in PS1 yourself
#   SENTINEL_TIMEOUT_MS=10   how long a prompt waits for the agent (ms)
#   SENTINEL_AUTOSTART=0     never start the agent (systemd runs it)
#   SENTINEL_WRAP="psql kubectl helm terraform"   wrap these tools with `sentinel guard`
#                            (the agent is asked first over the relay: a
#                            command that needs no question runs directly)
# Results (shell variables, updated at each prompt):
#   SENTINEL_SEGMENT  the coloured segment, escaped for PS1
#   SENTINEL_TIER SENTINEL_LABEL SENTINEL_KUBE_CONTEXT SENTINEL_KUBE_NAMESPACE
#   SENTINEL_PG SENTINEL_ENV SENTINEL_CHANGED  (sanitized text)
#   SENTINEL_STATE    ok, stale (agent slow or stopped), down, or restart
#                     (sentinel was upgraded under this shell: start a new one)

_sentinel_bin='@SENTINEL_BIN@'

# The shell protocol version this file speaks (kShellProtocolVersion in
# sentinel/core/agent/protocol.hpp), and the variables a `new` reply sets,
# in order (state_fields() in sentinel/core/display/prompt.hpp). A unit test
# checks both lines against the binary that embeds this file.
_sentinel_protocol=3
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
      [[ $rest == *\'* ]] && rest=${rest#*\'} || rest=''
    else
      rest=${rest#"${rest%%[ &;]*}"}
    fi
    v=$rest
  done
  _sentinel_v=$out$v
}

# Defines _sentinel_collect, which sets _sentinel_fp to a fingerprint of
# every reported variable (attributes and quoted value) and the cwd, with
# one assignment: the common case (nothing changed) costs a few µs.
_sentinel_define_collect() {
  local n body='_sentinel_fp="${PWD@Q}'
  for n in "${_sentinel_names[@]}"; do
    [[ $n =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || continue
    body+=" \${$n@a}\${$n@Q}"
  done
  eval "_sentinel_collect() { $body\"; }"
}

# The REPORT frame: cwd and every exported reported variable.
_sentinel_report() {
  local n
  _sentinel_v=$PWD
  _sentinel_escape
  _sentinel_req="REPORT"$'\t'"$_sentinel_v"
  for n in "${_sentinel_names[@]}"; do
    [[ $n =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || continue
    [[ ${!n@a} == *x* ]] || continue
    _sentinel_v=${!n}
    _sentinel_redact
    _sentinel_escape
    _sentinel_req+=$'\t'"$n=$_sentinel_v"
  done
  _sentinel_req+=$'\n'
}

_sentinel_stop() {
  if [[ -n ${_sentinel_wfd-} ]]; then exec {_sentinel_wfd}>&-; fi
  if [[ -n ${_sentinel_rfd-} ]]; then exec {_sentinel_rfd}<&-; fi
  _sentinel_wfd='' _sentinel_rfd=''
}

# Starts the relay (a fork, once per shell or after the relay died). It
# opens with HELLO and its protocol version; another version than this
# file's means the binary was upgraded under this shell: its replies cannot
# be read, so the prompt says to restart the shell and no relay is started
# again.
_sentinel_start() {
  _sentinel_stop
  _sentinel_started=$SECONDS
  exec {_sentinel_rfd}< <(exec "$_sentinel_bin" relay --shell=bash --pid="$$" --protocol="$_sentinel_protocol" </dev/null 2>/dev/null)
  local -a f
  if IFS=$'\x1f' read -r -t 2 -u "$_sentinel_rfd" -a f && [[ ${f[0]-} == HELLO && ${f[1]-} == "$_sentinel_protocol" && -p ${f[2]-} ]]; then
    exec {_sentinel_wfd}<>"${f[2]}"
    _sentinel_sent_fp='' _sentinel_first=1
  else
    if [[ ${f[0]-} == HELLO ]]; then
      _sentinel_restart=1
    elif [[ ${f[0]-} == ERROR ]]; then
      # Say it once; try again a minute later, not at every prompt.
      [[ -n ${_sentinel_said-} ]] || printf 'sentinel: %s\n' "${f[1]-}" >&2
      _sentinel_said=1 _sentinel_started=$(( SECONDS + 58 ))
    fi
    exec {_sentinel_rfd}<&-
    _sentinel_rfd=''
  fi
}

# A stale or missing answer never looks safe: the prompt shows the stale
# fields of the last full answer (the unknown tier's label and colour, or
# the last tier's when it ranks at least as high), the label alone when this
# shell's own variables changed since its last fresh answer, and the next
# answer is asked for in full.
_sentinel_unanswered() {
  SENTINEL_TIER=${_sentinel_stale_tier:-unknown}
  SENTINEL_LABEL=${_sentinel_stale_label:-UNKNOWN}
  if [[ -n ${_sentinel_changed_self-} ]]; then
    _sentinel_segment=${_sentinel_stale_label_segment:-$'\001\e[1;35m\002UNKNOWN\001\e[0m\002'}
  else
    _sentinel_segment=${_sentinel_stale_segment:-$'\001\e[1;35m\002UNKNOWN\001\e[0m\002'}
  fi
  _sentinel_gen=''
}

_sentinel_paint() {
  local mark=''
  [[ $SENTINEL_STATE == ok ]] || _sentinel_unanswered
  case $SENTINEL_STATE in
    stale) mark=$'\001\e[1;7;35m\002[sentinel: stale]\001\e[0m\002' ;;
    down) mark=$'\001\e[1;7;35m\002[sentinel: agent down]\001\e[0m\002' ;;
    restart) mark=$'\001\e[1;7;35m\002[sentinel: restart your shell]\001\e[0m\002' _sentinel_segment='' ;;
  esac
  SENTINEL_SEGMENT=$mark${mark:+${_sentinel_segment:+ }}$_sentinel_segment
}

_sentinel_precmd() {
  local status=$?
  local -a f
  local i
  if [[ -z ${_sentinel_rfd-} && -z ${_sentinel_restart-} ]] && (( SECONDS - ${_sentinel_started:--10} >= 2 )); then _sentinel_start; fi
  if [[ -z ${_sentinel_rfd-} ]]; then
    SENTINEL_STATE=down
    [[ -n ${_sentinel_restart-} ]] && SENTINEL_STATE=restart
    _sentinel_paint
    return $status
  fi
  _sentinel_req='' _sentinel_fp=''
  _sentinel_collect
  if [[ $_sentinel_fp != "${_sentinel_sent_fp-}" ]]; then
    _sentinel_report
    _sentinel_sent_fp=$_sentinel_fp
    _sentinel_changed_self=1
  fi
  local timeout=${SENTINEL_TIMEOUT_MS:-10}
  [[ $timeout =~ ^[0-9]+$ ]] || timeout=10
  [[ -n ${_sentinel_first-} ]] && timeout=1500
  (( ++_sentinel_seq ))
  printf '%sPROMPT\t%s\t%s\t%s\n' "$_sentinel_req" "$_sentinel_seq" "${_sentinel_gen-}" "$timeout" >&"$_sentinel_wfd"
  local wait ms=$(( timeout + 30 ))
  printf -v wait '%d.%03d' $(( ms / 1000 )) $(( ms % 1000 ))
  # Each reply: a 16-byte header (status, seq, body length), then the body
  # (io_agent_relay.hpp). Telling read how many bytes to take lets bash read
  # them with one read(2) instead of one per byte.
  local head body rest rc
  while :; do
    read -r -N 16 -t "$wait" -u "$_sentinel_rfd" head
    rc=$?
    if (( rc != 0 || ${#head} != 16 )); then
      if (( rc > 128 )); then SENTINEL_STATE=stale; else _sentinel_stop; SENTINEL_STATE=down; fi
      break
    fi
    body=''
    # The length is in bytes: read them in the C locale (-N counts characters).
    if (( 10#${head:8:8} > 0 )) && ! LC_ALL=C read -r -N "$(( 10#${head:8:8} ))" -t "$wait" -u "$_sentinel_rfd" body; then
      _sentinel_stop
      SENTINEL_STATE=down
      break
    fi
    (( 10#${head:1:7} == _sentinel_seq % 10000000 )) || continue
    case ${head:0:1} in
      =) SENTINEL_STATE=ok _sentinel_changed_self='' ;;
      N)
        SENTINEL_STATE=ok _sentinel_changed_self=''
        f=() rest=$body
        while [[ $rest == *$'\x1f'* ]]; do
          f+=("${rest%%$'\x1f'*}")
          rest=${rest#*$'\x1f'}
        done
        f+=("$rest")
        for i in "${!_sentinel_fields[@]}"; do
          printf -v "${_sentinel_fields[i]}" '%s' "${f[i]-}"
        done
        if [[ $_sentinel_names_text != "${_sentinel_names[*]}" ]]; then
          read -r -a _sentinel_names <<<"$_sentinel_names_text"
          _sentinel_define_collect
        fi
        ;;
      S) SENTINEL_STATE=stale ;;
      *) SENTINEL_STATE=down ;;
    esac
    break
  done
  _sentinel_first=''
  _sentinel_paint
  return $status
}

# Runs last among the prompt hooks: puts the segment back in front of PS1
# if another hook (a theme, starship) rebuilt PS1.
_sentinel_ps1() {
  local status=$?
  if [[ ${SENTINEL_AUTO_PROMPT-1} != 0 && $PS1 != *'${SENTINEL_SEGMENT'* ]]; then
    PS1='${SENTINEL_SEGMENT:+${SENTINEL_SEGMENT} }'$PS1
  fi
  return $status
}

# The first command after a prompt: tells the agent the shell is busy.
# PS0 arms it (expanded once per command line, after it is read).
_sentinel_debug() {
  if [[ -n ${_sentinel_armed-} ]]; then
    _sentinel_armed=''
    [[ -n ${_sentinel_wfd-} ]] && printf 'BUSY\n' >&"$_sentinel_wfd"
  fi
  : "$1"
}

# After a resize: the terminal gave up the scroll region; the agent
# reserves the line again for the new size (the WINCH trap runs while
# readline waits for input).
_sentinel_winch() {
  [[ -n ${_sentinel_wfd-} ]] && printf 'DRAWN\n' >&"$_sentinel_wfd"
  return 0
}

# _sentinel_ask_guard TOOL ARGS...: asks the agent, through the relay this
# shell already holds, whether TOOL ARGS would run without a question
# (policy none, a kubectl read). Success means run it directly; failure
# (ask, no agent, no answer within 250 ms, an argument that may hold a
# password, psql --write) means go through `sentinel guard`.
_sentinel_ask_guard() {
  [[ -n ${_sentinel_wfd-} && -n ${_sentinel_rfd-} ]] || return 1
  local a head body rc req
  for a in "$@"; do
    case $a in
      *[Pp][Aa][Ss][Ss][Ww][Oo][Rr][Dd]* | *://*@* | --write) return 1 ;;
    esac
  done
  # The command may run under other variables (PGHOST=x psql): report them.
  _sentinel_req='' _sentinel_fp=''
  _sentinel_collect
  if [[ $_sentinel_fp != "${_sentinel_sent_fp-}" ]]; then
    _sentinel_report
    _sentinel_sent_fp=$_sentinel_fp
    _sentinel_changed_self=1
  fi
  (( ++_sentinel_seq ))
  req="GUARD"$'\t'"$_sentinel_seq"$'\t250\t'"$#"
  for a in "$@"; do
    _sentinel_v=$a
    _sentinel_escape
    req+=$'\t'"$_sentinel_v"
  done
  printf '%s%s\n' "$_sentinel_req" "$req" >&"$_sentinel_wfd"
  while :; do
    read -r -N 16 -t 0.28 -u "$_sentinel_rfd" head
    rc=$?
    (( rc == 0 && ${#head} == 16 )) || return 1
    body=''
    if (( 10#${head:8:8} > 0 )); then
      LC_ALL=C read -r -N "$(( 10#${head:8:8} ))" -t 0.28 -u "$_sentinel_rfd" body || return 1
    fi
    (( 10#${head:1:7} == _sentinel_seq % 10000000 )) || continue
    [[ ${head:0:1} == R ]]
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
  local tool
  _sentinel_wrapped=''
  for tool in ${SENTINEL_WRAP-}; do
    case $tool in
      psql | kubectl | helm | terraform)
        eval "function $tool { _sentinel_guarded $tool \"\$@\"; }"
        _sentinel_wrapped+=" $tool"
        ;;
    esac
  done
}

_sentinel_install() {
  _sentinel_names=(HOME KUBECONFIG XDG_CONFIG_HOME XDG_CACHE_HOME SENTINEL_SYSTEM_CONFIG TERM NO_COLOR DATABASE_URL PGSERVICE PGSERVICEFILE PGSYSCONFDIR PGHOST PGHOSTADDR PGPORT PGDATABASE PGUSER TF_WORKSPACE TF_DATA_DIR AWS_PROFILE AWS_DEFAULT_PROFILE AWS_CONFIG_FILE AWS_SHARED_CREDENTIALS_FILE AWS_REGION AWS_DEFAULT_REGION CLOUDSDK_CONFIG CLOUDSDK_ACTIVE_CONFIG_NAME CLOUDSDK_CORE_PROJECT CLOUDSDK_CORE_ACCOUNT CLOUDSDK_COMPUTE_REGION APP_ENV ENVIRONMENT RAILS_ENV NODE_ENV AWS_VAULT GOOGLE_CLOUD_PROJECT)
  _sentinel_define_collect
  _sentinel_wrap
  # For `sentinel doctor`: which shell loaded which version, and what it wraps.
  export SENTINEL_INIT="bash @SENTINEL_VERSION@ $$$_sentinel_wrapped"
  if ! shopt -q promptvars; then
    printf 'sentinel: shopt promptvars is off; ${SENTINEL_SEGMENT} in PS1 will not expand\n' >&2
  fi
  [[ -n ${_sentinel_installed-} ]] && return 0
  _sentinel_installed=1
  SENTINEL_STATE=down SENTINEL_SEGMENT='' _sentinel_segment='' _sentinel_seq=0 _sentinel_names_text=''
  if [[ -n ${bash_preexec_imported-}${__bp_imported-} ]]; then
    precmd_functions=(_sentinel_precmd "${precmd_functions[@]}" _sentinel_ps1)
    preexec_functions+=(_sentinel_preexec_bp)
  else
    if [[ "$(declare -p PROMPT_COMMAND 2>/dev/null)" == "declare -a"* ]]; then
      PROMPT_COMMAND=(_sentinel_precmd "${PROMPT_COMMAND[@]}" _sentinel_ps1)
    else
      # shellcheck disable=SC2128,SC2178
      PROMPT_COMMAND="_sentinel_precmd${PROMPT_COMMAND:+;$PROMPT_COMMAND};_sentinel_ps1"
    fi
    if [[ -z "$(trap -p DEBUG)" ]]; then
      PS0='${_sentinel_arm[_sentinel_armed=1]-}'${PS0-}
      trap '_sentinel_debug "$_"' DEBUG
    fi
  fi
  [[ -n "$(trap -p WINCH)" ]] || trap '_sentinel_winch' WINCH
}

_sentinel_preexec_bp() {
  [[ -n ${_sentinel_wfd-} ]] && printf 'BUSY\n' >&"$_sentinel_wfd"
  return 0
}

if [[ $- == *i* ]]; then
  _sentinel_install
fi
