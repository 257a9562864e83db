#include "signing_commands.hpp"

#include <fstream>

#include "args.hpp"
#include "common.hpp"
#include "io.hpp"
#include "table.hpp"
#include "vmargin/codec/json_reader.hpp"
#include "vmargin/signing/encoding.hpp"
#include "vmargin/signing/envelope.hpp"
#include "vmargin/signing/signed_codec.hpp"

namespace vmargin::cli {

namespace {

using codec::Json;
using namespace vmargin::signing;

constexpr const char* keygen_help = R"(Usage: vmargin keygen [--seed HEX]

Prints a new Ed25519 key pair as JSON: {"public_key": <64 hex digits>,
"secret_key": <128 hex digits>}. Keep the secret key secret; put the public
key in the verifiers' trust stores (docs/formats.md).

Options:
  --seed HEX   derive the key pair from a 32-byte seed (64 hex digits):
               deterministic, for fixtures and tests. Default: random.
)";

constexpr const char* sign_help = R"(Usage: vmargin sign --role ROLE --key KEYFILE --key-id ID FILE

Signs the exact bytes of FILE and prints the signed envelope (canonical JSON,
no trailing newline; redirect it to a file). ROLE names the document type:
  parameters  risk_parameters/v1   (payload: docs/formats.md section 4)
  oracle      oracle_price/v1      (section 5)
  snapshot    snapshot/v1          (section 6)
  statement   statement/v1         (section 7)

Options:
  --role ROLE     parameters, oracle, snapshot or statement
  --key KEYFILE   a key file from vmargin keygen
  --key-id ID     the id the verifiers' trust store gives this key
)";

constexpr const char* inspect_help = R"(Usage: vmargin inspect FILE [--trust TRUST] [--format json|table]

Shows what a signed envelope contains: its document type, key id, payload
(pretty-printed when it is JSON) and BLAKE2b-256 digest; with --trust, also
whether its signature verifies against that trust store and the key's role.
Exit code 4 when the envelope is malformed or does not verify.
)";

constexpr const char* signed_eval_help =
    R"(Usage: vmargin eval --trust TRUST --params FILE --snapshot FILE --statement FILE
                    [--state FILE] [--save-state FILE] [--format json|table]

Verifies signed inputs, then evaluates: the risk parameters (signed by a
parameters key), the snapshot bundle of oracle messages (signed by a
snapshot key) and the account statement (signed by a statement key), each
against the trust store; the marks are aggregated from the oracle messages
by the parameters' oracle rules (docs/formats.md). Nothing unverified
reaches the engine.

Options:
  --trust FILE        trust store: key ids, public keys, roles
  --params FILE       signed risk parameters (risk_parameters/v1 envelope)
  --snapshot FILE     signed snapshot bundle (snapshot/v1)
  --statement FILE    signed account statement (statement/v1)
  --state FILE        what was accepted before (rollback, equivocation and
                      freshness checks); default: nothing accepted yet
  --save-state FILE   write the state after this verification
  --format F          json: {"report", "verification", "state"}; table
)";

Result<SecretKey> read_key_file(const std::string& text) {
  VMARGIN_TRY(const Json doc, codec::parse_strict_json(text, "/key"));
  VMARGIN_TRY(codec::ObjectReader r, codec::ObjectReader::open(doc, "/key", "a key file"));
  VMARGIN_TRY(const std::string pk, r.string("public_key"));
  VMARGIN_TRY(const std::string sk, r.string("secret_key"));
  VMARGIN_CHECK(r.finish());
  VMARGIN_TRY(const std::string pk_bytes, decode_hex(pk, "/key/public_key", 32));
  VMARGIN_TRY(const std::string sk_bytes, decode_hex(sk, "/key/secret_key", 64));
  if (sk_bytes.substr(32) != pk_bytes)
    return Error(ErrorCode::invalid_value, "the secret key does not belong to the public key",
                 "/key/secret_key");
  SecretKey key;
  std::copy(sk_bytes.begin(), sk_bytes.end(), key.bytes.begin());
  return key;
}

std::string format_of(const Args& args) {
  return args.get("format").value_or(stdout_is_terminal() ? "table" : "json");
}

