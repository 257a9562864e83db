#include "cli_app.hpp"

#include <string>

namespace vmargin::cli {
namespace {

constexpr const char* main_footer = R"(
Run "vmargin help <command>" or "vmargin <command> --help" for a command's options.

Exit codes: 0 success, 2 usage error, 3 file not readable or writable,
4 input rejected (the message names the error code, the JSON path and why),
5 verify found differences or bad lines.
)";

constexpr const char* eval_footer = R"(
Forms:
  vmargin eval --params FILE --prices FILE --account FILE [--shock FEED=X]... [--scenario FILE]
  vmargin eval --input FILE
  vmargin eval --trust TRUST --params FILE --snapshot FILE --statement FILE [--state FILE] [--save-state FILE]

Evaluates one account under the exchange's risk parameters at the given
prices and prints the report (docs/spec.md): pools, positions with their
liquidation and bankruptcy prices, collateral, partial-liquidation plans.

With --trust, the inputs are signed documents, verified first: the risk
parameters (signed by a parameters key), the snapshot bundle of oracle
messages (signed by a snapshot key) and the account statement (signed by a
statement key), each against the trust store; the marks are aggregated from
the oracle messages by the parameters' oracle rules (docs/formats.md).
Nothing unverified reaches the engine. --format json then prints
{"report", "verification", "state"}.

--state FILE is what was accepted before; an empty or cut-short state file
is an error (leave --state out to accept from scratch). --save-state FILE
replaces FILE with the next state atomically (a temporary file beside it,
fsync, rename), holding an flock on FILE.lock from reading --state to the
write, so concurrent runs on one state verify one after the other.

On a rejected input, the error goes to standard error as
"[vmargin.<code>] <JSON path>: <message>" and, with --format json, to
standard output as {"error": {"code", "path", "message"}}; exit code 4.
)";

constexpr const char* max_order_footer = R"(
Forms:
  vmargin max-order --params FILE --prices FILE --account FILE --market MARKET --side buy|sell
                    [--price P] [--shock FEED=X]... [--scenario FILE]
  vmargin max-order --input FILE

The largest order in MARKET on SIDE (lot-rounded) after which the pool the
order lands in still meets its initial requirement (docs/spec.md section 9).
Orders that only reduce an existing position always pass. --input takes
everything in one document: {"risk_parameters", "prices", "account",
"scenario" (optional), "query": {"market", "side", "price" (optional)}}.
)";

constexpr const char* verify_footer = R"(
Forms:
  one account, plain inputs:
    vmargin verify --published REPORT (--input FILE | --params F --prices F --account F)
  one account, signed inputs (verified first, as eval --trust):
    vmargin verify --published REPORT --trust F --params F --snapshot F --statement F [--state F]
  bulk, JSON Lines (line N of --published is the report for line N of --accounts):
    vmargin verify --accounts ACCOUNTS.jsonl --published RESULTS.jsonl
                   (--params F --prices F | --trust F --params F --snapshot F [--state F])
                   [--threads N] [--out FILE] [--summary FILE] [--no-progress]

Recomputes each account's report and compares every field, exactly, with the
exchange's published report: a field that differs, is missing from the
published results or is extra there is a difference, named by its JSON path
with both values and the inputs used (risk parameters version, as_of,
snapshot id). Bulk output (--out, default standard output), one line each:
{"line", "account", "match": false, "differences", "inputs"} or
{"line", "account", "source": "accounts"|"published", "error"}. A line is at
most 16 MiB: a longer one is a bad line (input_too_large), read through, not
held. --out and --summary may not name an input file (nor each other): that
is refused before anything is written (exit 2).

Exit codes: 0 every account matches; 5 differences or bad lines were found;
2 usage; 3 a file could not be read or written; 4 the parameters, prices or
signed inputs were rejected.
)";

constexpr const char* watch_footer = R"(
  plain inputs:   vmargin watch --params RISK.json --accounts ACCOUNTS.jsonl [--stream LINES]
  signed inputs:  vmargin watch --trust F --params SIGNED --accounts STATEMENTS.jsonl [--stream LINES]
                                [--state F] [--save-state F]
  [--events FILE] [--metrics FILE] [--insurance-fund AMOUNT] [--shard K/N]
  [--nats URL [--stream-subject SUBJECT] [--events-subject SUBJECT]]

