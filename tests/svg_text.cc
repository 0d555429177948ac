#include "tests/svg_text.h"

#include <algorithm>
#include <cstdint>
#include <regex>

#include "tests/test_support.h"

namespace jsqa::testing {
namespace {

std::string Utf8(uint32_t code) {
  std::string out;
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
  return out;
}

}  // namespace

std::vector<std::string> SvgTexts(const std::string& svg_path) {
  const std::string svg = ReadBytes(svg_path);
  std::vector<std::string> texts;
  static const std::regex kText("<text[^>]*>([\\s\\S]*?)</text>"), kTag("<[^>]*>");
  static const std::regex kReference("&#(x?)([0-9a-fA-F]+);|&(amp|lt|gt|quot|apos);");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), kText); it != std::sregex_iterator(); ++it) {
    const std::string raw = std::regex_replace((*it)[1].str(), kTag, "");
    std::string text;
    size_t at = 0;
    for (auto ref = std::sregex_iterator(raw.begin(), raw.end(), kReference); ref != std::sregex_iterator(); ++ref) {
      text += raw.substr(at, static_cast<size_t>(ref->position()) - at);
      if ((*ref)[2].matched) {
        text += Utf8(static_cast<uint32_t>(std::stoul((*ref)[2].str(), nullptr, (*ref)[1].length() ? 16 : 10)));
      } else {
        const std::string name = (*ref)[3].str();
        text += name == "amp" ? "&" : name == "lt" ? "<" : name == "gt" ? ">" : name == "quot" ? "\"" : "'";
      }
      at = static_cast<size_t>(ref->position() + ref->length());
    }
    texts.push_back(text + raw.substr(at));
  }
  return texts;
}

size_t CountText(const std::vector<std::string>& texts, const std::string& text) {
  return static_cast<size_t>(std::count(texts.begin(), texts.end(), text));
}

size_t CountSvgElements(const std::string& svg_path, const std::string& tag, const std::string& attribute) {
  const std::string svg = ReadBytes(svg_path);
  size_t count = 0;
  for (size_t at = svg.find("<" + tag); at != std::string::npos; at = svg.find("<" + tag, at + 1))
    count += svg.substr(at, svg.find('>', at) - at).find(attribute) != std::string::npos;
  return count;
}

}  // namespace jsqa::testing
