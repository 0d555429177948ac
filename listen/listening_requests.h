// What the listening server reads from a request before the service sees
// it: the session cookie and JSON bodies, each validated; anything else is
// a RequestError (4xx and a one-line reason). Kept apart from the routes so
// that a fuzz target can feed them hostile bytes (tests/fuzz/).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace jsqa {

// The listener's token from a Cookie header: the value of jsqa_listener
// when it is 64 lower-case hex digits, else "".
std::string SessionTokenOf(const std::string& cookie_header);

// body as a JSON object holding exactly `fields`; RequestError 400 for
// anything else (not JSON, not an object, a field missing or extra).
nlohmann::json JsonObjectBody(const std::string& body, const std::vector<std::string>& fields);

// body[field] as an integer; RequestError 400 for another type.
int64_t IntegerField(const nlohmann::json& body, const std::string& field);

// The name of the listener's session cookie.
inline constexpr char kSessionCookie[] = "jsqa_listener";

}  // namespace jsqa
