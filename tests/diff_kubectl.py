#!/usr/bin/env python3
"""Differential test: sentinel's kube resolution against the real kubectl.

For every scenario this script writes kubeconfig files into a temporary
directory, asks `sentinel status --json -- kubectl ARGS...` what the command
would act on, and asks the real kubectl the same question two ways, neither of
which needs a live API server or sends traffic off this machine:

  A. `kubectl [--kubeconfig K] [--context C] config view --minify -o json`
     gives the context name and the context's cluster and user names (config
     view ignores -n, --cluster, --user and --server).  When --minify fails
     (a context naming a missing cluster or user) the full merged
     `config view -o json` is read instead.
  B. `kubectl -v=6 --request-timeout=2s --cache-dir=CACHE ARGS...`, the
     scenario's own command line.  Every cluster's server is
     https://127.0.0.1:<closed port> and CACHE holds a fresh discovery cache
     for each such port, so kubectl goes straight to
     GET https://127.0.0.1:<port>/api/v1/namespaces/<ns>/pods and logs it at
     -v=6: the port says which cluster entry (so which file's definition) was
     used, the path says the namespace.  Every user that is not a canary user
     has an exec credential plugin (a small sh script) that writes a tag
     unique to that user entry to a marker file, so the marker says which
     user kubectl used.  The connection is refused at once.

kubectl "fails" when B sends no request at all (a config error), or when it
falls back to its built-in http://localhost:8080 (no usable cluster: no
kubeconfig, no current context, a context naming a missing cluster, a cluster
without server).  Then sentinel's kube target must have tier "unknown" and a
non-empty "problems" list.  Otherwise context, cluster, server, namespace and
user must match and "problems" must be empty.

Secrets check: some users carry `token: CANARY-TOKEN-<random>` and a
client-key-data; neither (nor the decoded key) may appear in sentinel's stdout
or stderr.  Sentinel must also never run an exec credential plugin.

Checked with kubectl 1.20 (Debian 12's kubernetes-client), 1.27, 1.32 and
1.33: all agree on every scenario here.

Environment: SENTINEL_BIN (the binary; default build/sentinel next to this
file's repo), KUBECTL (the kubectl to compare with; default `kubectl` on PATH),
DIFF_KUBECTL_DEBUG=1 (print kubectl's answer under each line),
DIFF_KUBECTL_KEEP=1 (keep the temporary directory).  Arguments, if any, are
scenario names to run alone.
Prints `ok NAME` / `FAIL NAME: ...` per scenario and `N passed, M failed`.
"""

import base64
import concurrent.futures
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

from testlib import BIN, check, skip, skipped, summary

CANARY = "CANARY-TOKEN-" + secrets.token_hex(12)
CANARY_KEY_TEXT = ("-----BEGIN PRIVATE KEY-----\nCANARY-KEY-" + secrets.token_hex(12) +
                   "\n-----END PRIVATE KEY-----\n")
CANARY_KEY_DATA = base64.b64encode(CANARY_KEY_TEXT.encode()).decode()
SECRET_STRINGS = [CANARY, CANARY_KEY_DATA, CANARY_KEY_TEXT.splitlines()[1]]

DEFAULT_SERVER = "http://localhost:8080"   # kubectl's built-in fallback
EXEC_API = "client.authentication.k8s.io/v1beta1"

# -v=6 request lines: `GET https://host:port/path in 0 milliseconds` (<= 1.32)
# or `"Response" verb="GET" url="https://host:port/path" ...` (1.33+)
GET_RE = re.compile(r'\bGET (https?://[^/\s]+)(/\S*)|verb="GET" url="(https?://[^/"]+)(/[^"]*)"')
NS_RE = re.compile(r"/api/v1/namespaces/([^/?]+)/pods")
BASE_RE = re.compile(r"^(https?://[^/]+)(/.*)?$")

PLUGIN_SH = """#!/bin/sh
# exec credential plugin used by diff_kubectl.py: records which user entry ran
if [ -n "$MARKER" ]; then echo "$1" >> "$MARKER"; fi
printf '{"apiVersion":"%s","kind":"ExecCredential","status":{"token":"not-a-secret"}}' "$2"
"""

SERVERGROUPS = {"kind": "APIGroupList", "apiVersion": "v1", "groups": [
    {"name": "", "versions": [{"groupVersion": "v1", "version": "v1"}],
     "preferredVersion": {"groupVersion": "v1", "version": "v1"}}]}
SERVERRESOURCES = {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "v1",
                   "resources": [{"name": "pods", "singularName": "pod", "namespaced": True,
                                  "kind": "Pod", "verbs": ["get", "list"],
                                  "shortNames": ["po"]}]}


# --------------------------------------------------------------------------
# small YAML emitter (block style, plain scalars where safe)

_PLAIN = re.compile(r"[A-Za-z_/][A-Za-z0-9._/:@-]*")
_RESERVED = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"}


