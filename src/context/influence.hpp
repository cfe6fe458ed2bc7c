// How far can a reader look? The influence of every input token on one output.
//
// A reader turns n tokens x_0..x_{n-1} (each a vector of token_dim numbers) into outputs
// y_0..y_{n-1}. The influence of token j on the output at position p is the size of the
// Jacobian block
//
//   influence[j] = || d y_p / d x_j ||_F        (Frobenius norm: sqrt of the sum of squares)
//
// 0 means x_j cannot change y_p at all. The four readers of the lesson:
//
//   conv    layers x   a_l[i] = tanh( sum_{t=-r..r} W_l[t] a_{l-1}[i+t] ),  r = (kernel-1)/2,
//                      zero padding, a_0 = x, y = a_layers: sees |j - p| <= layers * r
//   rnn     h_t = tanh(W_x x_t + W_h h_{t-1}), h_{-1} = 0, y_p = h_p: sees j <= p, fading
//   local   layers x   softmax(Q K^T / sqrt(d) + mask) V, mask |i - j| <= window:
//                      sees |j - p| <= layers * window
//   global  one layer of the same attention with no mask: sees every token
//
// The Jacobian is computed exactly by backward mode (see each reader's file), not by
// finite differences: one backward pass from y_p carries all its components at once, so
// only the Jacobian of that one output is ever held (n x d x d doubles, 512 KB at
// n = 1024), never that of every output (n^2 d^2); and only the work inside the
// receptive field is done. Everything is in double precision and returned as float32: the inputs
// are bit for bit the same natively and in WASM, the results the same to float32
// rounding (the C libraries' tanh and exp may differ in a double's last bit).
//
// Inputs: the tokens are the first n * token_dim standard normals of Random(seed) (the
// default stream, the stream lab.randomNormal returns), token j in row j, so all readers
// with one seed read the same sentence, and a longer sentence starts with the shorter
// one. The weights are drawn from Random(seed, weight_stream), in the order each
// reader's header states: layer 1 first, so adding a layer keeps the layers below.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace attn {

/// Length of every token vector (and of the conv and attention outputs).
constexpr std::size_t token_dim = 8;

/// The PCG stream the readers' weights are drawn from (tokens use the default, 54).
constexpr std::uint64_t weight_stream = 1;

enum class Reader { conv, rnn, local, global };

/// Positions [begin, end) of a sequence of n tokens: where a reader's work happens.
struct TokenSpan {
    std::size_t begin = 0;
    std::size_t end = 0;
};

/// The positions within `radius` of `centre` that exist: [centre - radius, centre + radius]
/// clipped to [0, n). Any radius, however large, is safe.
inline TokenSpan span_around(std::size_t n, std::size_t centre, std::size_t radius)
{
    return {centre > radius ? centre - radius : 0, n - 1 - centre > radius ? centre + radius + 1 : n};
}

/// Bounds that keep one call interactive and its memory under a few MB.
namespace influence_bounds {
constexpr std::size_t max_n = 1024;
constexpr std::size_t max_layers = 16;
constexpr std::size_t max_kernel = 15;  ///< odd, so radius at most 7 per layer
constexpr std::size_t max_window = 16;
constexpr std::size_t max_hidden = 32;
/// Above 1 an RNN's backward product can grow without bound (exploding gradients) and
/// overflow; at most 1, every influence is at most |W_x|_F.
constexpr double max_spectral_norm = 1.0;
} // namespace influence_bounds

struct InfluenceSpec {
    Reader reader = Reader::conv;
    std::size_t n = 0;            ///< number of tokens, 1..max_n
    std::size_t position = 0;     ///< the output whose influences are measured, < n
    std::size_t layers = 1;       ///< conv and local
    std::size_t kernel = 3;       ///< conv: odd width, 1..max_kernel
    std::size_t window = 1;       ///< local: half-width of the mask, 0..max_window
    std::size_t hidden = 16;      ///< rnn: state size, 1..max_hidden
    double spectral_norm = 0.9;   ///< rnn: every singular value of W_h, 0..max_spectral_norm
    std::uint64_t seed = 1;
};

/// "" when the spec is usable, else a message naming the bad field. Fields a reader does
/// not use are not checked (the JS API refuses them before they get here).
std::string check_influence(const InfluenceSpec& spec);

/// The n tokens of `seed`: n x token_dim, row-major.
std::vector<double> context_tokens(std::size_t n, std::uint64_t seed);

/// Writes influence[0..n) into `out`. Returns "" or a message naming the bad field.
std::string influence(const InfluenceSpec& spec, float* out);

/// The tokens the output at `position` can see at all: [first, last], inclusive; every
/// influence outside is exactly 0 (and, for random weights, every one inside is not,
/// except where an rnn's fading influence underflows float32).
struct TokenRange {
    std::size_t first = 0;
    std::size_t last = 0;
};
/// `spec` must pass check_influence.
TokenRange receptive_field(const InfluenceSpec& spec);

/// The fewest layers (conv, local; 1 for global) or state updates (rnn) on the way from
/// the token `distance` before the output (after it, if negative) to the output:
/// conv ceil(|d| / r), local ceil(|d| / window), at least 1; global 1; rnn d + 1 (the
/// token is read, then carried through d more updates). 0 when no number of layers ever
/// connects them (kernel 1 or window 0 with d != 0; rnn with d < 0). Uses the spec's
/// reader, kernel and window only.
std::size_t path_length(const InfluenceSpec& spec, std::int64_t distance);

} // namespace attn
