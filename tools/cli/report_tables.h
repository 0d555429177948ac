// A summary.json, result.json or manifest.json printed for a person to read:
// aligned "name  value" rows, nested objects flattened to dotted names, and
// objects of records (by_environment, skipped_by_reason) or arrays of records
// (shards) as tables with a row each.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

namespace jsqa {

// rows[0] is the header; columns are aligned, two spaces apart.
void PrintTable(std::ostream& out, const std::vector<std::vector<std::string>>& rows, const std::string& indent);

// One unit per quantity: durations ("seconds", "*_seconds") as FormatSeconds
// writes them; other reals to 4 significant digits; multi-line strings (a
// config's text) left out, naming their line count.
void PrintJsonReport(std::ostream& out, const nlohmann::json& report, const char* indent = "  ");

}  // namespace jsqa
