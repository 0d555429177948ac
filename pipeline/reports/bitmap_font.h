// A 5x7 pixel font for printable ASCII (32..126), enough to label charts
// without a font file or a font library.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace jsqa {

constexpr int kGlyphWidth = 5;  // pixels
constexpr int kGlyphRows = 7;   // pixels drawn per glyph
// Line height in pixels: 7 rows plus 2 below the baseline into which g, p, q
// and y are shifted to give them descenders.
constexpr int kGlyphHeight = kGlyphRows + 2;
constexpr int kGlyphAdvance = kGlyphWidth + 1;  // one blank column between

// One row per byte, top row first; bit 4 is the leftmost pixel.
using Glyph = std::array<uint8_t, kGlyphRows>;

// The glyph for c; characters outside 32..126 draw as '?'.
const Glyph& GlyphFor(char c);

// Rows (0 or 2) by which c's glyph is drawn below the top of the line.
int GlyphTopRow(char c);

// Width in pixels of text drawn at scale 1 (no trailing blank column).
int TextWidth(std::string_view text);

}  // namespace jsqa
