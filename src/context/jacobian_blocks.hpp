// The bookkeeping the layered readers (conv, attention) share in backward mode.
//
// Their activations are stacked layer by layer, (layers + 1) x n x d; their gradient
// d y_p / d X_l is one d x d block per position (output component x feature), n x d x d.
#pragma once

#include <cmath>
#include <cstddef>
#include <vector>

#include "influence.hpp"

namespace attn::jacobian_blocks {

constexpr std::size_t d = token_dim;

/// Row p of layer l of stacked activations: y_p when l is the last layer.
inline std::vector<double> row(const std::vector<double>& stacked, std::size_t l, std::size_t n, std::size_t p)
{
    const double* y = stacked.data() + (l * n + p) * d;
    return std::vector<double>(y, y + d);
}

/// The gradient of y_p with respect to the last layer: the identity at p, zero elsewhere.
inline std::vector<double> identity_at(std::size_t n, std::size_t p)
{
    std::vector<double> g(n * d * d, 0.0);
    for (std::size_t k = 0; k < d; ++k)
        g[p * d * d + k * d + k] = 1.0;
    return g;
}

/// out[j] = |block j|_F inside `seen`, exactly 0 outside it.
inline void norms(const std::vector<double>& g, std::size_t n, TokenSpan seen, double* out)
{
    for (std::size_t j = 0; j < n; ++j) {
        double sum = 0;
        if (j >= seen.begin && j < seen.end)
            for (std::size_t e = 0; e < d * d; ++e)
                sum += g[j * d * d + e] * g[j * d * d + e];
        out[j] = std::sqrt(sum);
    }
}

} // namespace attn::jacobian_blocks
