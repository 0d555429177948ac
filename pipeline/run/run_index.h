// RUN_DIR/stages.tsv: every finished stage folder of a run folder, so
// folders can be told apart without opening each config.ini. Columns:
//   stage    the stage's name
//   key      the folder's cache key (the folder is <stage>-<key>)
//   status   current (RUN_DIR/<stage> links to it) or kept
//   differs  the settings and input folders in which this folder differs
//            from the other folders of the same stage ("section.key=value;
//            input prepare=<key>; ..."; empty when the stage has one folder)
// Rewritten whole (atomically) after each run.
#pragma once

#include <string>

namespace jsqa {

void WriteRunIndex(const std::string& run_dir);

}  // namespace jsqa
