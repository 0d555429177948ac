// Stage output folders keyed by what determines them.
//
// A stage's folder is ROOT/<stage>-<key>, key = 16 hex digits of a hash of
// what the stage reads: its name and version, the resolved text of the
// config sections it reads, and what it consumes of its inputs (stage.h). A folder counts as finished only when it holds the COMPLETE
// marker. Work happens in ROOT/.tmp.<stage>-<key>.<pid>; Commit() writes the
// marker last and renames the folder into place, so a crash or kill at any
// moment leaves either nothing or a temporary folder that is never trusted.
#pragma once

#include <string>
#include <vector>

namespace jsqa {

constexpr char kCompleteMarker[] = "COMPLETE";

std::string ArtifactKey(const std::string& stage, int version, const std::string& settings_text,
                        const std::vector<std::string>& input_keys);

class ArtifactCache {
 public:
  explicit ArtifactCache(std::string root);

  const std::string& root() const { return root_; }
  std::string FinalPath(const std::string& stage, const std::string& key) const;
  // True when the final folder exists with its marker.
  bool IsComplete(const std::string& stage, const std::string& key) const;
  // The temporary folder for (stage, key). A folder of the same (stage, key)
  // left by a process no longer alive is taken over, so a killed stage
  // resumes where it can (synth keeps its complete shards).
  std::string BeginTemporary(const std::string& stage, const std::string& key) const;
  // Marks the temporary folder complete and renames it to the final path,
  // replacing an older final folder (e.g. under --force).
  std::string Commit(const std::string& temporary, const std::string& stage,
                     const std::string& key) const;
  // Removes a temporary folder after a failure.
  void Discard(const std::string& temporary) const;
  // Points ROOT/<stage> (a relative symlink) at the final folder, atomically:
  // the stable name users and scripts open.
  void LinkLatest(const std::string& stage, const std::string& key) const;

 private:
  std::string root_;
};

}  // namespace jsqa
