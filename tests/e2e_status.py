#!/usr/bin/env python3
"""End-to-end: the real `sentinel status` and `sentinel explain` binary, as a
user runs them: config errors, hostile names, secrets, exit codes, the demo.

Run by ctest with SENTINEL_BIN and SENTINEL_SOURCE set."""
import atexit
import json
import os
import resource
import subprocess
import sys

from testlib import BIN, SRC, TempHome, check, summary

CANARY = "CANARY-7f3a9c"


class Home(TempHome):
    """A throwaway HOME (the directory itself) with its own config, cache and kubeconfig."""

    def __init__(self):
        super().__init__("sentinel-e2e-")
        atexit.register(self.close)

    def env(self, **extra):
        return super().env(HOME=self.dir, XDG_CONFIG_HOME=os.path.join(self.dir, "config"),
                           XDG_CACHE_HOME=os.path.join(self.dir, "cache"),
                           SENTINEL_SYSTEM_CONFIG=os.path.join(self.dir, "etc.toml"), **extra)

    def kubeconfig(self, context, server="https://10.1.2.3:6443", namespace=None, extra_user=""):
        ns = f", namespace: {json.dumps(namespace)}" if namespace is not None else ""
        return self.write(".kube/config", f"""apiVersion: v1
kind: Config
current-context: {json.dumps(context)}
contexts:
- name: {json.dumps(context)}
  context: {{cluster: c1, user: u1{ns}}}
clusters:
- name: c1
  cluster: {{server: {json.dumps(server)}}}
users:
- name: u1
  user:
    token: {CANARY}-token
    client-key-data: {CANARY}-key
{extra_user}""")

    def run(self, *args, **env):
        e = self.env(**env)
        p = subprocess.run([BIN, *args], env=e, capture_output=True, timeout=30)
        return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace"), p.stdout


