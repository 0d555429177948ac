// The synthesis flow graph (oneTBB):
//
//   input_node (units in order) → limiter_node (bounded in flight)
//     → function_node (unlimited: decode, resample, segment, mix, SVM,
//                      then the sink's Prepare)
//     → sequencer_node (by unit seq) → function_node (serial: the sink)
//
// Memory stays bounded by the limiter whatever the corpus size, and the sink
// sees results in unit order whatever the thread timing, so output bytes do
// not depend on the thread count. Messages are shared_ptrs: the sequencer and
// flow-graph buffers copy messages, and a unit's audio must not be copied.
#pragma once

#include <atomic>
#include <memory>
#include <vector>

#include "pipeline/synthesis/pair_maker.h"
#include "pipeline/base/progress.h"

namespace jsqa {

class PairSink {
 public:
  virtual ~PairSink() = default;
  // Called in the parallel stage, from many threads at once (each with its
  // own result), as soon as a unit is made: the work a sink can do before
  // its turn, so that Consume stays short.
  virtual void Prepare(UnitResult& /*result*/) const {}
  // Called from one thread at a time, in unit order.
  virtual void Consume(UnitResult& result) = 0;
};

struct SynthGraphArgs {
  int threads = 1;
  // Units being processed or waiting for the sink; 0: 4 per thread.
  int max_in_flight = 0;
  Progress* progress = nullptr;  // advanced by each unit's segment count
  // Checked before each unit is started: set it to end the run early.
  const std::atomic<bool>* stop = nullptr;
};

// Runs units through maker into sink. Errors other than bad input (which the
// maker counts) propagate out: e.g. the sink's disk-full error.
void RunSynthGraph(const std::vector<SynthUnit>& units, const PairMaker& maker, PairSink& sink,
                   const SynthGraphArgs& args);

}  // namespace jsqa
