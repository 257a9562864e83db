#include "signing_commands.hpp"

#include <optional>
#include <utility>

#include "common.hpp"
#include "io.hpp"
#include "table.hpp"
#include "terminal_text.hpp"
#include "vmargin/codec/json_reader.hpp"
#include "vmargin/codec/model_codec.hpp"
#include "vmargin/signing/encoding.hpp"
#include "vmargin/signing/envelope.hpp"
#include "vmargin/signing/signed_codec.hpp"

namespace vmargin::cli {

namespace {

using codec::Json;
using namespace vmargin::signing;

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

// A string of the verification summary (ids, keys, reasons quoting them),
// escaped for the terminal.
std::string shown(const Json& text) { return terminal_safe(text.get<std::string>()); }

// Every id and detail is escaped (terminal_safe): they come from the inputs.
std::string verification_table(const Json& v) {
  std::string out = "Verified inputs\n";
  const Json& p = v["risk_parameters"];
  out += "  risk parameters  version " + std::to_string(p["version"].get<std::uint64_t>()) + ", signed by " +
         shown(p["key_id"]) + ", digest " + shown(p["digest"]).substr(0, 16) + "..., valid [" +
         std::to_string(p["valid_from"].get<std::int64_t>()) + ", " +
         std::to_string(p["valid_until"].get<std::int64_t>()) + ") ms\n";
  const Json& s = v["snapshot"];
  out += "  snapshot         " + shown(s["id"]) + " at " + std::to_string(s["as_of"].get<std::int64_t>()) +
         " ms, signed by " + shown(s["key_id"]) + "\n";
  const Json& a = v["statement"];
  out += "  statement        " + shown(a["id"]) + " at " + std::to_string(a["as_of"].get<std::int64_t>()) +
         " ms, signed by " + shown(a["key_id"]) + "\n";
  out += "Oracle prices\n";
  for (const auto& [feed, f] : v["feeds"].items()) {
    out += "  " + terminal_safe(feed) + ": mark " + shown(f["mark"]) + " (median of " +
           std::to_string(f["sources_used"].get<std::size_t>()) + " sources, quorum " +
           std::to_string(f["quorum"].get<std::uint64_t>()) + "), stable " + shown(f["stable"]) + "\n";
  }
  for (const Json& m : v["messages"]) {
    out += "    message " + std::to_string(m["index"].get<std::size_t>()) + " from " + shown(m["key_id"]) +
           (m["feed"].is_null() ? std::string() : " for " + shown(m["feed"])) +
           (m["price"].is_null() ? std::string() : " at " + shown(m["price"])) + ": " +
           (m["status"] == "used" ? std::string("used")
                                  : "dropped (" + shown(m["reason"]) + ": " + shown(m["detail"]) + ")") +
           "\n";
  }
  return out + "\n";
}

}  // namespace

int run_keygen(const Options& o) {
  KeyPair pair;
  if (o.seed) {
    const Result<std::string> bytes = decode_hex(*o.seed, "/seed", 32);
    if (!bytes.ok()) return report_failure(CliFailure::rejected(bytes.error()), "table");
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

namespace {

CliResult<std::string> signed_envelope(const Options& o) {
  const std::optional<Role> role = role_from_name(*o.role);
  if (!role) return CliFailure::usage("unknown role " + *o.role);
  DocumentType type = DocumentType::risk_parameters;
  // The first type of the role (oracle: prices; --type option_expiry/v1 for option data).
  for (const DocumentType t : {DocumentType::statement, DocumentType::snapshot, DocumentType::oracle_price,
                               DocumentType::risk_parameters}) {
    if (signer_role(t) == *role) type = t;
  }
  if (o.type) {
    const std::optional<DocumentType> named = type_from_name(*o.type);
    if (!named || signer_role(*named) != *role)
      return CliFailure::usage("--type " + *o.type + " is not a document type the role " + *o.role +
                               " signs");
    type = *named;
  }
  VMARGIN_TRY(const std::string key_text, read_file(*o.key, "/key"));
  VMARGIN_TRY(const SecretKey key, read_key_file(key_text));
  VMARGIN_TRY(const std::string payload, read_file(o.files.at(0), ""));
  return encode_envelope(sign_envelope(type, *o.key_id, payload, key));
}

// What inspect shows, and whether the signature verified (a rejected input otherwise).
struct Inspection {
  Json out;
  Envelope envelope;
  Status verified = Ok{};
};

CliResult<Inspection> inspect(const Options& o) {
  VMARGIN_TRY(const std::string text, read_file(o.files.at(0), ""));
  VMARGIN_TRY(Envelope e, decode_envelope(text, ""));
  Json out{{"type", std::string(type_name(e.type))},
           {"key_id", e.key_id},
           {"payload_bytes", e.payload.size()},
           {"digest", encode_hex(as_bytes(digest(e.payload)))}};
  // The payload as a document when it is one (strictly: bytes after a NUL
  // are not dropped), else as its exact text.
  const Result<Json> payload = codec::parse_strict_json(e.payload, "/payload");
  out["payload"] = payload.ok() ? *payload : Json(e.payload);
  Status verified = Ok{};
  if (o.trust) {
    VMARGIN_TRY(const std::string trust_text, read_file(*o.trust, "/trust"));
    VMARGIN_TRY(const TrustStore trust, decode_trust_store(trust_text));
    const Result<VerifiedEnvelope> v = verify_envelope(e, e.type, trust, "");
    verified = v.ok() ? Status(Ok{}) : Status(v.error());
    out["signature"] = v.ok() ? Json("valid: key \"" + e.key_id + "\" with the role " +
                                     std::string(role_name(signer_role(e.type))))
                              : codec::encode_error(v.error())["error"];
  } else {
    out["signature"] = "not checked (no --trust)";
  }
  return Inspection{std::move(out), std::move(e), std::move(verified)};
}

}  // namespace

int run_sign(const Options& o) {
  const CliResult<std::string> envelope = signed_envelope(o);
  if (!envelope.ok()) return report_failure(envelope.error(), "table");
  print(*envelope);
  return exit_ok;
}

int run_inspect(const Options& o) {
  const std::string format = o.output_format();
  const CliResult<Inspection> r = inspect(o);
  if (!r.ok()) return report_failure(r.error(), format);
  const Json& out = r->out;
  const Envelope& e = r->envelope;
  if (format == "json") {
    print(codec::canonical_dump(out) + "\n");
  } else {
    // The key id and messages are escaped; the payload is printed as JSON
    // with every control and non-ASCII character escaped by the writer.
    print("type       " + out["type"].get<std::string>() + "\nkey id     " + terminal_safe(e.key_id) +
          "\nsignature  " +
          terminal_safe(out["signature"].is_string() ? out["signature"].get<std::string>()
                                                     : r->verified.error().to_string()) +
          "\ndigest     " + out["digest"].get<std::string>() + " (BLAKE2b-256 of the payload)\npayload    " +
          std::to_string(e.payload.size()) + " bytes:\n" +
          out["payload"].dump(2, ' ', true, Json::error_handler_t::replace) + "\n");
  }
  return r->verified.ok() ? exit_ok : exit_rejected;
}

namespace {

CliResult<SignedEvaluation> verify_and_evaluate(const Options& o) {
  for (const auto& [given, name] : {std::pair{&o.params, "params"}, std::pair{&o.snapshot, "snapshot"},
                                    std::pair{&o.statement, "statement"}}) {
    if (!*given) return CliFailure::usage(std::string("missing --") + name);
  }
  VMARGIN_TRY(const std::string trust, read_file(*o.trust, "/trust"));
  VMARGIN_TRY(const std::string params, read_file(*o.params, "/params"));
  VMARGIN_TRY(const std::string snapshot, read_file(*o.snapshot, "/snapshot"));
  VMARGIN_TRY(const std::string statement, read_file(*o.statement, "/statement"));
  VMARGIN_TRY(const std::string state, read_state_file(o.state));
  return signing::verify_and_evaluate(trust, state, params, snapshot, statement);
}

}  // namespace

int run_signed_eval(const Options& o) {
  const std::string format = o.output_format();
  // --save-state: its lock is held from reading --state to writing the next
  // state, so concurrent runs verify one after the other, each against the
  // state the previous one saved (a replay is not accepted twice).
  std::optional<FileLock> lock;
  if (o.save_state) {
    const CliResult<std::monostate> replaceable = check_replaceable(*o.save_state);
    if (!replaceable.ok()) return report_failure(replaceable.error(), format);
    CliResult<FileLock> acquired = FileLock::acquire(*o.save_state);
    if (!acquired.ok()) return report_failure(acquired.error(), format);
    lock.emplace(std::move(acquired).value());
  }
  const CliResult<SignedEvaluation> e = verify_and_evaluate(o);
  if (!e.ok()) return report_failure(e.error(), format);
  if (o.save_state) {
    const auto written = replace_file(
        *o.save_state, codec::canonical_dump(encode_acceptance_state(e->inputs.next_state())) + "\n");
    if (!written.ok()) return report_failure(written.error(), format);
  }
  if (format == "json") {
    print(evaluation_text(*e) + "\n");
  } else {
    print(verification_table(encode_verification(e->inputs.summary())) +
          render_report_table(e->report, e->inputs.signed_parameters().risk.version, stdout_is_terminal()));
  }
  return exit_ok;
}

}  // namespace vmargin::cli
