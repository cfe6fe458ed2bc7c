// The numbers the lessons put next to an attention pattern.
//
// Entropy (natural log) says how spread out a row of weights is: 0 for a one-hot row,
// log(n) for a uniform row over n keys. exp(entropy) is the "effective number of attended
// tokens". The mixture entropy is the entropy of the heads' average pattern: specialised
// heads (low entropy each) can together cover many tokens (high mixture entropy).
//
// These statistics are defined for probability rows: entries >= 0 that sum to 1. A row
// of zeros is accepted too: it is what attention gives a query that sees no key (a local
// window past the end of the keys). Such a row attends to nothing: entropy 0, effective
// tokens 0, max weight 0. check_distributions says whether an array qualifies. The
// entropies are those of the rows normalised to sum exactly 1, so a row within the
// tolerance never gives a negative entropy.
#pragma once

#include <cstddef>
#include <string>

namespace attn {

/// How far a row's sum (in double) may be from 1: float32 softmax rows are within 1e-6,
/// and a row typed with three decimals per entry is still accepted.
constexpr double distribution_tolerance = 1e-3;

/// "" when weights (rows x cols) holds rows of finite entries >= 0 that each sum to 1
/// within distribution_tolerance or are all zeros; else a message naming `name`[index]
/// or the row.
std::string check_distributions(const char* name, const float* weights, std::size_t rows, std::size_t cols);

/// check_distributions for heads x rows x cols, and each row all zeros either in every
/// head or in none (so that the heads' average is a distribution or all zeros).
std::string check_head_distributions(const char* name, const float* weights, std::size_t heads,
                                     std::size_t rows, std::size_t cols);

/// weights: rows x cols, each row a probability row or all zeros. out: rows entropies,
/// -sum_j w log w (0 for a zero row).
void row_entropy(const float* weights, std::size_t rows, std::size_t cols, float* out);

/// out: rows values, exp(entropy of the row) = effective number of attended tokens (0 for
/// a zero row, which attends to nothing).
void effective_tokens(const float* weights, std::size_t rows, std::size_t cols, float* out);

/// weights: heads x rows x cols, heads >= 1. out: rows entropies of the mean over heads,
/// or over the heads h with active[h] != 0 if `active` is not null (0 if none is).
/// Entropy is concave, so the mixture's entropy is at least the mean of the heads'.
void mixture_entropy(const float* weights, std::size_t heads, std::size_t rows, std::size_t cols,
                     float* out, const unsigned char* active = nullptr);

/// out: rows values, the largest weight in each row.
void max_weight(const float* weights, std::size_t rows, std::size_t cols, float* out);

/// Population variance of count values (accumulated in double; 0 for count 0).
double variance(const float* values, std::size_t count);

} // namespace attn
