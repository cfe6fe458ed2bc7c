// The numbers the lessons put next to an attention pattern.
//
// Entropy (natural log) says how spread out a row of weights is: 0 for a one-hot row,
// log(n) for a uniform row over n keys. exp(entropy) is the "effective number of attended
// tokens". The mixture entropy is the entropy of the heads' average pattern: specialised
// heads (low entropy each) can together cover many tokens (high mixture entropy).
#pragma once

#include <cstddef>

namespace attn {

/// weights: rows x cols, each row a probability row (or all zeros: entropy 0).
/// out: rows entropies, -sum_j w log w.
void row_entropy(const float* weights, std::size_t rows, std::size_t cols, float* out);

/// out: rows values, exp(entropy of the row) = effective number of attended tokens.
void effective_tokens(const float* weights, std::size_t rows, std::size_t cols, float* out);

/// weights: heads x rows x cols. out: rows entropies of the mean over heads, or over
/// the heads h with active[h] != 0 if `active` is not null (0 if none is).
/// Entropy is concave, so the mixture's entropy is at least the mean of the heads'.
void mixture_entropy(const float* weights, std::size_t heads, std::size_t rows, std::size_t cols,
                     float* out, const unsigned char* active = nullptr);

/// out: rows values, the largest weight in each row.
void max_weight(const float* weights, std::size_t rows, std::size_t cols, float* out);

/// Population variance of count values (accumulated in double).
double variance(const float* values, std::size_t count);

} // namespace attn
