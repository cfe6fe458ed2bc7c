// The convolution reader: a stack of centred 1-D convolutions, each followed by tanh.
//
//   a_0[i]   = x_i                                               (n x d, d = token_dim)
//   a_l[i]   = tanh( sum_{t=0..kernel-1} W_l[t] a_{l-1}[i + t - r] ),  r = (kernel - 1) / 2
//   y_p      = a_layers[p]                                       (d)
//
// Positions outside [0, n) read as zeros (zero padding). Each layer widens what one
// output can see by r on each side, so y_p depends on exactly |j - p| <= layers * r.
//
// Weights: W_l[t] is d x d (output channel x input channel), entries N(0, 1/(kernel d)),
// drawn layer by layer, tap by tap, row-major. That is the fan-in scale at which a tanh
// stack neither blows up nor dies: the activations shrink slowly with depth, and the
// backward signal keeps its size, so influences stay readable up to max_layers.
//
// Backward mode: G_l[i] = d y_p / d a_l[i], a d x d block per position, starts as the
// identity at (layers, p); through tanh it is scaled column by column by 1 - a_l[i]^2,
// then each tap sends it back: G_{l-1}[i + t - r] += (G_l[i] diag(1 - a_l[i]^2)) W_l[t].
// influence[j] = |G_0[j]|_F. Only positions within (layers - l) * r of p are touched at
// layer l, in both passes: O(layers^2 r kernel d^3) work, O(layers n d) memory.
#pragma once

#include <cstddef>
#include <vector>

#include "../rng.hpp"

namespace attn {

class ConvReader {
public:
    /// Draws the weights of `layers` layers of odd width `kernel` from `random`.
    ConvReader(std::size_t layers, std::size_t kernel, Random& random);

    /// y_position (token_dim values) for tokens (n x token_dim).
    std::vector<double> read(const double* tokens, std::size_t n, std::size_t position) const;

    /// out[j] = |d y_position / d x_j|_F for j in [0, n).
    void influence(const double* tokens, std::size_t n, std::size_t position, double* out) const;

    std::size_t layers() const { return layers_; }
    std::size_t radius() const { return radius_; }
    /// W_l[t]: layers x kernel x token_dim x token_dim.
    const std::vector<double>& weights() const { return weights_; }

private:
    /// Activations a_0..a_layers ((layers + 1) x n x d), each layer filled within its reach of p.
    std::vector<double> forward(const double* tokens, std::size_t n, std::size_t position) const;
    const double* tap(std::size_t layer, std::size_t t) const;

    std::size_t layers_, kernel_, radius_;
    std::vector<double> weights_;
};

} // namespace attn
