// What an encoder.pt or model.pt holds, for `jsqa-pipeline inspect`.
// No torch in this header: the command line includes it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace jsqa {

struct ModelFileInfo {
  std::string kind;  // "MOS model" (model.pt: encoder + MOS head) or "encoder" (encoder.pt)
  bool architecture_recorded = false;  // false: an older encoder.pt; strides unknown
  std::vector<int64_t> channels;       // per Conv1d layer
  std::vector<int64_t> strides;        // per layer; empty when not recorded
  int64_t kernel_size = 0;
  int64_t parameters = 0;          // trainable values, head included
  int64_t encoder_parameters = 0;
  double gflops_per_audio_second = 0.0;  // encoder forward, 2 × MACs at 16 kHz; 0 when strides are unknown
};

// Throws jsqa::Error naming path when it is not one of the two files.
ModelFileInfo ReadModelFileInfo(const std::string& path);

}  // namespace jsqa