Loads the accounts (one per line: account documents, or signed statements
with --trust), then reads the stream (default standard input) one line at a
time: new prices ({"prices": {...}}, or a signed snapshot envelope) or an
account update ({"account": {...}}, or a statement envelope). The first
prices evaluate every account; each later line re-evaluates exactly the
accounts whose inputs it changed. Events go to --events (default standard
output) as JSON Lines, docs/formats.md section 10: "status" (a pool's status
changed; with the liquidation plan when it became liquidatable or bankrupt
and the insurance-fund draw when bankrupt), "account_error", "adl" (while
the shortfall exceeds --insurance-fund), "rejected" (a bad line: nothing
changed), and one "system" line per accepted line. --save-state rewrites the
acceptance state atomically after each accepted snapshot: the checkpoint to
restart from. Metrics (latency per line, accounts re-evaluated) go to
standard error and --metrics. Several watches share an exchange with
--shard K/N (each keeps the accounts whose id hashes to K) and one stream:
with --nats, every shard subscribes to the same --stream-subject (not a
queue group: every shard needs every snapshot) and may publish its events
to --events-subject.

Exit codes: 0 the stream ended (rejected lines are events, not failures);
2 usage; 3 a file could not be read or written; 4 the parameters, trust
store or state were rejected.
)";

constexpr const char* keygen_footer = R"(
Prints a new Ed25519 key pair as JSON: {"public_key": <64 hex digits>,
"secret_key": <128 hex digits>}. Keep the secret key secret; put the public
key in the verifiers' trust stores (docs/formats.md).
)";

constexpr const char* sign_footer = R"(
Signs the exact bytes of FILE and prints the signed envelope (canonical JSON,
no trailing newline; redirect it to a file). ROLE names the document type:
  parameters  risk_parameters/v1   (payload: docs/formats.md section 4)
  oracle      oracle_price/v1      (section 5; --type option_expiry/v1: section 5.1)
  snapshot    snapshot/v1          (section 6)
  statement   statement/v1         (section 7)
)";

constexpr const char* inspect_footer = R"(
Shows what a signed envelope contains: its document type, key id, payload
(pretty-printed when it is JSON) and BLAKE2b-256 digest; with --trust, also
whether its signature verifies against that trust store and the key's role.
Exit code 4 when the envelope is malformed or does not verify.
)";

constexpr const char* format_help =
    "json: the canonical output (one line, sorted keys, decimals as strings); table: readable. "
    "Default: table on a terminal, json otherwise";

CLI::Option* file_option(CLI::App* c, const std::string& name, OptionalPath& target,
                         const std::string& help) {
  return c->add_option(name, target, help)->type_name("FILE");
}

CLI::Option* format_option(CLI::App* c, Options& o) {
  return c->add_option("--format", o.format, format_help)
      ->type_name("json|table")
      ->check(CLI::IsMember({"json", "table"}));
}

CLI::Option* shock_option(CLI::App* c, Options& o) {
  return c
      ->add_option("--shock", o.shocks,
                   "what-if: move FEED's mark and stable price by X, e.g. "
                   "BTC-USD=-10% or BTC-USD=-0.1 (repeatable)")
      ->type_name("FEED=X")
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}

void excludes_all(CLI::Option* option, std::initializer_list<CLI::Option*> others) {
  for (CLI::Option* other : others) option->excludes(other);
}

