#include "vmargin/error.hpp"

namespace vmargin {

std::string_view error_code_name(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::overflow:
      return "overflow";
    case ErrorCode::division_by_zero:
      return "division_by_zero";
    case ErrorCode::domain_error:
      return "domain_error";
    case ErrorCode::bad_decimal:
      return "bad_decimal";
    case ErrorCode::decimal_too_precise:
      return "decimal_too_precise";
    case ErrorCode::decimal_out_of_range:
      return "decimal_out_of_range";
    case ErrorCode::malformed_json:
      return "malformed_json";
    case ErrorCode::input_too_large:
      return "input_too_large";
    case ErrorCode::duplicate_key:
      return "duplicate_key";
    case ErrorCode::unknown_field:
      return "unknown_field";
    case ErrorCode::missing_field:
      return "missing_field";
    case ErrorCode::wrong_type:
      return "wrong_type";
    case ErrorCode::invalid_value:
      return "invalid_value";
    case ErrorCode::unknown_market:
      return "unknown_market";
    case ErrorCode::unknown_asset:
      return "unknown_asset";
    case ErrorCode::missing_price:
      return "missing_price";
    case ErrorCode::contract_expired:
      return "contract_expired";
    case ErrorCode::liquidation_price_unresolved:
      return "liquidation_price_unresolved";
    case ErrorCode::bad_encoding:
      return "bad_encoding";
    case ErrorCode::non_canonical:
      return "non_canonical";
    case ErrorCode::wrong_document_type:
      return "wrong_document_type";
    case ErrorCode::unknown_key:
      return "unknown_key";
    case ErrorCode::wrong_role:
      return "wrong_role";
    case ErrorCode::bad_signature:
      return "bad_signature";
    case ErrorCode::rollback:
      return "rollback";
    case ErrorCode::equivocation:
      return "equivocation";
    case ErrorCode::parameters_not_valid:
      return "parameters_not_valid";
    case ErrorCode::quorum_not_met:
      return "quorum_not_met";
  }
  return "unknown_error";
}

std::string Error::to_string() const {
  std::string out = "[vmargin.";
  out += error_code_name(code_);
  out += "] ";
  if (!path_.empty()) {
    out += path_;
    out += ": ";
  }
  out += message_;
  return out;
}

}  // namespace vmargin
