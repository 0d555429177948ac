// Reader for the NISQA corpus layout (see FORMATS.md):
//   ROOT/NISQA_<DB>/NISQA_<DB>_file.csv   columns looked up by name
//   ROOT/NISQA_<DB>/deg/*.wav             filepath_deg is relative to ROOT
#pragma once

#include <string>
#include <vector>

#include "pipeline/corpus/corpus_item.h"

namespace jsqa {

struct NisqaReadArgs {
  // Allow filepath_deg values that are absolute or leave ROOT through "..".
  bool allow_outside_root = false;
  // Check that each referenced file exists (skip with a reason if not).
  bool require_files = true;
};

// Reads one NISQA-style CSV (RFC 4180: quoted fields with commas and doubled
// quotes, CRLF, a UTF-8 BOM, blank lines). Needs columns db, filepath_deg and
// mos (any order; others ignored); a missing column throws jsqa::Error naming
// the CSV and the column. Rows with a non-numeric mos, mos outside [1, 5], an
// empty path, a path leaving ROOT (unless allowed) or a missing file are
// skipped with "csv:LINE" and the reason. Item id is "<db>/<file stem>"; tags,
// in order: db. CorpusItem::path is ROOT/filepath_deg.
CorpusListing ReadNisqaCsv(const std::string& csv_path, const std::string& root,
                           const NisqaReadArgs& args = {});

// Reads ROOT/NISQA_<DB>/NISQA_<DB>_file.csv for each db name (with or without
// the "NISQA_" prefix, e.g. "TEST_FOR" or "NISQA_TEST_FOR") and concatenates.
// A db whose CSV is missing throws jsqa::Error naming the expected path.
CorpusListing ListNisqa(const std::string& root, const std::vector<std::string>& dbs,
                        const NisqaReadArgs& args = {});

}  // namespace jsqa
