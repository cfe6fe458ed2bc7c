// Attention dropout (inverted), applied to the attention weights after the softmax:
//
//   m[i][j] = 0 with probability p, else 1/(1 - p)       one uniform draw per weight
//   W'[i][j] = W[i][j] m[i][j],   output_i = sum_j W'[i][j] v_j
//
// Each weight survives with probability 1 - p and is then scaled by 1/(1 - p), so the
// expected weight, and so the expected output, is unchanged; but on any one pass the
// model cannot count on any one token. The draws come from attn::Random in row-major
// order, one per entry of the nq x nk matrix (masked entries included), so a seed fixes
// the mask, natively and in WebAssembly alike.
#pragma once

#include <cstddef>
#include <string>

#include "../attention.hpp"
#include "../rng.hpp"
#include "../workspace.hpp"

namespace attn::training {

/// mask[e] = 0 with probability p, else 1/(1 - p), for count entries; p in [0, 1).
void draw_dropout_mask(Random& random, float p, std::size_t count, float* mask);

/// weights[e] *= the next mask entry draw_dropout_mask would draw (the same draws).
void apply_dropout(Random& random, float p, std::size_t count, float* weights);

/// Attention in training mode, as lab.attention({ dropout: p, seed }): the weights
/// kernel (attention_with_weights), then dropout on the weights (nq x nk, returned
/// dropped), then output = dropped weights x v. logits may be nullptr. p = 0 draws
/// nothing and is attention_with_weights exactly. The kept weights of a row sum to up to
/// 1/(1 - p), so values near 3.4e38 can give an output beyond float32: that is an error
/// message, never an infinite or NaN output.
std::string attention_with_dropout(const float* q, const float* k, const float* v,
                                   const AttentionShape& shape, const AttentionOptions& options,
                                   float p, Random& random, Workspace& workspace, float* weights,
                                   float* output, float* logits);

} // namespace attn::training