def _scalar(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    if (v and _PLAIN.fullmatch(v) and v.lower() not in _RESERVED and ": " not in v
            and not v.endswith(":")):
        return v
    return json.dumps(v)


def _emit(node, ind):
    pad = " " * ind
    out = []
    if isinstance(node, dict):
        for k, v in node.items():
            if isinstance(v, dict) and v:
                out.append(f"{pad}{k}:")
                out += _emit(v, ind + 2)
            elif isinstance(v, list) and v:
                out.append(f"{pad}{k}:")
                out += _emit(v, ind)
            elif isinstance(v, dict):
                out.append(f"{pad}{k}: {{}}")
            elif isinstance(v, list):
                out.append(f"{pad}{k}: []")
            else:
                out.append(f"{pad}{k}: {_scalar(v)}")
    else:
        for item in node:
            if isinstance(item, (dict, list)) and item:
                sub = _emit(item, ind + 2)
                out.append(pad + "- " + sub[0][ind + 2:])
                out += sub[1:]
            else:
                out.append(f"{pad}- {_scalar(item) if not isinstance(item, (dict, list)) else json.dumps(item)}")
    return out


def to_yaml(obj):
    return "\n".join(_emit(obj, 0)) + "\n"


# --------------------------------------------------------------------------
# run-wide state

class Run:
    def __init__(self, root, kubectl):
        self.root = root
        self.kubectl = kubectl
        self.cache = os.path.join(root, "kubectl-cache")
        self.plugin = os.path.join(root, "plugin.sh")
        self.xdg = os.path.join(root, "xdg-empty")
        self.nosys = os.path.join(root, "no-such-dir", "sentinel-system.toml")
        os.makedirs(self.cache)
        os.makedirs(self.xdg)
        with open(self.plugin, "w") as f:
            f.write(PLUGIN_SH)
        os.chmod(self.plugin, 0o755)
        self._lock = threading.Lock()
        self._next_port = 1
        self._next_tag = 0

    def port(self, prefix=""):
        """A loopback TCP port that refuses connections, with a fresh
        discovery cache (for https://127.0.0.1:PORT<prefix>) so kubectl skips
        discovery for it."""
        with self._lock:
            while True:
                p = self._next_port
                self._next_port += 1
                if p >= 1024:
                    raise RuntimeError("ran out of closed low ports")
                if p == 8080:
                    continue
                s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                s.settimeout(0.5)
                try:
                    busy = s.connect_ex(("127.0.0.1", p)) == 0
                except OSError:
                    busy = True
                finally:
                    s.close()
                if not busy:
                    break
        # client-go's computeDiscoverCacheDir: scheme stripped, [^(\w/.)] -> _
        d = os.path.join(self.cache, "discovery",
                         re.sub(r"[^(\w/.)]", "_", f"127.0.0.1:{p}{prefix}"))
        os.makedirs(os.path.join(d, "v1"), exist_ok=True)
        with open(os.path.join(d, "servergroups.json"), "w") as f:
            json.dump(SERVERGROUPS, f)
        with open(os.path.join(d, "v1", "serverresources.json"), "w") as f:
            json.dump(SERVERRESOURCES, f)
        return p

    def tag(self):
        with self._lock:
            self._next_tag += 1
            return f"T{self._next_tag}"


class Scenario:
    """One scenario's directory, files and command line."""

    def __init__(self, run, name):
        self.run = run
        self.name = name
        self.dir = os.path.join(run.root, "s", re.sub(r"[^A-Za-z0-9_.-]", "_", name))
        self.home = os.path.join(self.dir, "home")
        os.makedirs(self.home)
        self.args = ["get", "pods"]
        self.kubeconfig_env = None     # None: KUBECONFIG unset
        self.cwd = self.dir
        self.servers = {}              # "https://127.0.0.1:P" -> (cluster name|None, raw)
        self.tags = {}                 # exec tag -> user name

    # ---- building kubeconfig files
    def server(self, prefix="", suffix=""):
        """A new server URL (not yet tied to a cluster)."""
        return f"https://127.0.0.1:{self.run.port(prefix)}{prefix}{suffix}"

    def register_server(self, raw, cluster_name):
        self.servers[BASE_RE.match(raw).group(1)] = (cluster_name, raw)

    def flag_server(self):
        """A server for --server: belongs to no cluster entry."""
        raw = self.server()
        self.register_server(raw, None)
        return raw

    def config(self, current=None, clusters=(), contexts=(), users=(), extra=None):
        """clusters: (name, server|'auto'|None, extra dict); contexts:
        (name, cluster|None, user|None, namespace|None); users: (name, kind)
        with kind 'exec' or 'token'.  Returns the config dict."""
        cfg = {"apiVersion": "v1", "kind": "Config"}
        if current is not None:
            cfg["current-context"] = current
        cl = []
        for c in clusters:
            name, server = c[0], c[1]
            body = dict(c[2]) if len(c) > 2 and c[2] else {}
            if server == "auto":
                server = self.server()
            if server is not None:
                body["server"] = server
                self.register_server(server, name)
            cl.append({"name": name, "cluster": body})
        cx = []
        for name, cluster, user, ns in contexts:
            body = {}
            if cluster is not None:
                body["cluster"] = cluster
            if user is not None:
                body["user"] = user
            if ns is not None:
                body["namespace"] = ns
            cx.append({"name": name, "context": body})
        us = []
        for name, kind in users:
            if kind == "token":
                body = {"token": CANARY, "client-key-data": CANARY_KEY_DATA}
            else:
                t = self.run.tag()
                self.tags[t] = name
                body = {"exec": {"apiVersion": EXEC_API, "command": "/bin/sh",
                                 "args": [self.run.plugin, t, EXEC_API]}}
            us.append({"name": name, "user": body})
        cfg["clusters"] = cl
        cfg["contexts"] = cx
        cfg["users"] = us
        if extra:
            cfg.update(extra)
        return cfg

    def write(self, rel, content):
        path = os.path.join(self.dir, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if isinstance(content, dict):
            content = to_yaml(content)
        with open(path, "w") as f:
            f.write(content)
        return path

    def write_json(self, rel, cfg):
        return self.write(rel, json.dumps(cfg, indent=2) + "\n")

    def home_config(self, content):
        return self.write("home/.kube/config", content)

    # ---- standard files
    def std_a(self, rel="a.yaml", current="ctx-a"):
        return self.write(rel, self.config(
            current=current,
            clusters=[("c1", "auto"), ("c2", "auto"), ("c-shared", "auto")],
            contexts=[("ctx-a", "c1", "u1", "ns-a"),
                      ("ctx-b", "c2", "u2", None),
                      ("ctx-shared", "c-shared", "u-shared", "ns-shared-a"),
                      ("ctx-tok", "c1", "u-tok", "ns-tok")],
            users=[("u1", "exec"), ("u2", "exec"), ("u-shared", "exec"), ("u-tok", "token")]))

    def std_b(self, rel="b.yaml", current="ctx-c"):
        return self.write(rel, self.config(
            current=current,
            clusters=[("c1", "auto"), ("c-shared", "auto"), ("c3", "auto")],
            contexts=[("ctx-a", "c3", "u3", "ns-a-from-b"),
                      ("ctx-shared", "c1", "u3", "ns-shared-b"),
                      ("ctx-c", "c3", "u3", "ns-c")],
            users=[("u-shared", "exec"), ("u3", "exec"), ("u1", "token")]))


# --------------------------------------------------------------------------
# the scenarios

SCENARIOS = []


def scenario(fn):
    SCENARIOS.append((fn.__name__.replace("_", "-"), fn))
    return fn


def env_list(*paths):
    return ":".join(paths)


@scenario
def single_file_current_context(s):
    s.kubeconfig_env = s.std_a()


@scenario
def single_file_token_user(s):
    s.kubeconfig_env = s.std_a()
    s.args = ["get", "pods", "--context", "ctx-tok"]


@scenario
def namespace_unset_is_default(s):
    s.kubeconfig_env = s.std_a(current="ctx-b")


@scenario
def namespace_empty_string_is_default(s):
    s.kubeconfig_env = s.write("e.yaml", s.config(
        current="x", clusters=[("c", "auto")], contexts=[("x", "c", "u", "")],
        users=[("u", "exec")]))


@scenario
def two_files_current_context_first_wins(s):
    s.kubeconfig_env = env_list(s.std_a(), s.std_b())


@scenario
def two_files_current_context_first_wins_reversed(s):
    s.kubeconfig_env = env_list(s.std_b(), s.std_a())


@scenario
def overlap_context_first_file_wins(s):
    s.kubeconfig_env = env_list(s.std_a(), s.std_b())
    s.args = ["get", "pods", "--context=ctx-shared"]


@scenario
def overlap_context_first_file_wins_reversed(s):
    s.kubeconfig_env = env_list(s.std_b(), s.std_a())
    s.args = ["--context=ctx-shared", "get", "pods"]


@scenario
def overlap_current_context_entry_from_first_file(s):
    # current-context ctx-c comes from b; ctx-a is defined in both, b's wins
    s.kubeconfig_env = env_list(s.std_b(), s.std_a())
    s.args = ["get", "pods", "--context", "ctx-a"]


@scenario
def overlap_cluster_first_file_wins_across_files(s):
    # ctx-tok exists only in a but names c1, which b (first) also defines
    s.kubeconfig_env = env_list(s.std_b(), s.std_a())
    s.args = ["get", "pods", "--context", "ctx-tok"]


@scenario
def context_only_in_second_file(s):
    s.kubeconfig_env = env_list(s.std_b(), s.std_a())
    s.args = ["get", "pods", "--context", "ctx-b"]


@scenario
def merge_context_whole_entry_not_fieldwise(s):
    # first file's ctx-w lacks a namespace; the second's has one: not merged
    f1 = s.write("w1.yaml", s.config(
        clusters=[("cw", "auto")], contexts=[("ctx-w", "cw", "uw", None)],
        users=[("uw", "exec")]))
    f2 = s.write("w2.yaml", s.config(
        current="ctx-w", clusters=[("cw2", "auto")],
        contexts=[("ctx-w", "cw2", "uw2", "ns-w2")], users=[("uw2", "exec")]))
    s.kubeconfig_env = env_list(f1, f2)


@scenario
def merge_cluster_whole_entry_not_fieldwise(s):
    # first file's cw has no server; the second's has one: kubectl does not
    # take the server from the second file (falls back to localhost:8080)
    f1 = s.write("w1.yaml", s.config(
        clusters=[("cw", None, {"insecure-skip-tls-verify": True})]))
    f2 = s.write("w2.yaml", s.config(
        current="ctx-w", clusters=[("cw", "auto")],
        contexts=[("ctx-w", "cw", "uw", None)], users=[("uw", "exec")]))
    s.kubeconfig_env = env_list(f1, f2)


@scenario
def cross_file_context_cluster_user(s):
    f1 = s.write("x1.yaml", s.config(current="ctx-x"))
    f2 = s.write("x2.yaml", s.config(contexts=[("ctx-x", "cx", "ux", "ns-x")]))
    f3 = s.write("x3.yaml", s.config(clusters=[("cx", "auto")]))
    f4 = s.write("x4.yaml", s.config(users=[("ux", "exec")]))
    s.kubeconfig_env = env_list(f1, f2, f3, f4)


@scenario
def file_without_current_context_before_one_with(s):
    f1 = s.write("nocur.yaml", s.config(
        clusters=[("cn", "auto")], contexts=[("ctx-n", "cn", "un", "ns-n")],
        users=[("un", "exec")]))
    s.kubeconfig_env = env_list(f1, s.std_a())


@scenario
def empty_current_context_before_one_with(s):
    f1 = s.write("emptycur.yaml", s.config(
        current="", clusters=[("cn", "auto")], contexts=[("ctx-n", "cn", "un", None)],
        users=[("un", "exec")]))
    s.kubeconfig_env = env_list(f1, s.std_a(current="ctx-b"))


@scenario
def missing_file_first(s):
    s.kubeconfig_env = env_list(os.path.join(s.dir, "missing", "nope.yaml"), s.std_a())


@scenario
def missing_file_in_middle(s):
    s.kubeconfig_env = env_list(s.std_b(), "/nonexistent/kubeconfig", s.std_a())


@scenario
def empty_entries_in_list(s):
    s.kubeconfig_env = "::" + s.std_a() + "::" + s.std_b() + ":"


@scenario
def only_missing_files_no_home_fallback(s):
    s.home_config(s.config(current="h", clusters=[("hc", "auto")],
                           contexts=[("h", "hc", "hu", "ns-h")], users=[("hu", "exec")]))
    s.kubeconfig_env = "/nonexistent/one:/nonexistent/two"


@scenario
def only_empty_entries_no_home_fallback(s):
    s.home_config(s.config(current="h", clusters=[("hc", "auto")],
                           contexts=[("h", "hc", "hu", "ns-h")], users=[("hu", "exec")]))
    s.kubeconfig_env = "::"


@scenario
def home_default_when_kubeconfig_unset(s):
    s.home_config(s.config(current="h", clusters=[("hc", "auto")],
                           contexts=[("h", "hc", "hu", "ns-h")], users=[("hu", "exec")]))
    s.kubeconfig_env = None


@scenario
def home_default_when_kubeconfig_empty_string(s):
    s.home_config(s.config(current="h", clusters=[("hc", "auto")],
                           contexts=[("h", "hc", "hu", None)], users=[("hu", "exec")]))
    s.kubeconfig_env = ""


@scenario
def no_kubeconfig_at_all(s):
    s.kubeconfig_env = None


@scenario
def dangling_current_context(s):
    s.kubeconfig_env = s.std_a(current="ghost")


@scenario
def context_names_missing_cluster(s):
    s.kubeconfig_env = s.write("mc.yaml", s.config(
        current="x", clusters=[("c", "auto")], contexts=[("x", "ghost-cluster", "u", "ns")],
        users=[("u", "exec")]))


@scenario
def context_names_missing_user(s):
    s.kubeconfig_env = s.write("mu.yaml", s.config(
        current="x", clusters=[("c", "auto")], contexts=[("x", "c", "ghost-user", "ns")],
        users=[("u", "exec")]))


@scenario
def cluster_without_server(s):
    s.kubeconfig_env = s.write("ns.yaml", s.config(
        current="x", clusters=[("c", None, {"insecure-skip-tls-verify": True})],
        contexts=[("x", "c", "u", None)], users=[("u", "exec")]))


@scenario
def no_current_context_anywhere(s):
    s.kubeconfig_env = s.write("nc.yaml", s.config(
        clusters=[("c", "auto")], contexts=[("x", "c", "u", None)], users=[("u", "exec")]))


@scenario
def no_current_context_but_context_flag(s):
    s.kubeconfig_env = s.write("nc.yaml", s.config(
        clusters=[("c", "auto")], contexts=[("x", "c", "u", "ns-x")], users=[("u", "exec")]))
    s.args = ["get", "pods", "--context", "x"]


@scenario
def no_current_context_but_cluster_and_user_flags(s):
    s.kubeconfig_env = s.write("nc.yaml", s.config(
        clusters=[("c", "auto")], contexts=[("x", "c", "u", "ns-x")], users=[("u", "exec")]))
    s.args = ["get", "pods", "--cluster", "c", "--user=u"]


# ---- --context
@scenario
def context_flag_equals_after_verb(s):
    s.kubeconfig_env = s.std_a()
    s.args = ["get", "pods", "--context=ctx-b"]


@scenario
def context_flag_space_before_verb(s):
    s.kubeconfig_env = s.std_a()
    s.args = ["--context", "ctx-b", "get", "pods"]


@scenario
def context_flag_missing_context(s):
    s.kubeconfig_env = s.std_a()
    s.args = ["get", "pods", "--context=ghost"]


@scenario
def context_flag_empty_value(s):
    s.kubeconfig_env = s.std_a()
    s.args = ["get", "pods", "--context="]


@scenario
def context_flag_twice_last_wins(s):
    s.kubeconfig_env = s.std_a()
    s.args = ["--context", "ghost", "get", "pods", "--context", "ctx-b"]


# ---- -n / --namespace
@scenario
def ns_short_space_before_verb(s):
    s.kubeconfig_env = s.std_a()
    s.args = ["-n", "ns1", "get", "pods"]


@scenario
def ns_short_equals_after_verb(s):
    s.kubeconfig_env = s.std_a()
    s.args = ["get", "-n=ns2", "pods"]


@scenario
def ns_short_attached(s):
    s.kubeconfig_env = s.std_a()
    s.args = ["get", "pods", "-nns3"]


@scenario
def ns_long_equals(s):
    s.kubeconfig_env = s.std_a()
    s.args = ["get", "pods", "--namespace=ns4"]


@scenario
def ns_long_space_before_verb(s):
    s.kubeconfig_env = s.std_a()
    s.args = ["--namespace", "ns5", "get", "pods"]


@scenario
def ns_given_twice_last_wins(s):
    s.kubeconfig_env = s.std_a()
    s.args = ["-n", "first", "get", "pods", "--namespace", "second"]


@scenario
def ns_long_empty_value_keeps_context_ns(s):
    s.kubeconfig_env = s.std_a()
    s.args = ["get", "pods", "--namespace="]


@scenario
def ns_short_empty_value_keeps_context_ns(s):
    s.kubeconfig_env = s.std_a()
    s.args = ["get", "pods", "-n", ""]


@scenario
def ns_after_double_dash_is_not_a_flag(s):
    s.kubeconfig_env = s.std_a()
    s.args = ["get", "pods", "--", "-n", "not-a-namespace"]


# ---- --cluster
@scenario
def cluster_flag_equals_after_verb(s):
    s.kubeconfig_env = s.std_a()
    s.args = ["get", "pods", "--cluster=c2"]


@scenario
def cluster_flag_space_before_verb(s):
    s.kubeconfig_env = s.std_a()
    s.args = ["--cluster", "c2", "get", "pods"]


@scenario
def cluster_flag_missing_cluster(s):
    s.kubeconfig_env = s.std_a()
    s.args = ["get", "pods", "--cluster", "ghost"]


@scenario
def context_cluster_and_namespace_flags_together(s):
    s.kubeconfig_env = s.std_a()
    s.args = ["--context=ctx-b", "get", "--cluster", "c1", "pods", "-n", "mix"]


# ---- --user
@scenario
def user_flag_equals_after_verb(s):
    s.kubeconfig_env = s.std_a()
    s.args = ["get", "pods", "--user=u2"]


@scenario
def user_flag_space_before_verb(s):
    s.kubeconfig_env = s.std_a()
    s.args = ["--user", "u2", "get", "pods"]


@scenario
def user_flag_missing_user(s):
    s.kubeconfig_env = s.std_a()
    s.args = ["get", "pods", "--user", "ghost"]


# ---- --server
@scenario
def server_flag_equals_after_verb(s):
    s.kubeconfig_env = s.std_a()
    s.args = ["get", "pods", "--server=" + s.flag_server()]


@scenario
def server_flag_space_before_verb(s):
    s.kubeconfig_env = s.std_a()
    s.args = ["--server", s.flag_server(), "get", "pods"]


# ---- --kubeconfig
@scenario
def kubeconfig_flag_overrides_env_equals(s):
    a = s.std_a()
    s.kubeconfig_env = s.std_b()
    s.args = ["--kubeconfig=" + a, "get", "pods"]


@scenario
def kubeconfig_flag_overrides_env_space_after_verb(s):
    b = s.std_b()
    s.kubeconfig_env = s.std_a()
    s.args = ["get", "pods", "--kubeconfig", b]


@scenario
def kubeconfig_flag_missing_file(s):
    s.kubeconfig_env = s.std_a()
    s.args = ["get", "pods", "--kubeconfig", os.path.join(s.dir, "nope.yaml")]


@scenario
def kubeconfig_flag_empty_value_uses_env(s):
    s.kubeconfig_env = s.std_a()
    s.args = ["get", "pods", "--kubeconfig="]


@scenario
def kubeconfig_flag_twice_last_wins(s):
    a = s.std_a()
    s.kubeconfig_env = s.std_b()
    s.args = ["--kubeconfig", os.path.join(s.dir, "nope.yaml"), "get", "pods", "--kubeconfig=" + a]


@scenario
def kubeconfig_flag_relative_path(s):
    s.std_a(rel="rel/a.yaml")
    s.kubeconfig_env = s.std_b()
    s.args = ["get", "pods", "--kubeconfig", "rel/a.yaml"]


@scenario
def kubeconfig_flag_colon_list_is_one_path(s):
    a = s.std_a()
    b = s.std_b()
    s.kubeconfig_env = a
    s.args = ["get", "pods", "--kubeconfig", a + ":" + b]


# ---- file formats and bad files
@scenario
def malformed_yaml_second_file(s):
    bad = s.write("bad.yaml", "apiVersion: v1\nclusters: [ {name: x\n  : :\n")
    s.kubeconfig_env = env_list(s.std_a(), bad)


@scenario
def malformed_yaml_first_file(s):
    bad = s.write("bad.yaml", "apiVersion: v1\ncurrent-context: [unclosed\n")
    s.kubeconfig_env = env_list(bad, s.std_a())


@scenario
def yaml_top_level_list(s):
    bad = s.write("list.yaml", "- a\n- b\n")
    s.kubeconfig_env = env_list(s.std_a(), bad)


@scenario
def duplicate_context_name_in_one_file(s):
    s.kubeconfig_env = s.write("dup.yaml", s.config(
        current="x", clusters=[("c", "auto"), ("d", "auto")],
        contexts=[("x", "c", "u", None), ("x", "d", "u", "other")], users=[("u", "exec")]))


@scenario
def directory_in_list(s):
    os.makedirs(os.path.join(s.dir, "adir"))
    s.kubeconfig_env = env_list(s.std_a(), os.path.join(s.dir, "adir"))


@scenario
def empty_file_alone(s):
    s.kubeconfig_env = s.write("empty.yaml", "")


@scenario
def empty_file_then_valid(s):
    s.kubeconfig_env = env_list(s.write("empty.yaml", ""), s.std_a())


@scenario
def json_kubeconfig(s):
    s.kubeconfig_env = s.write_json("k.json", s.config(
        current="j", clusters=[("jc", "auto")], contexts=[("j", "jc", "ju", "ns-json")],
        users=[("ju", "exec"), ("jt", "token")]))


@scenario
def json_kubeconfig_merged_with_yaml(s):
    j = s.write_json("k.json", s.config(
        clusters=[("c1", "auto")], contexts=[("ctx-j", "c1", "u1", "ns-j")],
        users=[("u1", "exec")]))
    s.kubeconfig_env = env_list(j, s.std_a())


@scenario
def flow_style_yaml(s):
    p = s.server()
    s.register_server(p, "cf")
    t = s.run.tag()
    s.tags[t] = "uf"
    s.kubeconfig_env = s.write("flow.yaml", (
        "{apiVersion: v1, kind: Config, current-context: ctx-f,\n"
        f" clusters: [{{name: cf, cluster: {{server: '{p}'}}}}],\n"
        " contexts: [{name: ctx-f, context: {cluster: cf, user: uf, namespace: ns-flow}}],\n"
        f" users: [{{name: uf, user: {{exec: {{apiVersion: {EXEC_API}, command: /bin/sh,"
        f" args: [\"{s.run.plugin}\", {t}, {EXEC_API}]}}}}}},\n"
        f"         {{name: ut, user: {{token: {CANARY}}}}}]}}\n"))


@scenario
def yaml_comments_quotes_and_document_start(s):
    p = s.server()
    s.register_server(p, "c q")
    t = s.run.tag()
    s.tags[t] = "u'q"
    s.kubeconfig_env = s.write("doc.yaml", f"""---
# a comment
apiVersion: v1
kind: Config   # trailing comment
preferences: {{}}
clusters:
  - name: "c q"
    cluster:
      server: '{p}'   # quoted server
contexts:
  - name: 'ctx "q"'
    context:
      cluster: "c q"
      user: "u'q"
      namespace: "ns-q"
users:
  - name: "u'q"
    user:
      exec:
        apiVersion: {EXEC_API}
        command: /bin/sh
        args:
          - {s.run.plugin}
          - {t}
          - {EXEC_API}
  - name: canary
    user:
      token: {CANARY}
      client-key-data: {CANARY_KEY_DATA}
current-context: 'ctx "q"'
""")


@scenario
def unknown_fields_and_no_kind(s):
    cfg = s.config(current="x", clusters=[("c", "auto")], contexts=[("x", "c", "u", "ns-u")],
                   users=[("u", "exec")], extra={"x-unknown-field": "whatever"})
    del cfg["kind"]
    del cfg["apiVersion"]
    s.kubeconfig_env = s.write("unk.yaml", cfg)


@scenario
def relative_path_in_kubeconfig_is_relative_to_cwd(s):
    s.std_a(rel="sub/a.yaml")
    s.kubeconfig_env = "sub/a.yaml"


@scenario
def relative_path_in_kubeconfig_other_cwd(s):
    s.std_a(rel="sub/a.yaml")
    s.kubeconfig_env = "sub/a.yaml"
    s.cwd = s.home        # sub/a.yaml does not exist from here


@scenario
def duplicate_file_in_list(s):
    a = s.std_a()
    s.kubeconfig_env = env_list(a, a, s.std_b())


# ---- overrides that repair or cannot repair a broken config
@scenario
def dangling_current_context_with_context_flag(s):
    s.kubeconfig_env = s.std_a(current="ghost")
    s.args = ["get", "pods", "--context", "ctx-b"]


@scenario
def dangling_current_context_with_cluster_and_user_flags(s):
    s.kubeconfig_env = s.std_a(current="ghost")
    s.args = ["get", "pods", "--cluster", "c2", "--user", "u2"]


@scenario
def context_names_missing_user_but_user_flag(s):
    s.kubeconfig_env = s.write("mu.yaml", s.config(
        current="x", clusters=[("c", "auto")], contexts=[("x", "c", "ghost-user", "ns")],
        users=[("u", "exec")]))
    s.args = ["get", "pods", "--user", "u"]


@scenario
def context_names_missing_cluster_but_cluster_flag(s):
    s.kubeconfig_env = s.write("mc.yaml", s.config(
        current="x", clusters=[("c", "auto")], contexts=[("x", "ghost-cluster", "u", "ns")],
        users=[("u", "exec")]))
    s.args = ["get", "pods", "--cluster=c"]


@scenario
def context_names_missing_cluster_but_server_flag(s):
    s.kubeconfig_env = s.write("mc.yaml", s.config(
        current="x", clusters=[("c", "auto")], contexts=[("x", "ghost-cluster", "u", "ns")],
        users=[("u", "exec")]))
    s.args = ["get", "pods", "--server", s.flag_server()]


@scenario
def cluster_without_server_but_server_flag(s):
    s.kubeconfig_env = s.write("ns.yaml", s.config(
        current="x", clusters=[("c", None, {"insecure-skip-tls-verify": True})],
        contexts=[("x", "c", "u", None)], users=[("u", "exec")]))
    s.args = ["--server=" + s.flag_server(), "get", "pods"]


# ---- argv corner cases
@scenario
def ns_value_looks_like_the_verb(s):
    s.kubeconfig_env = s.std_a()
    s.args = ["-n", "get", "get", "pods"]


@scenario
def ns_then_empty_namespace_flag_keeps_context_ns(s):
    s.kubeconfig_env = s.std_a()
    s.args = ["-n", "foo", "get", "pods", "--namespace="]


@scenario
def context_then_empty_context_flag_uses_current(s):
    s.kubeconfig_env = s.std_a()
    s.args = ["--context", "ctx-b", "get", "pods", "--context="]


@scenario
def other_flags_with_values_around_overrides(s):
    s.kubeconfig_env = s.std_a()
    s.args = ["--insecure-skip-tls-verify", "get", "pods", "-o", "wide", "-l", "app=x",
              "--context", "ctx-b", "--field-selector", "status.phase=Running", "-nns-o"]


@scenario
def context_name_with_equals_sign(s):
    s.kubeconfig_env = s.write("eq.yaml", s.config(
        current="x", clusters=[("c", "auto"), ("d", "auto")],
        contexts=[("x", "c", "u", None), ("team=prod", "d", "u", "ns-eq")],
        users=[("u", "exec")]))
    s.args = ["get", "pods", "--context=team=prod"]


@scenario
def eks_style_names(s):
    arn = "arn:aws:eks:eu-west-1:123456789012:cluster/prod-eu"
    s.kubeconfig_env = s.write("eks.yaml", s.config(
        current=arn, clusters=[(arn, "auto"), ("gke_proj_europe-west1_prod", "auto")],
        contexts=[(arn, arn, arn, "ns-eks"),
                  ("gke_proj_europe-west1_prod", "gke_proj_europe-west1_prod", arn, None)],
        users=[(arn, "exec")]))


# ---- servers
@scenario
def server_with_trailing_slash(s):
    s.kubeconfig_env = s.write("slash.yaml", s.config(
        current="x", clusters=[("c", s.server(suffix="/"))], contexts=[("x", "c", "u", None)],
        users=[("u", "exec")]))


@scenario
def server_with_path_prefix(s):
    s.kubeconfig_env = s.write("prefix.yaml", s.config(
        current="x", clusters=[("c", s.server(prefix="/k8s/clusters/c-abc12"))],
        contexts=[("x", "c", "u", "ns-p")], users=[("u", "exec")]))


# ---- YAML details kubectl (go-yaml v2, YAML 1.1) gets its own way
@scenario
def yaml_anchor_alias_and_merge_key(s):
    p = s.server()
    s.register_server(p, "ca")
    t = s.run.tag()
    s.tags[t] = "ua"
    s.kubeconfig_env = s.write("anchor.yaml", f"""apiVersion: v1
kind: Config
current-context: ctx-merge
clusters:
- name: ca
  cluster:
    server: {p}
contexts:
- name: ctx-base
  context: &base
    cluster: ca
    user: ua
    namespace: ns-base
- name: ctx-alias
  context: *base
- name: ctx-merge
  context:
    <<: *base
    namespace: ns-merged
users:
- name: ua
  user:
    exec:
      apiVersion: {EXEC_API}
      command: /bin/sh
      args: ["{s.run.plugin}", "{t}", "{EXEC_API}"]
""")


@scenario
def yaml_duplicate_key_last_wins(s):
    cfg = to_yaml(s.config(
        current="first", clusters=[("c", "auto"), ("d", "auto")],
        contexts=[("first", "c", "u", None), ("second", "d", "u", "ns-second")],
        users=[("u", "exec")]))
    s.kubeconfig_env = s.write("dupkey.yaml",
                               cfg.replace("current-context: first\n",
                                           "current-context: first\ncurrent-context: second\n"))


@scenario
def yaml_unquoted_numeric_name_is_an_error(s):
    cfg = to_yaml(s.config(
        current="x", clusters=[("c", "auto")],
        contexts=[("x", "c", "u", None), ("n4242", "c", "u", None)], users=[("u", "exec")]))
    s.kubeconfig_env = s.write("num.yaml", cfg.replace("name: n4242", "name: 4242"))


@scenario
def yaml11_boolean_namespace_is_an_error(s):
    cfg = to_yaml(s.config(
        current="x", clusters=[("c", "auto")], contexts=[("x", "c", "u", "nsplaceholder")],
        users=[("u", "exec")]))
    s.kubeconfig_env = s.write("bool.yaml", cfg.replace("nsplaceholder", "no"))


@scenario
def yaml_null_namespace_is_default(s):
    cfg = to_yaml(s.config(
        current="x", clusters=[("c", "auto")], contexts=[("x", "c", "u", "nsplaceholder")],
        users=[("u", "exec")]))
    s.kubeconfig_env = s.write("null.yaml", cfg.replace("nsplaceholder", "null"))


@scenario
def yaml_null_current_context(s):
    cfg = to_yaml(s.config(
        current="placeholder", clusters=[("c", "auto")], contexts=[("x", "c", "u", None)],
        users=[("u", "exec")]))
    s.kubeconfig_env = s.write("nullcur.yaml", cfg.replace("placeholder", "~"))


@scenario
def yaml_tab_indentation_is_an_error(s):
    cfg = to_yaml(s.config(
        current="x", clusters=[("c", "auto")], contexts=[("x", "c", "u", "ns-t")],
        users=[("u", "exec")]))
    s.kubeconfig_env = s.write("tab.yaml", cfg.replace("\n    namespace:", "\n\tnamespace:"))


@scenario
def yaml_crlf_and_bom(s):
    cfg = to_yaml(s.config(
        current="x", clusters=[("c", "auto")], contexts=[("x", "c", "u", "ns-crlf")],
        users=[("u", "exec"), ("t", "token")]))
    s.kubeconfig_env = s.write("crlf.yaml", "\ufeff" + cfg.replace("\n", "\r\n"))


@scenario
def wrong_kind_is_an_error(s):
    cfg = s.config(current="x", clusters=[("c", "auto")], contexts=[("x", "c", "u", None)],
                   users=[("u", "exec")])
    cfg["kind"] = "Pod"
    s.kubeconfig_env = env_list(s.std_a(), s.write("pod.yaml", cfg))


@scenario
def tilde_in_kubeconfig_is_not_expanded(s):
    s.std_a(rel="home/kc.yaml")
    s.kubeconfig_env = "~/kc.yaml"


@scenario
def kubeconfig_flag_empty_file(s):
    s.kubeconfig_env = s.std_a()
    s.args = ["get", "pods", "--kubeconfig", s.write("empty.yaml", "")]


# --------------------------------------------------------------------------
# running

def base_env(s):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": s.home,
        "XDG_CONFIG_HOME": s.run.xdg,
        "SENTINEL_SYSTEM_CONFIG": s.run.nosys,
        "LANG": "C",
        "LC_ALL": "C",
    }
    if s.kubeconfig_env is not None:
        env["KUBECONFIG"] = s.kubeconfig_env
    return env


def flag_values(args, name):
    """Values of a long string flag (--name=v / --name v) before any `--`."""
    vals = []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--":
            break
        if a == "--" + name and i + 1 < len(args):
            vals.append(args[i + 1])
            i += 2
            continue
        if a.startswith("--" + name + "="):
            vals.append(a[len(name) + 3:])
        i += 1
    return vals


def run_proc(cmd, env, cwd, timeout=30):
    return subprocess.run(cmd, env=env, cwd=cwd, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=timeout)


KLOG_RE = re.compile(r"^([IWEF])\d{4} [0-9:.]+\s+\d+ [^\]]*\] ?(.*)$")


def kubectl_error(stderr):
    """kubectl's error message: the fatal klog line (1.20) or the last plain
    line (1.32), without klog's header and Go stack traces."""
    fatal = None
    plain = []
    for line in stderr.splitlines():
        m = KLOG_RE.match(line)
        if m:
            if m.group(1) == "F":
                fatal = m.group(2)
            continue
        if line and not line.startswith(("\t", " ")) and not re.match(
                r"^(goroutine \d|[\w./-]+\(|created by )", line):
            plain.append(line)
    if fatal:
        return fatal
    return plain[-1] if plain else ""


def last_value(vals):
    """pflag keeps the last value of a repeated string flag, even an empty
    one; clientcmd then ignores an empty override."""
    return vals[-1] if vals else ""


def config_view(s, env, minify):
    """`kubectl config view -o json` (merged, secrets redacted), with the
    scenario's --kubeconfig and, for --minify, its --context."""
    args = []
    kc = flag_values(s.args, "kubeconfig")
    if kc and kc[-1]:
        args += ["--kubeconfig", kc[-1]]
    ctx = last_value(flag_values(s.args, "context"))
    if minify and ctx:
        args += ["--context", ctx]
    cmd = [s.run.kubectl] + args + ["config", "view", "-o", "json"] + (["--minify"] if minify else [])
    p = run_proc(cmd, env, s.cwd)
    if p.returncode != 0:
        return None
    try:
        return json.loads(p.stdout)
    except ValueError:
        return None


def view_context(s, env):
    """(context name, context entry) as kubectl's config view reports them.
    --minify applies --context itself; when it cannot (a context naming a
    missing cluster or user makes it fail) the full merged view is read and
    the context picked as kubectl does: the last --context if non-empty, else
    current-context."""
    v = config_view(s, env, minify=True)
    if v is not None:
        name = v.get("current-context", "") or ""
        for c in v.get("contexts") or []:
            if c.get("name") == name:
                return name, c.get("context") or {}
        return name, None
    v = config_view(s, env, minify=False)
    if v is None:
        return None, None
    name = last_value(flag_values(s.args, "context")) or v.get("current-context", "") or ""
    for c in v.get("contexts") or []:
        if c.get("name") == name:
            return name, c.get("context") or {}
    return name, None


def kubectl_oracle(s):
    """What the real kubectl resolves: dict with 'ok' and fields, or a reason."""
    env = base_env(s)
    # B: the scenario's own command, verbose, against closed loopback ports
    marker = os.path.join(s.dir, "marker-kubectl")
    if os.path.exists(marker):
        os.remove(marker)
    benv = dict(env, MARKER=marker)
    b = run_proc([s.run.kubectl, "-v=6", "--request-timeout=2s", "--cache-dir=" + s.run.cache]
                 + s.args, benv, s.cwd)
    gets = [(m[0], m[1]) if m[0] else (m[2], m[3]) for m in GET_RE.findall(b.stderr)]
    tags = []
    if os.path.exists(marker):
        with open(marker) as f:
            tags = [t for t in f.read().split() if t]
    err = kubectl_error(b.stderr)
    if not gets:
        return {"ok": False, "why": "kubectl sent no request: " + err[:200]}
    base_url, path = gets[-1]
    if base_url == DEFAULT_SERVER:
        return {"ok": False, "why": "kubectl fell back to its built-in " + DEFAULT_SERVER +
                " (no usable cluster in the kubeconfig)"}
    m = NS_RE.search(path)
    if not m:
        return {"ok": None, "why": "unexpected request path " + path}
    exp = {"namespace": m.group(1)}
    # A: context name and the context's own cluster/user names
    ctx_name, ctx = view_context(s, env)
    exp["context"] = ctx_name or ""
    # server and cluster: the port says which cluster entry (or --server)
    cluster_name, raw = s.servers.get(base_url, (None, base_url))
    exp["server"] = raw
    if cluster_name is not None:
        exp["cluster"] = cluster_name
    elif ctx is not None:
        exp["cluster"] = ctx.get("cluster", "")
    # user: the exec plugin's marker, else the context's user
    names = sorted({s.tags.get(t, "?" + t) for t in tags})
    if len(names) == 1:
        exp["user"] = names[0]
    elif len(names) > 1:
        exp["user_note"] = "ambiguous marker " + ",".join(names)
    elif not flag_values(s.args, "user") and ctx is not None:
        exp["user"] = ctx.get("user", "")
    exp["ok"] = True
    return exp


def sentinel_run(s, sentinel_bin):
    env = base_env(s)
    marker = os.path.join(s.dir, "marker-sentinel")
    env["MARKER"] = marker
    p = run_proc([sentinel_bin, "status", "--json", "--", "kubectl"] + s.args, env, s.cwd)
    return p, os.path.exists(marker)


def norm(v):
    return "" if v is None else str(v)


def compare(s, sentinel_bin):
    problems = []
    oracle = kubectl_oracle(s)
    p, ran_plugin = sentinel_run(s, sentinel_bin)
    out_all = p.stdout + p.stderr
    for sec in SECRET_STRINGS:
        if sec in out_all:
            problems.append("secret leaked: a canary credential appears in sentinel's output")
            break
    if ran_plugin:
        problems.append("sentinel ran an exec credential plugin")
    if p.returncode != 0:
        problems.append(f"exit expected 0 got {p.returncode} (stderr: {p.stderr.strip()[:200]})")
        return problems, oracle
    try:
        doc = json.loads(p.stdout)
    except ValueError as e:
        problems.append(f"stdout is not JSON ({e}): {p.stdout[:200]!r}")
        return problems, oracle
    kube = [t for t in doc.get("targets", []) if isinstance(t, dict) and t.get("kind") == "kube"]
    if len(kube) != 1:
        problems.append(f"kube targets expected 1 got {len(kube)}")
        return problems, oracle
    t = kube[0]
    got_problems = t.get("problems") or []
    if oracle["ok"] is None:
        return problems, oracle
    if oracle["ok"] is False:
        if t.get("tier") != "unknown":
            problems.append(f"tier expected 'unknown' got {t.get('tier')!r}")
        if not got_problems:
            problems.append("problems expected non-empty got []")
        if problems:
            problems.append("[kubectl: " + oracle["why"] + "]")
        return problems, oracle
    for field in ("context", "cluster", "server", "namespace", "user"):
        if field not in oracle:
            continue
        want = norm(oracle[field])
        got = norm(t.get(field))
        if want != got:
            problems.append(f"{field} expected {want!r} got {got!r}")
    if got_problems:
        problems.append(f"problems expected [] got {got_problems!r} (kubectl resolves it)")
    return problems, oracle


def kubectl_version(kubectl):
    try:
        p = subprocess.run([kubectl, "version", "--client", "-o", "json"], capture_output=True,
                           text=True, timeout=30, stdin=subprocess.DEVNULL,
                           env={"PATH": os.environ.get("PATH", ""), "HOME": tempfile.gettempdir()})
        return json.loads(p.stdout)["clientVersion"]["gitVersion"]
    except Exception:  # noqa: BLE001 - only informational
        return "unknown version"


def main():
    t0 = time.time()
    sentinel_bin = BIN
    kubectl = os.environ.get("KUBECTL") or shutil.which("kubectl")
    if not kubectl or not os.path.exists(kubectl):
        skip("kubectl not found (install Debian's kubernetes-client or set KUBECTL)")
    if not check("the sentinel binary exists", os.path.exists(sentinel_bin), f"{sentinel_bin} (set SENTINEL_BIN)"):
        return summary()
    print(f"diff_kubectl: kubectl {kubectl} ({kubectl_version(kubectl)}), sentinel {sentinel_bin}")
    only = set(sys.argv[1:])
    root = tempfile.mkdtemp(prefix="diff-kubectl-")
    try:
        run = Run(root, kubectl)
        scen = []
        for name, fn in SCENARIOS:
            if only and name not in only:
                continue
            s = Scenario(run, name)
            fn(s)
            scen.append(s)

        # Sanity: the oracle must see a request on the plainest scenario.
        probe = Scenario(run, "oracle-probe")
        single_file_current_context(probe)
        o = kubectl_oracle(probe)
        if not check("the kubectl oracle works here", o.get("ok") and "user" in o, str(o)):
            return summary()

        def guarded(s):
            try:
                return s, compare(s, sentinel_bin)
            except Exception as e:  # noqa: BLE001 - a timeout or crash fails one scenario
                return s, ([f"harness error: {type(e).__name__}: {e}"], {"ok": None})

        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            results = list(pool.map(guarded, scen))
        resolved = 0
        for s, (problems, oracle) in results:
            if oracle.get("ok"):
                resolved += 1
            if problems:
                check(s.name, False, "; ".join(problems))
            elif oracle.get("ok") is None:
                skipped(s.name, f"kubectl oracle unavailable: {oracle['why']}")
            else:
                note = "" if oracle.get("ok") else " (kubectl fails; sentinel says unknown)"
                if oracle.get("user_note"):
                    note += " [user not checked: " + oracle["user_note"] + "]"
                check(s.name + note, True)
            if os.environ.get("DIFF_KUBECTL_DEBUG"):
                print("    kubectl:", {k: v for k, v in oracle.items()})
        if scen:
            check("oracle: kubectl resolved at least one scenario", resolved > 0, "the oracle is broken")
        print(f"diff_kubectl: {len(scen)} scenarios, kubectl resolved {resolved}, {time.time() - t0:.1f}s")
        return summary()
    finally:
        if os.environ.get("DIFF_KUBECTL_KEEP"):
            print("diff_kubectl: kept " + root)
        else:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
