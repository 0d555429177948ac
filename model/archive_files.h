// torch archives to and from files: whole, atomic writes (a kill never
// leaves a half-written checkpoint or model), and errors that name the file.
#pragma once

#include <torch/torch.h>

#include <string>

namespace jsqa {

// Serialises in memory, then writes path + ".tmp", fsyncs and renames.
void SaveArchive(torch::serialize::OutputArchive& archive, const std::string& path);
// Reads path with its tensors on device, whatever device they were saved
// from: a file saved by rank 0 on cuda:0 lands on this rank's own GPU, and
// one saved on a GPU reads in a CPU-only build. Throws jsqa::Error naming
// path when it is missing or not a torch archive.
void LoadArchive(torch::serialize::InputArchive& archive, const std::string& path,
                 const torch::Device& device = torch::kCPU);
// Copies every parameter and buffer of the archive into the module's own
// tensors (their device, dtype and identity stay; torch's module.load would
// swap in the file's tensors, shapes and device). Throws jsqa::Error naming
// path and the first tensor that is missing or has another shape.
void LoadModule(torch::nn::Module& module, torch::serialize::InputArchive& archive, const std::string& path);
// The first line of a c10::Error message (they carry long backtraces).
std::string FirstLine(const std::string& text);

}  // namespace jsqa
