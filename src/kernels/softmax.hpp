// Numerically stable softmax over one row of logits, in three vector passes:
// saturate and find the maximum, exponentiate the shifted logits and sum, normalise.
// Subtracting the maximum first means exp never sees a positive argument, so no logit
// size overflows; logits that overflowed float (inf) or are undefined (nan) are
// saturated to +/-FLT_MAX first, so a row never produces NaN.
#pragma once

#include <cstddef>

namespace attn {

/// Saturates x[0..n) into [-FLT_MAX, FLT_MAX] (nan -> -FLT_MAX) in place; returns the max.
float saturate_and_max(float* x, std::size_t n);

/// x[j] = e^(x[j] - shift) for x[j] <= shift; returns the sum of the results.
float exp_shifted_sum(float* x, std::size_t n, float shift);

/// x[j] *= s.
void scale_in_place(float* x, std::size_t n, float s);

/// softmax(x) in place: a probability row summing to 1. n must be at least 1.
void softmax_row(float* x, std::size_t n);

} // namespace attn
