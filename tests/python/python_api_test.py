#!/usr/bin/env python3
"""The Python package against the CLI: every answer compared with what
`vmargin` prints for the same inputs (not with copied values), typed errors
with their paths for bad input, the state token's checks, sessions, the
field-by-field comparison and bulk verification (the same bytes as `vmargin
verify --out --summary`), and evaluation from several threads at once.

Usage: python_api_test.py VMARGIN VMARGIN_BATCH REPO_ROOT WORK_DIR
(run with PYTHONPATH=<build>/python)
"""
from __future__ import annotations

import json
import pathlib
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import vmargin
from vmargin import VMarginError

failures = 0


def check(condition: bool, what: str) -> None:
    global failures
    if not condition:
        failures += 1
        print(f"FAIL: {what}")


def run(*args: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([str(a) for a in args], capture_output=True)


def error_of(f, *args, **kw) -> VMarginError | None:
    try:
        f(*args, **kw)
    except VMarginError as e:
        return e
    return None


def main() -> int:
    cli, batch_tool, repo, work = map(pathlib.Path, sys.argv[1:5])
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    ex = repo / "examples/exchange"
    docs = {name: json.loads((ex / f"{name}.json").read_text()) for name in ("risk_parameters", "prices", "account")}
    cli_report = run(cli, "eval", "--params", ex / "risk_parameters.json", "--prices", ex / "prices.json",
                     "--account", ex / "account.json", "--format", "json").stdout.decode().rstrip("\n")

    # evaluate: combined dict, combined text, separate documents; the same bytes as the CLI.
    report = vmargin.evaluate(docs)
    check(vmargin.canonical_json(report) == cli_report, "evaluate(dict) differs from vmargin eval")
    check(vmargin.evaluate_text(json.dumps(docs)) == cli_report, "evaluate_text(str) differs from vmargin eval")
    separate = vmargin.evaluate(risk_parameters=(ex / "risk_parameters.json").read_text(),
                                prices=docs["prices"], account=(ex / "account.json").read_bytes())
    check(separate == report, "separate documents differ from the combined one")
    check(isinstance(report["risk_parameters_version"], int) and isinstance(report["cross"]["equity"], str),
          "integers are int, decimals str")
    # Decimals may be given as decimal.Decimal.
    priced = json.loads(json.dumps(docs))
    priced["prices"]["feeds"]["BTC-USD"]["mark"] = Decimal(priced["prices"]["feeds"]["BTC-USD"]["mark"])
    priced["prices"]["feeds"]["BTC-USD"]["volatility"] = Decimal("0.720")
    check(vmargin.evaluate(priced) == report, "a Decimal input evaluates as its text")

    # An Evaluator: parameters and prices once, accounts one by one; the same bytes as the CLI.
    evaluator = vmargin.Evaluator(risk_parameters=docs["risk_parameters"], prices=(ex / "prices.json").read_text())
    check(evaluator.evaluate_text(docs["account"]) == cli_report, "Evaluator.evaluate_text differs from vmargin eval")
    check(evaluator.evaluate((ex / "account.json").read_text()) == report, "Evaluator.evaluate(text)")
    e = error_of(evaluator.evaluate, {**docs["account"], "collateral": {"XYZ": "1"}})
    check(e is not None and e.code == "unknown_asset" and e.path.startswith("/account/collateral"),
          f"Evaluator: an unknown asset: {e!r}")
    e = error_of(vmargin.Evaluator, risk_parameters={"version": 1}, prices=docs["prices"])
    check(e is not None and e.path.startswith("/risk_parameters"), f"Evaluator: bad parameters: {e!r}")
    with ThreadPoolExecutor(3) as pool:
        outs = list(pool.map(lambda _: evaluator.evaluate_text(docs["account"]), range(30)))
    check(all(o == cli_report for o in outs), "one Evaluator from several threads")

    # What-if: a scenario document, as the CLI's --scenario.
    scenario = {"shocks": {"BTC-USD": "-0.1"}}
    scenario_file = work / "scenario.json"
    scenario_file.write_text(json.dumps(scenario))
    shocked_cli = run(cli, "eval", "--params", ex / "risk_parameters.json", "--prices", ex / "prices.json",
                      "--account", ex / "account.json", "--scenario", scenario_file, "--format", "json")
    shocked = error_of(vmargin.evaluate_text, risk_parameters=docs["risk_parameters"], prices=docs["prices"],
                       account=docs["account"], scenario=scenario)
    if shocked_cli.returncode == 0:
        check(vmargin.evaluate_text(risk_parameters=docs["risk_parameters"], prices=docs["prices"],
                                    account=docs["account"], scenario=scenario)
              == shocked_cli.stdout.decode().rstrip("\n"), "a scenario differs from vmargin eval --scenario")
    else:
        check(shocked is not None and shocked.code == json.loads(shocked_cli.stdout)["error"]["code"],
              f"a scenario's error differs from the CLI's: {shocked!r} {shocked_cli.stdout!r}")

    # largest_order against vmargin max-order.
    query = {"market": "ETH-PERP", "side": "buy"}
    cli_order = run(cli, "max-order", "--params", ex / "risk_parameters.json", "--prices", ex / "prices.json",
                    "--account", ex / "account.json", "--market", "ETH-PERP", "--side", "buy", "--format", "json")
    order = vmargin.largest_order({**docs, "query": query})
    check(vmargin.canonical_json(order) == cli_order.stdout.decode().rstrip("\n"),
          f"largest_order differs from vmargin max-order: {order} vs {cli_order.stdout[:200]!r}")

    # Errors: typed, with the path, never a crash.
    bad = json.loads(json.dumps(docs))
    bad["account"]["positions"]["BTC-PERP"]["quantity"] = 1.5
    e = error_of(vmargin.evaluate, bad)
    check(e is not None and e.code == "wrong_type" and e.path == "/account/positions/BTC-PERP/quantity",
          f"float: {e!r}")
    bad["account"]["positions"]["BTC-PERP"]["quantity"] = "1.5x"
    e = error_of(vmargin.evaluate, bad)
    check(e is not None and e.code == "bad_decimal" and e.path == "/account/positions/BTC-PERP/quantity",
          f"bad decimal: {e!r}")
    e = error_of(vmargin.evaluate, '{"risk_parameters": ')
    check(e is not None and e.code == "malformed_json", f"truncated JSON: {e!r}")
    e = error_of(vmargin.evaluate, {**docs, "extra": 1})
    check(e is not None and e.code == "unknown_field" and e.path == "/extra", f"unknown field: {e!r}")
    e = error_of(vmargin.evaluate, {**docs, "account": {**docs["account"], 1: "x"}})
    check(e is not None and e.code == "wrong_type" and e.path == "/account", f"int key: {e!r}")
    for value, code in ((Decimal("NaN"), "wrong_type"), ({1, 2}, "wrong_type"), ("\ud800", "malformed_json"),
                        (object(), "wrong_type")):
        e = error_of(vmargin.evaluate, {**docs, "account": {**docs["account"], "id": value}})
        check(e is not None and e.code == code and e.path == "/account/id", f"{value!r} as a value: {e!r}")
    deep: dict[str, object] = {}
    cursor = deep
    for _ in range(40):
        cursor["a"] = {}
        cursor = cursor["a"]  # type: ignore[assignment]
    e = error_of(vmargin.evaluate, {**docs, "scenario": deep})
    check(e is not None and e.code == "input_too_large", f"nested past the limit: {e!r}")
    e = error_of(vmargin.evaluate, b"\xff\xfe")
    check(e is not None and e.code == "malformed_json", f"bytes not UTF-8: {e!r}")
    e = error_of(vmargin.evaluate, risk_parameters=docs["risk_parameters"], prices=docs["prices"])
    check(e is not None and e.code == "missing_field" and e.path == "/account", f"missing document: {e!r}")
    e = error_of(vmargin.evaluate, 42)
    check(e is not None and e.code == "wrong_type", f"a number as document: {e!r}")
    check(isinstance(e, ValueError) and str(e).startswith("[vmargin.wrong_type]"), "VMarginError is a ValueError")

    # Signed inputs: the same {report, verification, state} as vmargin eval, the state a token.
    signed = repo / "examples/signed"
    files = {k: (signed / f).read_text() for k, f in (("trust", "trust.json"), ("params", "risk_parameters.signed"),
                                                       ("snapshot", "snapshot.signed"), ("statement", "statement.signed"))}
    state_file = work / "state.json"
    cli_signed = run(cli, "eval", "--trust", signed / "trust.json", "--params", signed / "risk_parameters.signed",
                     "--snapshot", signed / "snapshot.signed", "--statement", signed / "statement.signed",
                     "--save-state", state_file, "--format", "json")
    check(cli_signed.returncode == 0, f"vmargin eval (signed): {cli_signed.stderr!r}")
    cli_result = json.loads(cli_signed.stdout)
    result = vmargin.verify_evaluate(**files)
    check(result["report"] == cli_result["report"] and result["verification"] == cli_result["verification"],
          "verify_evaluate differs from vmargin eval --trust ...")
    token = result["state"]
    check(token.startswith("vmargin-state/1:"), "the state is a token")
    check(vmargin.export_state(token) + "\n" == state_file.read_text(), "export_state differs from --save-state")
    check(vmargin.import_state(state_file.read_text()) == token, "import_state of the CLI's file")
    for broken in (token[:-1], token.replace("vmargin-state/1:", "vmargin-state/2:"), token[:-2] + "9}",
                   "{}"):
        e = error_of(vmargin.verify_evaluate, **files, state=vmargin.StateToken(broken))
        check(e is not None and e.path == "/state", f"a modified token is refused at /state: {e!r}")
    # The same inputs again under the state they produced: refused as the CLI refuses them.
    e = error_of(vmargin.verify_evaluate, **files, state=token)
    again = run(cli, "eval", "--trust", signed / "trust.json", "--params", signed / "risk_parameters.signed",
                "--snapshot", signed / "snapshot.signed", "--statement", signed / "statement.signed",
                "--state", state_file, "--format", "json")
    cli_error = json.loads(again.stdout)["error"] if again.returncode == 4 else None
    check(e is not None and cli_error is not None and (e.code, e.path, e.detail) ==
          (cli_error["code"], cli_error["path"], cli_error["message"]), f"replay under the state: {e!r} {cli_error}")
    e = error_of(vmargin.verify_evaluate, **{**files, "params": files["params"].replace("a", "b", 1)})
    check(e is not None and e.path.startswith("/params"), f"tampered params: {e!r}")
    e = error_of(vmargin.verify_evaluate, **{**files, "params": json.loads(files["params"])})
    check(e is not None and e.code == "wrong_type" and e.path == "/params", f"a parsed envelope: {e!r}")

    # verify / compare_reports: the example matches; one tampered field is named with both values.
    check(vmargin.verify(result, result["report"])["match"], "a report matches itself")
    tampered = json.loads(json.dumps(result["report"]))
    tampered["cross"]["equity"] = "1"
    cmp = vmargin.verify(result, tampered)
    check(not cmp["match"] and [d["path"] for d in cmp["differences"]] == ["/cross/equity"]
          and cmp["differences"][0]["published"] == "1", f"tampered comparison: {cmp}")
    published_file = work / "published.json"
    published_file.write_text(json.dumps(tampered))
    cli_cmp = run(cli, "verify", "--trust", signed / "trust.json", "--params", signed / "risk_parameters.signed",
                  "--snapshot", signed / "snapshot.signed", "--statement", signed / "statement.signed",
                  "--published", published_file, "--format", "json")
    check(cli_cmp.returncode == 5 and json.loads(cli_cmp.stdout) == cmp, "verify differs from vmargin verify")
    e = error_of(vmargin.verify, report, tampered)
    check(e is not None and e.code == "missing_field" and e.path == "/inputs", f"bare report, no inputs: {e!r}")
    e = error_of(vmargin.verify, result, "{not json")
    check(e is not None and e.code == "malformed_json" and e.path == "/published", f"bad published: {e!r}")

    # Sessions: a tick is verify_evaluate's answer; a replay is refused and changes nothing; close.
    with vmargin.open_session(trust=files["trust"], params=files["params"], statement=files["statement"]) as s:
        tick = s.tick(files["snapshot"])
        check(tick["report"] == result["report"] and tick["state"] == token and s.state == token, "session tick")
        e = error_of(s.tick, files["snapshot"])
        check(e is not None and s.state == token, f"a replayed snapshot: {e!r}")
    check(s.closed, "closed by with")
    e = error_of(s.tick, files["snapshot"])
    check(e is not None and e.code == "invalid_value", f"a tick after close: {e!r}")

    # Bulk: the same bytes as vmargin verify --out and --summary.
    batch = work / "batch"
    r = run(batch_tool, "--exchange", ex, "--out", batch, "--accounts", 600, "--seed", 3, "--tamper", 20000,
            "--bad-lines", 3)
    check(r.returncode == 0, f"vmargin_batch: {r.stderr!r}")
    out, summary = work / "out.jsonl", work / "summary.json"
    run(cli, "verify", "--params", batch / "risk_parameters.json", "--prices", batch / "prices.json",
        "--accounts", batch / "accounts.jsonl", "--published", batch / "published.jsonl", "--threads", 2,
        "--out", out, "--summary", summary)
    for threads in (1, 2):
        bulk = vmargin.verify_bulk(str(batch / "accounts.jsonl"), str(batch / "published.jsonl"),
                                   params=(batch / "risk_parameters.json").read_text(),
                                   prices=json.loads((batch / "prices.json").read_text()), threads=threads)
        check(bulk.lines == out.read_bytes(), f"verify_bulk lines differ from vmargin verify --out ({threads} threads)")
        check(vmargin.canonical_json(bulk.summary) + "\n" == summary.read_text(), "verify_bulk summary differs")
    check(len(bulk.differences) > 3 and not bulk.ok, "the batch has differences")
    try:
        vmargin.verify_bulk(str(work / "nope.jsonl"), str(out), params=docs["risk_parameters"], prices=docs["prices"])
        check(False, "a missing accounts file raises")
    except OSError as err:
        check("nope.jsonl" in str(err), f"OSError names the file: {err}")

    # Line-aligned ranges (what vmargin.dask runs per task): for files of unequal lengths, without a
    # final newline, with CRLF, empty, any number of parts concatenates to the CLI's bytes exactly.
    acc_lines = (batch / "accounts.jsonl").read_bytes().splitlines()[:9]
    pub_lines = (batch / "published.jsonl").read_bytes().splitlines()[:9]
    cases = {"shorter-published": (b"\n".join(acc_lines) + b"\n", b"\n".join(pub_lines[:6]) + b"\n"),
             "longer-published": (b"\n".join(acc_lines[:5]), b"\n".join(pub_lines) + b"\n"),
             "crlf": (b"\r\n".join(acc_lines) + b"\r\n", b"\r\n".join(pub_lines)),
             "empty-accounts": (b"", b"\n".join(pub_lines[:2]) + b"\n"),
             "blank-lines": (b"\n\n" + b"\n".join(acc_lines[:3]), b"\n\n" + b"\n".join(pub_lines[:3]))}
    params_text = (batch / "risk_parameters.json").read_text()
    prices_text = (batch / "prices.json").read_text()
    auditor = vmargin._native.Auditor.plain(params_text, prices_text)
    for name, (a_bytes, p_bytes) in cases.items():
        a_file, p_file = work / f"{name}.accounts", work / f"{name}.published"
        a_file.write_bytes(a_bytes)
        p_file.write_bytes(p_bytes)
        out_case, summary_case = work / f"{name}.out", work / f"{name}.summary"
        run(cli, "verify", "--params", batch / "risk_parameters.json", "--prices", batch / "prices.json",
            "--accounts", a_file, "--published", p_file, "--out", out_case, "--summary", summary_case)
        for parts in (1, 2, 3, 5, 50):
            ranges = vmargin._native.split_lines(str(a_file), str(p_file), parts)
            lines, total = b"", {"accounts": 0, "matches": 0, "mismatches": 0, "bad_account_lines": 0,
                                 "bad_published_lines": 0, "mismatches_by_field": {}}
            for first, ab, ae, pb, pe in ranges:
                end = vmargin._native.to_end
                got, tally = auditor.audit_range(str(a_file), ab, end if ae is None else ae, str(p_file), pb,
                                                 end if pe is None else pe, first, 1)
                lines += got
                for k in total:
                    if k != "mismatches_by_field":
                        total[k] += tally[k]
                for k, v in tally["mismatches_by_field"].items():
                    total["mismatches_by_field"][k] = total["mismatches_by_field"].get(k, 0) + v
            check(lines == out_case.read_bytes() and auditor.summary(total) == summary_case.read_text(),
                  f"{name}, {parts} parts ({len(ranges)} ranges): differs from vmargin verify")

    # The GIL is released while the engine works: during one long native call (a bulk run in
    # another thread) this thread keeps running Python at a good part of its own rate. With the
    # GIL held in C it gets about one switch interval (5 ms) per call: under 3 % here.
    import threading
    import time

    big_a, big_p = work / "big.accounts", work / "big.published"
    big_a.write_bytes((batch / "accounts.jsonl").read_bytes() * 5)
    big_p.write_bytes((batch / "published.jsonl").read_bytes() * 5)

    def spin_rate() -> float:
        n, end = 0, time.perf_counter() + 0.1
        while time.perf_counter() < end:
            n += 1
        return n / 0.1

    alone = spin_rate()
    inside, done, took = threading.Event(), threading.Event(), []

    def bulk_run() -> None:
        inside.set()
        t = time.perf_counter()
        vmargin.verify_bulk(big_a, big_p, params=(batch / "risk_parameters.json").read_text(),
                            prices=(batch / "prices.json").read_text(), threads=1)
        took.append(time.perf_counter() - t)
        done.set()

    worker = threading.Thread(target=bulk_run)
    worker.start()
    inside.wait()
    spins = 0
    while not done.is_set():
        spins += 1
        time.perf_counter()
    worker.join()
    share = spins / (alone * took[0])
    check(share > 0.12, f"this thread ran at {share:.0%} of its rate beside the native call: the GIL is held")

    # Threads: the GIL is released during evaluation, results identical.
    text = json.dumps(docs)
    with ThreadPoolExecutor(4) as pool:
        outs = list(pool.map(lambda _: vmargin.evaluate_text(text), range(64)))
    check(all(o == cli_report for o in outs), "evaluation from several threads")

    print(f"python_api_test: {'OK' if not failures else f'{failures} failures'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
