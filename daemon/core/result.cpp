// Stable string ids for error codes. Changing one is a breaking change for API clients.
#include "result.hpp"

namespace rewardd {

const char* error_id(ErrorCode code) {
    switch (code) {
        case ErrorCode::bad_request: return "bad_request";
        case ErrorCode::malformed_json: return "malformed_json";
        case ErrorCode::missing_field: return "missing_field";
        case ErrorCode::invalid_field: return "invalid_field";
        case ErrorCode::unknown_currency: return "unknown_currency";
        case ErrorCode::too_precise_amount: return "too_precise_amount";
        case ErrorCode::amount_out_of_range: return "amount_out_of_range";
        case ErrorCode::unknown_shop: return "unknown_shop";
        case ErrorCode::signature_mismatch: return "signature_mismatch";
        case ErrorCode::body_too_large: return "body_too_large";
        case ErrorCode::storage_unavailable: return "storage_unavailable";
        case ErrorCode::schema_too_new: return "schema_too_new";
        case ErrorCode::bad_config: return "bad_config";
        case ErrorCode::not_found: return "not_found";
        case ErrorCode::exists_with_different_content: return "exists_with_different_content";
        case ErrorCode::invalid_rules: return "invalid_rules";
        case ErrorCode::insufficient_points: return "insufficient_points";
        case ErrorCode::below_minimum_redemption: return "below_minimum_redemption";
        case ErrorCode::exceeds_cart_share: return "exceeds_cart_share";
        case ErrorCode::redemption_committed: return "redemption_committed";
        case ErrorCode::unauthorized: return "unauthorized";
        case ErrorCode::forbidden: return "forbidden";
        case ErrorCode::rate_limited: return "rate_limited";
        case ErrorCode::platform_unavailable: return "platform_unavailable";
    }
    return "unknown_error";
}

}  // namespace rewardd
