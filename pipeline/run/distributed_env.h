// Where this process stands among the training processes, from torchrun's
// variables (RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT) or, in
// a task of an srun step, SLURM's (SLURM_PROCID, SLURM_STEP_NUM_TASKS,
// SLURM_LOCALID; the master from MASTER_ADDR/MASTER_PORT, else the first
// host of the step's node list and a port derived from the job and step
// ids). No torch here: the command line uses it to let rank 0 alone write
// files, and `run` to refuse running as many processes.
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
