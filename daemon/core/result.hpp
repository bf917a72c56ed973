// Expected failures as values: an error code with a stable string id, a sentence, and the field at
// fault. Shaped like std::expected (C++23) so it can be swapped for it later. Standard library only.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace rewardd {

enum class ErrorCode {
    bad_request,
    malformed_json,
    missing_field,
    invalid_field,
    unknown_currency,
    too_precise_amount,
    amount_out_of_range,
    unknown_shop,
    signature_mismatch,
    body_too_large,
    storage_unavailable,
    schema_too_new,
    bad_config,
    not_found,
    exists_with_different_content,
    invalid_rules,
    insufficient_points,
    below_minimum_redemption,
    exceeds_cart_share,
    redemption_committed,
    unauthorized,
    forbidden,
    rate_limited,
    platform_unavailable,
};

// The stable id shown in logs, HTTP bodies and CLI output (docs/errors.md lists them all).
const char* error_id(ErrorCode code);

struct Error {
    ErrorCode code;
    std::string message;
    std::string field;  // the offending field or key, empty when none applies
};

template <typename T>
class Result {
public:
    Result(T value) : m_state(std::move(value)) {}
    Result(Error error) : m_state(std::move(error)) {}

    bool ok() const { return std::holds_alternative<T>(m_state); }
    explicit operator bool() const { return ok(); }
    T& value() { return std::get<T>(m_state); }
    const T& value() const { return std::get<T>(m_state); }
    T& operator*() { return value(); }
    const T& operator*() const { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    const Error& error() const { return std::get<Error>(m_state); }

private:
    std::variant<T, Error> m_state;
};

inline Error make_error(ErrorCode code, std::string message, std::string field = {}) {
    return Error{code, std::move(message), std::move(field)};
}

}  // namespace rewardd
