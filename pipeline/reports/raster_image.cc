#include "pipeline/reports/raster_image.h"

#include <png.h>

#include <algorithm>
#include <csetjmp>
#include <cstdlib>

#include "pipeline/base/error.h"
#include "pipeline/reports/bitmap_font.h"

namespace jsqa {
namespace {

constexpr int kMaxSide = 16384;  // pixels; keeps width * height * 3 far from int overflow

void AppendToString(png_structp png, png_bytep data, png_size_t length) {
  static_cast<std::string*>(png_get_io_ptr(png))->append(reinterpret_cast<const char*>(data), length);
}

// libpng reports errors by longjmp to the setjmp below, so this function holds
// no C++ objects whose destructors a longjmp would skip.
bool EncodeRows(png_structp png, png_infop info, const uint8_t* pixels, int width, int height, std::string* out) {
  if (setjmp(png_jmpbuf(png))) return false;
  png_set_write_fn(png, out, AppendToString, nullptr);
  png_set_IHDR(png, info, static_cast<png_uint_32>(width), static_cast<png_uint_32>(height), 8, PNG_COLOR_TYPE_RGB,
               PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  for (int y = 0; y < height; ++y) png_write_row(png, pixels + static_cast<size_t>(y) * width * 3);
  png_write_end(png, nullptr);
  return true;
}

}  // namespace

RgbImage::RgbImage(int width, int height, Rgb background) : width_(width), height_(height) {
  JSQA_CHECK(width >= 1 && height >= 1 && width <= kMaxSide && height <= kMaxSide, "image size ", width, "x", height,
             " is outside 1..", kMaxSide, " pixels per side");
  pixels_.resize(static_cast<size_t>(width) * height * 3);
  for (size_t i = 0; i < pixels_.size(); i += 3) {
    pixels_[i] = background.r;
    pixels_[i + 1] = background.g;
    pixels_[i + 2] = background.b;
  }
}

Rgb RgbImage::At(int x, int y) const {
  JSQA_CHECK(x >= 0 && y >= 0 && x < width_ && y < height_, "pixel (", x, ", ", y, ") is outside the ", width_, "x",
             height_, " image");
  const uint8_t* p = &pixels_[(static_cast<size_t>(y) * width_ + x) * 3];
  return {p[0], p[1], p[2]};
}

void RgbImage::Set(int x, int y, Rgb color) {
  if (x < 0 || y < 0 || x >= width_ || y >= height_) return;
  uint8_t* p = &pixels_[(static_cast<size_t>(y) * width_ + x) * 3];
  p[0] = color.r;
  p[1] = color.g;
  p[2] = color.b;
}

void RgbImage::FillRect(int x0, int y0, int x1, int y1, Rgb color) {
  // Clip first so that a huge rectangle costs only the visible pixels.
  const int left = std::max(std::min(x0, x1), 0), right = std::min(std::max(x0, x1), width_ - 1);
  const int top = std::max(std::min(y0, y1), 0), bottom = std::min(std::max(y0, y1), height_ - 1);
  for (int y = top; y <= bottom; ++y) {
    for (int x = left; x <= right; ++x) Set(x, y, color);
  }
}

void RgbImage::DrawLine(int x0, int y0, int x1, int y1, Rgb color, int thickness) {
  const int before = (thickness - 1) / 2, after = thickness / 2;  // pen extent around the line
  const int dx = std::abs(x1 - x0), dy = -std::abs(y1 - y0);
  const int step_x = x0 < x1 ? 1 : -1, step_y = y0 < y1 ? 1 : -1;
  int error = dx + dy;
  while (true) {
    if (thickness <= 1) {
      Set(x0, y0, color);
    } else {
      FillRect(x0 - before, y0 - before, x0 + after, y0 + after, color);
    }
    if (x0 == x1 && y0 == y1) break;
    const int doubled = 2 * error;
    if (doubled >= dy) {
      error += dy;
      x0 += step_x;
    }
    if (doubled <= dx) {
      error += dx;
      y0 += step_y;
    }
  }
}

void RgbImage::FillCircle(int cx, int cy, int radius, Rgb color) {
  for (int y = -radius; y <= radius; ++y) {
    for (int x = -radius; x <= radius; ++x) {
      // The +radius slack rounds the rim the way a disc of that radius looks.
      if (x * x + y * y <= radius * radius + radius) Set(cx + x, cy + y, color);
    }
  }
}

void RgbImage::DrawText(int x, int y, std::string_view text, Rgb color, int scale, bool vertical) {
  for (size_t i = 0; i < text.size(); ++i) {
    const Glyph& glyph = GlyphFor(text[i]);
    const int top_row = GlyphTopRow(text[i]);
    const int offset = static_cast<int>(i) * kGlyphAdvance;  // along the reading direction, font pixels
    for (int r = 0; r < kGlyphRows; ++r) {
      for (int col = 0; col < kGlyphWidth; ++col) {
        if (!(glyph[r] & (0x10 >> col))) continue;
        const int row = top_row + r;
        // Horizontal: reading direction +x, rows downward. Vertical: reading
        // direction -y from the bottom, rows rightward (glyph tops face left).
        const int along = offset + col;
        const int px = vertical ? x + row * scale : x + along * scale;
        const int py = vertical ? y - (along + 1) * scale + 1 : y + row * scale;
        FillRect(px, py, px + scale - 1, py + scale - 1, color);
      }
    }
  }
}

std::string RgbImage::EncodePng() const {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  JSQA_CHECK(png != nullptr, "cannot start the PNG encoder (out of memory?)");
  png_infop info = png_create_info_struct(png);
  std::string bytes;
  const bool ok = info != nullptr && EncodeRows(png, info, pixels_.data(), width_, height_, &bytes);
  png_destroy_write_struct(&png, &info);
  JSQA_CHECK(ok, "PNG encoding failed (out of memory?)");
  return bytes;
}

}  // namespace jsqa
