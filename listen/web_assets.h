// The listening test's page (listen/web/: plain HTML, CSS and JavaScript),
// compiled into the binary by cmake/embed_web_assets.cmake so that the
// server reads no file a request could name.
#pragma once

#include <string>

namespace jsqa {

struct WebAsset {
  const char* name;          // "index.html", "app.js", ...
  const char* content_type;  // "text/html; charset=utf-8", ...
  const unsigned char* bytes;
  unsigned long size;
};

// The asset called name; nullptr for any other name.
const WebAsset* FindWebAsset(const std::string& name);

}  // namespace jsqa
