// The precompiled header of the torch libraries (model/ and, later, the
// training stages): <torch/torch.h> costs about 25 s per translation unit.
#pragma once

#include <torch/torch.h>
