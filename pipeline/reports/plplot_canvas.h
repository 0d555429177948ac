// One PLplot page rendered to bytes in memory: the only place that starts
// and ends PLplot streams.
//
// PLplot keeps process-wide state (the current stream, its error handlers),
// so every render holds one process-wide mutex: plots may be drawn from any
// thread, one at a time. Each render makes a fresh stream (plmkstrm) and
// ends it (plend1), so no setting leaks from one plot into the next.
//
// The device writes into a memory buffer handed over with plsfile, never to
// a path of its own: PLplot answers a path it cannot open by retrying and
// then calling exit(), and a buffer lets the caller write the file
// atomically.
#pragma once

#include <functional>
#include <string>

namespace jsqa {

// Runs draw on a new PLplot stream of device ("pngcairo", "svg") with a page
// of width x height pixels (SVG: points) and a white background, and returns
// what the device wrote: the whole PNG or SVG file. draw runs after plinit
// with the page advanced (pladv) and may call any PLplot drawing function.
// Throws jsqa::Error when the device is not installed (naming its Debian
// package) or PLplot reports an error; PLplot prints nothing on success.
std::string RenderPlplotPage(const std::string& device, int width, int height, const std::function<void()>& draw);

}  // namespace jsqa
