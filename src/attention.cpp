#include "attention.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>
#include <vector>

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

// The factor applied to q . k before the softmax, for every key but the l2 case's norm.
float logit_factor(const AttentionShape& shape, const AttentionOptions& options)
{
    const float s = options.scaling == Scaling::inv_sqrt_dk
                        ? 1.0f / std::sqrt(static_cast<float>(shape.dk))
                        : 1.0f;
    return s / options.temperature;
}

// Kt[d][j] = k[k0 + j][d] * factor_j for j < cols: a tile of keys, transposed so that the
// score kernel reads consecutive keys as one vector, with the logit scaling folded in.
void pack_key_tile(const float* k, std::size_t k0, std::size_t cols, const AttentionShape& shape,
                   const AttentionOptions& options, float* kt)
{
    const float factor = logit_factor(shape, options);
    float factors[key_tile];
    for (std::size_t j = 0; j < cols; ++j) {
        factors[j] = factor;
        if (options.scaling == Scaling::l2_keys) {
            const float* key = k + (k0 + j) * shape.dk;
            double norm2 = 0.0;
            for (std::size_t d = 0; d < shape.dk; ++d)
                norm2 += static_cast<double>(key[d]) * key[d];
            // A zero key has no direction: its logit is 0 rather than 0/0.
            factors[j] = norm2 > 0.0 ? static_cast<float>(factor / std::sqrt(norm2)) : 0.0f;
        }
    }
    transpose_scaled(k + k0 * shape.dk, shape.dk, cols, shape.dk, factors, kt, key_tile);
}

// The keys visible to any of queries [q0, q1): masks make each query's range move
// monotonically, so the union is [range(q0).begin, range(q1 - 1).end).
KeyRange block_keys(const AttentionOptions& options, std::size_t q0, std::size_t q1, std::size_t nk)
{
    return {visible_keys(options, q0, nk).begin, visible_keys(options, q1 - 1, nk).end};
}

// Online softmax: folds one tile of logits s[0..cols) (keys k0..) into query i's running
// max and sum, turning s into e^(logit - max) (0 for hidden keys) and rescaling what was
// accumulated under the old max by e^(old max - new max).
void fold_tile_into_row(const AttentionOptions& options, std::size_t i, std::size_t k0,
                        std::size_t cols, std::size_t nk, float* s, float& row_max,
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
    const float rescale = exp_nonpositive(row_max - new_max);
    row_max = new_max;
    std::fill(s, s + a, 0.0f);
    std::fill(s + b, s + cols, 0.0f);
    row_sum = row_sum * rescale + exp_shifted_sum(s + a, b - a, new_max);
    if (rescale != 1.0f)
        scale_in_place(acc, dv, rescale);
}

} // namespace

