#include "multihead.hpp"

#include <algorithm>

#include "checked_size.hpp"
#include "kernels/finite.hpp"
#include "kernels/matmul.hpp"
#include "statistics.hpp"

namespace attn {

namespace {
// dst (n x width) = columns [col, col + width) of src (n x ld).
void copy_columns(const float* src, std::size_t ld, std::size_t n, std::size_t col,
                  std::size_t width, float* dst)
{
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t c = 0; c < width; ++c)
            dst[i * width + c] = src[i * ld + col + c];
}

// Whether the n rows of width `width` (stride ld) are all finite.
bool rows_finite(const float* m, std::size_t ld, std::size_t n, std::size_t width)
{
    for (std::size_t i = 0; i < n; ++i)
        if (first_non_finite(m + i * ld, width) != width)
            return false;
    return true;
}
} // namespace

std::string check_multi_head(const MultiHeadShape& shape, bool weights)
{
    if (shape.n == 0)
        return "n must be a positive integer";
    if (shape.d_model == 0)
        return "dModel must be a positive integer";
    if (shape.heads == 0)
        return "heads must be a positive integer";
    if (shape.d_model % shape.heads != 0)
        return "dModel must be divisible by heads";
    // The projections are n x padded_stride(dModel) <= n x (dModel + 16); x is checked
    // first, so dModel + 16 cannot wrap there.
    std::string error = check_float_arrays({{"x: n x dModel", {shape.n, shape.d_model}},
                                            {"wq: dModel x dModel", {shape.d_model, shape.d_model}},
                                            {"projections: n x (dModel + 16)", {shape.n, shape.d_model + 16}}});
    if (error.empty() && weights)
        error = check_float_arrays({{"weights: heads x n x n", {shape.heads, shape.n, shape.n}}});
    return error;
}

std::string multi_head_attention(const float* x, const float* wq, const float* wk, const float* wv,
                                 const float* wo, const MultiHeadShape& shape,
                                 const MultiHeadOptions& options, Workspace& workspace,
                                 float* output, float* weights, float* head_entropy,
                                 float* head_outputs, float* values)
{
    if (std::string error = check_multi_head(shape, weights != nullptr); !error.empty())
        return error;
    const std::size_t n = shape.n, dm = shape.d_model, dh = dm / shape.heads;
    const std::size_t ld = padded_stride(dm); // rows of the n x dModel scratch matrices
    float* q = workspace.floats(projected_q, n * ld);
    float* k = workspace.floats(projected_k, n * ld);
    float* v = options.tie_kv ? k : workspace.floats(projected_v, n * ld);
    float* qh = workspace.floats(head_q, n * dh);
    float* kh = workspace.floats(head_k, n * dh);
    float* vh = workspace.floats(head_v, n * dh);
    float* oh = workspace.floats(head_output, n * dh);
    float* concat = workspace.floats(heads_concat, n * ld);
    if (!q || !k || !v || !qh || !kh || !vh || !oh || !concat)
        return "n or dModel too large: out of memory for the projections";

    matmul(x, dm, wq, dm, q, ld, n, dm, dm, false);
    matmul(x, dm, wk, dm, k, ld, n, dm, dm, false);
    if (!options.tie_kv)
        matmul(x, dm, wv, dm, v, ld, n, dm, dm, false);
    if (!rows_finite(q, ld, n, dm) || !rows_finite(k, ld, n, dm) || !rows_finite(v, ld, n, dm))
        return "x times wq, wk or wv overflows float32 (entries beyond 3.4e38): scale x or the matrices down";

    const AttentionShape head_shape{n, n, dh, dh};
    AttentionOptions head_options;
    head_options.mask = options.mask;
    head_options.window = options.window;
    for (std::size_t h = 0; h < shape.heads; ++h) {
        const bool on = options.active == nullptr || options.active[h] != 0;
        if (!on && weights == nullptr) {
            for (std::size_t i = 0; i < n; ++i)
                std::fill(concat + i * ld + h * dh, concat + i * ld + (h + 1) * dh, 0.0f);
            continue;
        }
        copy_columns(q, ld, n, h * dh, dh, qh);
        copy_columns(k, ld, n, h * dh, dh, kh);
        copy_columns(v, ld, n, h * dh, dh, vh);
        std::string error;
        if (weights != nullptr) {
            float* wh = weights + h * n * n;
            error = attention_with_weights(qh, kh, vh, head_shape, head_options, workspace, wh, oh);
            if (error.empty() && head_entropy != nullptr)
                row_entropy(wh, n, n, head_entropy + h * n);
        } else {
            error = attention_fused(qh, kh, vh, head_shape, head_options, workspace, oh);
        }
        if (!error.empty())
            return error;
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t c = 0; c < dh; ++c)
                concat[i * ld + h * dh + c] = on ? oh[i * dh + c] : 0.0f;
    }
    matmul(concat, ld, wo, dm, output, dm, n, dm, dm, false);
    if (!rows_finite(output, dm, n, dm))
        return "the heads times wo overflow float32 (entries beyond 3.4e38): scale wo down";
    if (head_outputs != nullptr)
        copy_columns(concat, ld, n, 0, dm, head_outputs);
    if (values != nullptr)
        copy_columns(v, ld, n, 0, dm, values);
    return "";
}

} // namespace attn
