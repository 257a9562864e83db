#!/usr/bin/env python3
"""Runs every conformance vector through every face of every target and
compares the outputs byte for byte: with the vector's expected output, and
with each other.

Runners: the native CLI of each given build (`vmargin eval --input`, or
`vmargin max-order --input` for vectors with "operation": "largest_order",
or `vmargin eval --trust --params --snapshot --statement [--state]` over
the signed files of a "verify_evaluate" vector; a command with arguments,
e.g. under qemu for aarch64), the npm package's object API in Node
(tests/js/run_vectors_package.mjs), the
Python package (tests/python/run_vectors.py, Debian's /usr/bin/python3 with
the built package's directory on PYTHONPATH), the
wasm module in Node (tests/conformance/run_vectors_node.cjs), and the
outputs written by each build's doctest conformance runner.

Usage:
  cross_target.py --vectors DIR --work DIR [--cli NAME=PATH]... [--wasm NAME=PATH]...
                  [--package NAME=DIR]... [--python NAME=DIR]... [--doctest NAME=FILE]...
"""
from __future__ import annotations

import argparse
import json
import os
import pathlib
import shlex
import subprocess
import sys


SIGNED_PARTS = ("trust", "state", "params", "snapshot", "statement")


def cli_arguments(name: str, operation: str, inputs: pathlib.Path) -> list[str]:
    target = inputs / name
    if operation == "verify_evaluate":
        args = ["eval"]
        for part in SIGNED_PARTS:
            if pathlib.Path(f"{target}.{part}").exists():
                args += [f"--{part}", f"{target}.{part}"]
        return args + ["--format", "json"]
    verb = "max-order" if operation == "largest_order" else "eval"
    return [verb, "--input", str(target), "--format", "json"]


def canonical(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--vectors", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--cli", action="append", default=[])
    ap.add_argument("--wasm", action="append", default=[])
    ap.add_argument("--package", action="append", default=[])
    ap.add_argument("--python", action="append", default=[])
    ap.add_argument("--doctest", action="append", default=[])
    args = ap.parse_args()

    vectors = pathlib.Path(args.vectors)
    work = pathlib.Path(args.work)
    inputs = work / "inputs"
    inputs.mkdir(parents=True, exist_ok=True)

    names, expected, operation = [], {}, {}
    for path in sorted(vectors.rglob("*.json")):
        name = path.relative_to(vectors).as_posix()
        v = json.loads(path.read_text(encoding="utf-8"))
        target = inputs / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if v.get("operation") == "verify_evaluate":
            # One file per signed input, named <vector>.<part>, exactly as a verifier holds them.
            for part in SIGNED_PARTS:
                if part in v["input"]:
                    value = v["input"][part]
                    text = value if isinstance(value, str) else canonical(value)
                    pathlib.Path(f"{target}.{part}").write_bytes(text.encode("utf-8"))
        else:
            text = v["input_text"] if "input_text" in v else canonical(v["input"])
            target.write_bytes(text.encode("utf-8"))
        names.append(name)
        expected[name] = canonical(v["expected"])
        operation[name] = v.get("operation", "evaluate")
    (work / "names.txt").write_text("".join(f"{n}\t{operation[n]}\n" for n in names), encoding="utf-8")

    outputs: dict[str, dict[str, str]] = {}
    for spec in args.cli:
        label, cli = spec.split("=", 1)
        command = shlex.split(cli)  # e.g. "qemu-aarch64-static -L /usr/aarch64-linux-gnu .../vmargin"
        got = {}
        for name in names:
            r = subprocess.run(command + cli_arguments(name, operation[name], inputs), capture_output=True)
            out = r.stdout.decode("utf-8").rstrip("\n")
            is_error = out.startswith('{"error":')
            if r.returncode != (4 if is_error else 0):
                print(f"{label}: {name}: exit code {r.returncode} does not match the output kind")
                out = f"<exit {r.returncode}> {out}"
            got[name] = out
        outputs[label] = got
    for spec in args.wasm:
        label, module = spec.split("=", 1)
        runner = pathlib.Path(__file__).with_name("run_vectors_node.cjs")
        r = subprocess.run(["node", str(runner), module, str(inputs), str(work / "names.txt")],
                           capture_output=True, check=True)
        outputs[label] = dict(line.split("\t", 1) for line in r.stdout.decode("utf-8").splitlines())
    for spec in args.package:
        label, package = spec.split("=", 1)
        runner = pathlib.Path(__file__).resolve().parents[1] / "js" / "run_vectors_package.mjs"
        r = subprocess.run(["node", str(runner), package, str(inputs), str(work / "names.txt")],
                           capture_output=True, check=True)
        outputs[label] = dict(line.split("\t", 1) for line in r.stdout.decode("utf-8").splitlines())
    for spec in args.python:
        label, package_dir = spec.split("=", 1)
        runner = pathlib.Path(__file__).resolve().parents[1] / "python" / "run_vectors.py"
        env = {**os.environ, "PYTHONPATH": str(pathlib.Path(package_dir).resolve())}
        r = subprocess.run(["/usr/bin/python3", str(runner), str(inputs), str(work / "names.txt")],
                           capture_output=True, check=True, env=env)
        outputs[label] = dict(line.split("\t", 1) for line in r.stdout.decode("utf-8").splitlines())
    for spec in args.doctest:
        label, file = spec.split("=", 1)
        lines = pathlib.Path(file).read_text(encoding="utf-8").splitlines()
        outputs[label] = dict(line.split("\t", 1) for line in lines)

    failures = 0
    labels = list(outputs)
    for label in labels:
        got = outputs[label]
        missing = [n for n in names if n not in got]
        wrong = [n for n in names if n in got and got[n] != expected[n]]
        for n in missing:
            print(f"{label}: {n}: no output")
        for n in wrong[:5]:
            print(f"{label}: {n}:\n  expected {expected[n]}\n  got      {got[n]}")
        failures += len(missing) + len(wrong)
        print(f"{label:>14}: {len(names) - len(missing) - len(wrong)}/{len(names)} vectors match")
    # Every runner against the first, byte for byte (also catches two runners
    # agreeing with each other on a wrong value only if expected were wrong).
    if labels:
        base = outputs[labels[0]]
        for label in labels[1:]:
            diff = [n for n in names if outputs[label].get(n) != base.get(n)]
            if diff:
                print(f"{label} differs from {labels[0]} on {len(diff)} vectors, e.g. {diff[0]}")
                failures += len(diff)
    print(f"cross-target: {len(names)} vectors x {len(labels)} runners "
          f"({', '.join(labels)}): {'all byte-identical' if not failures else f'{failures} differences'}")
    return 1 if failures or not names or not labels else 0


if __name__ == "__main__":
    sys.exit(main())
