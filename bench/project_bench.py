#!/usr/bin/env python3
"""Benchmark (not a test): what the project-directory and cloud CLI targets
add to `sentinel status`. The same binary, alternating, median of repeated
runs:
- baseline: a directory outside HOME and any repository, no ~/.aws, no
  gcloud configuration, the kubeconfig of 3 contexts and an exported
  DATABASE_URL (a pg target loads libpq wherever its URL comes from);
- project: six directories deep in a repository under HOME, with `.env` and
  `.env.local` on the way, an initialised terraform directory with an s3
  backend state file, ~/.aws/config and credentials with 200 profiles and a
  role chain selected by AWS_PROFILE, and an active gcloud configuration;
  the DATABASE_URL comes from `.env`.

usage: project_bench.py [SENTINEL_BIN] [--runs N]
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def timed(cmd, env, cwd):
    start = time.perf_counter_ns()
    subprocess.run(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return (time.perf_counter_ns() - start) / 1e6


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    sentinel = os.path.abspath(args[0] if args else os.path.join(HERE, "..", "build", "sentinel"))
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 101
    tmp = tempfile.mkdtemp(prefix="sentinel-project-bench-")
    try:
        home = os.path.join(tmp, "home")
        kube = os.path.join(tmp, "kubeconfig")
        subprocess.run([sys.executable, os.path.join(HERE, "gen_kubeconfig.py"), "3", kube, "ctx-1"], check=True)
        repo = os.path.join(home, "src", "shop")
        deep = os.path.join(repo, "services", "api", "jobs", "cleanup", "v2", "infra")
        os.makedirs(os.path.join(repo, ".git"))
        os.makedirs(os.path.join(deep, ".terraform"))
        write(os.path.join(repo, ".env"), "".join(f"VAR_{i}=value-{i}\n" for i in range(40)) +
              "DATABASE_URL=postgres://app:pw@db.prod.example.com/orders\nAPP_ENV=production\n")
        write(os.path.join(repo, "services", ".env.local"), "APP_ENV=staging\nNODE_ENV=${APP_ENV}\n")
        write(os.path.join(deep, ".terraform", "environment"), "prod")
        shutil.copy(os.path.join(HERE, "..", "tests", "fixtures", "terraform", "s3.tfstate"),
                    os.path.join(deep, ".terraform", "terraform.tfstate"))
        profiles = "".join(f"[profile p{i}]\nrole_arn = arn:aws:iam::{100000000000 + i}:role/R{i}\n"
                           f"source_profile = base\nregion = eu-west-1\n" for i in range(200))
        write(os.path.join(home, ".aws", "config"), "[default]\nregion = us-east-1\n" + profiles)
        write(os.path.join(home, ".aws", "credentials"), "[base]\naws_access_key_id = AKIA\n"
              "aws_secret_access_key = x\n")
        write(os.path.join(home, ".config", "gcloud", "active_config"), "prod")
        write(os.path.join(home, ".config", "gcloud", "configurations", "config_prod"),
              "[core]\nproject = acme-prod\naccount = ops@acme.example\n\n[compute]\nregion = europe-west1\n")
        empty_home = os.path.join(tmp, "empty-home")
        outside = os.path.join(tmp, "outside")
        os.makedirs(empty_home)
        os.makedirs(outside)
        base = {"PATH": os.environ["PATH"], "KUBECONFIG": kube, "SENTINEL_SYSTEM_CONFIG": os.path.join(tmp, "none"),
                "XDG_CACHE_HOME": os.path.join(tmp, "cache")}
        url = "postgres://app@db.prod.example.com/orders"
        # A DATABASE_URL loads libpq wherever it comes from: the baseline
        # exports the same one, so the difference is the project files.
        cases = {
            "baseline (DATABASE_URL exported, no project files)": (dict(base, HOME=empty_home, DATABASE_URL=url),
                                                                   outside),
            "project (dotenv x2, terraform, aws 200 profiles, gcloud)": (dict(base, HOME=home, AWS_PROFILE="p150"),
                                                                         deep),
        }
        cmd = [sentinel, "status", "--json"]
        for env, cwd in cases.values():  # warm the kubeconfig cache and the page cache
            timed(cmd, env, cwd)
        times = {name: [] for name in cases}
        for _ in range(runs):
            for name, (env, cwd) in cases.items():
                times[name].append(timed(cmd, env, cwd))
        print(f"sentinel {sentinel}; {runs} runs each, alternating; `sentinel status --json`, ms")
        medians = {}
        for name, t in times.items():
            medians[name] = statistics.median(t)
            print(f"  {name:60s} median {medians[name]:6.2f}  min {min(t):6.2f}")
        a, b = medians.values()
        print(f"  ratio project / baseline: {b / a:.2f}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
