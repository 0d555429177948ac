// Reading what an SVG chart says (PLplot's svg device writes its text as
// <text> elements, each character as a reference like "&#x394;"), so tests
// check titles, labels and legends rather than pixels.
#pragma once

#include <string>
#include <vector>

namespace jsqa::testing {

// The strings of the file's <text> elements in document order, tags
// stripped and character references decoded to UTF-8.
std::vector<std::string> SvgTexts(const std::string& svg_path);

// How many of texts equal text.
size_t CountText(const std::vector<std::string>& texts, const std::string& text);

// Elements <tag ...> of the file, only those whose attributes contain
// attribute when it is given (e.g. "stroke=\"#1F77B4\"").
size_t CountSvgElements(const std::string& svg_path, const std::string& tag, const std::string& attribute = "");

}  // namespace jsqa::testing
