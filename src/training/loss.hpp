// The losses the lesson models train on, each with its gradient in the same call.
//
// Softmax cross-entropy, for classifiers (z: rows x classes logits, y: the true class):
//   L = (1/rows) sum_r [ log sum_c e^(z_rc) - z_r,y_r ]
//   dL/dz_rc = (softmax(z_r)_c - [c == y_r]) / rows
// Squared error, for regression (y: predictions, t: targets, count of each):
//   L = (1/count) sum (y - t)^2
//   dL/dy = 2 (y - t) / count
#pragma once

#include <cstddef>
#include <cstdint>

namespace attn::training {

/// Mean cross-entropy of rows of logits against labels (each in [0, classes)); writes
/// dL/dz into grad (rows x classes) unless it is nullptr.
template <typename Real>
Real softmax_cross_entropy(const Real* logits, const std::int32_t* labels, std::size_t rows,
                           std::size_t classes, Real* grad);

/// Mean squared error; writes dL/dy into grad (count) unless it is nullptr.
template <typename Real>
Real squared_error(const Real* y, const Real* target, std::size_t count, Real* grad);

/// Fraction of rows whose largest logit is the label's (ties count against).
template <typename Real>
double accuracy(const Real* logits, const std::int32_t* labels, std::size_t rows, std::size_t classes);

} // namespace attn::training
