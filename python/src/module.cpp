// vmargin._native: the pybind11 face. Strings in, canonical JSON strings
// out; errors raised as vmargin.VMarginError(code, path, detail). Nothing
// here computes: the codec, signing and audit layers do all the work, with
// the GIL released so that Python threads evaluate in parallel. The Python
// package (python/vmargin/) turns the JSON into dicts.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "vmargin/audit/bulk_audit.hpp"
#include "vmargin/codec/model_codec.hpp"
#include "vmargin/codec/report_comparison.hpp"
#include "vmargin/codec/scenario_codec.hpp"
#include "vmargin/signing/signed_codec.hpp"
#include "vmargin/signing/state_token.hpp"
#include "vmargin/version.hpp"

namespace py = pybind11;

namespace {

/// Raises vmargin.VMarginError(code, path, detail) for `error`.
[[noreturn]] void raise(const vmargin::Error& error) {
  const py::object cls = py::module_::import("vmargin._errors").attr("VMarginError");
  const py::tuple args =
      py::make_tuple(std::string(vmargin::error_code_name(error.code())), error.path(), error.message());
  PyErr_SetObject(cls.ptr(), args.ptr());
  throw py::error_already_set();
}

template <class T>
T value_or_raise(vmargin::Result<T>&& result) {
  if (!result.ok()) raise(result.error());
  return std::move(result).value();
}

/// Runs `f` without the GIL (it touches no Python object), then raises its error.
template <class F>
auto released(F&& f) {
  std::optional<decltype(f())> result;
  {
    const py::gil_scoped_release no_gil;
    result.emplace(f());
  }
  return value_or_raise(std::move(*result));
}

std::string evaluate_combined(const std::string& input) {
  return released([&] { return vmargin::codec::evaluate_json(input); });
}

vmargin::Result<vmargin::Scenario> scenario_of(const std::optional<std::string>& text) {
  if (!text) return vmargin::Scenario{};
  VMARGIN_TRY(const vmargin::codec::Json doc, vmargin::codec::parse_strict_json(*text, "/scenario"));
  return vmargin::codec::decode_scenario(doc);
}

std::string evaluate_documents(const std::string& params, const std::string& prices,
                               const std::string& account, const std::optional<std::string>& scenario) {
  return released([&]() -> vmargin::Result<std::string> {
    VMARGIN_TRY(const vmargin::Scenario s, scenario_of(scenario));
    return vmargin::codec::evaluate_json(params, prices, account, s);
  });
}

std::string largest_order(const std::string& input) {
  return released([&] { return vmargin::codec::largest_order_json(input); });
}

std::string verify_evaluate(const std::string& trust, const std::string& state, const std::string& params,
                            const std::string& snapshot, const std::string& statement) {
  return released(
      [&] { return vmargin::signing::verify_and_evaluate_json(trust, state, params, snapshot, statement); });
}

std::string compare_reports(const std::string& input) {
  return released([&] { return vmargin::codec::compare_reports_json(input); });
}

std::string seal_state(const std::string& json) { return value_or_raise(vmargin::signing::seal_state(json)); }
std::string unseal_state(const std::string& token) {
  return value_or_raise(vmargin::signing::unseal_state(token));
}

/// A session: parameters and statement verified once, one snapshot per tick.
class Session {
 public:
  Session(const std::string& trust, const std::string& state, const std::string& params,
          const std::string& statement)
      : session_(std::make_unique<vmargin::signing::SignedSession>(released(
            [&] { return vmargin::signing::SignedSession::open(trust, state, params, statement); }))) {}

  /// Ticks are serialised (a session's state advances one snapshot at a
  /// time); the lock is taken without the GIL, so a waiting thread blocks
  /// no other.
  std::string tick(const std::string& snapshot) {
    vmargin::signing::SignedSession& s = open_session();
    return released([&] {
      const std::lock_guard<std::mutex> one_at_a_time(mutex_);
      return s.tick(snapshot);
    });
  }
  std::string description() { return open_session().description(); }
  void close() { session_.reset(); }
  [[nodiscard]] bool closed() const { return session_ == nullptr; }

 private:
  vmargin::signing::SignedSession& open_session() {
    if (!session_) raise(vmargin::Error(vmargin::ErrorCode::invalid_value, "the session is closed"));
    return *session_;
  }
  std::unique_ptr<vmargin::signing::SignedSession> session_;
  std::mutex mutex_;
};

// --- bulk verification -------------------------------------------------------

py::dict tally_dict(const vmargin::audit::Tally& t) {
  py::dict fields;
  for (const auto& [field, count] : t.by_field) fields[py::str(field)] = count;
  py::dict d;
  d["accounts"] = t.accounts;
  d["matches"] = t.matches;
  d["mismatches"] = t.mismatches;
  d["bad_account_lines"] = t.bad_accounts;
  d["bad_published_lines"] = t.bad_published;
  d["mismatches_by_field"] = fields;
  return d;
}

vmargin::audit::Tally tally_of(const py::dict& d) {
  vmargin::audit::Tally t;
  t.accounts = d["accounts"].cast<std::uint64_t>();
  t.matches = d["matches"].cast<std::uint64_t>();
  t.mismatches = d["mismatches"].cast<std::uint64_t>();
  t.bad_accounts = d["bad_account_lines"].cast<std::uint64_t>();
  t.bad_published = d["bad_published_lines"].cast<std::uint64_t>();
  for (const auto& [field, count] : d["mismatches_by_field"].cast<py::dict>())
    t.by_field[field.cast<std::string>()] = count.cast<std::uint64_t>();
  return t;
}

/// Raises OSError: a file of a bulk run could not be read.
[[noreturn]] void raise_io(const std::string& message) {
  PyErr_SetString(PyExc_OSError, message.c_str());
  throw py::error_already_set();
}

/// The recomputing side of a bulk run, from the documents' texts.
class Auditor {
 public:
  static Auditor plain(const std::string& params, const std::string& prices) {
    return Auditor(released([&] { return vmargin::audit::plain_auditor(params, prices); }));
  }
  static Auditor from_signed(const std::string& trust, const std::string& state, const std::string& params,
                             const std::string& snapshot) {
    return Auditor(released([&] { return vmargin::audit::signed_auditor(trust, state, params, snapshot); }));
  }

