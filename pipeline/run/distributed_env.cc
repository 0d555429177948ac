#include "pipeline/run/distributed_env.h"

#include <cstdlib>
#include <cstring>

#include "pipeline/base/error.h"

namespace jsqa {
namespace {

const char* Variable(const char* name) {
  const char* value = std::getenv(name);
  return value && *value ? value : nullptr;
}

int IntVariable(const char* name, int fallback) {
  const char* value = Variable(name);
  if (!value) return fallback;
  try {
    size_t used = 0;
    const int parsed = std::stoi(value, &used);
    if (used == std::strlen(value)) return parsed;
  } catch (const std::exception&) {
  }
  throw UsageError(std::string(name) + " = '" + value + "': not an integer");
}

// "node[01-04,07],gpu5" → "node01": the first host of a SLURM node list.
std::string FirstSlurmHost(const std::string& list) {
  const size_t stop = list.find_first_of(",[");
  std::string host = list.substr(0, stop);
  if (stop != std::string::npos && list[stop] == '[') {
    const size_t end = list.find_first_of(",-]", stop + 1);
    host += list.substr(stop + 1, end - stop - 1);
  }
  return host;
}

}  // namespace

DistributedEnv DistributedEnv::FromEnvironment() {
  DistributedEnv env;
  if (Variable("WORLD_SIZE")) {  // torchrun, or set by hand
    env.world = IntVariable("WORLD_SIZE", 1);
    env.rank = IntVariable("RANK", 0);
    env.local_rank = IntVariable("LOCAL_RANK", env.rank);
  } else if (Variable("SLURM_STEP_ID") && Variable("SLURM_PROCID")) {
    // A task of an srun step. (A batch script sees SLURM_NTASKS and
    // SLURM_PROCID too, but no step: it is one process.)
    env.world = IntVariable("SLURM_STEP_NUM_TASKS", IntVariable("SLURM_NTASKS", 1));
    env.rank = IntVariable("SLURM_PROCID", 0);
    env.local_rank = IntVariable("SLURM_LOCALID", 0);
    const char* nodes = Variable("SLURM_STEP_NODELIST");
    if (!nodes) nodes = Variable("SLURM_JOB_NODELIST");
    if (nodes) env.master_addr = FirstSlurmHost(nodes);
    // Steps sharing a node need distinct ports: derive one from the job and step.
    env.master_port = 20000 + (IntVariable("SLURM_JOB_ID", 0) * 16 + IntVariable("SLURM_STEP_ID", 0)) % 20000;
  }
  if (const char* addr = Variable("MASTER_ADDR")) env.master_addr = addr;
  env.master_port = IntVariable("MASTER_PORT", env.master_port);
  if (env.world < 1 || env.rank < 0 || env.rank >= env.world)
    throw UsageError("rank " + std::to_string(env.rank) + " of world " + std::to_string(env.world) +
                     ": need 0 <= rank < world (RANK/WORLD_SIZE or SLURM_PROCID/SLURM_STEP_NUM_TASKS)");
  if (env.master_port < 1 || env.master_port > 65535)
    throw UsageError("MASTER_PORT = " + std::to_string(env.master_port) + ": allowed: 1..65535");
  return env;
}

}  // namespace jsqa
