#!/usr/bin/env python3
"""The layers of sentinel/ as a test (STYLE.md "Ours": no include points up).

A unit is a source file without its extension (sentinel/io/tty is
sentinel/io/tty.hpp and sentinel/io/tty.cpp). Fails when
- a file under sentinel/core/ includes sentinel/io/ or sentinel/cmd/,
- a file under sentinel/io/ includes sentinel/cmd/,
- anything includes sentinel/main.cpp's layer from below (nothing may
  include a .cpp),
- the includes between units form a cycle (a unit reaching itself through
  others), printed as the cycle.

It first checks itself on a small tree holding each fault, so that a broken
checker cannot pass. Usage: check_layers.py [SOURCE_DIR] (default: the
repository holding this file)."""

import os
import re
import sys
import tempfile

INCLUDE = re.compile(r'^\s*#\s*include\s+"(sentinel/[^"]+)"', re.M)
RANK = {"core": 0, "io": 1, "cmd": 2}


def layer(path):
    """core, io, cmd or main for a path relative to the source dir."""
    parts = path.split("/")
    return parts[1] if len(parts) > 2 and parts[1] in RANK else "main"


def unit(path):
    return os.path.splitext(path)[0]


def scan(root):
    """{file: [included files]} for every .hpp and .cpp under root/sentinel."""
    out = {}
    for base, _, names in os.walk(os.path.join(root, "sentinel")):
        for name in names:
            if not name.endswith((".hpp", ".cpp")):
                continue
            full = os.path.join(base, name)
            rel = os.path.relpath(full, root)
            with open(full, encoding="utf-8", errors="replace") as f:
                out[rel] = INCLUDE.findall(f.read())
    return out


def upward(files):
    """Messages for includes that point up a layer, or at a .cpp."""
    bad = []
    for path, includes in sorted(files.items()):
        for inc in includes:
            if inc.endswith(".cpp"):
                bad.append(f"{path}: includes a source file {inc}")
            elif layer(path) != "main" and layer(inc) != "main" and RANK[layer(inc)] > RANK[layer(path)]:
                bad.append(f"{path}: {layer(path)} includes {layer(inc)}: {inc}")
            elif layer(path) != "main" and layer(inc) == "main":
                bad.append(f"{path}: includes {inc} outside core/, io/ and cmd/")
    return bad


def cycles(files):
    """Each include cycle between units, as a list of units (Tarjan's SCCs)."""
    graph = {}
    for path, includes in files.items():
        edges = graph.setdefault(unit(path), set())
        for inc in includes:
            if unit(inc) != unit(path):
                edges.add(unit(inc))
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def problems(root):
    files = scan(root)
    out = upward(files)
    for c in cycles(files):
        out.append("include cycle between units: " + " <-> ".join(c))
    return out, len(files)


def self_test():
    """The checker finds each fault in a tree made to hold it."""
    tree = {
        "sentinel/core/a.hpp": '#include "sentinel/io/b.hpp"\n',
        "sentinel/io/b.hpp": '#include "sentinel/cmd/c.hpp"\n',
        "sentinel/cmd/c.hpp": "",
        "sentinel/io/x.hpp": '#include "sentinel/io/y.hpp"\n',
        "sentinel/io/y.cpp": '#include "sentinel/io/y.hpp"\n#include "sentinel/io/z.hpp"\n',
        "sentinel/io/y.hpp": "",
        "sentinel/io/z.hpp": '  #  include "sentinel/io/x.hpp"\n',
        "sentinel/core/ok.hpp": '#include "sentinel/core/ok2.hpp"\n#include <vector>\n',
        "sentinel/core/ok2.hpp": "",
    }
    with tempfile.TemporaryDirectory() as root:
        for rel, text in tree.items():
            os.makedirs(os.path.dirname(os.path.join(root, rel)), exist_ok=True)
            with open(os.path.join(root, rel), "w") as f:
                f.write(text)
        found, _ = problems(root)
    want = ["sentinel/core/a.hpp: core includes io", "sentinel/io/b.hpp: io includes cmd",
            "include cycle between units: sentinel/io/x <-> sentinel/io/y <-> sentinel/io/z"]
    missing = [w for w in want if not any(f.startswith(w) for f in found)]
    extra = [f for f in found if not any(f.startswith(w) for w in want)]
    return missing, extra


def main():
    missing, extra = self_test()
    if missing or extra:
        print("FAIL the layer checker itself: missed %s, wrongly reported %s" % (missing, extra))
        return 1
    print("ok the checker finds an upward include, an io->cmd include and a cycle in a test tree")
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    found, count = problems(root)
    if count == 0:
        print(f"FAIL no source files under {root}/sentinel")
        return 1
    for p in found:
        print("FAIL " + p)
    if not found:
        print(f"ok {count} files: no include points up, no include cycle between units")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