KeyRange visible_keys(const AttentionOptions& options, std::size_t query, std::size_t nk)
{
    switch (options.mask) {
    case Mask::causal:
        return {0, std::min(query + 1, nk)};
    case Mask::local: {
        const std::size_t begin = query > options.window ? query - options.window : 0;
        const std::size_t end = std::min(nk, query + options.window + 1);
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
        return "temperature must be a finite number > 0";
    return "";
}

void attention_plain(const float* q, const float* k, const float* v, const AttentionShape& shape,
                     const AttentionOptions& options, float* weights, float* output)
{
    const double s = options.scaling == Scaling::inv_sqrt_dk ? 1.0 / std::sqrt(double(shape.dk)) : 1.0;
    std::vector<double> logits(shape.nk);
    for (std::size_t i = 0; i < shape.nq; ++i) {
        const KeyRange r = visible_keys(options, i, shape.nk);
        double m = -std::numeric_limits<double>::infinity();
        for (std::size_t j = r.begin; j < r.end; ++j) {
            double dot = 0.0, norm2 = 0.0;
            for (std::size_t d = 0; d < shape.dk; ++d) {
                dot += double(q[i * shape.dk + d]) * k[j * shape.dk + d];
                norm2 += double(k[j * shape.dk + d]) * k[j * shape.dk + d];
            }
            double scale = s;
            if (options.scaling == Scaling::l2_keys)
                scale = norm2 > 0.0 ? 1.0 / std::sqrt(norm2) : 0.0;
            logits[j] = dot * scale / options.temperature;
            m = std::max(m, logits[j]);
        }
        double sum = 0.0;
        for (std::size_t j = r.begin; j < r.end; ++j)
            sum += std::exp(logits[j] - m);
        for (std::size_t j = 0; j < shape.nk; ++j)
            weights[i * shape.nk + j] =
                (j >= r.begin && j < r.end) ? float(std::exp(logits[j] - m) / sum) : 0.0f;
        for (std::size_t c = 0; c < shape.dv; ++c) {
            double acc = 0.0;
            for (std::size_t j = r.begin; j < r.end; ++j)
                acc += (std::exp(logits[j] - m) / sum) * v[j * shape.dv + c];
            output[i * shape.dv + c] = float(acc);
        }
    }
}

std::string attention_with_weights(const float* q, const float* k, const float* v,
                                   const AttentionShape& shape, const AttentionOptions& options,
                                   Workspace& workspace, float* weights, float* output,
                                   float* logits)
{
    const std::size_t nq = shape.nq, nk = shape.nk, dk = shape.dk, dv = shape.dv;
    float* kt = workspace.floats(keys_packed, dk * key_tile);
    if (kt == nullptr)
        return "out of memory for the key tile (dk too large)";

    // 1. Logits, straight into the weights matrix: blocks of queries times packed key tiles.
    for (std::size_t q0 = 0; q0 < nq; q0 += query_block) {
        const std::size_t q1 = std::min(nq, q0 + query_block);
        const KeyRange span = block_keys(options, q0, q1, nk);
        for (std::size_t k0 = span.begin; k0 < span.end; k0 += key_tile) {
            const std::size_t cols = std::min(key_tile, span.end - k0);
            pack_key_tile(k, k0, cols, shape, options, kt);
            matmul(q + q0 * dk, dk, kt, key_tile, weights + q0 * nk + k0, nk, q1 - q0, dk, cols, false);
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
            saturate_and_max(row + r.begin, r.end - r.begin); // the logits the softmax sees
            std::fill(row_logits, row_logits + r.begin, hidden);
            std::copy(row + r.begin, row + r.end, row_logits + r.begin);
            std::fill(row_logits + r.end, row_logits + nk, hidden);
        }
        std::fill(row, row + r.begin, 0.0f);
        std::fill(row + r.end, row + nk, 0.0f);
        softmax_row(row + r.begin, r.end - r.begin);
    }

    // 3. Output = weights x values (masked weights are zero, so rows with no key give 0).
    matmul(weights, nk, v, dv, output, dv, nq, nk, dv, false);
    return "";
}

std::string attention_fused(const float* q, const float* k, const float* v,
                            const AttentionShape& shape, const AttentionOptions& options,
                            Workspace& workspace, float* output)
{
    const std::size_t nq = shape.nq, nk = shape.nk, dk = shape.dk, dv = shape.dv;
    float* kt = workspace.floats(keys_packed, dk * key_tile);
    float* scores = workspace.floats(scores_tile, strip_rows * key_tile);
    const std::size_t ld_acc = padded_stride(dv);
    float* acc = workspace.floats(accumulator, query_block * ld_acc);
    float* row_max = workspace.floats(running_max, query_block);
    float* row_sum = workspace.floats(running_sum, query_block);
    if (!kt || !scores || !acc || !row_max || !row_sum)
        return "out of memory for attention scratch (dk or dv too large)";

    for (std::size_t q0 = 0; q0 < nq; q0 += query_block) {
        const std::size_t q1 = std::min(nq, q0 + query_block);
        const std::size_t rows = q1 - q0;
        std::fill(acc, acc + rows * ld_acc, 0.0f);
        std::fill(row_max, row_max + rows, -std::numeric_limits<float>::infinity());
        std::fill(row_sum, row_sum + rows, 0.0f);

        const KeyRange span = block_keys(options, q0, q1, nk);
        for (std::size_t k0 = span.begin; k0 < span.end; k0 += key_tile) {
            const std::size_t cols = std::min(key_tile, span.end - k0);
            pack_key_tile(k, k0, cols, shape, options, kt);
            // Strips of a few queries go through scores, softmax and values while their
            // scores are still in L1; the packed key tile and the value tile are reused
            // by every strip of the block.
            for (std::size_t s0 = 0; s0 < rows; s0 += strip_rows) {
                const std::size_t strip = std::min(strip_rows, rows - s0);
                matmul(q + (q0 + s0) * dk, dk, kt, key_tile, scores, key_tile, strip, dk, cols, false);
                for (std::size_t r = s0; r < s0 + strip; ++r)
                    fold_tile_into_row(options, q0 + r, k0, cols, nk, scores + (r - s0) * key_tile,
                                       row_max[r], row_sum[r], acc + r * ld_acc, dv);
                matmul(scores, key_tile, v + k0 * dv, dv, acc + s0 * ld_acc, ld_acc, strip, cols, dv, true);
            }
        }

        for (std::size_t r = 0; r < rows; ++r) {
            const float inv = row_sum[r] > 0.0f ? 1.0f / row_sum[r] : 0.0f;
            for (std::size_t c = 0; c < dv; ++c)
                output[(q0 + r) * dv + c] = acc[r * ld_acc + c] * inv;
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
    attention_with_weights(q.data(), k.data(), v.data(), shape, options, workspace,
                           result.weights.data(), result.output.data());
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
    attention_fused(q.data(), k.data(), v.data(), shape, options, workspace, output.data());
    return output;
}

} // namespace attn
