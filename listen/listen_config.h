// [listen]: a JND listening test (`jsqa-pipeline listen`): what listeners
// are told, what they judge, how Δ adapts, how they are screened, and the
// server's limits. README "Collecting your own JND judgments".
#pragma once

#include <string>
#include <vector>

#include "listen/screening.h"
#include "listen/staircase.h"
#include "pipeline/base/config.h"

namespace jsqa {

// What a listener answers per trial.
enum class ListenTask {
  kTwoAfc,         // two intervals, one of them the more degraded: which?
  kThreeAfc,       // three intervals, one of them the more degraded: which?
  kSameDifferent,  // two intervals: the same or different?
};

// Which way B moves from the condition: down (a lower SNR, bitrate, cut-off)
// or up (a higher loss rate).
enum class DegradeDirection { kDown, kUp };

struct ListenConfig : ConfigSection {
  std::string title = "Listening test";
  std::string consent =
      "You will hear short recordings of speech with noise and judge differences between them. It takes about "
      "15 minutes. Your answers are stored without your name and used for research on speech quality. You may "
      "stop at any time.";
  std::string instructions =
      "Use headphones in a quiet room. Each trial plays two or three versions of the same sentence; answer "
      "the question about them. Guess when unsure.";
  ListenTask task = ListenTask::kTwoAfc;
  std::string question = "Which one is noisier?";
  // The stimuli: speech and noise recordings (files, or folders searched
  // for .wav/.flac/.ogg), mixed and degraded by the synthesis code.
  std::string speech = "demo/corpus/LibriSpeech/dev-clean-2";
  std::string noise = "demo/corpus/CHiME3/data/audio/16kHz/backgrounds";
  std::string environments;  // noise environments, one staircase each; empty: every one found
  std::string dimension = "snr";  // the JND dimension Δ moves (jnd_dimension.h)
  std::string chain = "noise";    // the condition: "noise>opus(16)>packet_loss(0.05)"
  double snr_db = 10.0;           // the condition's SNR of the noise step
  DegradeDirection direction = DegradeDirection::kDown;
  double stimulus_seconds = 2.0;
  double level_dbfs = -26.0;  // RMS level of every stimulus
  uint64_t seed = 1;
  // The adaptive staircase, per noise environment (listen/staircase.h).
  int staircase_down = 2;
  int staircase_up = 1;
  double start_delta = 8.0;
  std::string steps = "2,1,0.5";
  double min_delta = 0.0;
  double max_delta = 20.0;
  int reversals = 8;
  int max_trials = 40;
  int reversals_to_average = 6;
  // Catch trials and screening (listen/screening.h).
  int catch_every = 8;         // one listening trial in this many is a catch trial; 0: none
  double catch_delta = 20.0;   // Δ of a catch trial that differs
  bool headphone_check = true;
  int headphone_trials = 6;
  int headphone_min_correct = 5;
  double catch_min_correct = 0.8;
  // The server's limits.
  int threads = 8;               // requests served at once
  int max_body_bytes = 4096;     // larger request bodies: 413
  int max_listeners = 1000;      // sessions the database may hold
  int max_comment_chars = 500;

  void Declare(KeyDeclarations& keys) override;
  void ValidateTogether(const std::string& prefix) const override;

  StaircaseRule Staircase() const;
  ScreeningRule Screening() const;
  int Intervals() const;  // 2 or 3
  // The answer buttons' labels, in choice order.
  std::vector<std::string> Choices() const;
};

// "2afc", "3afc", "same_different".
std::string TaskName(ListenTask task);

}  // namespace jsqa
