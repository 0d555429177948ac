// torch archives to and from files: whole, atomic writes (a kill never
// leaves a half-written checkpoint or model), and errors that name the file.
#pragma once

#include <torch/torch.h>

#include <string>

namespace jsqa {

// Serialises in memory, then writes path + ".tmp", fsyncs and renames.
void SaveArchive(torch::serialize::OutputArchive& archive, const std::string& path);
// Throws jsqa::Error naming path when it is missing or not a torch archive.
void LoadArchive(torch::serialize::InputArchive& archive, const std::string& path);
// module.load(archive) that also checks every parameter and buffer kept
// its shape (torch's load silently takes the file's shapes); throws
// jsqa::Error naming path and the first tensor that differs.
void LoadModule(torch::nn::Module& module, torch::serialize::InputArchive& archive, const std::string& path);
// The first line of a c10::Error message (they carry long backtraces).
std::string FirstLine(const std::string& text);

}  // namespace jsqa
