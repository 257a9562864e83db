// Signed inputs to an evaluation (docs/formats.md §4-§8): risk parameters
// with oracle rules, a snapshot bundle of oracle messages, an account
// statement. Each verified type below can only be made by its verifier, and
// the signed path's evaluations take them: unverified prices cannot reach it.
//
//   verify_inputs()      the three documents at once (CLI eval --trust, wasm verifyEvaluate)
//   verify_parameters()  then verify_snapshot() per tick, and verify_statement() once
//                        (sessions, bulk verification: parameters verified once)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "vmargin/engine/engine.hpp"
#include "vmargin/market/option_data.hpp"
#include "vmargin/market/oracle_quorum.hpp"
#include "vmargin/market/oracle_rules.hpp"
#include "vmargin/signing/envelope.hpp"
#include "vmargin/signing/trust_store.hpp"

namespace vmargin::signing {

/// How a feed's mark is derived from its sources' messages (§5): the pure
/// rules of vmargin::core (vmargin/market/), whose source keys are PublicKeys.
using OracleRules = market::OracleRules;
static_assert(std::is_same_v<market::SourceKey, PublicKey>);

/// The risk parameters document's payload.
struct SignedParameters {
  RiskParameters risk;
  std::int64_t valid_from_ms = 0;  ///< evaluation times in [valid_from, valid_until)
  std::int64_t valid_until_ms = 0;
  std::vector<OracleRules> oracles;  ///< sorted by feed
  /// Who may publish option market data, per feed (§4); sorted by feed.
  std::vector<market::OptionDataRules> option_data;

  [[nodiscard]] const OracleRules* find_oracle(std::string_view feed) const noexcept;
  [[nodiscard]] const market::OptionDataRules* find_option_data(std::string_view feed) const noexcept;
};

/// What the verifier accepted before: it refuses older parameters, other
/// bytes under an accepted version, and oracle messages that are not fresher
/// than the last one used from the same source for the same feed.
struct AcceptanceState {
  struct Parameters {
    std::uint64_t version = 0;
    Digest digest{};  ///< BLAKE2b-256 of the payload bytes
  };
  /// (key, feed, sequence, publish time): the replay state of the aggregation.
  using Source = market::SourceState;
  std::optional<Parameters> parameters;
  std::vector<Source> sources;  ///< sorted by (key, feed), unique
  /// (key, feed, expiry, sequence, publish time) of option messages (§6.2).
  using OptionSource = market::OptionSourceState;
  std::vector<OptionSource> option_sources;  ///< sorted by (key, feed, expiry), unique

  [[nodiscard]] const Source* find(const PublicKey& key, std::string_view feed) const noexcept;
};

/// The authentication reasons (signing's), then the rules' reasons
/// (market::DropReason, in the same order).
enum class DropReason : std::uint8_t {
  wrong_document_type,  ///< not an oracle_price/v1 envelope
  unknown_key,          ///< key id not in the trust store
  wrong_role,           ///< the key is trusted, but not as an oracle
  bad_signature,        ///< the signature does not verify
  unknown_feed,         ///< the parameters have no oracle rules for the feed
  not_a_source,         ///< the key is not one of the feed's sources
  non_positive_price,   ///< price <= 0
  stale,                ///< published more than max_age before as_of
  future,               ///< published more than max_future after as_of
  confidence,           ///< confidence interval too wide for the price
  outside_band,         ///< too far from the previous stable price
  not_fresher,          ///< sequence or publish time not above the last accepted
  duplicate_source,     ///< this source's key already counted for the feed
};
[[nodiscard]] std::string_view drop_reason_name(DropReason reason) noexcept;

/// The fate of each oracle message of the snapshot, in bundle order.
struct MessageOutcome {
  std::size_t index = 0;
  std::string key_id;
  std::string feed;                   ///< empty when the message was not read
  std::optional<Price> price;         ///< when read
  std::optional<DropReason> dropped;  ///< nullopt: used
  std::string detail;                 ///< why, in words, for a dropped message
};

/// The fate of each option message of the snapshot (§6.2), in bundle order.
struct OptionMessageOutcome {
  std::size_t index = 0;
  std::string key_id;
  std::string feed;                         ///< empty when the message was not read
  std::optional<std::int64_t> expiry_ms;    ///< when read
  std::optional<std::string_view> dropped;  ///< the reason's formats.md name; nullopt: used
  std::string detail;
};

/// A required (feed, expiry)'s agreed surface (market::aggregate_option_expiries).
using ExpiryOutcome = market::ExpiryOutcome;

/// A feed's quorum, mark, stable price and volatility (market::aggregate_oracles).
using FeedOutcome = market::FeedOutcome;

/// Which inputs were verified, with what, and how the marks were derived.
struct VerificationSummary {
  std::string parameters_key_id;
  std::uint64_t parameters_version = 0;
  Digest parameters_digest{};
  std::int64_t valid_from_ms = 0, valid_until_ms = 0;
  std::string snapshot_key_id, snapshot_id;
  std::int64_t snapshot_as_of_ms = 0;
  std::string statement_key_id, statement_id;
  std::int64_t statement_as_of_ms = 0;
  std::vector<FeedOutcome> feeds;                     ///< sorted by feed
  std::vector<MessageOutcome> messages;               ///< bundle order
  bool has_option_messages = false;                   ///< the snapshot has "option_messages"
  std::vector<ExpiryOutcome> option_expiries;         ///< sorted by (feed, expiry)
  std::vector<OptionMessageOutcome> option_messages;  ///< bundle order
};

/// Risk parameters whose envelope, payload and acceptance rules passed (§4).
class VerifiedParameters {
 public:
  [[nodiscard]] const ValidatedParameters& parameters() const noexcept { return parameters_; }
  [[nodiscard]] const SignedParameters& signed_parameters() const noexcept { return signed_; }
  [[nodiscard]] const std::string& key_id() const noexcept { return key_id_; }
  [[nodiscard]] const Digest& digest() const noexcept { return digest_; }

