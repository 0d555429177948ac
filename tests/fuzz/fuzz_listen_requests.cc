// Fuzz target: what the listening server reads from a request before its
// service sees it (listen/listening_requests.h) and the chain text a
// listening config or a judgments CSV holds (ParseChainText). The first
// byte picks the reader, the rest is the input:
//   'a' an answer body, 'c' a Cookie header, 'x' a chain text.
// Only RequestError / jsqa::Error may escape. Invariants: an accepted body
// is an object with exactly the answer's fields, each an integer when read
// as one; a session token is "" or 64 hex digits that occur in the header;
// a chain that parses prints (ChainText) and parses again to the same steps.
#include <string>
#include <vector>

#include "augment/degradations/degradation_chain.h"
#include "listen/listening_requests.h"
#include "listen/listening_service.h"
#include "pipeline/base/error.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

void Answer(const std::string& body) {
  const std::vector<std::string> fields = {"trial", "choice", "response_ms"};
  nlohmann::json json;
  try {
    json = jsqa::JsonObjectBody(body, fields);
  } catch (const jsqa::RequestError& error) {
    JSQA_FUZZ_EXPECT(error.status() == 400, "status " + std::to_string(error.status()));
    jsqa::fuzz::Rejected(error);
    return;
  }
  JSQA_FUZZ_EXPECT(json.is_object() && json.size() == fields.size(), json.dump());
  for (const std::string& field : fields) {
    try {
      jsqa::IntegerField(json, field);
    } catch (const jsqa::RequestError& error) {
      JSQA_FUZZ_EXPECT(!json.at(field).is_number_integer(), error.what());
    }
  }
  jsqa::fuzz::ReadThrough(1);
}

void Cookie(const std::string& header) {
  const std::string token = jsqa::SessionTokenOf(header);
  if (token.empty()) return;
  JSQA_FUZZ_EXPECT(token.size() == 64 && token.find_first_not_of("0123456789abcdef") == std::string::npos, token);
  JSQA_FUZZ_EXPECT(header.find(std::string(jsqa::kSessionCookie) + "=" + token) != std::string::npos, header);
  jsqa::fuzz::ReadThrough(1);
}

void Chain(const std::string& text) {
  std::vector<jsqa::ChainStep> steps;
  try {
    steps = jsqa::ParseChainText(text);
  } catch (const jsqa::Error& error) {
    jsqa::fuzz::Rejected(error);
    return;
  }
  const std::string printed = jsqa::ChainText(steps);
  std::vector<jsqa::ChainStep> again;
  try {
    again = jsqa::ParseChainText(printed);
  } catch (const jsqa::Error& error) {
    jsqa::fuzz::Fail(__FILE__, __LINE__, "ChainText output does not parse: " + printed + ": " + error.what());
  }
  JSQA_FUZZ_EXPECT(again.size() == steps.size(), printed);
  for (size_t i = 0; i < steps.size(); ++i)
    JSQA_FUZZ_EXPECT(again[i].degradation == steps[i].degradation && again[i].strength == steps[i].strength, printed);
  jsqa::fuzz::ReadThrough(static_cast<int64_t>(std::max<size_t>(steps.size(), 1)));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string input(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0]) {
    case 'a': Answer(input); break;
    case 'c': Cookie(input); break;
    case 'x': Chain(input); break;
    default: break;
  }
  return 0;
}
