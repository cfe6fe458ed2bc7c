// The recurrent reader: one state vector that must carry everything read so far.
//
//   h_{-1} = 0
//   h_t    = tanh(W_x x_t + W_h h_{t-1})       W_x: hidden x d, W_h: hidden x hidden
//   y_p    = h_p                               (hidden values)
//
// y_p depends on tokens 0..p only (causal), and each older token reaches it through one
// more multiplication by W_h and by the tanh slopes diag(1 - h^2) <= 1.
//
// Weights: W_x entries N(0, input_gain^2 / d) (drawn first, row-major), so W_x x_t has
// standard deviation input_gain = 0.1: the state stays in tanh's nearly straight middle
// (|h| about 0.2 with spectral_norm 0.9), and the fade follows spectral_norm^distance
// closely instead of being hastened by flat tanh slopes (with gain 1, influences 100
// tokens back drop to 1e-24). W_h = spectral_norm * Q, Q orthogonal: a hidden x hidden
// matrix of N(0, 1) entries (drawn next) made orthonormal by Gram-Schmidt on its rows,
// run twice so that rounding leaves it orthogonal to about 1e-15. Every singular value
// of W_h is then spectral_norm, so with spectral_norm < 1 the reader is contractive, as
// trained RNNs typically are: |d h_p / d h_t|_2 <= spectral_norm^(p - t), and the
// influence of a token t steps back fades at least that fast. (The API allows at most
// 1: above, the backward product can explode and overflow.)
//
// Backward mode: M_t = d y_p / d h_t (hidden x hidden) starts as the identity at t = p;
// Z_t = M_t diag(1 - h_t^2) = d y_p / d(pre-activation t); influence[t] = |Z_t W_x|_F;
// M_{t-1} = Z_t W_h. O(p hidden^3) work, O(p hidden) memory.
#pragma once

#include <cstddef>
#include <vector>

#include "../rng.hpp"

namespace attn {

class RnnReader {
public:
    /// Standard deviation of W_x x_t for N(0, 1) tokens.
    static constexpr double input_gain = 0.1;

    /// Draws W_x and W_h (all singular values spectral_norm) from `random`.
    RnnReader(std::size_t hidden, double spectral_norm, Random& random);

    /// y_position = h_position (hidden values) for tokens (n x token_dim).
    std::vector<double> read(const double* tokens, std::size_t n, std::size_t position) const;

    /// out[j] = |d y_position / d x_j|_F for j in [0, n): exactly 0 for j > position.
    void influence(const double* tokens, std::size_t n, std::size_t position, double* out) const;

    std::size_t hidden() const { return hidden_; }
    /// hidden x token_dim, row-major.
    const std::vector<double>& input_weights() const { return w_x_; }
    /// hidden x hidden, row-major: spectral_norm times an orthogonal matrix.
    const std::vector<double>& recurrent_weights() const { return w_h_; }

private:
    /// States h_0..h_position ((position + 1) x hidden).
    std::vector<double> forward(const double* tokens, std::size_t position) const;

    std::size_t hidden_;
    double spectral_norm_;
    std::vector<double> w_x_, w_h_;
};

} // namespace attn