  /// The lines [first_line, ...) held by the byte ranges of both files:
  /// (result lines, tally).
  py::tuple audit_range(const std::string& accounts, std::uint64_t accounts_begin, std::uint64_t accounts_end,
                        const std::string& published, std::uint64_t published_begin,
                        std::uint64_t published_end, std::uint64_t first_line, unsigned threads) const {
    std::string lines, why;
    vmargin::audit::Tally tally;
    bool ok = true;
    {
      const py::gil_scoped_release no_gil;
      auto a = vmargin::audit::LineReader::open_range(accounts, accounts_begin, accounts_end, why);
      auto p = a ? vmargin::audit::LineReader::open_range(published, published_begin, published_end, why)
                 : std::nullopt;
      ok = a && p;
      if (ok) ok = run(*a, *p, first_line, threads, tally, lines, why);
    }
    if (!ok) raise_io(why);
    return py::make_tuple(py::bytes(lines), tally_dict(tally));
  }

  [[nodiscard]] std::string summary(const py::dict& tally) const {
    return vmargin::audit::summary_json(tally_of(tally), auditor_.inputs());
  }

 private:
  explicit Auditor(vmargin::codec::ReportAuditor a) : auditor_(std::move(a)) {}

  bool run(vmargin::audit::LineReader& a, vmargin::audit::LineReader& p, std::uint64_t first_line,
           unsigned threads, vmargin::audit::Tally& tally, std::string& lines, std::string& why) const {
    vmargin::audit::BulkAuditor bulk(auditor_, threads);
    using Outcome = vmargin::audit::BulkAuditor::Outcome;
    const Outcome outcome = bulk.run(a, p, first_line, tally, [&](const std::string& text) {
      lines += text;
      return true;
    });
    if (outcome == Outcome::done) return true;
    why = outcome == Outcome::accounts_unreadable ? "cannot read the accounts file"
                                                  : "cannot read the published file";
    return false;
  }

  vmargin::codec::ReportAuditor auditor_;
};

py::list split_lines(const std::string& accounts, const std::string& published, std::uint64_t parts) {
  std::string why;
  std::optional<std::vector<vmargin::audit::LineRange>> ranges;
  {
    const py::gil_scoped_release no_gil;
    ranges = vmargin::audit::split_lines(accounts, published, parts, why);
  }
  if (!ranges) raise_io(why);
  py::list out;
  const auto end = [](std::uint64_t e) {
    return e == vmargin::audit::to_end ? py::object(py::none()) : py::int_(e);
  };
  for (const auto& r : *ranges)
    out.append(py::make_tuple(r.first_line, r.accounts_begin, end(r.accounts_end), r.published_begin,
                              end(r.published_end)));
  return out;
}

/// The benchmark's reference (bench/bench_python.py): nanoseconds per
/// codec::evaluate_json(input) over `calls` calls, timed in C++ without the
/// GIL: the native engine's cost for the work vmargin.evaluate does.
std::int64_t time_evaluate(const std::string& input, int calls) {
  const py::gil_scoped_release no_gil;
  const auto start = std::chrono::steady_clock::now();
  int succeeded = 0;
  for (int i = 0; i < calls; ++i) succeeded += vmargin::codec::evaluate_json(input).ok() ? 1 : 0;
  const auto ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start);
  return succeeded == calls ? ns.count() / std::max(calls, 1) : -1;
}

}  // namespace

PYBIND11_MODULE(_native, m) {
  m.doc() = "vmargin's native engine (use the vmargin package, not this module)";
  m.attr("version") = std::string(vmargin::version_string);
  m.attr("to_end") = vmargin::audit::to_end;
  m.def("evaluate", &evaluate_combined, py::arg("input"));
  m.def("evaluate_documents", &evaluate_documents, py::arg("risk_parameters"), py::arg("prices"),
        py::arg("account"), py::arg("scenario") = py::none());
  m.def("largest_order", &largest_order, py::arg("input"));
  m.def("verify_evaluate", &verify_evaluate);
  m.def("compare_reports", &compare_reports, py::arg("input"));
  m.def("seal_state", &seal_state, py::arg("json"));
  m.def("unseal_state", &unseal_state, py::arg("token"));
  m.def("_time_evaluate", &time_evaluate, py::arg("input"), py::arg("calls"));
  m.def("split_lines", &split_lines, py::arg("accounts"), py::arg("published"), py::arg("parts"));
  py::class_<Session>(m, "Session")
      .def(py::init<const std::string&, const std::string&, const std::string&, const std::string&>())
      .def("tick", &Session::tick)
      .def("description", &Session::description)
      .def("close", &Session::close)
      .def_property_readonly("closed", &Session::closed);
  py::class_<Auditor>(m, "Auditor")
      .def_static("plain", &Auditor::plain)
      .def_static("from_signed", &Auditor::from_signed)
      .def("audit_range", &Auditor::audit_range)
      .def("summary", &Auditor::summary);
}
