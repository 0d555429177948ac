#include "listen/listen_config.h"

#include "listen/listening_condition.h"
#include "pipeline/base/error.h"

namespace jsqa {

std::string TaskName(ListenTask task) {
  switch (task) {
    case ListenTask::kTwoAfc: return "2afc";
    case ListenTask::kThreeAfc: return "3afc";
    case ListenTask::kSameDifferent: return "same_different";
  }
  return "";
}

void ListenConfig::Declare(KeyDeclarations& keys) {
  keys.Key("title", title, "the test's title on the listener's page");
  keys.Key("consent", consent, "consent text the listener agrees to before starting (plain text)");
  keys.Key("instructions", instructions, "instructions shown before the trials (plain text)");
  keys.Choice("task", task,
              "per trial: 2afc or 3afc (which interval is the more degraded one?) or same_different",
              {{"2afc", ListenTask::kTwoAfc}, {"3afc", ListenTask::kThreeAfc},
               {"same_different", ListenTask::kSameDifferent}});
  keys.Key("question", question, "the question each trial asks");
  keys.Key("speech", speech, "speech recordings: files or folders (searched for .wav, .flac, .ogg), comma-separated");
  keys.Key("noise", noise, "noise recordings, likewise; each file's environment (CHiME-3's, else its name) gets a staircase");
  keys.Key("environments", environments, "noise environments to test, comma-separated; empty: every one found");
  keys.Key("dimension", dimension, "the JND dimension Δ moves: snr, codec_mode, loss_rate, ... (README: JND dimensions)");
  keys.Key("chain", chain,
           "the condition: noise, then degradations with their strengths, \"noise>opus(16)>packet_loss(0.05)\"");
  keys.Key("snr_db", snr_db, "the condition's SNR of speech to noise, dB");
  keys.Choice("direction", direction,
              "which way the more degraded interval moves from the condition along the dimension",
              {{"down", DegradeDirection::kDown}, {"up", DegradeDirection::kUp}});
  keys.Key("stimulus_seconds", stimulus_seconds, "length of each stimulus, s").Between(0.5, 10);
  keys.Key("level_dbfs", level_dbfs, "RMS level of every stimulus, dBFS").Between(-60, -10);
  keys.Key("seed", seed, "seed of every draw: speech, noise, offsets, interval order");
  keys.Key("staircase_down", staircase_down, "correct answers in a row before Δ goes down").Between(1, 5);
  keys.Key("staircase_up", staircase_up, "wrong answers in a row before Δ goes up").Between(1, 5);
  keys.Key("start_delta", start_delta, "Δ of each staircase's first trial, in the dimension's unit").AtLeast(0);
  keys.Key("steps", steps, "staircase step sizes: the k-th after k reversals, the last thereafter, comma-separated");
  keys.Key("min_delta", min_delta, "smallest Δ a staircase goes to").AtLeast(0);
  keys.Key("max_delta", max_delta, "largest Δ a staircase goes to").Above(0);
  keys.Key("reversals", reversals, "reversals after which a staircase stops").AtLeast(1);
  keys.Key("max_trials", max_trials, "trials after which a staircase stops whatever its reversals").AtLeast(1);
  keys.Key("reversals_to_average", reversals_to_average, "the staircase's threshold: mean Δ at this many last reversals")
      .AtLeast(2);
  keys.Key("catch_every", catch_every, "one listening trial in this many is a catch trial (0: none)").AtLeast(0);
  keys.Key("catch_delta", catch_delta, "Δ of a catch trial that differs (same_different: every other catch is identical)")
      .Above(0);
  keys.Key("headphone_check", headphone_check, "screen with the antiphase headphone test (Woods et al. 2017)");
  keys.Key("headphone_trials", headphone_trials, "trials of the headphone test").Between(1, 20);
  keys.Key("headphone_min_correct", headphone_min_correct, "correct headphone trials needed to pass").AtLeast(0);
  keys.Key("catch_min_correct", catch_min_correct, "fraction of catch trials a listener must get right to be included")
      .Between(0, 1);
  keys.Key("threads", threads, "HTTP requests served at once (a thread each); more wait").Between(1, 256).Execution();
  keys.Key("max_body_bytes", max_body_bytes, "larger request bodies are refused (413)").Between(64, 1 << 20).Execution();
  keys.Key("max_listeners", max_listeners, "sessions the database may hold; more are refused (503)").AtLeast(1).Execution();
  keys.Key("max_comment_chars", max_comment_chars, "longest comment a listener may leave").Between(0, 10000);
}

StaircaseRule ListenConfig::Staircase() const {
  StaircaseRule rule;
  rule.down = staircase_down;
  rule.up = staircase_up;
  rule.start = start_delta;
  rule.steps.clear();
  for (const std::string& step : SplitList(steps)) {
    try {
      size_t used = 0;
      rule.steps.push_back(std::stod(step, &used));
      if (used != step.size()) throw std::invalid_argument(step);
    } catch (const std::exception&) {
      throw UsageError("listen.steps = " + steps + ": '" + step + "' is not a number");
    }
  }
  rule.min_delta = min_delta;
  rule.max_delta = max_delta;
  rule.reversals_to_stop = reversals;
  rule.max_trials = max_trials;
  rule.reversals_to_average = reversals_to_average;
  return rule;
}

ScreeningRule ListenConfig::Screening() const {
  ScreeningRule rule;
  rule.headphone_trials = headphone_check ? headphone_trials : 0;
  rule.headphone_min_correct = headphone_check ? headphone_min_correct : 0;
  rule.catch_min_correct = catch_min_correct;
  return rule;
}

int ListenConfig::Intervals() const { return task == ListenTask::kThreeAfc ? 3 : 2; }

std::vector<std::string> ListenConfig::Choices() const {
  switch (task) {
    case ListenTask::kTwoAfc: return {"First", "Second"};
    case ListenTask::kThreeAfc: return {"First", "Second", "Third"};
    case ListenTask::kSameDifferent: return {"Same", "Different"};
  }
  return {};
}

void ListenConfig::ValidateTogether(const std::string& prefix) const {
  try {
    ValidateStaircaseRule(Staircase());
  } catch (const UsageError& e) {
    throw UsageError(prefix + ".staircase: " + e.what());
  }
  if (headphone_check && headphone_min_correct > headphone_trials)
    throw UsageError(prefix + ".headphone_min_correct = " + std::to_string(headphone_min_correct) +
                     ": more than " + prefix + ".headphone_trials = " + std::to_string(headphone_trials));
  if (catch_every > 0 && catch_delta < start_delta)
    throw UsageError(prefix + ".catch_delta = " + FormatDouble(catch_delta) + ": a catch trial must differ by more than " +
                     prefix + ".start_delta");
  const ListeningCondition condition = ParseListeningCondition(chain, dimension, snr_db, prefix);
  // Every Δ a trial may use must move the dimension the configured way
  // inside its domain: a codec has few modes, a loss rate ends at 1.
  CheckDeltaStaysInDomain(condition, direction == DegradeDirection::kUp, max_delta, prefix + ".max_delta");
  if (catch_every > 0)
    CheckDeltaStaysInDomain(condition, direction == DegradeDirection::kUp, catch_delta, prefix + ".catch_delta");
}

}  // namespace jsqa