void add_eval(CLI::App& app, Options& o) {
  CLI::App* c = app.add_subcommand(
      "eval",
      "evaluate an account: equity, requirements, ratio, status, liquidation and bankruptcy "
      "prices, partial-liquidation plans; optionally under a what-if scenario");
  c->footer(eval_footer);
  CLI::Option* params =
      file_option(c, "--params", o.params, "risk parameters document (JSON; signed with --trust)");
  CLI::Option* prices = file_option(c, "--prices", o.prices, "prices document (JSON)");
  CLI::Option* account = file_option(c, "--account", o.account, "account document (JSON)");
  CLI::Option* input = file_option(c, "--input", o.input,
                                   "the documents in one: {\"risk_parameters\", \"prices\", \"account\", "
                                   "\"scenario\" (optional)} (\"-\": standard input)");
  CLI::Option* shock = shock_option(c, o);
  CLI::Option* scenario = file_option(c, "--scenario", o.scenario,
                                      "what-if: a scenario document (shocks, collateral changes, "
                                      "hypothetical orders; docs/spec.md section 9)");
  format_option(c, o);
  const std::string signed_group = "Signed inputs (with --trust)";
  CLI::Option* trust =
      file_option(c, "--trust", o.trust, "trust store: key ids, public keys, roles")->group(signed_group);
  CLI::Option* snapshot = file_option(c, "--snapshot", o.snapshot, "signed snapshot bundle (snapshot/v1)");
  CLI::Option* statement =
      file_option(c, "--statement", o.statement, "signed account statement (statement/v1)");
  CLI::Option* state = file_option(c, "--state", o.state,
                                   "what was accepted before (rollback, equivocation and freshness checks); "
                                   "not empty; default (no --state): nothing accepted yet");
  CLI::Option* save = file_option(c, "--save-state", o.save_state,
                                  "write the state after this verification (atomically; locks FILE.lock)");
  for (CLI::Option* s : {snapshot, statement, state, save}) s->group(signed_group)->needs(trust);
  excludes_all(input, {params, prices, account, shock, scenario, trust});
  excludes_all(trust, {prices, account, shock, scenario});
}

void add_max_order(CLI::App& app, Options& o) {
  CLI::App* c = app.add_subcommand("max-order", "the largest order that still meets the initial requirement");
  c->footer(max_order_footer);
  CLI::Option* params = file_option(c, "--params", o.params, "risk parameters document (JSON)");
  CLI::Option* prices = file_option(c, "--prices", o.prices, "prices document (JSON)");
  CLI::Option* account = file_option(c, "--account", o.account, "account document (JSON)");
  CLI::Option* input = file_option(c, "--input", o.input, "everything in one document (see below)");
  CLI::Option* market = c->add_option("--market", o.market, "the market to trade")->type_name("MARKET");
  CLI::Option* side = c->add_option("--side", o.side, "the order's side")
                          ->type_name("buy|sell")
                          ->check(CLI::IsMember({"buy", "sell"}));
  CLI::Option* price = c->add_option("--price", o.price, "fill price (default: the mark)")->type_name("P");
  CLI::Option* shock = shock_option(c, o);
  CLI::Option* scenario =
      file_option(c, "--scenario", o.scenario, "evaluate after a scenario (see eval --help)");
  format_option(c, o);
  excludes_all(input, {params, prices, account, market, side, price, shock, scenario});
}

void add_verify(CLI::App& app, Options& o) {
  CLI::App* c =
      app.add_subcommand("verify",
                         "compare the exchange's published results with recomputed reports: one account, or "
                         "millions from JSON Lines in bulk");
  c->footer(verify_footer);
  file_option(c, "--published", o.published, "the exchange's report (one account), or JSON Lines of reports")
      ->required();
  CLI::Option* accounts = file_option(c, "--accounts", o.accounts, "JSON Lines of account documents (bulk)");
  CLI::Option* input = file_option(c, "--input", o.input, "one account: the documents in one");
  CLI::Option* params = file_option(c, "--params", o.params, "risk parameters (signed with --trust)");
  CLI::Option* prices = file_option(c, "--prices", o.prices, "prices document (JSON)");
  CLI::Option* account = file_option(c, "--account", o.account, "one account: the account document");
  CLI::Option* trust =
      file_option(c, "--trust", o.trust, "trust store: the inputs are signed, verified first");
  file_option(c, "--snapshot", o.snapshot, "signed snapshot bundle")->needs(trust);
  CLI::Option* statement =
      file_option(c, "--statement", o.statement, "one account: signed statement")->needs(trust);
  file_option(c, "--state", o.state, "what was accepted before (signed inputs)")->needs(trust);
  const std::string bulk = "Bulk (with --accounts)";
  c->add_option("--threads", o.threads, "worker threads (default: all cores)")
      ->type_name("N")
      ->check(CLI::Range(1U, 1024U))
      ->group(bulk)
      ->needs(accounts);
  file_option(c, "--out", o.out,
              "where differences and bad lines go, as JSON Lines (default: standard output)")
      ->group(bulk)
      ->needs(accounts);
  file_option(c, "--summary", o.summary, "also write the summary as JSON")->group(bulk)->needs(accounts);
  c->add_flag("--no-progress", o.no_progress, "no progress line on standard error (shown only on a terminal)")
      ->group(bulk);
  CLI::Option* format = format_option(c, o)->description("one account: json (the comparison) or table");
  excludes_all(accounts, {input, account, statement, format});
  excludes_all(input, {params, prices, account, trust});
  excludes_all(trust, {prices, account});
}

