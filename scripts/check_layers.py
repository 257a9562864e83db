#!/usr/bin/env python3
"""The layering check: every file includes only its own layer or lower ones.

The layers, lowest first (docs/architecture.md):

  vmargin::core (core/include/vmargin/<module>/, core/src/<module>/)
    base         vmargin/error.hpp, vmargin/version.hpp
    numeric      fixed point, 256-bit intermediates, rounding, decimal text
    options      option pricing: kernels applied (Black-76, Greeks, SVI) and option margin formulas
    model        risk parameters, prices, accounts (value types and their rules)
    market       oracle aggregation: the pure rules that turn messages into marks
    margin       tiers, scaling, requirements, position values, collateral, health
    valuation    an account valued at one set of prices: the public snapshot
    liquidation  liquidation and bankruptcy prices, partial liquidation, ADL
    engine       the report and evaluate()
    whatif       scenarios and the largest order (evaluate under changed inputs)
    watch        a whole exchange revalued per tick: what an account reads, the book
    umbrella     vmargin/vmargin.hpp (includes the whole core)
  vmargin::codec    core/codec/
  vmargin::signing  core/signing/
  vmargin::audit    native/audit/    bulk verification (files, threads), below every face
  faces             native/ (the CLI), wasm/, python/ (a face includes no other face's files)

A file may include headers of its own layer and of lower layers. Besides:
the pure core (everything below codec) includes no JSON, libsodium, I/O or
thread headers; the codec includes no libsodium; a header included with a
relative name ("table.hpp", a private header) must sit in the including
file's own folder, so no private header is shared across folders.

Usage: check_layers.py [ROOT]   (exit 1 and one line per violation)
"""
import pathlib
import re
import sys

CORE_MODULES = ["numeric", "options", "model", "market", "margin", "valuation", "portfolio", "liquidation", "engine", "whatif", "watch"]
LAYERS = ["base"] + CORE_MODULES + ["umbrella", "codec", "signing", "audit", "face"]
RANK = {name: i for i, name in enumerate(LAYERS)}
BASE_HEADERS = {"error.hpp", "version.hpp"}
FACES = ("native", "wasm", "python")
CORE_LIBRARIES = ("codec", "signing")  # core/codec/, core/signing/
LIBRARIES = CORE_LIBRARIES + ("audit",)  # and native/audit/

# System headers the pure core must not include (its results may depend on
# nothing but its inputs), and those the codec must not include.
PURE_FORBIDDEN = re.compile(
    r"^(nlohmann/|simdjson|sodium|iostream|fstream|sstream|cstdio|stdio\.h|thread|mutex|future|"
    r"condition_variable|chrono|random|filesystem|cmath|math\.h)")
CODEC_FORBIDDEN = re.compile(r"^(sodium)")

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def layer_of_file(rel: pathlib.PurePosixPath):
    parts = rel.parts
    if parts[:2] == ("native", "audit"):
        return "audit"
    if parts[0] in FACES:
        return "face"
    if parts[0] != "core":
        return None  # tests, bench, tools: may include anything
    if len(parts) > 1 and parts[1] in CORE_LIBRARIES:
        return parts[1]
    if len(parts) > 2 and parts[1] == "include" and parts[2] == "vmargin":
        return layer_of_header("/".join(parts[3:]))
    if len(parts) > 2 and parts[1] == "src":
        if len(parts) == 3:
            return "base"  # core/src/error.cpp
        return parts[2] if parts[2] in CORE_MODULES else "unknown"
    return "unknown"


def layer_of_header(name: str):
    """The layer of "vmargin/..." without the prefix: "engine/report.hpp"."""
    parts = name.split("/")
    if len(parts) == 1:
        if parts[0] in BASE_HEADERS:
            return "base"
        if parts[0] == "vmargin.hpp":
            return "umbrella"
        return "unknown"
    if parts[0] in CORE_MODULES or parts[0] in LIBRARIES:
        return parts[0]
    return "unknown"


def check_file(root: pathlib.Path, path: pathlib.Path):
    rel = pathlib.PurePosixPath(path.relative_to(root).as_posix())
    layer = layer_of_file(rel)
    if layer is None:
        return []
    problems = []
    if layer == "unknown":
        return [f"{rel}: not in any layer (core modules: {', '.join(CORE_MODULES)})"]
    for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        m = INCLUDE.match(line)
        if not m:
            continue
        bracket, name = m.groups()
        where = f"{rel}:{number}"
        if name.startswith("vmargin/"):
            target = layer_of_header(name[len("vmargin/"):])
            if target == "unknown":
                problems.append(f"{where}: {name} is not in any layer")
            elif RANK[target] > RANK[layer]:
                problems.append(f"{where}: the {layer} layer includes {name} from the higher {target} layer")
            continue
        if bracket == "<":
            if RANK[layer] < RANK["codec"] and PURE_FORBIDDEN.match(name):
                problems.append(f"{where}: the pure core ({layer}) includes <{name}>")
            elif layer == "codec" and CODEC_FORBIDDEN.match(name):
                problems.append(f"{where}: the codec includes <{name}>: libsodium belongs to signing")
            continue
        # A relative include: a private header, which must be next to its user.
        if "/" in name or not (path.parent / name).is_file():
            problems.append(f'{where}: "{name}" is a private header outside {rel.parent}/ (share it as a '
                            f"vmargin/ header of the right layer instead)")
    return problems


def main(argv):
    root = pathlib.Path(argv[1] if len(argv) > 1 else pathlib.Path(__file__).resolve().parent.parent)
    files = []
    for top in ("core",) + FACES:
        if (root / top).is_dir():
            files += [p for p in (root / top).rglob("*") if p.suffix in (".hpp", ".cpp", ".h") and p.is_file()]
    problems = []
    for path in sorted(files):
        problems += check_file(root, path)
    for p in problems:
        print(p)
    if problems:
        print(f"layering check: {len(problems)} violation(s) in {len(files)} files (docs/architecture.md)")
        return 1
    print(f"layering check: {len(files)} files include only their own layer or lower ones")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
