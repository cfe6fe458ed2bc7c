#include "scaling_experiment.hpp"

#include <algorithm>
#include <cmath>

#include "checked_buffer.hpp"
#include "rng.hpp"

namespace attn {

std::string check_scaling_experiment(const ScalingExperiment& e)
{
    if (e.dk == 0)
        return "dk must be a positive integer";
    if (e.keys < 2)
        return "keys must be an integer >= 2";
    if (e.keys > max_experiment_keys)
        return "keys must be at most 65536";
    if (e.samples < e.keys)
        return "samples must be at least keys";
    if (double(e.samples) * double(e.dk) * (2.0 + 1.0 / double(e.keys)) > max_experiment_work)
        return "samples x dk is too much work for one call (at most about 2^30)";
    if (e.scaling != Scaling::none && e.scaling != Scaling::inv_sqrt_dk && e.scaling != Scaling::l2_keys)
        return "scaling must be 'sqrt', 'none' or 'l2'";
    return "";
}

std::string run_scaling_experiment(const ScalingExperiment& e, ScalingExperimentResult& result,
                                   float* first_logits, float* first_weights)
{
    if (std::string error = check_scaling_experiment(e); !error.empty())
        return error;
    // samples >= keys >= 2 and samples * dk <= 2^30: rows * keys cannot wrap.
    const std::size_t rows = (e.samples - 1) / e.keys + 1;
    Random random(e.seed);
    CheckedBuffer<float> q(e.dk), k(e.dk), q_fresh(e.dk);
    if (!q || !k || !q_fresh)
        return "dk too large: out of memory for the sampled vectors";
    CheckedBuffer<double> logits(e.keys), p(e.keys);
    if (!logits || !p)
        return "keys too large: out of memory for a softmax row";
    result = ScalingExperimentResult{};
    double sum = 0, sum2 = 0;
    for (std::size_t row = 0; row < rows; ++row) {
        random.fill_normal(q.data(), e.dk);
        for (std::size_t j = 0; j < e.keys; ++j) {
            random.fill_normal(k.data(), e.dk);
            random.fill_normal(q_fresh.data(), e.dk);
            double dot = 0, dot_fresh = 0, norm2 = 0;
            for (std::size_t d = 0; d < e.dk; ++d) {
                dot += double(q[d]) * k[d];
                dot_fresh += double(q_fresh[d]) * k[d];
                norm2 += double(k[d]) * k[d];
            }
            double s = 1.0;
            if (e.scaling == Scaling::inv_sqrt_dk)
                s = 1.0 / std::sqrt(double(e.dk));
            else if (e.scaling == Scaling::l2_keys)
                s = norm2 > 0 ? 1.0 / std::sqrt(norm2) : 0.0;
            logits[j] = dot * s;
            // The variance is measured on independent pairs: a row's logits share their
            // query, which would make the estimate noisy at small d_k.
            const double independent = dot_fresh * s;
            sum += independent;
            sum2 += independent * independent;
        }
        const double m = *std::max_element(logits.data(), logits.data() + e.keys);
        double z = 0;
        for (std::size_t j = 0; j < e.keys; ++j)
            z += (p[j] = std::exp(logits[j] - m));
        double entropy = 0, max_p = 0, sum_p2 = 0, sum_p4 = 0, diag = 0;
        for (std::size_t j = 0; j < e.keys; ++j) {
            double& pj = p[j];
            pj /= z;
            max_p = std::max(max_p, pj);
            if (pj > 0)
                entropy -= pj * std::log(pj);
            sum_p2 += pj * pj;
            sum_p4 += pj * pj * pj * pj;
            diag += (pj - pj * pj) * (pj - pj * pj);
        }
        // |diag(p) - p p^T|_F^2: diagonal terms plus the off-diagonal p_i^2 p_j^2, i != j.
        result.mean_gradient_norm += std::sqrt(std::max(0.0, diag + sum_p2 * sum_p2 - sum_p4));
        result.mean_max_weight += max_p;
        result.mean_entropy += entropy;
        if (row == 0)
            for (std::size_t j = 0; j < e.keys; ++j) {
                if (first_logits != nullptr)
                    first_logits[j] = float(logits[j]);
                if (first_weights != nullptr)
                    first_weights[j] = float(p[j]);
            }
    }
    const double count = double(rows * e.keys);
    const double mean = sum / count;
    result.logit_variance = sum2 / count - mean * mean;
    result.mean_gradient_norm /= double(rows);
    result.mean_max_weight /= double(rows);
    result.mean_entropy /= double(rows);
    return "";
}

} // namespace attn
