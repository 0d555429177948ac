#include "listen/listening_requests.h"

#include <algorithm>
#include <regex>

#include "listen/listening_service.h"

namespace jsqa {

std::string SessionTokenOf(const std::string& cookie_header) {
  static const std::regex cookie(std::string("(?:^|;\\s*)") + kSessionCookie + "=([0-9a-f]{64})(?:;|$)");
  std::smatch match;
  return std::regex_search(cookie_header, match, cookie) ? match[1].str() : "";
}

nlohmann::json JsonObjectBody(const std::string& body, const std::vector<std::string>& fields) {
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(body);
  } catch (const nlohmann::json::exception&) {
    throw RequestError(400, "the body is not JSON");
  }
  if (!json.is_object()) throw RequestError(400, "the body is not a JSON object");
  for (const auto& [name, value] : json.items())
    if (std::find(fields.begin(), fields.end(), name) == fields.end())
      throw RequestError(400, "unexpected field '" + name.substr(0, 40) + "'");
  for (const std::string& field : fields)
    if (!json.contains(field)) throw RequestError(400, "missing field '" + field + "'");
  return json;
}

int64_t IntegerField(const nlohmann::json& body, const std::string& field) {
  const nlohmann::json& value = body.at(field);
  if (!value.is_number_integer()) throw RequestError(400, "field '" + field + "' is not an integer");
  return value.get<int64_t>();
}

}  // namespace jsqa
