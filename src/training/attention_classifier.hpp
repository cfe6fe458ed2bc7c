// The lesson-7 model: a classifier that reads a token sequence through one attention head.
// The first token, [CLS], asks the question; its attention over the other tokens decides
// which of them the prediction is made of.
//
// A token is a kind and a polarity (token_tasks.hpp). Keys come from the kind alone,
// values from the kind and the polarity, so where to look and what is read there are
// separate, as titles and contents are in a library:
//   X = E[kinds]                         n x width      (E: vocabulary x width)
//   Y = X + P[polarities]                n x width      (P: 2 x width, for + and -; none adds 0)
//   q = x_0 Wq,  K = X Wk,  V = Y Wv     the projections (each width x width); [CLS] asks,
//                                        positions 1..n-1 are the keys and values
//   a = softmax(q K^T / sqrt(width))     1 x (n-1): [CLS]'s attention (attention_grad.hpp)
//   h = (a . m) V                        m: the attention-dropout mask, or all ones
//   o = h Wo                             the output projection
//   z = o Wr + br                        the readout: class logits (Wr: width x classes)
//   L = mean over the batch of  CE(z, y) + lambda H(a)
//
// The backward pass runs the same chain in reverse: readout, output projection, attention
// (with dropout and the entropy penalty), the three projections, the embedding rows.
// All parameters live in one flat array (layout below), so one optimiser updates them.
#pragma once

#include <cstddef>
#include <cstdint>

#include "../rng.hpp"

namespace attn::training {

struct ClassifierShape {
    std::size_t vocabulary = 0; ///< token kinds
    std::size_t length = 0;     ///< tokens per sequence, [CLS] first (at least 2)
    std::size_t width = 0;      ///< embedding and projection width
    std::size_t classes = 0;
};

/// Where each parameter block starts in the flat array, and the total count.
struct ClassifierLayout {
    std::size_t embedding, polarity, wq, wk, wv, wo, readout, bias, count;
    explicit ClassifierLayout(const ClassifierShape& s);
};

/// Random initial parameters: embeddings N(0, 1); Wv, Wo, Wr N(0, 1/width); Wq and Wk ten
/// times smaller, so that attention starts nearly uniform and no token starts out of
/// reach (a weight near 0 gets almost no gradient); bias 0.
void init_classifier(const ClassifierShape& shape, Random& random, float* params);

/// What a pass over a batch measured.
struct ClassifierPass {
    double loss = 0.0;     ///< mean cross-entropy (the entropy penalty excluded)
    double entropy = 0.0;  ///< mean entropy of [CLS]'s attention
    double accuracy = 0.0; ///< fraction classified right
};

/// Forward (and backward if grad is not nullptr) over `batch` sequences: kinds and
/// polarities (batch x length each), labels (batch). dropout_masks: batch x length, or
/// nullptr for none (entry 0 of each row is unused). Writes grad (layout.count) of the
/// mean of CE + entropy_weight * H; attention (batch x length: [CLS]'s weights, 0 at
/// position 0) and logits (batch x classes) when not nullptr.
///
/// The plain version projects every token of every sequence, as the formulas read.
template <typename Real>
ClassifierPass classifier_pass_plain(const ClassifierShape& shape, const Real* params,
                                     const std::int32_t* kinds, const std::int32_t* polarities,
                                     const std::int32_t* labels, std::size_t batch,
                                     const float* dropout_masks, Real entropy_weight, Real* grad,
                                     Real* attention, Real* logits);

/// The same numbers, faster: a token's key and value depend only on its kind and
/// polarity (there is no position information), and the query only on [CLS], so each
/// projection is computed once per kind per call, and the gradients of the projections
/// are gathered per kind before the one matrix product that turns them into dW and dE.
/// Six times fewer operations at the lesson sizes; the training uses this one.
template <typename Real>
ClassifierPass classifier_pass(const ClassifierShape& shape, const Real* params,
                               const std::int32_t* kinds, const std::int32_t* polarities,
                               const std::int32_t* labels, std::size_t batch,
                               const float* dropout_masks, Real entropy_weight, Real* grad,
                               Real* attention, Real* logits);

} // namespace attn::training
