// Response helpers.
#include "json_response.hpp"

namespace rewardd {

void send_json(httplib::Response& res, int status, const nlohmann::json& body) {
    res.status = status;
    res.set_content(body.dump(), "application/json");
}

void send_error(httplib::Response& res, int status, const Error& error) {
    nlohmann::json body{{"error", error_id(error.code)}, {"message", error.message}};
    if (!error.field.empty()) body["field"] = error.field;
    send_json(res, status, body);
}

}  // namespace rewardd
