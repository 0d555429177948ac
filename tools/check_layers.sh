#!/usr/bin/env bash
# Fails when a lower layer includes a higher one (README "Architecture").
# Each folder lists the project folders its sources may include, and the
# third-party headers it must not; run by ctest as LayerDependencies.
set -euo pipefail
cd "${1:-$(dirname "$0")/..}"

declare -A allowed=(
  [pipeline/base]="pipeline/base"
  [augment]="pipeline/base augment"
  [augment/degradations]="pipeline/base augment augment/degradations"
  [pipeline/corpus]="pipeline/base augment pipeline/reports pipeline/corpus"
  [pipeline/shards]="pipeline/base augment pipeline/shards"
  [pipeline/synthesis]="pipeline/base augment augment/degradations pipeline/corpus pipeline/shards pipeline/reports pipeline/synthesis"
  [pipeline/run]="pipeline/base augment pipeline/run"
  [pipeline/reports]="pipeline/base pipeline/reports"
  [model]="pipeline/base augment augment/degradations pipeline/corpus pipeline/shards pipeline/synthesis pipeline/run pipeline/reports model"
  [stages]="pipeline/base augment augment/degradations pipeline/corpus pipeline/shards pipeline/synthesis pipeline/run pipeline/reports model stages"
  [listen]="pipeline/base augment augment/degradations pipeline/corpus pipeline/reports listen"
  [tools/demo_corpus]="pipeline/base augment augment/degradations tools/demo_corpus"
)
# Third-party headers a folder must not see: signal code knows no TBB, HDF5
# or torch; the framework knows no torch.
declare -A forbidden=(
  [pipeline/base]="tbb oneapi H5 hdf5 torch c10"
  [augment]="tbb oneapi H5 hdf5 torch c10"
  [augment/degradations]="tbb oneapi H5 hdf5 torch c10"
  [pipeline/corpus]="H5 hdf5 torch c10"
  [pipeline/shards]="tbb oneapi torch c10"
  [pipeline/synthesis]="torch c10"
  [pipeline/run]="tbb oneapi H5 hdf5 torch c10"
  [pipeline/reports]="tbb oneapi H5 hdf5 torch c10"
  [stages]="torch c10"
  [listen]="tbb oneapi H5 hdf5 torch c10"
)

failures=0
for folder in "${!allowed[@]}"; do
  [ -d "$folder" ] || { echo "check_layers: no folder $folder" >&2; failures=$((failures + 1)); continue; }
  while IFS= read -r -d '' file; do
    while IFS= read -r line; do
      included=$(sed -E 's/^#include "(.*)"/\1/' <<<"$line")
      target_folder=$(dirname "$included")
      # Project includes only (third-party ones use <>).
      [ -e "$included" ] || continue
      ok=0
      for allowed_folder in ${allowed[$folder]}; do
        [ "$target_folder" = "$allowed_folder" ] && ok=1
      done
      if [ $ok -eq 0 ]; then
        echo "$file includes $included: $folder may include only ${allowed[$folder]}"
        failures=$((failures + 1))
      fi
    done < <(grep -E '^#include "' "$file" || true)
    for header in ${forbidden[$folder]:-}; do
      if grep -qE "^#include <$header[/.>]" "$file"; then
        echo "$file includes <$header...>: not allowed in $folder"
        failures=$((failures + 1))
      fi
    done
  done < <(find "$folder" -maxdepth 1 \( -name '*.h' -o -name '*.cc' \) -print0)
done
# Folders of pipeline/ must each be listed above: a new layer gets its rules.
for folder in pipeline/*/; do
  folder=${folder%/}
  [ -n "${allowed[$folder]:-}" ] || { echo "check_layers: $folder has no rules in $0"; failures=$((failures + 1)); }
done
# Sources directly in pipeline/ would belong to no layer.
if compgen -G "pipeline/*.cc" >/dev/null || compgen -G "pipeline/*.h" >/dev/null; then
  echo "check_layers: sources directly in pipeline/ belong to no layer"; failures=$((failures + 1))
fi
if [ $failures -ne 0 ]; then
  echo "check_layers: $failures include(s) against the layering" >&2
  exit 1
fi
echo "check_layers: every include follows the layering"
