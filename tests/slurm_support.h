// A private single-node SLURM for the tests that run jobs through srun and
// sbatch: tests/slurm/local_slurm.sh brings up munged, slurmctld and slurmd
// under a temporary folder and on free ports; they stop with the object.
//
//   LocalSlurm slurm;
//   if (!slurm.available()) GTEST_SKIP() << slurm.skip_reason();
//   std::string output;
//   EXPECT_EQ(slurm.Run("srun -n 2 hostname", &output), 0) << output;
//
// Starting takes well under a second once the packages are installed (root
// and the Debian packages slurmctld, slurmd, slurm-client and munge are
// needed; without them available() is false and skip_reason() says why).
// Share one instance across a test suite (SetUpTestSuite) rather than
// starting one per test.
#pragma once

#include <string>

#include "tests/test_support.h"

namespace jsqa::testing {

class LocalSlurm {
 public:
  LocalSlurm();   // starts the daemons; never throws for a SLURM that cannot start
  ~LocalSlurm();  // stops exactly the daemons it started
  LocalSlurm(const LocalSlurm&) = delete;
  LocalSlurm& operator=(const LocalSlurm&) = delete;

  bool available() const { return available_; }
  // One line: why SLURM could not start (empty when available).
  const std::string& skip_reason() const { return skip_reason_; }
  // The slurm.conf the clients need (SLURM_CONF); empty when not available.
  const std::string& conf() const { return conf_; }
  // The daemons' folder: slurm.conf, state, logs (log/slurmctld.log, ...).
  const std::filesystem::path& state_dir() const { return state_.path(); }

  // Runs a shell command with SLURM_CONF set; returns its exit status and
  // fills output (stdout and stderr together) when given. Returns -1 with
  // skip_reason() as output when SLURM is not available.
  int Run(const std::string& command, std::string* output = nullptr) const;

 private:
  TempDir state_;
  bool available_ = false;
  std::string skip_reason_;
  std::string conf_;
};

// The script behind LocalSlurm (tests/slurm/local_slurm.sh in the sources).
std::string LocalSlurmScript();

}  // namespace jsqa::testing
