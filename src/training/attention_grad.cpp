#include "attention_grad.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "real_math.hpp"

namespace attn::training {

namespace {

/// x clamped into the finite range of Real (x is never NaN here).
template <typename Real>
Real saturate_to(double x)
{
    const double top = double(std::numeric_limits<Real>::max());
    return Real(std::min(top, std::max(-top, x)));
}

/// c_j for key j: what q . k_j is multiplied by to give the scaled score.
template <typename Real>
double score_factor(const Real* key, const AttentionShape& shape, const AttentionOptions& options)
{
    double c = 1.0;
    if (options.scaling == Scaling::inv_sqrt_dk)
        c = 1.0 / std::sqrt(double(shape.dk));
    if (options.scaling == Scaling::l2_keys) {
        double norm2 = 0.0;
        for (std::size_t d = 0; d < shape.dk; ++d)
            norm2 += double(key[d]) * double(key[d]);
        c = norm2 > 0.0 ? 1.0 / std::sqrt(norm2) : 0.0; // a zero key has no direction: logit 0
    }
    return c;
}

/// c_j / T for key j: what q . k_j is multiplied by to give the logit.
template <typename Real>
double logit_factor(const Real* key, const AttentionShape& shape, const AttentionOptions& options)
{
    return score_factor(key, shape, options) / double(options.temperature);
}

template <typename Real>
double dot(const Real* a, const Real* b, std::size_t n)
{
    double s = 0.0;
    for (std::size_t d = 0; d < n; ++d)
        s += double(a[d]) * double(b[d]);
    return s;
}

inline double mask_at(const float* mask, std::size_t index)
{
    return mask != nullptr ? double(mask[index]) : 1.0;
}

} // namespace

template <typename Real>
Real entropy_of(const Real* p, std::size_t n)
{
    double h = 0.0;
    for (std::size_t j = 0; j < n; ++j)
        if (p[j] > Real(0))
            h -= double(p[j]) * double(log_of(p[j]));
    return Real(h);
}

template <typename Real>
void attention_forward(const Real* q, const Real* k, const Real* v, const AttentionShape& shape,
                       const AttentionOptions& options, const float* dropout_mask, Real* probs,
                       Real* output)
{
    const std::size_t nk = shape.nk, dk = shape.dk, dv = shape.dv;
    std::fill(probs, probs + shape.nq * nk, Real(0));
    std::fill(output, output + shape.nq * dv, Real(0));
    for (std::size_t i = 0; i < shape.nq; ++i) {
        const KeyRange r = visible_keys(options, i, nk);
        if (r.empty())
            continue;
        Real* p = probs + i * nk;
        // As the core's attention does: the scaled scores, their largest subtracted, and
        // only then the temperature, so that a tiny T gives the argmax, never a tie of
        // two scores both saturated to the largest float.
        const double temperature = double(options.temperature);
        Real top = -std::numeric_limits<Real>::max();
        for (std::size_t j = r.begin; j < r.end; ++j) {
            p[j] = saturate_to<Real>(dot(q + i * dk, k + j * dk, dk) * score_factor(k + j * dk, shape, options));
            top = std::max(top, p[j]);
        }
        double sum = 0.0;
        for (std::size_t j = r.begin; j < r.end; ++j) {
            p[j] = exp_nonpositive_of(saturate_to<Real>((double(p[j]) - double(top)) / temperature));
            sum += double(p[j]);
        }
        // sum >= 1: the largest logit contributes e^0.
        for (std::size_t j = r.begin; j < r.end; ++j)
            p[j] = Real(double(p[j]) / sum);
        // Summed in double, one output entry at a time, and saturated: with dropout the
        // kept weights add up to 1/(1 - p), so values near the largest Real could overflow.
        Real* o = output + i * dv;
        for (std::size_t c = 0; c < dv; ++c) {
            double sum = 0.0;
            for (std::size_t j = r.begin; j < r.end; ++j)
                sum += double(p[j]) * mask_at(dropout_mask, i * nk + j) * double(v[j * dv + c]);
            o[c] = saturate_to<Real>(sum);
        }
    }
}

template <typename Real>
void attention_backward(const Real* q, const Real* k, const Real* v, const AttentionShape& shape,
                        const AttentionOptions& options, const float* dropout_mask,
                        const Real* probs, const Real* grad_output, Real entropy_weight,
                        Real* grad_q, Real* grad_k, Real* grad_v)
{
    const std::size_t nq = shape.nq, nk = shape.nk, dk = shape.dk, dv = shape.dv;
    const bool l2 = options.scaling == Scaling::l2_keys;
    const double lambda = double(entropy_weight);
    std::fill(grad_q, grad_q + nq * dk, Real(0));
    std::fill(grad_k, grad_k + nk * dk, Real(0));
    std::fill(grad_v, grad_v + nk * dv, Real(0));

    for (std::size_t i = 0; i < nq; ++i) {
        const KeyRange r = visible_keys(options, i, nk);
        const Real* p = probs + i * nk;
        const Real* gi = grad_output + i * dv;
        const Real* qi = q + i * dk;
        // Pass 1: the row's mean gradient sum_j P g, and its entropy.
        double mean_g = 0.0, h = 0.0;
        for (std::size_t j = r.begin; j < r.end; ++j) {
            if (!(p[j] > Real(0)))
                continue;
            mean_g += double(p[j]) * mask_at(dropout_mask, i * nk + j) * dot(gi, v + j * dv, dv);
            h -= double(p[j]) * double(log_of(p[j]));
        }
        // Pass 2: dS for each visible key, pushed into q_i, k_j and v_j.
        for (std::size_t j = r.begin; j < r.end; ++j) {
            if (!(p[j] > Real(0)))
                continue; // a weight of exactly 0 has no gradient through the softmax
            const double pj = double(p[j]);
            const double m = mask_at(dropout_mask, i * nk + j);
            const double g = m * dot(gi, v + j * dv, dv);
            const double ds = pj * (g - mean_g) - lambda * pj * (double(log_of(p[j])) + h);
            const Real* kj = k + j * dk;
            const double f = logit_factor(kj, shape, options);
            const double to_key = l2 ? 1.0 / double(options.temperature) : f; // l2: into u_j first
            Real* gq = grad_q + i * dk;
            Real* gk = grad_k + j * dk;
            for (std::size_t d = 0; d < dk; ++d) {
                gq[d] += saturate_to<Real>(ds * f * double(kj[d]));
                gk[d] += saturate_to<Real>(ds * to_key * double(qi[d]));
            }
            const double w = pj * m;
            Real* gv = grad_v + j * dv;
            for (std::size_t c = 0; c < dv; ++c)
                gv[c] += saturate_to<Real>(w * double(gi[c]));
        }
    }

    if (l2) {
        // grad_k holds du_j; project out the direction along u_j and divide by |k_j|.
        for (std::size_t j = 0; j < nk; ++j) {
            const Real* kj = k + j * dk;
            Real* gk = grad_k + j * dk;
            const double norm = std::sqrt(dot(kj, kj, dk));
            if (!(norm > 0.0)) {
                std::fill(gk, gk + dk, Real(0));
                continue;
            }
            const double along = dot(kj, gk, dk) / norm; // u_j . du_j
            for (std::size_t d = 0; d < dk; ++d)
                gk[d] = saturate_to<Real>((double(gk[d]) - double(kj[d]) / norm * along) / norm);
        }
    }

    // A sum of saturated terms may still overflow to infinity: saturate the totals too.
    const auto saturate_all = [](Real* g, std::size_t count) {
        for (std::size_t e = 0; e < count; ++e)
            g[e] = saturate_to<Real>(double(g[e]));
    };
    saturate_all(grad_q, nq * dk);
    saturate_all(grad_k, nk * dk);
    saturate_all(grad_v, nk * dv);
}

template float entropy_of<float>(const float*, std::size_t);
template double entropy_of<double>(const double*, std::size_t);
template void attention_forward<float>(const float*, const float*, const float*, const AttentionShape&,
                                       const AttentionOptions&, const float*, float*, float*);
template void attention_forward<double>(const double*, const double*, const double*, const AttentionShape&,
                                        const AttentionOptions&, const float*, double*, double*);
template void attention_backward<float>(const float*, const float*, const float*, const AttentionShape&,
                                        const AttentionOptions&, const float*, const float*, const float*,
                                        float, float*, float*, float*);
template void attention_backward<double>(const double*, const double*, const double*, const AttentionShape&,
                                         const AttentionOptions&, const float*, const double*, const double*,
                                         double, double*, double*, double*);

} // namespace attn::training
