// Forwarding header: word2vec training moved to embkit/word2vec.h.
#pragma once

#include "embkit/word2vec.h"
