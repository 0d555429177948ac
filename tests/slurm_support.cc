#include "tests/slurm_support.h"

#include <unistd.h>

#include <sstream>

namespace jsqa::testing {
namespace {

// Single-quotes a word for /bin/sh.
std::string ShellQuote(const std::string& word) {
  std::string quoted = "'";
  for (char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

// The last non-empty line of text, trimmed of the trailing newline.
std::string LastLine(const std::string& text) {
  std::istringstream lines(text);
  std::string line, last;
  while (std::getline(lines, line))
    if (line.find_first_not_of(" \t\r") != std::string::npos) last = line;
  return last;
}

}  // namespace

std::string LocalSlurmScript() { return SourceDir() + "/tests/slurm/local_slurm.sh"; }

LocalSlurm::LocalSlurm() {
  // The script's watchdog stops the daemons should this process die before
  // the destructor runs (a test killed on timeout).
  std::string output;
  const int status = RunCommand("bash " + ShellQuote(LocalSlurmScript()) + " start " +
                                    ShellQuote(state_.path().string()) + " " + std::to_string(::getpid()),
                                &output);
  const std::string prefix = "SLURM_CONF=";
  std::istringstream lines(output);
  std::string line;
  while (std::getline(lines, line))
    if (line.rfind(prefix, 0) == 0) conf_ = line.substr(prefix.size());
  available_ = status == 0 && !conf_.empty();
  if (!available_) {
    conf_.clear();
    std::string why = LastLine(output);
    const std::string script_prefix = "local_slurm: ";
    if (why.rfind(script_prefix, 0) == 0) why.erase(0, script_prefix.size());
    skip_reason_ = "local SLURM cannot start: " +
                   (why.empty() ? "local_slurm.sh exited with status " + std::to_string(status) : why);
  }
}

LocalSlurm::~LocalSlurm() {
  // Stops even after a failed start: the script leaves nothing running then,
  // but a partial start is cheap to make sure of.
  RunCommand("bash " + ShellQuote(LocalSlurmScript()) + " stop " + ShellQuote(state_.path().string()));
}

int LocalSlurm::Run(const std::string& command, std::string* output) const {
  if (!available_) {
    if (output) *output = skip_reason_;
    return -1;
  }
  // A subshell, so that RunCommand's 2>&1 covers every part of command.
  return RunCommand("(export SLURM_CONF=" + ShellQuote(conf_) + "; " + command + "\n)", output);
}

}  // namespace jsqa::testing
