// DataError: data that cannot be processed or written as asked although every argument is right
// (non-finite values, a vocabulary that is not UTF-8, a model too large for the output format). A
// UsageError for callers that catch those (Python maps both to ValueError), but the CLI reports it
// with exit status 1: exit status 2 is only for bad flags and values.
#pragma once

#include "embkit/error.h"

namespace embkit {

class DataError : public UsageError {
 public:
  using UsageError::UsageError;
};

}  // namespace embkit
