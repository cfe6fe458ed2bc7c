// The attention readers: layers of single-head self-attention, with or without a local mask.
//
//   X_0 = x                                                  (n x d, d = token_dim)
//   Q = X_{l-1} W_Q,l   K = X_{l-1} W_K,l   V = X_{l-1} W_V,l  (each W d x d)
//   S_ij = Q_i . K_j / sqrt(d)  for the keys row i sees: |i - j| <= window (local), all (global)
//   A_i  = softmax(S_i)          X_l[i] = sum_j A_ij V_j       y_p = X_layers[p]  (d)
//
// No residual connection and no nonlinearity besides the softmax: exactly the mechanism.
// A local layer lets row i see |i - j| <= window, so y_p depends on exactly
// |j - p| <= layers * window; the global reader is one layer with no mask, and sees all.
//
// Weights: per layer W_Q, W_K, W_V (in that order, row-major), entries N(0, 1/d): with
// N(0, 1) tokens the logits have variance about 1, so the softmax is neither flat nor
// one-hot.
//
// Backward mode, carrying all d output components at once (G = d y_p / d X_l[i], a d x d
// block per row), through one layer (dS_ij = A_ij (dA_ij - sum_k A_ik dA_ik)):
//   dA_ij = G_i V_j^T        dV_j += A_ij G_i        dQ_i = sum_j dS_ij K_j / sqrt(d)
//   dK_j += dS_ij Q_i / sqrt(d)        G_{l-1} = dQ W_Q^T + dK W_K^T + dV W_V^T
// Row i of layer l matters only within (layers - l) * window of p; each layer's Q, K, V
// and weights are recomputed for those rows during the backward pass, so the memory is
// the layers' inputs (layers x n x d) plus one layer's band of weights.
#pragma once

#include <cstddef>
#include <limits>
#include <vector>

#include "../rng.hpp"

namespace attn {

class AttentionReader {
public:
    /// `window` of unmasked attention: every row sees every key.
    static constexpr std::size_t unmasked = std::numeric_limits<std::size_t>::max();

    /// Draws `layers` layers of W_Q, W_K, W_V from `random`.
    AttentionReader(std::size_t layers, std::size_t window, Random& random);

    /// y_position (token_dim values) for tokens (n x token_dim).
    std::vector<double> read(const double* tokens, std::size_t n, std::size_t position) const;

    /// out[j] = |d y_position / d x_j|_F for j in [0, n).
    void influence(const double* tokens, std::size_t n, std::size_t position, double* out) const;

    /// Layer l's W_Q, W_K, W_V (which = 0, 1, 2), d x d row-major; l from 1.
    const double* weight(std::size_t layer, std::size_t which) const;

private:
    struct Layer; // one layer's Q, K, V and weights over the rows that matter
    /// X_0..X_layers ((layers + 1) x n x d), each layer filled within its reach of p.
    std::vector<double> forward(const double* tokens, std::size_t n, std::size_t position) const;
    Layer compute_layer(const double* input, std::size_t n, std::size_t position, std::size_t l) const;

    std::size_t layers_, window_;
    std::vector<double> weights_;
};

} // namespace attn