 private:
  friend Result<VerifiedParameters> verify_parameters(const TrustStore&, const AcceptanceState&,
                                                      std::string_view);
  VerifiedParameters(ValidatedParameters p, SignedParameters s, std::string key_id, const Digest& d)
      : parameters_(std::move(p)), signed_(std::move(s)), key_id_(std::move(key_id)), digest_(d) {}
  ValidatedParameters parameters_;
  SignedParameters signed_;
  std::string key_id_;
  Digest digest_;
};

/// A snapshot verified and aggregated under verified parameters (§6): the
/// only prices the signed path evaluates with.
class VerifiedMarket {
 public:
  [[nodiscard]] const MarketState& prices() const noexcept { return prices_; }
  [[nodiscard]] const std::string& key_id() const noexcept { return key_id_; }
  [[nodiscard]] const std::string& id() const noexcept { return id_; }
  [[nodiscard]] std::int64_t as_of_ms() const noexcept { return prices_.as_of_ms; }
  [[nodiscard]] const std::vector<FeedOutcome>& feeds() const noexcept { return feeds_; }
  [[nodiscard]] const std::vector<MessageOutcome>& messages() const noexcept { return messages_; }
  /// For every used message, its source's (sequence, publish time) for its feed.
  [[nodiscard]] const std::vector<AcceptanceState::Source>& accepted() const noexcept { return accepted_; }
  /// Whether the snapshot has "option_messages" (the summary shows them then).
  [[nodiscard]] bool has_option_messages() const noexcept { return has_option_messages_; }
  [[nodiscard]] const std::vector<ExpiryOutcome>& option_expiries() const noexcept { return expiries_; }
  [[nodiscard]] const std::vector<OptionMessageOutcome>& option_messages() const noexcept {
    return option_messages_;
  }
  /// For every message of a chosen surface, its source's (sequence, publish time).
  [[nodiscard]] const std::vector<AcceptanceState::OptionSource>& accepted_options() const noexcept {
    return accepted_options_;
  }

 private:
  friend Result<VerifiedMarket> verify_snapshot(const TrustStore&, const VerifiedParameters&,
                                                const AcceptanceState&, std::string_view);
  VerifiedMarket() = default;
  MarketState prices_;
  std::string key_id_, id_;
  std::vector<FeedOutcome> feeds_;
  std::vector<MessageOutcome> messages_;
  std::vector<AcceptanceState::Source> accepted_;
  bool has_option_messages_ = false;
  std::vector<ExpiryOutcome> expiries_;
  std::vector<OptionMessageOutcome> option_messages_;
  std::vector<AcceptanceState::OptionSource> accepted_options_;
};

/// An account statement whose envelope and payload passed (§7).
class VerifiedStatement {
 public:
  [[nodiscard]] const Account& account() const noexcept { return account_; }
  [[nodiscard]] const std::string& key_id() const noexcept { return key_id_; }
  [[nodiscard]] const std::string& id() const noexcept { return id_; }
  [[nodiscard]] std::int64_t as_of_ms() const noexcept { return as_of_ms_; }

