#include "pipeline/synthesis/synth_graph.h"

#include <tbb/flow_graph.h>
#include <tbb/task_arena.h>

namespace jsqa {

void RunSynthGraph(const std::vector<SynthUnit>& units, const PairMaker& maker, PairSink& sink,
                   const SynthGraphArgs& args) {
  namespace flow = tbb::flow;
  using Result = std::shared_ptr<UnitResult>;
  const size_t in_flight = args.max_in_flight > 0 ? args.max_in_flight : 4 * std::max(1, args.threads);

  tbb::task_arena arena(std::max(1, args.threads));
  arena.execute([&] {
    flow::graph graph;
    size_t next = 0;  // only touched by the serial input node
    flow::input_node<const SynthUnit*> source(graph, [&](tbb::flow_control& control) -> const SynthUnit* {
      if (next >= units.size() || (args.stop && args.stop->load())) {
        control.stop();
        return nullptr;
      }
      return &units[next++];
    });
    flow::limiter_node<const SynthUnit*> limiter(graph, in_flight);
    flow::function_node<const SynthUnit*, Result> work(graph, flow::unlimited, [&](const SynthUnit* unit) {
      Result result = std::make_shared<UnitResult>(maker.Make(*unit));
      sink.Prepare(*result);
      return result;
    });
    flow::sequencer_node<Result> order(graph, [](const Result& result) { return static_cast<size_t>(result->seq); });
    flow::function_node<Result, flow::continue_msg> write(graph, flow::serial, [&](const Result& result) {
      sink.Consume(*result);
      if (args.progress) args.progress->Advance(result->counts.segments);
      return flow::continue_msg();
    });
    flow::make_edge(source, limiter);
    flow::make_edge(limiter, work);
    flow::make_edge(work, order);
    flow::make_edge(order, write);
    flow::make_edge(write, limiter.decrementer());
    source.activate();
    graph.wait_for_all();
  });
}

}  // namespace jsqa
