// Forwarding header: the corpus reader, encoder and file preparation have headers of their own.
#pragma once

#include "embkit/corpus_encoder.h"
#include "embkit/corpus_reader.h"
#include "embkit/prepare_corpus.h"
