// Attention in training mode as the JavaScript API calls it (embind_training.cpp only
// forwards): `heads` independent attentions stored one after the other in each array,
// integer codes for the options, "" or an error message out.
//
// As in entry_points.hpp, every argument is checked before memory is touched: codes in
// range, sizes > 0, every array of the call (heads x nq x dk, ...) within max_array_bytes
// with its size computed without wrapping, inputs finite, dropout in [0, 1), the seed an
// integer JS numbers carry exactly. The calls run on the core's one shared workspace and
// end by giving back scratch beyond Workspace::retain_bytes. Nothing throws or aborts.
//
// Codes: scaling 0 'sqrt', 1 'none', 2 'l2'; mask 0 'none', 1 'causal', 2 'local'.
#pragma once

#include <cstddef>
#include <string>

namespace attn::training::entry {

/// The most an entropy penalty may weigh (the JS API's bound too).
constexpr float max_entropy_penalty = 1e6f;

/// lab.attention({ dropout: p, seed }): for each head, attention_with_dropout, all heads
/// drawing from one Random(seed) in order. q (heads x nq x dk), k (heads x nk x dk), v
/// (heads x nk x dv); writes weights (heads x nq x nk, dropped), output (heads x nq x dv)
/// and, if not null, logits (heads x nq x nk).
std::string attention_dropout(const float* q, const float* k, const float* v, std::size_t heads, std::size_t nq,
                              std::size_t nk, std::size_t dk, std::size_t dv, int scaling, float temperature,
                              int mask, std::size_t window, float dropout, double seed, float* weights,
                              float* logits, float* output);

/// lab.attentionBackward: for each head, the dropout mask (the draws attention_dropout
/// makes), attention_forward and attention_backward (attention_grad.hpp). grad_output is
/// heads x nq x dv; probs, output (nq x dv) and dropout_mask (nq x nk) are scratch of one
/// head; writes grad_q, grad_k, grad_v (shaped as q, k, v).
std::string attention_backward(const float* q, const float* k, const float* v, const float* grad_output,
                               std::size_t heads, std::size_t nq, std::size_t nk, std::size_t dk, std::size_t dv,
                               int scaling, float temperature, int mask, std::size_t window, float dropout,
                               double seed, float entropy_penalty, float* probs, float* output,
                               float* dropout_mask, float* grad_q, float* grad_k, float* grad_v);

} // namespace attn::training::entry
