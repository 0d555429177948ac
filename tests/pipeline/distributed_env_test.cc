// Where a training process stands among the others, from torchrun's or
// SLURM's variables: SLURM's host list syntax, the master port derived from
// the job and step ids, and the variables that override both.
#include <gtest/gtest.h>

#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "pipeline/base/error.h"
#include "pipeline/run/distributed_env.h"
#include "tests/test_support.h"
#include "pipeline/run/slurm_hostlist.h"

namespace jsqa {
namespace {

using Hosts = std::vector<std::string>;

Hosts Expand(const std::string& list) { return ExpandSlurmHostList(list, "SLURM_STEP_NODELIST"); }

TEST(SlurmHostListTest, ExpandsPrefixRangesPaddingSuffixGroupsAndLists) {
  EXPECT_EQ(Expand("cpu1"), (Hosts{"cpu1"}));
  EXPECT_EQ(Expand("gpu-a[01-02]-ib"), (Hosts{"gpu-a01-ib", "gpu-a02-ib"}));  // the suffix stays
  EXPECT_EQ(Expand("n[7,9-10]"), (Hosts{"n7", "n9", "n10"}));
  EXPECT_EQ(Expand("n[08-10]"), (Hosts{"n08", "n09", "n10"}));  // the width of the first number
  EXPECT_EQ(Expand("n[8-10]"), (Hosts{"n8", "n9", "n10"}));
  EXPECT_EQ(Expand("n[001-2]"), (Hosts{"n001", "n002"}));
  EXPECT_EQ(Expand("[1-2]x"), (Hosts{"1x", "2x"}));
  EXPECT_EQ(Expand("rack[1-2]-node[01-04]"),
            (Hosts{"rack1-node01", "rack1-node02", "rack1-node03", "rack1-node04", "rack2-node01", "rack2-node02",
                   "rack2-node03", "rack2-node04"}));
  EXPECT_EQ(Expand("a,b[1-3]"), (Hosts{"a", "b1", "b2", "b3"}));
  EXPECT_EQ(Expand("gpu[03-04,09],cpu1,x[2]-ib.local"), (Hosts{"gpu03", "gpu04", "gpu09", "cpu1", "x2-ib.local"}));
}

TEST(SlurmHostListTest, MalformedListsAreOneLineUsageErrorsNamingTheVariableAndValue) {
  for (const std::string list : {"", "a,", ",a", "a,,b", "n[1-2", "n1-2]", "n[[1]]", "n[]", "n[1,]", "n[-2]",
                                 "n[1-]", "n[a-b]", "n[3-1]", "n[1-2-3]", "a b", "n[1-9999999]",
                                 "n[1-1000]-m[1-1001]"}) {
    try {
      ExpandSlurmHostList(list, "SLURM_JOB_NODELIST");
      ADD_FAILURE() << "'" << list << "' was accepted";
    } catch (const UsageError& error) {
      const std::string message = error.what();
      EXPECT_EQ(message.rfind("SLURM_JOB_NODELIST = '" + list + "': not a SLURM host list: ", 0), 0u) << message;
      EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    }
  }
}

TEST(DerivedMasterPortTest, LiteralPortsForGivenIds) {
  // Pinned: every rank of a step must compute the same port, in every build.
  EXPECT_EQ(DerivedMasterPort(123456, 2), 20337);
  EXPECT_EQ(DerivedMasterPort(123456, 3), 30045);
  EXPECT_EQ(DerivedMasterPort(123457, 2), 23472);
  EXPECT_EQ(DerivedMasterPort(0, 0), 30527);
  // Pairs that the former formula 20000 + (16·job + step) mod 20000 always
  // gave one port: a job's step 16 and the next job's step 0; jobs 1250 apart.
  EXPECT_NE(DerivedMasterPort(123456, 18), DerivedMasterPort(123457, 2));
  EXPECT_NE(DerivedMasterPort(123456, 2), DerivedMasterPort(124706, 2));
}

TEST(DerivedMasterPortTest, NeverInTheEphemeralRangeNorOnTorchsDefaults) {
  std::set<int> ports;
  for (int64_t job = 1; job <= 50000; ++job)
    for (int64_t step = 0; step < 4; ++step) {
      const int port = DerivedMasterPort(job, step);
      ASSERT_GE(port, 20000) << job << "." << step;
      ASSERT_LT(port, 32768) << job << "." << step;  // Linux's default ephemeral range is 32768..60999
      ASSERT_FALSE(port >= 29400 && port <= 29599) << job << "." << step << ": " << port;
      ports.insert(port);
    }
  // 200000 draws over 12568 ports leave none unused (expected unused < 1e-3).
  EXPECT_EQ(ports.size(), 12568u);
}

// (tests/model/training_test.cc has torchrun's variables and the plain cases.)
class SlurmEnvironmentTest : public ::testing::Test {
 protected:
  void TearDown() override {
    testing::UnsetDistributedEnvironment();
  }
};

TEST_F(SlurmEnvironmentTest, FirstHostOfTheStepsNodeListAndTheDerivedPort) {
  // What a batch script sees: one process, however many tasks the job has.
  setenv("SLURM_PROCID", "0", 1);
  setenv("SLURM_NTASKS", "8", 1);
  setenv("SLURM_JOB_NODELIST", "gpu[03-06,09],cpu1", 1);
  setenv("SLURM_JOB_ID", "123456", 1);
  EXPECT_EQ(DistributedEnv::FromEnvironment().world, 1);
  // A task of an srun step.
  setenv("SLURM_STEP_ID", "2", 1);
  setenv("SLURM_STEP_NUM_TASKS", "8", 1);
  setenv("SLURM_PROCID", "5", 1);
  setenv("SLURM_LOCALID", "1", 1);
  DistributedEnv env = DistributedEnv::FromEnvironment();
  EXPECT_EQ(env.rank, 5);
  EXPECT_EQ(env.world, 8);
  EXPECT_EQ(env.local_rank, 1);
  EXPECT_EQ(env.master_addr, "gpu03");
  EXPECT_EQ(env.master_port, 20337);  // DerivedMasterPort(123456, 2)
  // The step's own list wins over the job's; the host keeps its suffix.
  setenv("SLURM_STEP_NODELIST", "gpu-a[01-02]-ib", 1);
  EXPECT_EQ(DistributedEnv::FromEnvironment().master_addr, "gpu-a01-ib");
  setenv("SLURM_STEP_ID", "3", 1);  // another step of the job on the node: another port
  EXPECT_EQ(DistributedEnv::FromEnvironment().master_port, 30045);
  setenv("MASTER_PORT", "30001", 1);  // an explicit master wins
  setenv("MASTER_ADDR", "head", 1);
  env = DistributedEnv::FromEnvironment();
  EXPECT_EQ(env.master_port, 30001);
  EXPECT_EQ(env.master_addr, "head");
}

TEST_F(SlurmEnvironmentTest, MalformedNodeListNamesTheVariableItCameFrom) {
  setenv("SLURM_STEP_ID", "0", 1);
  setenv("SLURM_PROCID", "0", 1);
  setenv("SLURM_JOB_NODELIST", "gpu[01-02", 1);
  try {
    DistributedEnv::FromEnvironment();
    ADD_FAILURE() << "accepted";
  } catch (const UsageError& error) {
    EXPECT_EQ(std::string(error.what()), "SLURM_JOB_NODELIST = 'gpu[01-02': not a SLURM host list: '[' without ']'");
  }
  setenv("SLURM_STEP_NODELIST", "gpu]", 1);
  EXPECT_THROW(
      try { DistributedEnv::FromEnvironment(); } catch (const UsageError& error) {
        EXPECT_EQ(std::string(error.what()).rfind("SLURM_STEP_NODELIST = 'gpu]'", 0), 0u) << error.what();
        throw;
      },
      UsageError);
  setenv("MASTER_ADDR", "head", 1);  // a list nobody needs is not read
  EXPECT_EQ(DistributedEnv::FromEnvironment().master_addr, "head");
}

}  // namespace
}  // namespace jsqa
