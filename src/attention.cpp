#include "attention.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "checked_size.hpp"
#include "kernels/exp.hpp"
#include "kernels/matmul.hpp"
#include "kernels/softmax.hpp"
#include "kernels/transpose.hpp"

namespace attn {

namespace {

// Queries whose running softmax state is kept, and keys scored at once. 128 x 64 was the
// fastest of 32/64/128 x 32/64 at n = 256 and 1024 (d = 64) in WASM under Node 20.
constexpr std::size_t query_block = 128;
constexpr std::size_t key_tile = 64;
constexpr std::size_t strip_rows = 8; // queries taken through a key tile together

// The factor folded into the packed keys: 1/sqrt(d_k) or 1 (the l2 case's per-key factor
// is computed in pack_key_tile). The temperature comes later, after the row maximum.
float key_factor(const AttentionShape& shape, const AttentionOptions& options)
{
    return options.scaling == Scaling::inv_sqrt_dk ? 1.0f / std::sqrt(static_cast<float>(shape.dk)) : 1.0f;
}

// Columns of the packed key tile: a whole tile, or every key when there are fewer, so the
// tile is never larger than the keys themselves.
std::size_t packed_stride(std::size_t nk) { return std::min(key_tile, nk); }

// How key j is scaled before the dot product: by `factor` in float, or, when the l2
// factor 1/|k| is not a normal float (|k| below 1e-38 or above 8e37), by `exact` in
// double, so that the key's unit vector stays exact.
struct KeyScale {
    float factor = 1.0f;
    double exact = 0.0;
    bool in_double = false;
};

KeyScale key_scale(const float* key, const AttentionShape& shape, const AttentionOptions& options)
{
    KeyScale scale;
    scale.factor = key_factor(shape, options);
    if (options.scaling != Scaling::l2_keys)
        return scale;
    double norm2 = 0.0;
    for (std::size_t d = 0; d < shape.dk; ++d)
        norm2 += static_cast<double>(key[d]) * key[d];
    // A zero key has no direction: its logit is 0 rather than 0/0.
    const double inverse = norm2 > 0.0 ? 1.0 / std::sqrt(norm2) : 0.0;
    scale.factor = static_cast<float>(inverse);
    if (inverse != 0.0 && !(inverse >= FLT_MIN && inverse <= FLT_MAX)) {
        scale.factor = 0.0f;
        scale.exact = inverse;
        scale.in_double = true;
    }
    return scale;
}

// Component d of key j as the score kernel multiplies it.
inline float scaled_key(const float* key, std::size_t d, const KeyScale& scale)
{
    return scale.in_double ? static_cast<float>(key[d] * scale.exact) : key[d] * scale.factor;
}

// Kt[d][j] = scaled k[k0 + j][d] for j < cols (row stride ld): a tile of keys, transposed
// so that the score kernel reads consecutive keys as one vector, with the scaling folded in.
void pack_key_tile(const float* k, std::size_t k0, std::size_t cols, const AttentionShape& shape,
                   const AttentionOptions& options, float* kt, std::size_t ld)
{
    float factors[key_tile] = {};
    KeyScale in_double[key_tile];
    std::size_t columns[key_tile];
    std::size_t count = 0;
    for (std::size_t j = 0; j < cols; ++j) {
        const KeyScale scale = key_scale(k + (k0 + j) * shape.dk, shape, options);
        factors[j] = scale.factor;
        if (scale.in_double) {
            in_double[count] = scale;
            columns[count++] = j;
        }
    }
    transpose_scaled(k + k0 * shape.dk, shape.dk, cols, shape.dk, factors, kt, ld);
    for (std::size_t n = 0; n < count; ++n) {
        const float* key = k + (k0 + columns[n]) * shape.dk;
        for (std::size_t d = 0; d < shape.dk; ++d)
            kt[d * ld + columns[n]] = scaled_key(key, d, in_double[n]);
    }
}

// The keys visible to any of queries [q0, q1): masks make each query's range move
// monotonically, so the union is [range(q0).begin, range(q1 - 1).end).
KeyRange block_keys(const AttentionOptions& options, std::size_t q0, std::size_t q1, std::size_t nk)
{
    return {visible_keys(options, q0, nk).begin, visible_keys(options, q1 - 1, nk).end};
}

// Online softmax: folds one tile of scores s[0..cols) (keys k0..) into query i's running
// max and sum, turning s into e^((score - max) / T) (0 for hidden keys) and rescaling
// what was accumulated under the old max by e^((old max - new max) / T).
void fold_tile_into_row(const AttentionOptions& options, const Temperature& t, std::size_t i,
                        std::size_t k0, std::size_t cols, std::size_t nk, float* s, float& row_max,
                        float& row_sum, float* acc, std::size_t dv)
{
    const KeyRange visible = visible_keys(options, i, nk);
    const std::size_t a = std::max(visible.begin, k0) - k0;
    const std::size_t b = std::min(visible.end, k0 + cols) > k0 ? std::min(visible.end, k0 + cols) - k0 : 0;
    if (a >= b) {
        std::fill(s, s + cols, 0.0f);
        return;
    }
    const float tile_max = saturate_and_max(s + a, b - a);
    const float new_max = std::max(row_max, tile_max);
    const float rescale = exp_nonpositive(t.gap(row_max - new_max));
    row_max = new_max;
    std::fill(s, s + a, 0.0f);
    std::fill(s + b, s + cols, 0.0f);
    row_sum = row_sum * rescale + exp_shifted_sum(s + a, b - a, new_max, t);
    if (rescale != 1.0f)
        scale_in_place(acc, dv, rescale);
}

bool all_finite(const float* x, std::size_t n)
{
    for (std::size_t i = 0; i < n; ++i)
        if (!std::isfinite(x[i]))
            return false;
    return true;
}

float saturate(double x) { return static_cast<float>(std::min<double>(FLT_MAX, std::max<double>(-FLT_MAX, x))); }

// output_row = sum_j weights_row[j] * v_j in double, saturated: the materialised kernel's
// fallback when a float sum overflowed (a blend of values is never larger than them).
void blend_row_exact(const float* weights_row, const float* v, std::size_t nk, std::size_t dv, float* out_row)
{
    for (std::size_t c = 0; c < dv; ++c) {
        double acc = 0.0;
        for (std::size_t j = 0; j < nk; ++j)
            acc += double(weights_row[j]) * v[j * dv + c];
        out_row[c] = saturate(acc);
    }
}

// One query of attention_plain: logits and weights in double (recomputed in each pass
// rather than stored, so nothing is allocated), the output summed from normalised weights.
void attention_row_plain(const float* q, const float* k, const float* v, const AttentionShape& shape,
                         const AttentionOptions& options, std::size_t i, float* weights_row, float* out_row)
{
    const double s = options.scaling == Scaling::inv_sqrt_dk ? 1.0 / std::sqrt(double(shape.dk)) : 1.0;
    const KeyRange r = visible_keys(options, i, shape.nk);
    auto logit = [&](std::size_t j) {
        double dot = 0.0, norm2 = 0.0;
        for (std::size_t d = 0; d < shape.dk; ++d) {
            dot += double(q[i * shape.dk + d]) * k[j * shape.dk + d];
            norm2 += double(k[j * shape.dk + d]) * k[j * shape.dk + d];
        }
        double scale = s;
        if (options.scaling == Scaling::l2_keys)
            scale = norm2 > 0.0 ? 1.0 / std::sqrt(norm2) : 0.0;
        return dot * scale;
    };
    double m = -std::numeric_limits<double>::infinity();
    for (std::size_t j = r.begin; j < r.end; ++j)
        m = std::max(m, logit(j));
    const double t = options.temperature;
    double sum = 0.0;
    for (std::size_t j = r.begin; j < r.end; ++j)
        sum += std::exp((logit(j) - m) / t);
    std::fill(out_row, out_row + shape.dv, 0.0f);
    if (weights_row != nullptr)
        std::fill(weights_row, weights_row + shape.nk, 0.0f);
    for (std::size_t j = r.begin; j < r.end; ++j) {
        const double w = std::exp((logit(j) - m) / t) / sum;
        if (weights_row != nullptr)
            weights_row[j] = float(w);
        for (std::size_t c = 0; c < shape.dv; ++c)
            out_row[c] += float(w * v[j * shape.dv + c]);
    }
    for (std::size_t c = 0; c < shape.dv; ++c)
        out_row[c] = saturate(out_row[c]); // rounding may push a sum of weights past 1
}

// The fused kernel's fallback for query i when its running sums overflowed (values near
// FLT_MAX): the scores recomputed one key at a time with the kernel's own float
// arithmetic (so ties and the argmax are the same), normalised before the values are
// summed, so the sum cannot overflow. No scratch: each pass recomputes the scores.
void attention_row_normalised(const float* q, const float* k, const float* v, const AttentionShape& shape,
                              const AttentionOptions& options, const Temperature& t, std::size_t i,
                              float* out_row)
{
    const KeyRange r = visible_keys(options, i, shape.nk);
    const float* qi = q + i * shape.dk;
    auto score = [&](std::size_t j) {
        const float* key = k + j * shape.dk;
        const KeyScale scale = key_scale(key, shape, options);
        float dot = 0.0f;
        for (std::size_t d = 0; d < shape.dk; ++d)
            dot += qi[d] * scaled_key(key, d, scale);
        return dot;
    };
    float m = -FLT_MAX;
    for (std::size_t j = r.begin; j < r.end; ++j)
        m = std::max(m, saturate(double(score(j))));
    float sum = 0.0f;
    for (std::size_t j = r.begin; j < r.end; ++j)
        sum += exp_nonpositive(t.gap(saturate(double(score(j))) - m));
    std::fill(out_row, out_row + shape.dv, 0.0f);
    for (std::size_t j = r.begin; j < r.end; ++j) {
        const float w = exp_nonpositive(t.gap(saturate(double(score(j))) - m)) / sum;
        for (std::size_t c = 0; c < shape.dv; ++c)
            out_row[c] = saturate(double(out_row[c]) + double(w) * v[j * shape.dv + c]);
    }
}

} // namespace

KeyRange visible_keys(const AttentionOptions& options, std::size_t query, std::size_t nk)
{
    switch (options.mask) {
    case Mask::causal:
        return {0, query < nk ? query + 1 : nk};
    case Mask::local: {
        // Written so that no sum wraps, whatever window a C++ caller passes.
        const std::size_t begin = query > options.window ? query - options.window : 0;
        const std::size_t end = query < nk && nk - query > options.window ? query + options.window + 1 : nk;
        return {std::min(begin, nk), end};
    }
    case Mask::none:
    default:
        return {0, nk};
    }
}

std::string check_attention(const AttentionShape& shape, const AttentionOptions& options)
{
    if (shape.nq == 0)
        return "nq must be a positive integer";
    if (shape.nk == 0)
        return "nk must be a positive integer";
    if (shape.dk == 0)
        return "dk must be a positive integer";
    if (shape.dv == 0)
        return "dv must be a positive integer";
    if (!(options.temperature > 0.0f) || !std::isfinite(options.temperature))
        return "temperature must be a float32 from 1.4e-45 to 3.4e38";
    if (options.scaling != Scaling::inv_sqrt_dk && options.scaling != Scaling::none &&
        options.scaling != Scaling::l2_keys)
        return "scaling must be 'sqrt', 'none' or 'l2'";
    if (options.mask != Mask::none && options.mask != Mask::causal && options.mask != Mask::local)
        return "mask must be 'none', 'causal' or 'local'";
    return check_float_arrays({{"q: nq x dk", {shape.nq, shape.dk}},
                               {"k: nk x dk", {shape.nk, shape.dk}},
                               {"v: nk x dv", {shape.nk, shape.dv}},
                               {"output: nq x dv", {shape.nq, shape.dv}}});
}

std::string check_attention_weights(const AttentionShape& shape, const AttentionOptions& options)
{
    std::string error = check_attention(shape, options);
    if (error.empty())
        error = check_float_arrays({{"weights: nq x nk", {shape.nq, shape.nk}}});
    return error;
}

void attention_plain(const float* q, const float* k, const float* v, const AttentionShape& shape,
                     const AttentionOptions& options, float* weights, float* output)
{
    for (std::size_t i = 0; i < shape.nq; ++i)
        attention_row_plain(q, k, v, shape, options, i, weights != nullptr ? weights + i * shape.nk : nullptr,
                            output + i * shape.dv);
}

std::string attention_with_weights(const float* q, const float* k, const float* v,
                                   const AttentionShape& shape, const AttentionOptions& options,
                                   Workspace& workspace, float* weights, float* output,
                                   float* logits)
{
    if (std::string error = check_attention_weights(shape, options); !error.empty())
        return error;
    const std::size_t nq = shape.nq, nk = shape.nk, dk = shape.dk, dv = shape.dv;
    const std::size_t ld_kt = packed_stride(nk);
    float* kt = workspace.floats(keys_packed, dk * ld_kt); // <= nk * dk: checked above
    if (kt == nullptr)
        return "dk too large: out of memory for the packed key tile";
    const Temperature t(options.temperature);

    // 1. Scores, straight into the weights matrix: blocks of queries times packed key tiles.
    for (std::size_t q0 = 0; q0 < nq; q0 += query_block) {
        const std::size_t q1 = std::min(nq, q0 + query_block);
        const KeyRange span = block_keys(options, q0, q1, nk);
        for (std::size_t k0 = span.begin; k0 < span.end; k0 += key_tile) {
            const std::size_t cols = std::min(key_tile, span.end - k0);
            pack_key_tile(k, k0, cols, shape, options, kt, ld_kt);
            matmul(q + q0 * dk, dk, kt, ld_kt, weights + q0 * nk + k0, nk, q1 - q0, dk, cols, false);
        }
    }

    // 2. Softmax over each row's visible keys; zero weights (and -inf logits) elsewhere.
    constexpr float hidden = -std::numeric_limits<float>::infinity();
    for (std::size_t i = 0; i < nq; ++i) {
        float* row = weights + i * nk;
        float* row_logits = logits != nullptr ? logits + i * nk : nullptr;
        const KeyRange r = visible_keys(options, i, nk);
        if (r.empty()) {
            std::fill(row, row + nk, 0.0f);
            if (row_logits != nullptr)
                std::fill(row_logits, row_logits + nk, hidden);
            continue;
        }
        if (row_logits != nullptr) {
            saturate_and_max(row + r.begin, r.end - r.begin);
            std::fill(row_logits, row_logits + r.begin, hidden);
            for (std::size_t j = r.begin; j < r.end; ++j) // the logits: scores / T, saturated
                row_logits[j] = saturate(double(row[j]) / double(options.temperature));
            std::fill(row_logits + r.end, row_logits + nk, hidden);
        }
        std::fill(row, row + r.begin, 0.0f);
        std::fill(row + r.end, row + nk, 0.0f);
        softmax_row(row + r.begin, r.end - r.begin, t);
    }

    // 3. Output = weights x values (masked weights are zero, so rows with no key give 0).
    matmul(weights, nk, v, dv, output, dv, nq, nk, dv, false);
    for (std::size_t i = 0; i < nq; ++i)
        if (!all_finite(output + i * dv, dv))
            blend_row_exact(weights + i * nk, v, nk, dv, output + i * dv);
    return "";
}

std::string attention_fused(const float* q, const float* k, const float* v,
                            const AttentionShape& shape, const AttentionOptions& options,
                            Workspace& workspace, float* output)
{
    if (std::string error = check_attention(shape, options); !error.empty())
        return error;
    const std::size_t nq = shape.nq, nk = shape.nk, dk = shape.dk, dv = shape.dv;
    const std::size_t ld_kt = packed_stride(nk);
    const std::size_t block_rows = std::min(nq, query_block);
    const std::size_t ld_acc = padded_stride(dv);
    // Each request is at most an input's or the output's size plus a few tiles: the
    // checks above keep every product below 2^28 + 2^14, so none wraps.
    float* kt = workspace.floats(keys_packed, dk * ld_kt);
    if (kt == nullptr)
        return "dk too large: out of memory for the packed key tile";
    float* acc = workspace.floats(accumulator, block_rows * ld_acc);
    if (acc == nullptr)
        return "dv too large: out of memory for the output accumulator";
    float* scores = workspace.floats(scores_tile, strip_rows * key_tile);
    float* row_max = workspace.floats(running_max, query_block);
    float* row_sum = workspace.floats(running_sum, query_block);
    if (!scores || !row_max || !row_sum)
        return "out of memory for the attention tiles";
    const Temperature t(options.temperature);

    for (std::size_t q0 = 0; q0 < nq; q0 += query_block) {
        const std::size_t q1 = std::min(nq, q0 + query_block);
        const std::size_t rows = q1 - q0;
        std::fill(acc, acc + rows * ld_acc, 0.0f);
        std::fill(row_max, row_max + rows, -std::numeric_limits<float>::infinity());
        std::fill(row_sum, row_sum + rows, 0.0f);

        const KeyRange span = block_keys(options, q0, q1, nk);
        for (std::size_t k0 = span.begin; k0 < span.end; k0 += key_tile) {
            const std::size_t cols = std::min(key_tile, span.end - k0);
            pack_key_tile(k, k0, cols, shape, options, kt, ld_kt);
            // Strips of a few queries go through scores, softmax and values while their
            // scores are still in L1; the packed key tile and the value tile are reused
            // by every strip of the block.
            for (std::size_t s0 = 0; s0 < rows; s0 += strip_rows) {
                const std::size_t strip = std::min(strip_rows, rows - s0);
                matmul(q + (q0 + s0) * dk, dk, kt, ld_kt, scores, key_tile, strip, dk, cols, false);
                for (std::size_t r = s0; r < s0 + strip; ++r)
                    fold_tile_into_row(options, t, q0 + r, k0, cols, nk, scores + (r - s0) * key_tile,
                                       row_max[r], row_sum[r], acc + r * ld_acc, dv);
                matmul(scores, key_tile, v + k0 * dv, dv, acc + s0 * ld_acc, ld_acc, strip, cols, dv, true);
            }
        }

        for (std::size_t r = 0; r < rows; ++r) {
            float* out_row = output + (q0 + r) * dv;
            const float inv = row_sum[r] > 0.0f ? 1.0f / row_sum[r] : 0.0f;
            for (std::size_t c = 0; c < dv; ++c)
                out_row[c] = acc[r * ld_acc + c] * inv;
            // The running sums are not normalised: values near FLT_MAX can overflow them.
            if (!all_finite(out_row, dv))
                attention_row_normalised(q, k, v, shape, options, t, q0 + r, out_row);
        }
    }
    return "";
}

AttentionResult attention(const xt::xtensor<float, 2>& q, const xt::xtensor<float, 2>& k,
                          const xt::xtensor<float, 2>& v, const AttentionOptions& options)
{
    const AttentionShape shape{q.shape(0), k.shape(0), q.shape(1), v.shape(1)};
    AttentionResult result{xt::xtensor<float, 2>::from_shape({shape.nq, shape.dv}),
                           xt::xtensor<float, 2>::from_shape({shape.nq, shape.nk})};
    Workspace workspace;
    const std::string error = attention_with_weights(q.data(), k.data(), v.data(), shape, options, workspace,
                                                     result.weights.data(), result.output.data());
    if (!error.empty())
        throw std::invalid_argument(error);
    return result;
}

xt::xtensor<float, 2> attention_output(const xt::xtensor<float, 2>& q,
                                       const xt::xtensor<float, 2>& k,
                                       const xt::xtensor<float, 2>& v,
                                       const AttentionOptions& options)
{
    const AttentionShape shape{q.shape(0), k.shape(0), q.shape(1), v.shape(1)};
    auto output = xt::xtensor<float, 2>::from_shape({shape.nq, shape.dv});
    Workspace workspace;
    const std::string error = attention_fused(q.data(), k.data(), v.data(), shape, options, workspace,
                                              output.data());
    if (!error.empty())
        throw std::invalid_argument(error);
    return output;
}

} // namespace attn
