// Forwarding header: exact top-k search moved to embkit/exact_search.h.
#pragma once

#include "embkit/exact_search.h"
