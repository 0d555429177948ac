// Where this process stands among the training processes, from torchrun's
// variables (RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT) or
// SLURM's (SLURM_PROCID, SLURM_NTASKS, SLURM_LOCALID; the master from
// MASTER_ADDR/MASTER_PORT, else the first host of SLURM_JOB_NODELIST and a
// port derived from SLURM_JOB_ID). No torch here: the command line uses it
// to let rank 0 alone write files.
#pragma once

#include <string>

namespace jsqa {

struct DistributedEnv {
  int rank = 0;
  int world = 1;
  int local_rank = 0;  // picks the GPU with device = cuda
  std::string master_addr = "127.0.0.1";
  int master_port = 29500;

  // Throws UsageError for malformed or inconsistent variables.
  static DistributedEnv FromEnvironment();
};

}  // namespace jsqa
