// Sparse matrices in SciPy's .npz layout for CSR matrices (what scipy.sparse.save_npz writes and
// load_npz reads): a zip archive of data.npy, indices.npy, indptr.npy, format.npy (b'csr') and
// shape.npy. embkit writes it uncompressed (float32 data, int32 indices, int64 indptr) and reads
// stored or deflated members with int32/int64 indices and float32/float64 data, as SciPy writes
// them.
#pragma once

#include <string>

#include "embkit/sparse.h"

namespace embkit {

// Writes `matrix` atomically as a SciPy-compatible .npz. Throws IoError / UsageError (a member above
// 4 GiB: the writer does not emit ZIP64).
void save_sparse(const SparseMatrix& matrix, const std::string& path);
// Reads a CSR .npz (written by save_sparse or scipy.sparse.save_npz, compressed or not); rows with
// unsorted or repeated columns are sorted and summed. Throws IoError or FormatError naming the file
// and the member at fault.
SparseMatrix load_sparse(const std::string& path);

}  // namespace embkit
