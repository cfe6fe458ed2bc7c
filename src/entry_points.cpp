#include "entry_points.hpp"

#include <cmath>
#include <cstdio>

#include "attention.hpp"
#include "checked_buffer.hpp"
#include "checked_size.hpp"
#include "kernels/finite.hpp"
#include "multihead.hpp"
#include "rng.hpp"
#include "scaling_experiment.hpp"
#include "statistics.hpp"

namespace attn::entry {

namespace {

std::size_t last_scratch = 0;

std::string to_scaling(int code, Scaling& out)
{
    if (code < 0 || code > 2)
        return "scaling must be 'sqrt', 'none' or 'l2'";
    const Scaling table[] = {Scaling::inv_sqrt_dk, Scaling::none, Scaling::l2_keys};
    out = table[code];
    return "";
}

std::string to_mask(int code, Mask& out)
{
    if (code < 0 || code > 2)
        return "mask must be 'none', 'causal' or 'local'";
    const Mask table[] = {Mask::none, Mask::causal, Mask::local};
    out = table[code];
    return "";
}

/// "" when x[0..count) is finite, else "name[i] must be a finite number, got ...".
std::string check_finite(const char* name, const float* x, std::size_t count)
{
    const std::size_t bad = first_non_finite(x, count);
    if (bad == count)
        return "";
    char text[120];
    std::snprintf(text, sizeof text, "%s[%zu] must be a finite number, got %g", name, bad, double(x[bad]));
    return text;
}

/// A seed as JS numbers carry it: an integer from 0 to 2^53 - 1.
std::string to_seed(double seed, std::uint64_t& out)
{
    if (!(seed >= 0.0 && seed <= 9007199254740991.0) || seed != std::floor(seed))
        return "seed must be an integer from 0 to 2^53 - 1";
    out = static_cast<std::uint64_t>(seed);
    return "";
}

/// Runs one call on the shared workspace: accounting, then the memory policy.
template <class Run>
std::string scratch_call(Run run)
{
    Workspace& w = workspace();
    w.begin_call();
    std::string error = run(w);
    last_scratch = w.bytes_used();
    w.end_call();
    return error;
}

} // namespace

Workspace& workspace()
{
    static Workspace shared;
    return shared;
}

std::size_t last_scratch_bytes() { return last_scratch; }

std::size_t retained_scratch_bytes() { return workspace().bytes_held(); }

std::string attention(const float* q, const float* k, const float* v, std::size_t heads, std::size_t nq,
                      std::size_t nk, std::size_t dk, std::size_t dv, int scaling, float temperature,
                      int mask, std::size_t window, float* weights, float* logits, float* output)
{
    const AttentionShape shape{nq, nk, dk, dv};
    AttentionOptions options;
    options.temperature = temperature;
    options.window = window;
    std::string error = to_scaling(scaling, options.scaling);
    if (error.empty())
        error = to_mask(mask, options.mask);
    if (error.empty())
        error = weights != nullptr ? check_attention_weights(shape, options) : check_attention(shape, options);
    if (error.empty() && heads == 0)
        error = "heads must be a positive integer";
    if (error.empty())
        error = check_float_arrays({{"q: heads x nq x dk", {heads, nq, dk}},
                                    {"k: heads x nk x dk", {heads, nk, dk}},
                                    {"v: heads x nk x dv", {heads, nk, dv}},
                                    {"output: heads x nq x dv", {heads, nq, dv}}});
    if (error.empty() && weights != nullptr)
        error = check_float_arrays({{"weights: heads x nq x nk", {heads, nq, nk}}});
    if (error.empty())
        error = check_finite("q", q, heads * nq * dk);
    if (error.empty())
        error = check_finite("k", k, heads * nk * dk);
    if (error.empty())
        error = check_finite("v", v, heads * nk * dv);
    if (!error.empty())
        return error;
    return scratch_call([&](Workspace& w) {
        std::string failed;
        for (std::size_t h = 0; h < heads && failed.empty(); ++h) {
            const float* qh = q + h * nq * dk;
            const float* kh = k + h * nk * dk;
            const float* vh = v + h * nk * dv;
            float* out = output + h * nq * dv;
            failed = weights != nullptr
                         ? attention_with_weights(qh, kh, vh, shape, options, w, weights + h * nq * nk, out,
                                                  logits != nullptr ? logits + h * nq * nk : nullptr)
                         : attention_fused(qh, kh, vh, shape, options, w, out);
        }
        return failed;
    });
}

std::string multi_head_attention(const float* x, std::size_t n, std::size_t d_model, std::size_t heads,
                                 const float* wq, const float* wk, const float* wv, const float* wo,
                                 int mask, std::size_t window, bool tie_kv, float* output, float* weights,
                                 float* head_entropy, const std::int32_t* active, float* mixture,
                                 float* head_outputs, float* values)
{
    const MultiHeadShape shape{n, d_model, heads};
    MultiHeadOptions options;
    options.window = window;
    options.tie_kv = tie_kv;
    std::string error = to_mask(mask, options.mask);
    if (error.empty())
        error = check_multi_head(shape, weights != nullptr);
    const std::size_t dd = d_model * d_model; // checked by check_multi_head
    if (error.empty())
        error = check_finite("x", x, n * d_model);
    if (error.empty())
        error = check_finite("wq", wq, dd);
    if (error.empty())
        error = check_finite("wk", wk, dd);
    if (error.empty() && !tie_kv)
        error = check_finite("wv", wv, dd);
    if (error.empty())
        error = check_finite("wo", wo, dd);
    if (!error.empty())
        return error;
    CheckedBuffer<unsigned char> on(active != nullptr ? heads : 0);
    if (active != nullptr) {
        if (!on)
            return "heads too large: out of memory for the head mask";
        for (std::size_t h = 0; h < heads; ++h)
            on[h] = active[h] != 0;
        options.active = on.data();
    }
    error = scratch_call([&](Workspace& w) {
        return attn::multi_head_attention(x, wq, wk, tie_kv ? nullptr : wv, wo, shape, options, w, output, weights,
                                          weights != nullptr ? head_entropy : nullptr, head_outputs, values);
    });
    if (error.empty() && weights != nullptr && mixture != nullptr)
        mixture_entropy(weights, heads, n, n, mixture, options.active);
    return error;
}

std::string row_statistic(const std::string& name, const float* weights, std::size_t heads, std::size_t rows,
                          std::size_t cols, float* out)
{
    const bool mixture = name == "mixtureEntropy";
    if (!mixture && name != "entropy" && name != "effectiveTokens" && name != "maxWeight")
        return "unknown statistic " + name;
    if (heads == 0)
        return "heads must be a positive integer";
    if (rows == 0)
        return "rows must be a positive integer";
    if (cols == 0)
        return "cols must be a positive integer";
    if (std::string error = check_float_arrays({{"weights: heads x rows x cols", {heads, rows, cols}}}); !error.empty())
        return error;
    std::string error = mixture ? check_head_distributions("weights", weights, heads, rows, cols)
                                : check_distributions("weights", weights, heads * rows, cols);
    if (!error.empty())
        return error;
    if (name == "entropy")
        row_entropy(weights, heads * rows, cols, out);
    else if (name == "effectiveTokens")
        effective_tokens(weights, heads * rows, cols, out);
    else if (name == "maxWeight")
        max_weight(weights, heads * rows, cols, out);
    else
        mixture_entropy(weights, heads, rows, cols, out);
    return "";
}

std::string variance(const float* values, std::size_t count, double* result)
{
    if (count == 0)
        return "values must be a non-empty array of numbers";
    if (std::string error = check_float_arrays({{"values", {count}}}); !error.empty())
        return error;
    if (std::string error = check_finite("values", values, count); !error.empty())
        return error;
    *result = attn::variance(values, count);
    return "";
}

std::string random_normal(double seed, std::size_t count, float* out)
{
    std::uint64_t s = 0;
    if (std::string error = to_seed(seed, s); !error.empty())
        return error;
    if (count == 0)
        return "count must be a positive integer";
    if (std::string error = check_float_arrays({{"count", {count}}}); !error.empty())
        return error;
    Random random(s);
    random.fill_normal(out, count);
    return "";
}

std::string scaling_experiment(std::size_t dk, std::size_t samples, std::size_t keys, double seed, int scaling,
                               float* out)
{
    ScalingExperiment e;
    e.dk = dk;
    e.samples = samples;
    e.keys = keys;
    std::string error = to_seed(seed, e.seed);
    if (error.empty())
        error = to_scaling(scaling, e.scaling);
    if (error.empty())
        error = check_scaling_experiment(e);
    if (!error.empty())
        return error;
    ScalingExperimentResult r;
    error = run_scaling_experiment(e, r, out + 4, out + 4 + keys);
    if (!error.empty())
        return error;
    out[0] = float(r.logit_variance);
    out[1] = float(r.mean_max_weight);
    out[2] = float(r.mean_entropy);
    out[3] = float(r.mean_gradient_norm);
    return "";
}

} // namespace attn::entry
