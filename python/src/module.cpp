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
#include "vmargin/model/input_path.hpp"
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

// --- Python values as JSON text -----------------------------------------------

/// Writes a dict (or any Mapping), list, tuple, str, int, bool, None or
/// decimal.Decimal as JSON text for the strict reader (which sorts keys and
/// applies every rule); anything JSON cannot carry exactly (a float, a
/// non-str key, a set...) is wrong_type at its JSON pointer.
class JsonWriter {
 public:
  explicit JsonWriter(std::string& out)
      : out_(out),
        decimal_(py::module_::import("decimal").attr("Decimal")),
        mapping_(py::module_::import("collections.abc").attr("Mapping")) {}

  /// False when the value nests deeper than the reader's limit: the caller
  /// then hands the reader text it rejects with its own error.
  bool write(py::handle v, std::string& path, std::size_t depth) {
    PyObject* o = v.ptr();
    if (o == Py_None) {
      out_ += "null";
    } else if (o == Py_True || o == Py_False) {
      out_ += o == Py_True ? "true" : "false";
    } else if (PyUnicode_Check(o)) {
      write_string(o, path);
    } else if (PyLong_Check(o)) {
      out_ += py::reinterpret_steal<py::str>(PyLong_Type.tp_repr(o)).cast<std::string>();
    } else if (PyDict_Check(o)) {
      return depth < limit_ && write_object(v, path, depth + 1);
    } else if (PyList_Check(o) || PyTuple_Check(o)) {
      return depth < limit_ && write_array(v, path, depth + 1);
    } else if (PyFloat_Check(o)) {
      fail(path, "a float has no exact JSON form (decimals are str or decimal.Decimal)");
    } else if (py::isinstance(v, decimal_)) {
      if (!v.attr("is_finite")().cast<bool>()) fail(path, "a Decimal that is not finite");
      const py::str text = py::module_::import("builtins").attr("format")(v, "f");
      write_string(text.ptr(), path);
    } else if (py::isinstance(v, mapping_)) {
      return depth < limit_ && write_object(v, path, depth + 1);
    } else {
      fail(path, std::string("a ") + Py_TYPE(o)->tp_name + " has no exact JSON form");
    }
    return true;
  }

 private:
  [[noreturn]] static void fail(const std::string& path, std::string message) {
    raise(vmargin::Error(vmargin::ErrorCode::wrong_type, std::move(message), path.empty() ? "/" : path));
  }

  std::string_view write_string(PyObject* o, const std::string& path) {
    Py_ssize_t n = 0;
    const char* text = PyUnicode_AsUTF8AndSize(o, &n);
    if (text == nullptr) {
      PyErr_Clear();
      raise(vmargin::Error(vmargin::ErrorCode::malformed_json,
                           "a str that is not valid Unicode (a lone surrogate)", path.empty() ? "/" : path));
    }
    out_ += '"';
    for (const char c : std::string_view(text, static_cast<std::size_t>(n))) {
      const auto u = static_cast<unsigned char>(c);
      if (c == '"' || c == '\\') {
        out_ += '\\';
        out_ += c;
      } else if (u < 0x20) {
        constexpr std::string_view hex = "0123456789abcdef";
        out_ += "\\u00";
        out_ += hex[u >> 4];
        out_ += hex[u & 15];
      } else {
        out_ += c;
      }
    }
    out_ += '"';
    return {text, static_cast<std::size_t>(n)};
  }

  bool write_array(py::handle v, std::string& path, std::size_t depth) {
    out_ += '[';
    std::size_t i = 0;
    for (const py::handle item : v) {
      if (i != 0) out_ += ',';
      const std::size_t at = path.size();
      path += "/" + std::to_string(i++);
      if (!write(item, path, depth)) return false;
      path.resize(at);
    }
    out_ += ']';
    return true;
  }

  bool write_object(py::handle v, std::string& path, std::size_t depth) {
    out_ += '{';
    bool first = true;
    const auto member = [&](PyObject* key, PyObject* value) {
      if (!PyUnicode_Check(key))
        fail(path, std::string("an object key must be a str, not ") + Py_TYPE(key)->tp_name);
      if (!first) out_ += ',';
      first = false;
      const std::string_view name = write_string(key, path);
      out_ += ':';
      const std::size_t at = path.size();
      path += '/';
      for (const char c : name) {
        if (c == '~' || c == '/') {
          path += '~';
          path += c == '~' ? '0' : '1';
        } else {
          path += c;
        }
      }
      const bool ok = write(value, path, depth);
      path.resize(at);
      return ok;
    };
    if (PyDict_Check(v.ptr())) {
      PyObject *key = nullptr, *value = nullptr;
      for (Py_ssize_t pos = 0; PyDict_Next(v.ptr(), &pos, &key, &value) != 0;) {
        if (!member(key, value)) return false;
      }
    } else {
      for (const py::handle item : v.attr("items")()) {
        const py::tuple kv = py::reinterpret_borrow<py::tuple>(item);
        if (!member(kv[0].ptr(), kv[1].ptr())) return false;
      }
    }
    out_ += '}';
    return true;
  }

