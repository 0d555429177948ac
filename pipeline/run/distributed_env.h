// Where this process stands among the training processes, from torchrun's
// variables (RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT) or, in
// a task of an srun step, SLURM's (SLURM_PROCID, SLURM_STEP_NUM_TASKS,
// SLURM_LOCALID; the master from MASTER_ADDR/MASTER_PORT, else the first
// host of the step's node list and a port derived from the job and step
// ids, see DerivedMasterPort). No torch here: the command line uses it to
// let rank 0 alone write files, and `run` to refuse running as many processes.
#pragma once

#include <cstdint>
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

// The master port of an srun step when MASTER_PORT is unset: a hash of
// (job id, step id) spread over 20000..32767 less 29400..29599, so that
// - it is below Linux's ephemeral range (32768..60999 by default), where
//   the kernel hands ports to outgoing connections and one may hold it;
// - it avoids torch's defaults (rendezvous 29400, MASTER_PORT 29500) and
//   the ports people count up from them, used by torchrun jobs on the node;
// - two steps on one node collide with probability 1/12568 whatever their
//   ids (a linear formula makes some neighbours always collide).
// Every rank computes it on its own node, so it depends on nothing but the
// ids: not on a node's ip_local_port_range, which ranks could disagree on.
// A cluster whose nodes lowered that range, or a collision, needs MASTER_PORT.
int DerivedMasterPort(int64_t job_id, int64_t step_id);

}  // namespace jsqa
