#include "tools/cli/report_tables.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "pipeline/base/progress.h"

namespace jsqa {
namespace {

using Json = nlohmann::json;

bool EndsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string FormatScalar(const std::string& name, const Json& value) {
  if (value.is_null()) return "-";
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  if (value.is_number_integer() || value.is_number_unsigned()) return value.dump();
  if (value.is_number_float()) {
    const double number = value.get<double>();
    if (name == "seconds" || EndsWith(name, "_seconds")) return FormatSeconds(number);
    char text[32];
    std::snprintf(text, sizeof text, "%.4g", number);
    return text;
  }
  if (value.is_string()) {
    const std::string text = value.get<std::string>();
    const auto lines = std::count(text.begin(), text.end(), '\n');
    return lines == 0 ? text : "(" + std::to_string(lines) + " lines of text)";
  }
  // An array of scalars.
  std::string joined;
  for (const Json& element : value) joined += (joined.empty() ? "" : ", ") + FormatScalar(name, element);
  return "[" + joined + "]";
}

bool IsScalarOrScalarArray(const Json& value) {
  if (!value.is_structured()) return true;
  return value.is_array() && std::none_of(value.begin(), value.end(), [](const Json& e) { return e.is_structured(); });
}

// A record: an object of scalars. A table: an object or array of records.
bool IsRecord(const Json& value) {
  return value.is_object() && !value.empty() &&
         std::all_of(value.begin(), value.end(), [](const Json& field) { return IsScalarOrScalarArray(field); });
}
bool IsTable(const Json& value) {
  return value.is_structured() && !value.empty() && std::all_of(value.begin(), value.end(), IsRecord);
}

struct Table {
  std::string name;
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
};

Table MakeTable(const std::string& name, const Json& records) {
  Table table{name, {}, {}};
  const bool keyed = records.is_object();
  if (keyed) table.columns.push_back("");
  for (const Json& record : records)
    for (const auto& field : record.items())
      if (std::find(table.columns.begin(), table.columns.end(), field.key()) == table.columns.end())
        table.columns.push_back(field.key());
  for (const auto& entry : records.items()) {
    std::vector<std::string> row;
    if (keyed) row.push_back(entry.key());
    for (size_t c = keyed ? 1 : 0; c < table.columns.size(); ++c)
      row.push_back(entry.value().contains(table.columns[c])
                        ? FormatScalar(table.columns[c], entry.value()[table.columns[c]])
                        : "-");
    table.rows.push_back(std::move(row));
  }
  return table;
}

void Flatten(const std::string& prefix, const Json& object, std::vector<std::pair<std::string, std::string>>& rows,
             std::vector<Table>& tables) {
  for (const auto& entry : object.items()) {
    const std::string name = prefix + entry.key();
    const Json& value = entry.value();
    if (IsScalarOrScalarArray(value))
      rows.emplace_back(name, FormatScalar(entry.key(), value));
    else if (value.empty())
      rows.emplace_back(name, "none");
    else if (IsTable(value))
      tables.push_back(MakeTable(name, value));
    else if (value.is_object())
      Flatten(name + ".", value, rows, tables);
    else
      rows.emplace_back(name, value.dump());
  }
}

}  // namespace

void PrintTable(std::ostream& out, const std::vector<std::vector<std::string>>& rows, const std::string& indent) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()), 0);
    for (size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
  }
  for (const auto& row : rows) {
    std::string line = indent;
    for (size_t c = 0; c < row.size(); ++c) line += row[c] + std::string(widths[c] - row[c].size() + 2, ' ');
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << "\n";
  }
}

void PrintJsonReport(std::ostream& out, const Json& report, const char* indent) {
  std::vector<std::pair<std::string, std::string>> rows;
  std::vector<Table> tables;
  if (report.is_object()) Flatten("", report, rows, tables);
  size_t width = 0;
  for (const auto& row : rows) width = std::max(width, row.first.size());
  for (const auto& row : rows)
    out << indent << row.first << std::string(width - row.first.size() + 2, ' ') << row.second << "\n";
  for (const Table& table : tables) {
    out << indent << table.name << ":\n";
    std::vector<std::vector<std::string>> rows_with_header{table.columns};
    rows_with_header.insert(rows_with_header.end(), table.rows.begin(), table.rows.end());
    PrintTable(out, rows_with_header, std::string(indent) + "  ");
  }
}

}  // namespace jsqa