std::string verification_table(const Json& v) {
  std::string out = "Verified inputs\n";
  const Json& p = v["risk_parameters"];
  out += "  risk parameters  version " + std::to_string(p["version"].get<std::uint64_t>()) + ", signed by " +
         p["key_id"].get<std::string>() + ", digest " + p["digest"].get<std::string>().substr(0, 16) +
         "..., valid [" + std::to_string(p["valid_from"].get<std::int64_t>()) + ", " +
         std::to_string(p["valid_until"].get<std::int64_t>()) + ") ms\n";
  const Json& s = v["snapshot"];
  out += "  snapshot         " + s["id"].get<std::string>() + " at " +
         std::to_string(s["as_of"].get<std::int64_t>()) + " ms, signed by " + s["key_id"].get<std::string>() +
         "\n";
  const Json& a = v["statement"];
  out += "  statement        " + a["id"].get<std::string>() + " at " +
         std::to_string(a["as_of"].get<std::int64_t>()) + " ms, signed by " + a["key_id"].get<std::string>() +
         "\n";
  out += "Oracle prices\n";
  for (const auto& [feed, f] : v["feeds"].items()) {
    out += "  " + feed + ": mark " + f["mark"].get<std::string>() + " (median of " +
           std::to_string(f["sources_used"].get<std::size_t>()) + " sources, quorum " +
           std::to_string(f["quorum"].get<std::uint64_t>()) + "), stable " + f["stable"].get<std::string>() +
           "\n";
  }
  for (const Json& m : v["messages"]) {
    out += "    message " + std::to_string(m["index"].get<std::size_t>()) + " from " +
           m["key_id"].get<std::string>() +
           (m["feed"].is_null() ? std::string() : " for " + m["feed"].get<std::string>()) +
           (m["price"].is_null() ? std::string() : " at " + m["price"].get<std::string>()) + ": " +
           (m["status"] == "used" ? std::string("used")
                                  : "dropped (" + m["reason"].get<std::string>() + ": " +
                                        m["detail"].get<std::string>() + ")") +
           "\n";
  }
  return out + "\n";
}

}  // namespace

const char* signing_help(const std::string& command) {
  if (command == "keygen") return keygen_help;
  if (command == "sign") return sign_help;
  return inspect_help;
}

int run_keygen(const std::vector<std::string>& argv) {
  std::string error;
  const auto args = Args::parse(argv, 2, {{"seed"}, {"help", false}}, error);
  if (!args) return usage_error(error, keygen_help);
  if (args->has("help")) return print(keygen_help), exit_ok;
  if (!args->positional().empty())
    return usage_error("unexpected argument " + args->positional()[0], keygen_help);
  KeyPair pair;
  if (const auto seed = args->get("seed")) {
    const Result<std::string> bytes = decode_hex(*seed, "/seed", 32);
    if (!bytes.ok()) return report_error(bytes.error(), "table");
    Seed s{};
    std::copy(bytes->begin(), bytes->end(), s.begin());
    pair = keypair_from_seed(s);
  } else {
    pair = random_keypair();
  }
  print(codec::canonical_dump(Json{{"public_key", encode_hex(as_bytes(pair.public_key))},
                                   {"secret_key", encode_hex(as_bytes(pair.secret_key.bytes))}}) +
        "\n");
  return exit_ok;
}

int run_sign(const std::vector<std::string>& argv) {
  std::string error;
  const auto args = Args::parse(argv, 2, {{"role"}, {"key"}, {"key-id"}, {"help", false}}, error);
  if (!args) return usage_error(error, sign_help);
  if (args->has("help")) return print(sign_help), exit_ok;
  for (const char* name : {"role", "key", "key-id"}) {
    if (!args->has(name)) return usage_error(std::string("missing --") + name, sign_help);
  }
  if (args->positional().size() != 1) return usage_error("give exactly one FILE to sign", sign_help);
  const std::optional<Role> role = role_from_name(*args->get("role"));
  if (!role) return usage_error("unknown role " + *args->get("role"), sign_help);
  DocumentType type = DocumentType::risk_parameters;
  for (const DocumentType t : {DocumentType::risk_parameters, DocumentType::oracle_price,
                               DocumentType::snapshot, DocumentType::statement}) {
    if (signer_role(t) == *role) type = t;
  }
  const auto key_text = read_file(*args->get("key"), error);
  if (!key_text) return io_error(error);
  const Result<SecretKey> key = read_key_file(*key_text);
  if (!key.ok()) return report_error(key.error(), "table");
  const auto payload = read_file(args->positional()[0], error);
  if (!payload) return io_error(error);
  print(encode_envelope(sign_envelope(type, *args->get("key-id"), *payload, *key)));
  return exit_ok;
}

