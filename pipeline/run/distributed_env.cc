#include "pipeline/run/distributed_env.h"

#include <cstdlib>
#include <cstring>

#include "pipeline/base/error.h"
#include "pipeline/run/slurm_hostlist.h"

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

// Derived ports: [kFirstPort, kLastPort] less [kSkippedFirst, kSkippedLast]
// (see DerivedMasterPort in the header).
constexpr int kFirstPort = 20000, kLastPort = 32767;
constexpr int kSkippedFirst = 29400, kSkippedLast = 29599;
constexpr int kDerivedPorts = (kLastPort - kFirstPort + 1) - (kSkippedLast - kSkippedFirst + 1);

// One SplitMix64 step: every input bit moves every output bit, so
// neighbouring ids land far apart.
uint64_t Mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

int DerivedMasterPort(int64_t job_id, int64_t step_id) {
  const uint64_t key = Mix64(static_cast<uint64_t>(job_id)) ^ static_cast<uint64_t>(step_id);
  int port = kFirstPort + static_cast<int>(Mix64(key) % kDerivedPorts);
  if (port >= kSkippedFirst) port += kSkippedLast - kSkippedFirst + 1;
  return port;
}

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
    // The master is the step's first host, unless MASTER_ADDR names it (then
    // the list is not read, nor refused).
    const char* name = Variable("SLURM_STEP_NODELIST") ? "SLURM_STEP_NODELIST" : "SLURM_JOB_NODELIST";
    const char* nodes = Variable(name);
    if (nodes && !Variable("MASTER_ADDR")) env.master_addr = ExpandSlurmHostList(nodes, name).front();
    // Steps sharing a node need distinct ports: derive one from the job and step.
    env.master_port = DerivedMasterPort(IntVariable("SLURM_JOB_ID", 0), IntVariable("SLURM_STEP_ID", 0));
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
