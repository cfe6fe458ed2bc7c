// The only file that knows Emscripten: exposes the core to JavaScript through Embind.
//
// Arrays cross as byte offsets into the WASM heap; the JS layer (lab.mjs) allocates with
// _malloc, copies typed arrays in and out, and turns the returned message into an Error.
// Every function returns "" on success or a message naming the bad argument: the core
// never throws, so no call can leave the module in a broken state.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include <emscripten/bind.h>

#include "../attention.hpp"
#include "../kernels/finite.hpp"
#include "../kernels/simd.hpp"
#include "../multihead.hpp"
#include "../rng.hpp"
#include "../scaling_experiment.hpp"
#include "../statistics.hpp"

namespace {

attn::Workspace& workspace()
{
    static attn::Workspace w;
    return w;
}

std::size_t last_scratch_bytes = 0;

float* floats(std::uintptr_t offset) { return reinterpret_cast<float*>(offset); }

std::string to_scaling(int code, attn::Scaling& out)
{
    if (code < 0 || code > 2)
        return "scaling must be 'sqrt', 'none' or 'l2'";
    const attn::Scaling table[] = {attn::Scaling::inv_sqrt_dk, attn::Scaling::none,
                                   attn::Scaling::l2_keys};
    out = table[code];
    return "";
}

std::string to_mask(int code, attn::Mask& out)
{
    if (code < 0 || code > 2)
        return "mask must be 'none', 'causal' or 'local'";
    const attn::Mask table[] = {attn::Mask::none, attn::Mask::causal, attn::Mask::local};
    out = table[code];
    return "";
}

/// `heads` independent attentions, stored one after the other in each array.
/// weights == 0: the fused kernel; else the materialised one (logits may be 0).
std::string attention(std::uintptr_t q, std::uintptr_t k, std::uintptr_t v, std::size_t heads,
                      std::size_t nq, std::size_t nk, std::size_t dk, std::size_t dv, int scaling,
                      float temperature, int mask, std::size_t window, std::uintptr_t weights,
                      std::uintptr_t logits, std::uintptr_t output)
{
    const attn::AttentionShape shape{nq, nk, dk, dv};
    attn::AttentionOptions options;
    options.temperature = temperature;
    options.window = window;
    std::string error = to_scaling(scaling, options.scaling);
    if (error.empty())
        error = to_mask(mask, options.mask);
    if (error.empty())
        error = attn::check_attention(shape, options);
    if (!error.empty())
        return error;
    if (heads == 0)
        return "heads must be a positive integer";
    workspace().begin_call();
    for (std::size_t h = 0; h < heads && error.empty(); ++h) {
        const float* qh = floats(q) + h * nq * dk;
        const float* kh = floats(k) + h * nk * dk;
        const float* vh = floats(v) + h * nk * dv;
        float* out = floats(output) + h * nq * dv;
        error = weights != 0
                    ? attn::attention_with_weights(qh, kh, vh, shape, options, workspace(),
                                                   floats(weights) + h * nq * nk, out,
                                                   logits != 0 ? floats(logits) + h * nq * nk : nullptr)
                    : attn::attention_fused(qh, kh, vh, shape, options, workspace(), out);
    }
    last_scratch_bytes = workspace().bytes_used();
    return error;
}

/// active: 0 (every head on) or heads int32 flags. With weights, head_entropy (heads x n),
/// mixture (n, over the active heads), head_outputs and values (n x dModel) are written too.
std::string multi_head_attention(std::uintptr_t x, std::size_t n, std::size_t d_model,
                                 std::size_t heads, std::uintptr_t wq, std::uintptr_t wk,
                                 std::uintptr_t wv, std::uintptr_t wo, int mask,
                                 std::size_t window, bool tie_kv, std::uintptr_t active,
                                 std::uintptr_t output, std::uintptr_t weights,
                                 std::uintptr_t head_entropy, std::uintptr_t mixture,
                                 std::uintptr_t head_outputs, std::uintptr_t values)
{
    const attn::MultiHeadShape shape{n, d_model, heads};
    attn::MultiHeadOptions options;
    options.window = window;
    options.tie_kv = tie_kv;
    std::string error = to_mask(mask, options.mask);
    if (error.empty())
        error = attn::check_multi_head(shape);
    if (!error.empty())
        return error;
    std::vector<unsigned char> on;
    if (active != 0) {
        const auto* flags = reinterpret_cast<const std::int32_t*>(active);
        on.assign(flags, flags + heads);
        options.active = on.data();
    }
    auto optional = [](std::uintptr_t p) { return p != 0 ? floats(p) : nullptr; };
    workspace().begin_call();
    error = attn::multi_head_attention(floats(x), floats(wq), floats(wk),
                                       tie_kv ? nullptr : floats(wv), floats(wo), shape, options,
                                       workspace(), floats(output), optional(weights),
                                       optional(head_entropy), optional(head_outputs), optional(values));
    if (error.empty() && weights != 0 && mixture != 0)
        attn::mixture_entropy(floats(weights), heads, n, n, floats(mixture), options.active);
    last_scratch_bytes = workspace().bytes_used();
    return error;
}

/// What each row statistic computes, by name.
std::string row_statistic(std::string name, std::uintptr_t weights, std::size_t heads,
                          std::size_t rows, std::size_t cols, std::uintptr_t out)
{
    if (name == "entropy")
        attn::row_entropy(floats(weights), heads * rows, cols, floats(out));
    else if (name == "effectiveTokens")
        attn::effective_tokens(floats(weights), heads * rows, cols, floats(out));
    else if (name == "maxWeight")
        attn::max_weight(floats(weights), heads * rows, cols, floats(out));
    else if (name == "mixtureEntropy")
        attn::mixture_entropy(floats(weights), heads, rows, cols, floats(out));
    else
        return "unknown statistic " + name;
    return "";
}

double variance(std::uintptr_t values, std::size_t count)
{
    return attn::variance(floats(values), count);
}

void random_normal(double seed, std::size_t count, std::uintptr_t out)
{
    attn::Random random(static_cast<std::uint64_t>(seed));
    random.fill_normal(floats(out), count);
}

/// Runs the experiment; results go into `out` (4 statistics, then keys logits, then keys
/// weights of the first row).
std::string scaling_experiment(std::size_t dk, std::size_t samples, std::size_t keys, double seed,
                               int scaling, std::uintptr_t out)
{
    attn::ScalingExperiment e;
    e.dk = dk;
    e.samples = samples;
    e.keys = keys;
    e.seed = static_cast<std::uint64_t>(seed);
    std::string error = to_scaling(scaling, e.scaling);
    if (error.empty())
        error = attn::check_scaling_experiment(e);
    if (!error.empty())
        return error;
    const attn::ScalingExperimentResult r = attn::run_scaling_experiment(e);
    float* o = floats(out);
    o[0] = float(r.logit_variance);
    o[1] = float(r.mean_max_weight);
    o[2] = float(r.mean_entropy);
    o[3] = float(r.mean_gradient_norm);
    std::copy(r.logits.begin(), r.logits.end(), o + 4);
    std::copy(r.weights.begin(), r.weights.end(), o + 4 + keys);
    return "";
}

/// Index of the first NaN or infinity in count floats at `values`, or count.
std::size_t first_non_finite(std::uintptr_t values, std::size_t count)
{
    return attn::first_non_finite(floats(values), count);
}

std::size_t scratch_bytes() { return last_scratch_bytes; }

bool simd_enabled() { return attn::simd::enabled; }

} // namespace

EMSCRIPTEN_BINDINGS(attention_lab)
{
    emscripten::function("attention", &attention);
    emscripten::function("multiHeadAttention", &multi_head_attention);
    emscripten::function("rowStatistic", &row_statistic);
    emscripten::function("variance", &variance);
    emscripten::function("randomNormal", &random_normal);
    emscripten::function("scalingExperiment", &scaling_experiment);
    emscripten::function("firstNonFinite", &first_non_finite);
    emscripten::function("lastScratchBytes", &scratch_bytes);
    emscripten::function("simdEnabled", &simd_enabled);
}