int run_inspect(const std::vector<std::string>& argv) {
  std::string error;
  const auto args = Args::parse(argv, 2, {{"trust"}, {"format"}, {"help", false}}, error);
  if (!args) return usage_error(error, inspect_help);
  if (args->has("help")) return print(inspect_help), exit_ok;
  if (args->positional().size() != 1) return usage_error("give exactly one FILE to inspect", inspect_help);
  const std::string format = format_of(*args);
  const auto text = read_file(args->positional()[0], error);
  if (!text) return io_error(error);
  const Result<Envelope> e = decode_envelope(*text, "");
  if (!e.ok()) return report_error(e.error(), format);
  Json out{{"type", std::string(type_name(e->type))},
           {"key_id", e->key_id},
           {"payload_bytes", e->payload.size()},
           {"digest", encode_hex(as_bytes(digest(e->payload)))}};
  const Json payload = Json::parse(e->payload, nullptr, false);
  out["payload"] = payload.is_discarded() ? Json(e->payload) : payload;
  Status verified = Ok{};
  if (const auto trust_file = args->get("trust")) {
    const auto trust_text = read_file(*trust_file, error);
    if (!trust_text) return io_error(error);
    const Result<TrustStore> trust = decode_trust_store(*trust_text);
    if (!trust.ok()) return report_error(trust.error(), format);
    const Result<VerifiedEnvelope> v = verify_envelope(*e, e->type, *trust, "");
    verified = v.ok() ? Status(Ok{}) : Status(v.error());
    out["signature"] = v.ok() ? Json("valid: key \"" + e->key_id + "\" with the role " +
                                     std::string(role_name(signer_role(e->type))))
                              : codec::encode_error(v.error())["error"];
  } else {
    out["signature"] = "not checked (no --trust)";
  }
  if (format == "json") {
    print(codec::canonical_dump(out) + "\n");
  } else {
    print(
        "type       " + out["type"].get<std::string>() + "\nkey id     " + e->key_id + "\nsignature  " +
        (out["signature"].is_string() ? out["signature"].get<std::string>() : verified.error().to_string()) +
        "\ndigest     " + out["digest"].get<std::string>() + " (BLAKE2b-256 of the payload)\npayload    " +
        std::to_string(e->payload.size()) + " bytes:\n" + out["payload"].dump(2) + "\n");
  }
  return verified.ok() ? exit_ok : exit_rejected;
}

int run_signed_eval(const std::vector<std::string>& argv) {
  std::string error;
  const auto args = Args::parse(argv, 2,
                                {{"trust"},
                                 {"params"},
                                 {"snapshot"},
                                 {"statement"},
                                 {"state"},
                                 {"save-state"},
                                 {"format"},
                                 {"help", false}},
                                error);
  if (!args) return usage_error(error, signed_eval_help);
  if (args->has("help")) return print(signed_eval_help), exit_ok;
  if (!args->positional().empty())
    return usage_error("unexpected argument " + args->positional()[0], signed_eval_help);
  const std::string format = format_of(*args);
  if (format != "json" && format != "table")
    return usage_error("--format must be json or table, not " + format, signed_eval_help);
  std::vector<std::string> texts;
  for (const char* name : {"trust", "params", "snapshot", "statement"}) {
    const auto path = args->get(name);
    if (!path) return usage_error(std::string("missing --") + name, signed_eval_help);
    auto text = read_file(*path, error);
    if (!text) return io_error(error);
    texts.push_back(std::move(*text));
  }
  std::string state;
  if (const auto path = args->get("state")) {
    auto text = read_file(*path, error);
    if (!text) return io_error(error);
    state = std::move(*text);
  }
  const Result<std::string> out = verify_and_evaluate_json(texts[0], state, texts[1], texts[2], texts[3]);
  if (!out.ok()) return report_error(out.error(), format);
  const Json doc = Json::parse(*out);
  if (const auto path = args->get("save-state")) {
    std::ofstream f(*path, std::ios::binary);
    f << codec::canonical_dump(doc["state"]) << "\n";
    if (!f.good()) return io_error("cannot write " + *path);
  }
  if (format == "json") {
    print(*out + "\n");
  } else {
    print(verification_table(doc["verification"]) + render_report_table(doc["report"], stdout_is_terminal()));
  }
  return exit_ok;
}

}  // namespace vmargin::cli
