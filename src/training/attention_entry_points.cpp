#include "attention_entry_points.hpp"

#include <cmath>
#include <cstdint>
#include <cstdio>

#include "../attention.hpp"
#include "../checked_size.hpp"
#include "../entry_points.hpp"
#include "../kernels/finite.hpp"
#include "../rng.hpp"
#include "attention_dropout.hpp"
#include "attention_grad.hpp"

namespace attn::training::entry {

namespace {

/// The options as lab.mjs encodes them, and every array of a call of `heads` attentions
/// within the bound (the weights, logits and dropout mask are heads x nq x nk at most).
std::string setup(std::size_t heads, std::size_t nq, std::size_t nk, std::size_t dk, std::size_t dv, int scaling,
                  float temperature, int mask, std::size_t window, AttentionShape& shape, AttentionOptions& options)
{
    if (scaling < 0 || scaling > 2)
        return "scaling must be 'sqrt', 'none' or 'l2'";
    if (mask < 0 || mask > 2)
        return "mask must be 'none', 'causal' or 'local'";
    if (heads == 0)
        return "heads must be a positive integer";
    const Scaling scalings[] = {Scaling::inv_sqrt_dk, Scaling::none, Scaling::l2_keys};
    const Mask masks[] = {Mask::none, Mask::causal, Mask::local};
    shape = {nq, nk, dk, dv};
    options.scaling = scalings[scaling];
    options.mask = masks[mask];
    options.temperature = temperature;
    options.window = window;
    std::string error = check_attention(shape, options); // sizes > 0, temperature
    if (error.empty())
        error = check_float_arrays({{"q: heads x nq x dk", {heads, nq, dk}},
                                    {"k: heads x nk x dk", {heads, nk, dk}},
                                    {"v: heads x nk x dv", {heads, nk, dv}},
                                    {"output: heads x nq x dv", {heads, nq, dv}},
                                    {"weights: heads x nq x nk", {heads, nq, nk}}});
    return error;
}

std::string check_finite(const char* name, const float* x, std::size_t count)
{
    const std::size_t bad = first_non_finite(x, count);
    if (bad == count)
        return "";
    char text[120];
    std::snprintf(text, sizeof text, "%s[%zu] must be a finite number, got %g", name, bad, double(x[bad]));
    return text;
}

/// q, k, v finite (their sizes checked by setup).
std::string check_inputs(const float* q, const float* k, const float* v, std::size_t heads,
                         const AttentionShape& s)
{
    std::string error = check_finite("q", q, heads * s.nq * s.dk);
    if (error.empty())
        error = check_finite("k", k, heads * s.nk * s.dk);
    if (error.empty())
        error = check_finite("v", v, heads * s.nk * s.dv);
    return error;
}

std::string check_dropout_and_seed(float dropout, double seed, std::uint64_t& out)
{
    if (!(dropout >= 0.0f && dropout < 1.0f))
        return "dropout must be a number from 0 to less than 1";
    if (!(seed >= 0.0 && seed <= 9007199254740991.0) || seed != std::floor(seed))
        return "seed must be an integer from 0 to 2^53 - 1";
    out = static_cast<std::uint64_t>(seed);
    return "";
}

} // namespace

std::string attention_dropout(const float* q, const float* k, const float* v, std::size_t heads, std::size_t nq,
                              std::size_t nk, std::size_t dk, std::size_t dv, int scaling, float temperature,
                              int mask, std::size_t window, float dropout, double seed, float* weights,
                              float* logits, float* output)
{
    AttentionShape shape;
    AttentionOptions options;
    std::uint64_t s = 0;
    std::string error = setup(heads, nq, nk, dk, dv, scaling, temperature, mask, window, shape, options);
    if (error.empty())
        error = check_dropout_and_seed(dropout, seed, s);
    if (error.empty())
        error = check_inputs(q, k, v, heads, shape);
    if (!error.empty())
        return error;
    Random random(s);
    Workspace& w = attn::entry::workspace();
    w.begin_call();
    for (std::size_t h = 0; h < heads && error.empty(); ++h)
        error = attention_with_dropout(q + h * nq * dk, k + h * nk * dk, v + h * nk * dv, shape, options, dropout,
                                       random, w, weights + h * nq * nk, output + h * nq * dv,
                                       logits != nullptr ? logits + h * nq * nk : nullptr);
    w.end_call();
    return error;
}

std::string attention_backward(const float* q, const float* k, const float* v, const float* grad_output,
                               std::size_t heads, std::size_t nq, std::size_t nk, std::size_t dk, std::size_t dv,
                               int scaling, float temperature, int mask, std::size_t window, float dropout,
                               double seed, float entropy_penalty, float* probs, float* output,
                               float* dropout_mask, float* grad_q, float* grad_k, float* grad_v)
{
    AttentionShape shape;
    AttentionOptions options;
    std::uint64_t s = 0;
    std::string error = setup(heads, nq, nk, dk, dv, scaling, temperature, mask, window, shape, options);
    if (error.empty())
        error = check_dropout_and_seed(dropout, seed, s);
    if (error.empty() && !(entropy_penalty >= 0.0f && entropy_penalty <= max_entropy_penalty))
        error = "entropyPenalty must be a number from 0 to 1e6";
    if (error.empty())
        error = check_inputs(q, k, v, heads, shape);
    if (error.empty())
        error = check_finite("gradOutput", grad_output, heads * nq * dv);
    if (!error.empty())
        return error;
    Random random(s);
    for (std::size_t h = 0; h < heads; ++h) {
        const float* qh = q + h * nq * dk;
        const float* kh = k + h * nk * dk;
        const float* vh = v + h * nk * dv;
        const float* m = nullptr;
        if (dropout > 0.0f) {
            draw_dropout_mask(random, dropout, nq * nk, dropout_mask);
            m = dropout_mask;
        }
        training::attention_forward(qh, kh, vh, shape, options, m, probs, output);
        training::attention_backward(qh, kh, vh, shape, options, m, probs, grad_output + h * nq * dv, entropy_penalty,
                           grad_q + h * nq * dk, grad_k + h * nk * dk, grad_v + h * nk * dv);
    }
    return "";
}

} // namespace attn::training::entry
