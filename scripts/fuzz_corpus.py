#!/usr/bin/env python3
"""Seed corpora for the libFuzzer targets of tests/fuzz, from the inputs inside
the conformance vectors (tests/vectors/**) and the bundled examples
(examples/), and a dictionary of the formats' keys and words.

    scripts/fuzz_corpus.py OUT_DIR    writes OUT_DIR/<target>/<name> and OUT_DIR/vmargin.dict

Deterministic: the same files, names and bytes on every run. Multi-part
inputs are the parts joined by a NUL byte (tests/fuzz/fuzz_support.hpp), bulk
lines by a newline.
"""
import base64
import hashlib
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SEP = "\0"


def compact(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


class Corpus:
    def __init__(self, out):
        self.out = out
        self.count = {}

    def add(self, target, text):
        data = text.encode("utf-8") if isinstance(text, str) else text
        folder = self.out / target
        folder.mkdir(parents=True, exist_ok=True)
        (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)
        self.count[target] = self.count.get(target, 0) + 1


def plain(corpus, inp, op):
    for name, target in (("risk_parameters", "fuzz_risk_parameters"), ("prices", "fuzz_market_state"),
                         ("account", "fuzz_account"), ("scenario", "fuzz_scenario"), ("query", "fuzz_scenario")):
        if name in inp:
            corpus.add(target, compact(inp[name]))
            corpus.add("fuzz_strict_json", json.dumps(inp[name], indent=1))
    if op == "largest_order":
        corpus.add("fuzz_max_order", compact(inp))
        return
    corpus.add("fuzz_evaluate", compact(inp))
    if all(k in inp for k in ("risk_parameters", "prices", "account")):
        parts = [compact(inp["risk_parameters"]), compact(inp["prices"]), compact(inp["account"])]
        if "scenario" in inp:
            parts.append(compact(inp["scenario"]))
        corpus.add("fuzz_whatif", SEP.join(parts))
        market = parts + [""] * (4 - len(parts))
        corpus.add("fuzz_market", SEP.join(market + [""]))  # an empty update: rejected
        corpus.add("fuzz_market", SEP.join(market + [parts[1]]))  # the same prices again


def signed(corpus, inp):
    trust = compact(inp["trust"]) if isinstance(inp["trust"], (dict, list)) else str(inp["trust"])
    state = inp.get("state", "")
    state = compact(state) if isinstance(state, (dict, list)) else str(state)
    corpus.add("fuzz_trust_store", trust)
    if state:
        corpus.add("fuzz_state", state)
    for name in ("params", "snapshot", "statement"):
        if isinstance(inp.get(name), str):
            envelopes(corpus, inp[name])
    corpus.add("fuzz_signed_evaluate",
               SEP.join([trust, state] + [str(inp.get(n, "")) for n in ("params", "snapshot", "statement")]))


def envelopes(corpus, text):
    """An envelope, and the oracle messages signed inside a snapshot's payload."""
    corpus.add("fuzz_envelope", text)
    try:
        payload = json.loads(base64.b64decode(json.loads(text)["payload"]))
    except (ValueError, KeyError, TypeError):
        return
    if not isinstance(payload, dict):
        return
    for key in ("messages", "option_messages"):
        for message in payload.get(key, []) if isinstance(payload.get(key), list) else []:
            corpus.add("fuzz_envelope", json.dumps(message, sort_keys=True, separators=(",", ":"),
                                                   ensure_ascii=False))


def from_vectors(corpus, words):
    for path in sorted((ROOT / "tests" / "vectors").rglob("*.json")):
        vector = json.loads(path.read_text())
        collect_words(vector.get("input"), words)
        if "input_text" in vector:
            corpus.add("fuzz_strict_json", vector["input_text"])
            corpus.add("fuzz_evaluate", vector["input_text"])
            continue
        inp, op = vector["input"], vector.get("operation")
        corpus.add("fuzz_strict_json", compact(inp))
        if op == "verify_evaluate":
            signed(corpus, inp)
            continue
        plain(corpus, inp, op)
        expected = vector.get("expected", {})
        if "account" in inp and "error" not in expected:
            corpus.add("fuzz_bulk_line", compact(inp["account"]) + "\n" + compact(expected))


def from_examples(corpus, words):
    ex = ROOT / "examples"
    for folder in ("exchange", "options"):
        docs = {n: (ex / folder / f"{n}.json").read_text() for n in ("risk_parameters", "prices", "account")}
        corpus.add("fuzz_risk_parameters", docs["risk_parameters"])
        corpus.add("fuzz_market_state", docs["prices"])
        corpus.add("fuzz_account", docs["account"])
        combined = {n: json.loads(t) for n, t in docs.items()}
        corpus.add("fuzz_evaluate", compact(combined))
        corpus.add("fuzz_whatif", SEP.join(docs[n] for n in ("risk_parameters", "prices", "account")))
        corpus.add("fuzz_market", SEP.join([docs["risk_parameters"], docs["prices"], docs["account"], "", docs["prices"]]))
        for text in docs.values():
            corpus.add("fuzz_strict_json", text)
            collect_words(json.loads(text), words)
    for name in ("vol", "decay"):
        corpus.add("fuzz_scenario", (ex / "options" / f"{name}.json").read_text())
    corpus.add("fuzz_bulk_line", compact(json.loads((ex / "exchange" / "account.json").read_text())) + "\n{}")
    for folder in ("signed", "signed-options"):
        files = {n: (ex / folder / n).read_text() for n in
                 ("trust.json", "risk_parameters.signed", "snapshot.signed", "statement.signed")}
        corpus.add("fuzz_trust_store", files["trust.json"])
        for n in ("risk_parameters.signed", "snapshot.signed", "statement.signed"):
            envelopes(corpus, files[n])
        corpus.add("fuzz_signed_evaluate", SEP.join([files["trust.json"], "", files["risk_parameters.signed"],
                                                     files["snapshot.signed"], files["statement.signed"]]))


def collect_words(value, words):
    if isinstance(value, dict):
        for k, v in value.items():
            words.add(k)
            collect_words(v, words)
    elif isinstance(value, list):
        for v in value:
            collect_words(v, words)
    elif isinstance(value, str) and len(value) <= 24 and not value.startswith("{"):
        words.add(value)


def dictionary(words):
    lines = []
    fixed = ['{', '}', '[', ']', ':', ',', 'null', 'true', 'false', '""', '"0"', '"-1"', '"1e5"', '"0.000000000000000001"',
             '"170141183460469231731.687303715884105727"', '18446744073709551616', '9223372036854775807', '\\u0000',
             '\\ud800', 'risk_parameters/v1', 'oracle_price/v1', 'snapshot/v1', 'statement/v1', 'option_expiry/v1']
    for w in fixed + sorted(words):
        if not w or len(w) > 40:
            continue
        escaped = "".join(c if 32 <= b < 127 and c not in '\\"' else f"\\x{b:02x}"
                          for b in w.encode("utf-8") for c in [chr(b)])
        lines.append(f'"{escaped}"')
        if len(w) > 1 and not w.startswith(('"', "\\")) and w not in ("null", "true", "false") and not w[0].isdigit():
            lines.append(f'"\\x22{escaped}\\x22"')
    return "\n".join(dict.fromkeys(lines)) + "\n"


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = pathlib.Path(argv[1])
    corpus, words = Corpus(out), set()
    from_vectors(corpus, words)
    from_examples(corpus, words)
    (out / "vmargin.dict").write_text(dictionary(words))
    for target in sorted(corpus.count):
        print(f"{target}: {len(list((out / target).iterdir()))} seeds")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
