#include "attention_dropout.hpp"

#include "../kernels/finite.hpp"
#include "../kernels/matmul.hpp"

namespace attn::training {

namespace {
/// 1/(1 - p), the survivors' scale.
float survivor_scale(float p) { return 1.0f / (1.0f - p); }
} // namespace

void draw_dropout_mask(Random& random, float p, std::size_t count, float* mask)
{
    const float scale = survivor_scale(p);
    for (std::size_t e = 0; e < count; ++e)
        mask[e] = random.uniform() < p ? 0.0f : scale;
}

void apply_dropout(Random& random, float p, std::size_t count, float* weights)
{
    const float scale = survivor_scale(p);
    for (std::size_t e = 0; e < count; ++e)
        weights[e] = random.uniform() < p ? 0.0f : weights[e] * scale;
}

std::string attention_with_dropout(const float* q, const float* k, const float* v,
                                   const AttentionShape& shape, const AttentionOptions& options,
                                   float p, Random& random, Workspace& workspace, float* weights,
                                   float* output, float* logits)
{
    if (!(p >= 0.0f && p < 1.0f))
        return "dropout must be a number from 0 to less than 1";
    std::string error = attention_with_weights(q, k, v, shape, options, workspace, weights, output, logits);
    if (!error.empty() || p == 0.0f)
        return error;
    apply_dropout(random, p, shape.nq * shape.nk, weights);
    matmul(weights, shape.nk, v, shape.dv, output, shape.dv, shape.nq, shape.nk, shape.dv, false);
    // The kept weights sum to up to 1/(1 - p): values near 3.4e38 can leave float range.
    if (first_non_finite(output, shape.nq * shape.dv) != shape.nq * shape.dv)
        return "the output overflows float32: dropout scales the kept weights by 1/(1 - p), and values "
               "near 3.4e38 leave float range; scale v down";
    return "";
}

} // namespace attn::training
