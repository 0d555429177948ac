// An 8-bit RGB canvas with the few drawing primitives charts need, and its
// PNG encoding. Pixel (0, 0) is the top-left corner; drawing outside the
// canvas is clipped, never an error.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace jsqa {

struct Rgb {
  uint8_t r = 0, g = 0, b = 0;
  bool operator==(const Rgb& other) const { return r == other.r && g == other.g && b == other.b; }
  bool operator!=(const Rgb& other) const { return !(*this == other); }
};

class RgbImage {
 public:
  // Throws jsqa::Error unless 1 <= width, height <= 16384 pixels.
  RgbImage(int width, int height, Rgb background);

  int width() const { return width_; }
  int height() const { return height_; }
  Rgb At(int x, int y) const;  // throws outside the canvas

  void Set(int x, int y, Rgb color);
  // Corners inclusive, in any order.
  void FillRect(int x0, int y0, int x1, int y1, Rgb color);
  // Bresenham; thickness in pixels is a square pen centred on the line.
  void DrawLine(int x0, int y0, int x1, int y1, Rgb color, int thickness = 1);
  void FillCircle(int cx, int cy, int radius, Rgb color);
  // Text in the 5x7 bitmap font (bitmap_font.h), each font pixel a
  // scale x scale block, kGlyphHeight * scale pixels per line; (x, y) is the
  // top-left corner. Vertical text reads bottom to top (rotated
  // 90 degrees counter-clockwise) and (x, y) is then its bottom-left corner.
  void DrawText(int x, int y, std::string_view text, Rgb color, int scale = 1, bool vertical = false);

  // The image as PNG file bytes (8-bit RGB, no interlace).
  std::string EncodePng() const;

 private:
  int width_;
  int height_;
  std::vector<uint8_t> pixels_;  // row-major, 3 bytes (R, G, B) per pixel
};

}  // namespace jsqa
