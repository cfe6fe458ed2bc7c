// Numerically stable softmax over one row of scores, with a temperature:
//
//   softmax(x / T)_j = e^((x_j - m) / T) / sum_i e^((x_i - m) / T),   m = max_i x_i
//
// in three vector passes: saturate and find the maximum, exponentiate the shifted and
// divided scores and sum, normalise. The maximum is subtracted *before* dividing by T, so
// no temperature and no score size overflows: every argument of exp is <= 0, the maxima
// get e^0 = 1, and as T -> 0 (down to the smallest float, 1.4e-45) the row tends to the
// argmax, ties split equally among the maxima. Scores that overflowed float (inf) or are
// undefined (nan) are saturated to +/-FLT_MAX first, so a row never produces NaN.
#pragma once

#include <cfloat>
#include <cmath>
#include <cstddef>

namespace attn {

/// Divides score gaps (x - max <= 0) by a temperature T > 0: one multiplication by 1/T
/// when that is a finite float, else (T < 2.9e-39, whose reciprocal overflows) a
/// division, so a zero gap stays exactly 0 and never becomes 0 * inf = NaN.
class Temperature {
public:
    explicit Temperature(float t = 1.0f) : t_(t), inverse_(1.0f / t), divide_(!(inverse_ <= FLT_MAX)) {}

    float gap(float d) const { return divide_ ? d / t_ : d * inverse_; }
    float value() const { return t_; }
    float inverse() const { return inverse_; }
    /// True when gaps are divided (1/T overflows float).
    bool divides() const { return divide_; }

private:
    float t_;
    float inverse_;
    bool divide_;
};

/// Saturates x[0..n) into [-FLT_MAX, FLT_MAX] (nan -> -FLT_MAX) in place; returns the max.
float saturate_and_max(float* x, std::size_t n);

/// x[j] = e^((x[j] - shift) / T) for x[j] <= shift; returns the sum of the results.
float exp_shifted_sum(float* x, std::size_t n, float shift, const Temperature& t = Temperature());

/// x[j] *= s.
void scale_in_place(float* x, std::size_t n, float s);

/// softmax(x / T) in place: a probability row summing to 1. n must be at least 1.
void softmax_row(float* x, std::size_t n, const Temperature& t = Temperature());

} // namespace attn
