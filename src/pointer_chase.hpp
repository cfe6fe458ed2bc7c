// Pointer chasing: stacked attention layers follow pointers, one hop per layer.
//
// Position i of a sequence of n points at pointers[i]. Each position has a code c_i, a
// row of C (n x d): one-hot (d = n), or, with a code length d < n, a random unit vector
// of length d (such codes must overlap: "crowded" codes). One attention layer is one hop:
//
//   K   = sharpness * C                    n x d   every position's address
//   V   = C[pointers]                      n x d   row i: the code of the target of i
//   Q_0 = C                                n x d   the chase started at s stands at s
//   Q_l = softmax(Q_{l-1} K^T) V           n x d   layer l's output is layer l+1's query
//   position_l(s) = argmin_j |c_j|^2 - 2 Q_l[s] . c_j    the nearest code (Euclidean);
//                   in double precision; ties go to the lowest j
//
// The softmax is the core's attention kernel (scaling none, temperature 1): the sharpness
// lives in the keys. With one-hot codes and a large sharpness every softmax row is
// one-hot on the query's own position (e^-sharpness underflows to exactly 0 beyond 87),
// so after L layers the chase started at s stands exactly at pointers^L(s). A small
// sharpness blurs each step, and crowded codes let a query match other addresses too;
// the blurred output is the next query, so errors grow with the number of hops.
// At any finite sharpness up to FLT_MAX the result is the softmax's limit, never NaN:
// logits that overflow saturate, and keys with exactly equal logits share the weight.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "workspace.hpp"

namespace attn {

/// Bounds every pointer-chase entry point checks. The work of one layer is about
/// 3 n^2 d multiply-adds (scores, blend, nearest code); max_work bounds layers * n^2 * d.
namespace pointer_chase_limits {
constexpr std::size_t max_positions = 1024;
constexpr std::size_t max_layers = 64;  ///< also the largest `hops`
constexpr std::size_t max_dim = 1024;
constexpr std::size_t max_trials = 10000;
constexpr double max_work = 268435456.0; ///< 2^28: about a second in WASM
} // namespace pointer_chase_limits

struct PointerChase {
    std::size_t n = 0;        ///< positions; the pointers array has n entries in [0, n)
    std::size_t layers = 1;   ///< attention layers, one hop each
    std::size_t hops = 0;     ///< hops the question asks for (0: as many as layers)
    float sharpness = 100.0f; ///< multiplies the keys: finite and > 0
    std::size_t dim = 0;      ///< code length; 0 or >= n: one-hot codes of length n
    std::uint64_t seed = 1;   ///< draws the codes when dim < n
};

/// Where the results go (row-major, caller-owned); a null pointer is not written.
struct PointerChaseOutputs {
    std::int32_t* positions = nullptr; ///< layers x n: the nearest code after layer l
    float* weights = nullptr;          ///< layers x n x n: each layer's attention
    float* outputs = nullptr;          ///< layers x n x d: each layer's output (next query)
    float* codes = nullptr;            ///< n x d: the position codes
    std::int32_t* targets = nullptr;   ///< max(layers, hops) x n: pointers applied t + 1 times
    float* accuracy = nullptr;         ///< layers: fraction of starts at pointers^(l+1)(s)
    float* answer_accuracy = nullptr;  ///< 1 value: fraction of starts whose last position
                                       ///< is pointers^hops(s), the question's answer
};

/// "" when the setup and pointers are usable, else a message naming the bad argument.
std::string check_pointer_chase(const PointerChase& chase, const std::int32_t* pointers);

/// d: dim if 0 < dim < n, else n (one-hot).
std::size_t code_length(const PointerChase& chase);

/// max(layers, hops): rows of the targets array.
std::size_t target_rows(const PointerChase& chase);

/// codes (n x d): one-hot rows, or rows of normals from Random(seed) (drawn row after
/// row) scaled to unit length in double precision.
void make_codes(const PointerChase& chase, float* codes);

/// targets (hops x n): targets[t*n + s] = pointers applied t + 1 times to s.
void follow_pointers(const std::int32_t* pointers, std::size_t n, std::size_t hops,
                     std::int32_t* targets);

/// norms2 (n): |c_j|^2 of each code (row of codes, n x d), in double.
void code_norms(const float* codes, std::size_t n, std::size_t d, double* norms2);

/// The index of the code nearest x (d values), as defined above; norms2 from code_norms.
std::size_t nearest_code(const float* codes, const double* norms2, std::size_t n, std::size_t d,
                         const float* x);

/// Runs the chase (see the top of this file). Returns "" or an error message.
std::string pointer_chase(const PointerChase& chase, const std::int32_t* pointers,
                          Workspace& workspace, const PointerChaseOutputs& out);

/// n pointers drawn uniformly from [0, n) (a random function: several positions may
/// point at one) by PCG32 from `seed`, stream 7, without modulo bias.
void random_pointers(std::size_t n, std::uint64_t seed, std::int32_t* out);

/// The accuracy of the chase over many random pointer arrays: trial t chases
/// random_pointers(n, seed + t) with codes from seed + t.
struct PointerChaseTrials {
    PointerChase chase; ///< its n, layers, sharpness, dim; hops and seed are ignored
    std::size_t trials = 1;
    std::uint64_t seed = 1;
};

/// "" when usable, else a message naming the bad argument.
std::string check_pointer_chase_trials(const PointerChaseTrials& trials);

/// mean (layers): the mean over trials of the accuracy after each layer; standard_error
/// (layers, may be null): the standard deviation over trials / sqrt(trials), 0 for one
/// trial. Returns "" or an error message.
std::string pointer_chase_accuracy(const PointerChaseTrials& trials, Workspace& workspace,
                                   float* mean, float* standard_error);

} // namespace attn