  std::string& out_;
  py::object decimal_, mapping_;
  std::size_t limit_ = vmargin::codec::JsonLimits{}.max_depth;
};

/// `value` as JSON text, or None when it nests deeper than the reader's limit.
std::optional<std::string> to_json(py::handle value, std::string path) {
  std::string out;
  JsonWriter writer(out);
  if (!writer.write(value, path, 0)) return std::nullopt;
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

// --- parameters and prices held, accounts evaluated one by one ------------------

/// Risk parameters and prices decoded and validated once; each call decodes
/// one account (errors under /account), evaluates it and writes the report,
/// the bytes evaluate_json writes for the combined document.
class Evaluator {
 public:
  static Evaluator make(const std::string& params_text, const std::string& prices_text) {
    return released([&]() -> vmargin::Result<Evaluator> {
      VMARGIN_TRY(const vmargin::codec::Json p,
                  vmargin::codec::parse_strict_json(params_text, vmargin::input_path::risk_parameters));
      VMARGIN_TRY(vmargin::RiskParameters risk, vmargin::codec::decode_risk_parameters(p));
      VMARGIN_TRY(const vmargin::codec::Json q,
                  vmargin::codec::parse_strict_json(prices_text, vmargin::input_path::prices));
      VMARGIN_TRY(vmargin::MarketState prices, vmargin::codec::decode_market_state(q));
      VMARGIN_TRY(vmargin::ValidatedParameters params, vmargin::ValidatedParameters::make(std::move(risk)));
      return Evaluator(std::move(params), std::move(prices));
    });
  }

  [[nodiscard]] vmargin::Result<std::string> report(std::string_view account_text) const {
    VMARGIN_TRY(const vmargin::codec::Json doc,
                vmargin::codec::parse_strict_json(account_text, vmargin::input_path::account));
    VMARGIN_TRY(const vmargin::Account account, vmargin::codec::decode_account(doc));
    VMARGIN_TRY(const vmargin::AccountReport r, vmargin::evaluate(params_, prices_, account));
    return vmargin::codec::report_text(r, params_.get());
  }

  [[nodiscard]] std::string evaluate(const std::string& account_text) const {
    return released([&] { return report(account_text); });
  }

 private:
  Evaluator(vmargin::ValidatedParameters params, vmargin::MarketState prices)
      : params_(std::move(params)), prices_(std::move(prices)) {}
  vmargin::ValidatedParameters params_;
  vmargin::MarketState prices_;
};

/// The benchmark's reference for Evaluator.evaluate: nanoseconds per call.
std::int64_t time_evaluate_account(const Evaluator& e, const std::string& account, int calls) {
  const py::gil_scoped_release no_gil;
  const auto start = std::chrono::steady_clock::now();
  int succeeded = 0;
  for (int i = 0; i < calls; ++i) succeeded += e.report(account).ok() ? 1 : 0;
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
  m.def("to_json", &to_json, py::arg("value"), py::arg("path") = "");
  m.def("_time_evaluate", &time_evaluate, py::arg("input"), py::arg("calls"));
  m.def("split_lines", &split_lines, py::arg("accounts"), py::arg("published"), py::arg("parts"));
  py::class_<Session>(m, "Session")
      .def(py::init<const std::string&, const std::string&, const std::string&, const std::string&>())
      .def("tick", &Session::tick)
      .def("description", &Session::description)
      .def("close", &Session::close)
      .def_property_readonly("closed", &Session::closed);
  m.def("_time_evaluate_account", &time_evaluate_account);
  py::class_<Evaluator>(m, "Evaluator")
      .def_static("make", &Evaluator::make)
      .def("evaluate", &Evaluator::evaluate, py::arg("account"));
  py::class_<Auditor>(m, "Auditor")
      .def_static("plain", &Auditor::plain)
      .def_static("from_signed", &Auditor::from_signed)
      .def("audit_range", &Auditor::audit_range)
      .def("summary", &Auditor::summary);
}