 private:
  friend Result<VerifiedStatement> verify_statement(const TrustStore&, std::string_view);
  VerifiedStatement() = default;
  Account account_;
  std::string key_id_, id_;
  std::int64_t as_of_ms_ = 0;
};

/// The risk parameters envelope (/params): signature, payload, oracle rules,
/// oracle coverage, rollback and equivocation against `state`.
[[nodiscard]] Result<VerifiedParameters> verify_parameters(const TrustStore& trust,
                                                           const AcceptanceState& state,
                                                           std::string_view text);

/// The snapshot envelope (/snapshot) under verified parameters: validity at
/// its time, every oracle message's fate, each feed's quorum and mark.
[[nodiscard]] Result<VerifiedMarket> verify_snapshot(const TrustStore& trust,
                                                     const VerifiedParameters& params,
                                                     const AcceptanceState& state, std::string_view text);

/// The statement envelope (/statement): signature and account.
[[nodiscard]] Result<VerifiedStatement> verify_statement(const TrustStore& trust, std::string_view text);

/// A statement may not be dated after the snapshot it is evaluated with.
[[nodiscard]] Status check_statement_time(const VerifiedStatement& statement, const VerifiedMarket& market);

/// What was verified, with what, and how the marks were derived.
[[nodiscard]] VerificationSummary summarize(const VerifiedParameters& params, const VerifiedMarket& market,
                                            const VerifiedStatement& statement);

/// The state to keep after accepting these parameters and this snapshot.
[[nodiscard]] AcceptanceState next_state(const AcceptanceState& state, const VerifiedParameters& params,
                                         const VerifiedMarket& market);

/// Inputs every rule of docs/formats.md accepted. Only verify_inputs() makes one.
class VerifiedInputs {
 public:
  [[nodiscard]] const ValidatedParameters& parameters() const noexcept { return parameters_; }
  [[nodiscard]] const SignedParameters& signed_parameters() const noexcept { return signed_parameters_; }
  [[nodiscard]] const MarketState& prices() const noexcept { return prices_; }
  [[nodiscard]] const Account& account() const noexcept { return account_; }
  [[nodiscard]] const VerificationSummary& summary() const noexcept { return summary_; }
  /// The state to keep for the next verification (this one accepted).
  [[nodiscard]] const AcceptanceState& next_state() const noexcept { return next_state_; }

 private:
  friend Result<VerifiedInputs> verify_inputs(const TrustStore&, const AcceptanceState&, std::string_view,
                                              std::string_view, std::string_view);
  VerifiedInputs(ValidatedParameters p, SignedParameters sp, MarketState m, Account a, VerificationSummary s,
                 AcceptanceState next)
      : parameters_(std::move(p)),
        signed_parameters_(std::move(sp)),
        prices_(std::move(m)),
        account_(std::move(a)),
        summary_(std::move(s)),
        next_state_(std::move(next)) {}
  ValidatedParameters parameters_;
  SignedParameters signed_parameters_;
  MarketState prices_;
  Account account_;
  VerificationSummary summary_;
  AcceptanceState next_state_;
};

/// Verifies the three envelopes (texts of the files) against the trust store
/// and the acceptance state, in this order: parameters (/params), snapshot
/// (/snapshot), statement (/statement). The first failure is the error; a
/// dropped oracle message is not a failure unless its feed misses its quorum.
[[nodiscard]] Result<VerifiedInputs> verify_inputs(const TrustStore& trust, const AcceptanceState& state,
                                                   std::string_view parameters, std::string_view snapshot,
                                                   std::string_view statement);

/// The evaluation of verified inputs.
[[nodiscard]] Result<AccountReport> evaluate(const VerifiedInputs& inputs,
                                             const EvaluationOptions& options = {});

/// An account evaluated at verified prices under verified parameters (a
/// session's tick, or an account under audit in bulk verification). Errors
/// under /account are located at `account_root` + "/account/...".
[[nodiscard]] Result<AccountReport> evaluate(const VerifiedParameters& params, const VerifiedMarket& market,
                                             const Account& account, std::string_view account_root = "",
                                             const EvaluationOptions& options = {});

}  // namespace vmargin::signing
