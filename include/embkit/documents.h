// Forwarding header: documents as vectors — the collection, its vocabulary, sparse matrices and
// dense document vectors have headers of their own.
#pragma once

#include "embkit/document_collection.h"
#include "embkit/document_matrices.h"
#include "embkit/document_vectors.h"
#include "embkit/document_vocabulary.h"
