// Plain audio sources, so users can bring corpora other than LibriSpeech
// and CHiME-3: a folder searched recursively for .wav/.flac/.ogg files, or a
// list file with one audio path per line ('#' starts a comment; relative
// paths are relative to the list file's folder).
#pragma once

#include <string>
#include <vector>

#include "pipeline/corpus/corpus_item.h"

namespace jsqa {

// Item id: the path relative to the folder, without extension. Tags: env
// (the first folder level below the root, or "other"). Files whose names
// differ only in extension (x.wav, x.flac) share an id: the first by path
// is kept, the others skipped (duplicate_id).
CorpusListing ListAudioFolder(const std::string& dir);

// Item id: the path as written in the list, without extension. Tags: env
// ("other"). Missing files are skipped with "list:LINE" and the reason;
// files sharing an id are handled as in a folder.
CorpusListing ListAudioFileList(const std::string& list_path);

// The audio files (.wav, .flac, .ogg) inputs name: files as given, folders
// searched recursively and sorted, so that what is drawn from the list does
// not depend on directory order. Throws UsageError "<what> <input>: no
// such file or folder", or "<what>: no audio files (.wav, .flac, .ogg)
// found" when there are none.
std::vector<std::string> FindAudioFiles(const std::vector<std::string>& inputs, const std::string& what);

}  // namespace jsqa
