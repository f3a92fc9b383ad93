// What a Classifier holds besides its fastText model: the word index, the feature rule and the
// hierarchical-softmax tree. Shared by the files of
// src/supervised/ (prediction, training, quantization).
#pragma once

#include <string>

#include "embkit/classifier.h"
#include "embkit/fasttext_model.h"
#include "embkit/matrix.h"
#include "supervised/huffman_tree.h"
#include "supervised/line_features.h"
#include "supervised/token_table.h"

namespace embkit {

struct Classifier::State {
  FastTextModel model;
  std::string prefix;
  ClassifierLoss loss = ClassifierLoss::Softmax;
  supervised::TokenTable index;  // entry i of the model = id i
  supervised::FeatureSettings features;
  supervised::WordFeatures word_features;
  supervised::HuffmanTree tree;  // hs only

  // The padded width of hidden vectors.
  size_t stride() const { return Matrix::padded_stride(static_cast<size_t>(model.args.dim)); }
  // hidden[0..stride) = mean of the input rows of `features` (non-empty); the padding is zero.
  void hidden_of(std::span<const uint32_t> features, float* hidden) const;
};

namespace supervised {

ClassifierLoss loss_of(FastTextLoss loss);
FastTextLoss fasttext_loss_of(ClassifierLoss loss);

// out[0..dim) += scale * decoded row `row` of a product-quantized matrix (its norm included when
// qnorm).
void add_quantized_row(const FastTextMatrix& matrix, size_t row, float scale, float* out);

}  // namespace supervised
}  // namespace embkit
