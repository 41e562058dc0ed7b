#!/usr/bin/env python3
"""Writes a kubeconfig with N contexts, each with its own cluster (with CA
data, as real kubeconfigs have) and user, for benchmarks.

usage: gen_kubeconfig.py N PATH [CURRENT]
"""
import base64
import os
import sys


def main():
    n = int(sys.argv[1])
    path = sys.argv[2]
    current = sys.argv[3] if len(sys.argv) > 3 else "ctx-0"
    # A CA certificate is about 1.1 KB of DER, 1.5 KB once base64-encoded.
    ca = base64.b64encode(os.urandom(800)).decode()
    cert = base64.b64encode(os.urandom(450)).decode()
    out = ["apiVersion: v1", "kind: Config", "preferences: {}", f"current-context: {current}", "clusters:"]
    for i in range(n):
        out += [f"- name: cluster-{i}", "  cluster:", f"    certificate-authority-data: {ca}",
                f"    server: https://10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}:6443"]
    out.append("contexts:")
    for i in range(n):
        out += [f"- name: ctx-{i}", "  context:", f"    cluster: cluster-{i}", f"    user: user-{i}",
                f"    namespace: ns-{i % 17}"]
    out.append("users:")
    for i in range(n):
        out += [f"- name: user-{i}", "  user:", f"    client-certificate-data: {cert}",
                f"    token: bench-token-{i}"]
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
