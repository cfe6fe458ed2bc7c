// Scaled dot-product attention for training: a forward that keeps the weights, and the
// backward that turns dL/d(output) into dL/dq, dL/dk, dL/dv. Attention is the one layer
// that mixes information across tokens, so it is the one whose gradient is not a matrix
// product alone: it goes through the softmax, whose outputs compete for one unit of weight.
//
// Forward (shapes: q nq x dk, k nk x dk, v nk x dv; as attention.hpp):
//   S[i][j] = (q_i . k_j) c_j / T        c_j = 1/sqrt(dk), 1, or 1/|k_j| (l2), j visible to i
//   P[i]    = softmax(S[i])              the attention weights; 0 where the mask hides a key
//   O[i]    = sum_j P[i][j] m[i][j] v_j   m: the dropout mask (0 or 1/(1-p)), else all 1
//
// Backward, for L = sum(O . G) + lambda sum_i H(P[i]) (G = dL/dO, nq x dv; H the entropy):
//   dV_j     = sum_i P[i][j] m[i][j] G_i
//   g[i][j]  = m[i][j] (G_i . v_j)                                  dL/dP, dropout included
//   dS[i][j] = P[i][j] (g[i][j] - sum_j' P[i][j'] g[i][j'])            through the softmax
//            - lambda P[i][j] (log P[i][j] + H(P[i]))                 the entropy penalty
//   dQ_i     = sum_j dS[i][j] (c_j / T) k_j
//   dK_j     = sum_i dS[i][j] (c_j / T) q_i                           ('sqrt' and 'none')
//   l2: with u_j = k_j / |k_j|, du_j = sum_i dS[i][j] q_i / T and
//       dK_j = (du_j - u_j (u_j . du_j)) / |k_j|                      (0 for a zero key)
// A query that sees no key has P = 0 and O = 0, and contributes nothing.
//
// Plain loops, templated: float for training, double for the finite-difference checks.
// Logits are computed in double and saturated to the number type's range, as the lab's
// forward saturates them, so no temperature makes a NaN; an output or a gradient too
// large for the number type is saturated to its largest value (+/-FLT_MAX for float).
#pragma once

#include <cstddef>

#include "../attention.hpp"

namespace attn::training {

/// probs (nq x nk): P, before dropout. output (nq x dv): O. dropout_mask: nq x nk values
/// 0 or 1/(1-p), or nullptr for none.
template <typename Real>
void attention_forward(const Real* q, const Real* k, const Real* v, const AttentionShape& shape,
                       const AttentionOptions& options, const float* dropout_mask, Real* probs,
                       Real* output);

/// Writes grad_q (nq x dk), grad_k (nk x dk), grad_v (nk x dv): the gradients of
/// sum(O . grad_output) + entropy_weight * sum_i H(P[i]), from the forward's probs and mask.
template <typename Real>
void attention_backward(const Real* q, const Real* k, const Real* v, const AttentionShape& shape,
                        const AttentionOptions& options, const float* dropout_mask,
                        const Real* probs, const Real* grad_output, Real entropy_weight,
                        Real* grad_q, Real* grad_k, Real* grad_v);

/// -sum_j p_j log p_j over one row of n weights (natural log; 0 log 0 = 0).
template <typename Real>
Real entropy_of(const Real* p, std::size_t n);

} // namespace attn::training