def raw_bytes_clean(data):
    """No C0 control byte but newline, no DEL, no C1 (as UTF-8 or raw 0x9b)."""
    text = data.decode("utf-8")  # must be valid UTF-8
    return all(not (ord(c) < 0x20 and c != "\n") and c != "\x7f" and not (0x80 <= ord(c) <= 0x9f)
               and c not in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b" for c in text)


def test_production_context_json():
    h = Home()
    h.kubeconfig("prod-eu", namespace="payments")
    rc, out, err, _ = h.run("status", "--json")
    doc = json.loads(out)
    kube = doc["targets"][0]
    check("json: exit 0", rc == 0, (rc, err))
    check("json: production tier", doc["tier"] == "production" and doc["label"] == "PROD", out)
    check("json: kube fields", (kube["kind"], kube["context"], kube["cluster"], kube["server"], kube["namespace"],
                                kube["user"]) == ("kube", "prod-eu", "c1", "https://10.1.2.3:6443", "payments", "u1"),
          kube)
    check("json: files", kube["files"] == [os.path.join(h.dir, ".kube/config")], kube)
    check("json: rule names the built-in", "production names" in kube["rule"], kube["rule"])


def test_status_of_command():
    h = Home()
    h.kubeconfig("kind-dev", server="https://127.0.0.1:40000")
    rc, out, err, _ = h.run("status", "--json", "--", "kubectl", "get", "pods", "--context=nosuch")
    doc = json.loads(out)
    check("command: dangling --context is unknown", doc["tier"] == "unknown" and doc["targets"][0]["problems"], out)
    rc, out, err, _ = h.run("status", "--format=prompt", "--color=never")
    check("prompt: local segment", out == "LOCAL kind-dev/default\n", repr(out))
    rc, out, err, _ = h.run("status", "--json", "--", "psql", "-h", "db.prod.example.com", "-d", "orders",
                            "-U", "app")
    pg = json.loads(out)["targets"][0]
    check("command: psql target", (pg["host"], pg["dbname"], pg["user"], pg["port"], pg["tier"]) ==
          ("db.prod.example.com", "orders", "app", "5432", "production"), pg)


def test_config_error():
    h = Home()
    h.kubeconfig("kind-dev", server="https://127.0.0.1:40000")
    h.write("config/sentinel/config.toml", '[[rules]]\ntier = "prod"\ncontext = "x*"\n')
    rc, out, err, _ = h.run("status", "--json")
    path = os.path.join(h.dir, "config/sentinel/config.toml")
    check("config error: exit 78", rc == 78, rc)
    check("config error: tier unknown, never green", json.loads(out)["tier"] == "unknown", out)
    check("config error: one line with path:line:col", err == f'sentinel: error: {path}:2:8: unknown tier "prod"\n',
          repr(err))
    h.write("config/sentinel/config.toml", 'env = ["A"\n')
    rc, out, err, _ = h.run("status")
    check("toml syntax error: position", rc == 78 and err.startswith(f"sentinel: error: {path}:1:") and
          err.count("\n") == 1, repr(err))


def test_hostile_names():
    h = Home()
    names = ["$(touch /tmp/pwn)", "\x1b]0;title\x07x", "\x1b[2J", "a\rb\nc", "pr\u043ed", "x\u202eyz", "`id`",
             "%F{red}x%", "\u009b31m"]
    for name in names:
        h.kubeconfig(name)
        rc, out, err, raw = h.run("status", "--color=never")
        check(f"hostile name {name!r}: plain output clean", raw_bytes_clean(raw) and raw_bytes_clean(err.encode()),
              repr(out))
        rc, out, err, raw = h.run("status", "--json")
        doc = json.loads(out)
        check(f"hostile name {name!r}: JSON is ASCII and unknown-or-classified",
              all(b < 0x80 for b in raw) and doc["targets"][0]["tier"] in ("unknown", "production"), out)
        rc, out, err, raw = h.run("explain", "--color=never")
        check(f"hostile name {name!r}: explain clean", raw_bytes_clean(raw), repr(out))
    h.kubeconfig("pr\u043ed")
    rc, out, err, _ = h.run("status", "--json")
    check("look-alike name is unknown", json.loads(out)["targets"][0]["tier"] == "unknown", out)


def test_secrets_never_printed():
    h = Home()
    h.kubeconfig("prod-eu")
    svc = h.write("pg_service.conf", f"[orders]\nhost=db.example.com\ndbname=orders\npassword={CANARY}\n")
    env = {"PGPASSWORD": CANARY, "PGSERVICEFILE": svc, "PGSERVICE": "orders",
           "DATABASE_URL": f"postgres://app:{CANARY}@db.prod.example.com/orders",
           "APP_ENV": f"https://u:{CANARY}@example.com/x"}
    for args in (["status"], ["status", "--json"], ["explain"], ["status", "--format=prompt"],
                 ["status", "--json", "--", "psql", f"postgresql://app:{CANARY}@db/orders"],
                 ["status", "--json", "--", "psql", f"host=db password={CANARY} dbname=x"],
                 ["status", "--json", "--", "psql", f"postgresql://app:{CANARY}%zz@[::1/orders"],
                 ["explain", "--", "kubectl", "get", "pods"]):
        rc, out, err, _ = h.run(*args, **env)
        check(f"no secret in {' '.join(args)[:60]}", CANARY not in out and CANARY not in err, out + err)
    rc, out, err, _ = h.run("status", "--json", **env)
    kinds = [t["kind"] for t in json.loads(out)["targets"]]
    check("DATABASE_URL is a pg target", kinds.count("pg") == 2, kinds)


def test_missing_kubeconfig_file_warning():
    h = Home()
    valid = h.kubeconfig("staging-eu")
    rc, out, err, _ = h.run("status", "--json", KUBECONFIG=f"/nonexistent/kc:{valid}")
    doc = json.loads(out)
    check("missing file skipped, context from the valid one", doc["targets"][0]["context"] == "staging-eu" and
          doc["tier"] == "staging", out)
    check("missing file warned", any("/nonexistent/kc" in w for w in doc["warnings"]), doc["warnings"])
    rc, out, err, _ = h.run("status", "--json", "--", "kubectl", "get", "pods", KUBECONFIG="/nonexistent/kc")
    doc = json.loads(out)
    check("no kubeconfig: kubectl target unknown", doc["tier"] == "unknown", out)
    rc, out, err, _ = h.run("status", "--json", KUBECONFIG="/nonexistent/kc")
    check("no kubeconfig: terminal without targets", json.loads(out)["tier"] == "none", out)


def test_malformed_kubeconfig():
    h = Home()
    path = h.write(".kube/config", f"current-context: x\ncontexts:\n- name: x\n\tcontext: {{token: {CANARY}}}\n")
    rc, out, err, _ = h.run("status", "--json")
    doc = json.loads(out)
    check("malformed YAML: unknown", doc["tier"] == "unknown", out)
    check("malformed YAML: file:line:col warning", any(w.startswith(path + ":4:") for w in doc["warnings"]),
          doc["warnings"])
    check("malformed YAML: line not echoed", CANARY not in out and CANARY not in err, out)
    for special in ("/dev/zero", "/dev/null", h.dir):
        rc, out, err, _ = h.run("status", "--json", KUBECONFIG=special)
        doc = json.loads(out)
        check(f"non-regular file {special} refused", doc["tier"] == "unknown" and
              any("not a regular file" in w for w in doc["warnings"]), out)
    fifo = os.path.join(h.dir, "fifo")
    os.mkfifo(fifo)
    try:
        rc, out, err, _ = h.run("status", "--json", KUBECONFIG=fifo)
        check("FIFO does not hang", json.loads(out)["tier"] == "unknown", out)
    except subprocess.TimeoutExpired:
        check("FIFO does not hang", False, "timed out")


def test_pgpass_permissions():
    h = Home()
    path = h.write(".pgpass", f"*:*:*:*:{CANARY}\n")
    os.chmod(path, 0o644)
    rc, out, err, _ = h.run("status", "--json", PGHOST="db.dev.example.com")
    warnings = json.loads(out)["warnings"]
    check("pgpass 0644: warned with the fix", any(".pgpass: has mode 0644" in w and "chmod 600" in w for w in warnings),
          warnings)
    check("pgpass: contents never read", CANARY not in out + err, out)
    os.chmod(path, 0o600)
    rc, out, err, _ = h.run("status", "--json", PGHOST="db.dev.example.com")
    check("pgpass 0600: no warning", not any(".pgpass" in w for w in json.loads(out)["warnings"]), out)


def test_hostile_yaml_under_small_limits():
    """BAD_INPUTS rows 12-13: bombs and deep nesting, with `ulimit -s 256` and
    256 MiB of address space: a clear error, unknown, no crash."""
    h = Home()
    bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
    for i in range(1, 9):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        bomb += f"{cur}: &{cur} [" + ",".join(["*" + prev] * 9) + "]\n"
    merge = "a: &a {x: 1}\n"
    for i in range(1, 9):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        merge += f"{cur}: &{cur} {{<<: [" + ",".join(["*" + prev] * 9) + "]}\n"
    merge += "current-context: c0\ncontexts:\n" + "".join(f"- <<: *i\n  name: c{n}\n" for n in range(20))
    fixtures = {
        "alias bomb": bomb + "current-context: x\ncontexts: *i\n",
        "merge-key bomb": merge,
        "cyclic alias": "a: &a [*a]\ncurrent-context: x\n",
        "100,000 [": "[" * 100000,
        "3,000 nested maps": "".join(" " * i + f"k{i}:\n" for i in range(3000)),
    }

    # AddressSanitizer reserves terabytes of address space: under it only
    # the stack is limited (the normal build checks the address space too).
    sanitized = os.environ.get("SENTINEL_SANITIZED") == "1"
    if sanitized:
        print("note: AddressSanitizer build: RLIMIT_AS not applied (checked in the normal build)")

    def limits():
        resource.setrlimit(resource.RLIMIT_STACK, (256 * 1024, 256 * 1024))
        if not sanitized:
            resource.setrlimit(resource.RLIMIT_AS, (256 << 20, 256 << 20))

    for name, text in fixtures.items():
        path = h.write(".kube/config", text)
        try:
            p = subprocess.run([BIN, "status", "--json"], env=h.env(), capture_output=True, timeout=10,
                               preexec_fn=limits)
            doc = json.loads(p.stdout)
            check(f"{name}: unknown with a positioned error, no crash",
                  p.returncode == 0 and doc["tier"] == "unknown" and
                  any(w.startswith(path) for w in doc["warnings"]), p.stdout[:300])
        except (subprocess.TimeoutExpired, ValueError) as e:
            check(f"{name}: unknown with a positioned error, no crash", False, repr(e))


def test_usage():
    h = Home()
    rc, out, err, _ = h.run("status", "--bogus")
    check("unknown option: 64", rc == 64 and err.startswith("sentinel: error: unknown option --bogus"), err)
    rc, out, err, _ = h.run("frobnicate")
    check("unknown command: 64", rc == 64 and "unknown command" in err, err)
    rc, out, err, _ = h.run("status", "--format=xml")
    check("unknown format: 64", rc == 64, rc)


def test_demo():
    p = subprocess.run([os.path.join(SRC, "contrib", "demo", "run.sh")], env=dict(os.environ, SENTINEL_BIN=BIN),
                       capture_output=True, timeout=60)
    out = p.stdout.decode()
    check("demo: runs", p.returncode == 0, p.stderr.decode())
    check("demo: production painted red with its reason", "\x1b[1;91mPROD" in out and "config.toml:" in out, out)


def main():
    for name, fn in sorted(globals().items()):
        if name.startswith("test_"):
            fn()
    sys.exit(summary())


if __name__ == "__main__":
    main()
