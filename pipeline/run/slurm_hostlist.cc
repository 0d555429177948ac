#include "pipeline/run/slurm_hostlist.h"

#include <cctype>
#include <cstdint>

#include "pipeline/base/error.h"

namespace jsqa {
namespace {

// A cluster has at most tens of thousands of nodes: a list expanding past
// this is a typo ("n[1-99999999]"), refused rather than filling memory.
constexpr uint64_t kMaxHosts = 1000000;

// One host expression cut at its brackets: literal texts around groups, each
// group already expanded to its numbers as text ("01", "02").
struct HostPattern {
  std::vector<std::string> texts;                 // groups.size() + 1 of them
  std::vector<std::vector<std::string>> groups;
};

class Parser {
 public:
  Parser(const std::string& list, const std::string& variable) : list_(list), variable_(variable) {}

  std::vector<std::string> Expand() {
    if (list_.empty()) Fail("empty");
    std::vector<HostPattern> patterns;
    size_t start = 0;
    int depth = 0;
    for (size_t i = 0; i <= list_.size(); ++i) {
      const char c = i < list_.size() ? list_[i] : ',';
      if (c == '[') {
        if (depth++) Fail("'[' inside brackets");
      } else if (c == ']') {
        if (!depth--) Fail("']' without '['");
      } else if (c == ',' && depth == 0) {  // a comma inside brackets separates numbers, not hosts
        patterns.push_back(Pattern(list_.substr(start, i - start)));
        start = i + 1;
      } else if (c == ',' && i == list_.size()) {
        Fail("'[' without ']'");
      } else if (std::isspace(static_cast<unsigned char>(c)) || !std::isprint(static_cast<unsigned char>(c))) {
        Fail("a space or control character");
      }
    }
    uint64_t total = 0;
    for (const HostPattern& pattern : patterns) {
      uint64_t count = 1;
      for (const auto& group : pattern.groups) {
        count *= group.size();
        if (count > kMaxHosts) break;
      }
      total += count;
      if (total > kMaxHosts) Fail("more than " + std::to_string(kMaxHosts) + " hosts");
    }
    std::vector<std::string> hosts;
    hosts.reserve(total);
    for (const HostPattern& pattern : patterns) Combine(pattern, 0, pattern.texts[0], hosts);
    return hosts;
  }

 private:
  [[noreturn]] void Fail(const std::string& why) const {
    throw UsageError(variable_ + " = '" + list_ + "': not a SLURM host list: " + why);
  }

  HostPattern Pattern(const std::string& text) {
    if (text.empty()) Fail("an empty host name");
    HostPattern pattern;
    size_t at = 0;
    for (size_t open; (open = text.find('[', at)) != std::string::npos;) {
      const size_t close = text.find(']', open);  // present: the caller balanced the brackets
      pattern.texts.push_back(text.substr(at, open - at));
      pattern.groups.push_back(Group(text.substr(open + 1, close - open - 1)));
      at = close + 1;
    }
    pattern.texts.push_back(text.substr(at));
    return pattern;
  }

  // "7,9-10" → 7, 9, 10; "01-03" → 01, 02, 03 (the width of the first number).
  std::vector<std::string> Group(const std::string& text) {
    std::vector<std::string> numbers;
    size_t start = 0;
    for (size_t comma; start <= text.size(); start = comma + 1) {
      comma = text.find(',', start);
      if (comma == std::string::npos) comma = text.size();
      const std::string item = text.substr(start, comma - start);
      const size_t dash = item.find('-');
      const std::string low = item.substr(0, dash);
      const std::string high = dash == std::string::npos ? low : item.substr(dash + 1);
      const uint64_t first = Number(low, item), last = Number(high, item);
      if (first > last) Fail("range '" + item + "' runs backwards");
      if (last - first >= kMaxHosts) Fail("more than " + std::to_string(kMaxHosts) + " hosts");
      for (uint64_t n = first; n <= last; ++n) {
        std::string digits = std::to_string(n);
        if (digits.size() < low.size()) digits.insert(0, low.size() - digits.size(), '0');
        numbers.push_back(digits);
      }
      if (numbers.size() > kMaxHosts) Fail("more than " + std::to_string(kMaxHosts) + " hosts");
    }
    return numbers;
  }

  uint64_t Number(const std::string& digits, const std::string& item) const {
    if (digits.empty() || digits.size() > 18 ||
        digits.find_first_not_of("0123456789") != std::string::npos)
      Fail("'" + item + "' in brackets is not a number or a range lo-hi");
    return std::stoull(digits);
  }

  // Every combination of the groups' numbers, the first group slowest.
  static void Combine(const HostPattern& pattern, size_t group, const std::string& prefix,
                      std::vector<std::string>& hosts) {
    if (group == pattern.groups.size()) {
      hosts.push_back(prefix);
      return;
    }
    for (const std::string& number : pattern.groups[group])
      Combine(pattern, group + 1, prefix + number + pattern.texts[group + 1], hosts);
  }

  const std::string& list_;
  const std::string& variable_;
};

}  // namespace

std::vector<std::string> ExpandSlurmHostList(const std::string& list, const std::string& variable) {
  return Parser(list, variable).Expand();
}

}  // namespace jsqa
