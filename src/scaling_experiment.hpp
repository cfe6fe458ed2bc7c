// Why 1/sqrt(d_k): sample queries and keys with independent N(0, 1) components and watch
// what the dot product does as the dimension grows.
//
// q . k is a sum of d_k products of unit variance, so its variance is d_k: the logits
// spread out, the softmax saturates towards a one-hot row (max weight -> 1, entropy -> 0)
// and its Jacobian diag(p) - p p^T, the gradient that flows back through it, vanishes.
// Dividing by sqrt(d_k), or scaling keys to unit length, keeps the variance near 1 (d_k
// times smaller, for l2) whatever d_k is.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "attention.hpp"

namespace attn {

struct ScalingExperiment {
    std::size_t dk = 64;         ///< dimension of queries and keys
    std::size_t samples = 20000; ///< independent q . k pairs for the variance; also
                                 ///< samples / keys softmax rows of `keys` keys each
    std::size_t keys = 16;       ///< keys per softmax row
    std::uint64_t seed = 1;
    Scaling scaling = Scaling::none;
};

struct ScalingExperimentResult {
    double logit_variance = 0;     ///< variance of `samples` logits of independent q, k pairs
    double mean_max_weight = 0;    ///< mean over rows of the largest softmax weight
    double mean_entropy = 0;       ///< mean row entropy, natural log
    double mean_gradient_norm = 0; ///< mean Frobenius norm of the softmax Jacobian
};

/// The most keys per softmax row (the lesson shows up to 64).
constexpr std::size_t max_experiment_keys = std::size_t(1) << 16;
/// The most work per call, in normal draws and products: samples * dk * (2 + 1/keys).
constexpr double max_experiment_work = 2147483648.0;

/// "" when usable, else a message naming the bad argument.
std::string check_scaling_experiment(const ScalingExperiment& experiment);

/// Runs the experiment into `result`; if not null, `first_logits` and `first_weights`
/// (keys floats each) receive the first row's logits and softmax. Returns "" or an error
/// message (a bad argument, or out of memory for the dk- and keys-sized vectors).
std::string run_scaling_experiment(const ScalingExperiment& experiment, ScalingExperimentResult& result,
                                   float* first_logits = nullptr, float* first_weights = nullptr);

} // namespace attn