void add_watch(CLI::App& app, Options& o) {
  CLI::App* c = app.add_subcommand(
      "watch",
      "revalue every account of an exchange on every snapshot of a stream, with the events that matter");
  c->footer(watch_footer);
  file_option(c, "--params", o.params, "risk parameters (signed with --trust)")->required();
  file_option(c, "--accounts", o.accounts, "JSON Lines: account documents (statements with --trust)")
      ->required();
  CLI::Option* trust = file_option(c, "--trust", o.trust, "trust store: every input is signed and verified");
  file_option(c, "--state", o.state, "what was accepted before (signed inputs)")->needs(trust);
  file_option(c, "--save-state", o.save_state, "the acceptance state after each accepted snapshot")
      ->needs(trust);
  CLI::Option* stream = file_option(c, "--stream", o.stream,
                                    "JSON Lines of prices and account updates (default: standard input)");
  file_option(c, "--events", o.events, "where events go (default: standard output)");
  file_option(c, "--metrics", o.metrics, "also write the metrics as JSON");
  c->add_option("--insurance-fund", o.insurance_fund, "the insurance fund's balance (default 0)")
      ->type_name("AMOUNT");
  c->add_option("--shard", o.shard, "keep only the accounts of shard K of N (FNV-1a of the id, mod N)")
      ->type_name("K/N");
  const std::string nats = "NATS";
  CLI::Option* url =
      c->add_option("--nats", o.nats, "a NATS server (nats://127.0.0.1:4222)")->type_name("URL")->group(nats);
  CLI::Option* in = c->add_option("--stream-subject", o.stream_subject,
                                  "read the stream from this subject (an empty message ends it)")
                        ->type_name("SUBJECT")
                        ->group(nats)
                        ->needs(url);
  c->add_option("--events-subject", o.events_subject, "publish each event as a message on this subject")
      ->type_name("SUBJECT")
      ->group(nats)
      ->needs(url);
  in->excludes(stream);
}

void add_signing(CLI::App& app, Options& o) {
  CLI::App* keygen = app.add_subcommand("keygen", "make an Ed25519 key pair (from a seed, or random)");
  keygen->footer(keygen_footer);
  keygen
      ->add_option("--seed", o.seed,
                   "derive the key pair from a 32-byte seed: deterministic, for fixtures "
                   "and tests. Default: random")
      ->type_name("HEX");

  CLI::App* sign = app.add_subcommand("sign", "sign a document: a signed envelope of its exact bytes");
  sign->footer(sign_footer);
  sign->add_option("--role", o.role, "the document type")
      ->type_name("ROLE")
      ->required()
      ->check(CLI::IsMember({"parameters", "oracle", "snapshot", "statement"}));
  sign->add_option("--type", o.type, "the document type when the role signs several (option_expiry/v1)")
      ->type_name("TYPE");
  sign->add_option("--key", o.key, "a key file from vmargin keygen")->type_name("KEYFILE")->required();
  sign->add_option("--key-id", o.key_id, "the id the verifiers' trust store gives this key")
      ->type_name("ID")
      ->required();
  sign->add_option("FILE", o.files, "the document to sign")->required()->expected(1);

  CLI::App* inspect =
      app.add_subcommand("inspect", "show what a signed document holds and whether it verifies");
  inspect->footer(inspect_footer);
  inspect->add_option("FILE", o.files, "the signed document")->required()->expected(1);
  file_option(inspect, "--trust", o.trust, "check the signature against this trust store");
  format_option(inspect, o);
}

}  // namespace

void build_command_line(CLI::App& app, Options& options) {
  app.name("vmargin");
  app.footer(main_footer);
  app.set_help_flag("-h,--help", "show this help");
  app.add_flag("--version", options.version, "print the version");
  add_eval(app, options);
  add_max_order(app, options);
  add_verify(app, options);
  add_watch(app, options);
  add_signing(app, options);
  app.add_subcommand("version", "print the version");
  // Listed in the overview; main.cpp answers it before parsing.
  app.add_subcommand("help", "show help for a command (vmargin help eval)")->allow_extras();
}

}  // namespace vmargin::cli
