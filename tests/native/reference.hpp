// Independent float64 references the core is checked against: written from the
// definitions, with none of the core's tiling, packing or vector code.
#pragma once

#include <cmath>
#include <cstddef>
#include <vector>

#include "attention.hpp"
#include "rng.hpp"

namespace reference {

inline bool visible(const attn::AttentionOptions& o, std::size_t i, std::size_t j)
{
    switch (o.mask) {
    case attn::Mask::causal: return j <= i;
    case attn::Mask::local: return (i > j ? i - j : j - i) <= o.window;
    default: return true;
    }
}

struct Result {
    std::vector<double> output, weights;
};

inline Result attention(const std::vector<float>& q, const std::vector<float>& k,
                        const std::vector<float>& v, const attn::AttentionShape& s,
                        const attn::AttentionOptions& o)
{
    Result r{std::vector<double>(s.nq * s.dv, 0.0), std::vector<double>(s.nq * s.nk, 0.0)};
    for (std::size_t i = 0; i < s.nq; ++i) {
        std::vector<double> logit(s.nk, -INFINITY);
        double m = -INFINITY;
        for (std::size_t j = 0; j < s.nk; ++j) {
            if (!visible(o, i, j))
                continue;
            double dot = 0, kk = 0;
            for (std::size_t d = 0; d < s.dk; ++d) {
                dot += double(q[i * s.dk + d]) * double(k[j * s.dk + d]);
                kk += double(k[j * s.dk + d]) * double(k[j * s.dk + d]);
            }
            double scale = 1.0;
            if (o.scaling == attn::Scaling::inv_sqrt_dk)
                scale = 1.0 / std::sqrt(double(s.dk));
            if (o.scaling == attn::Scaling::l2_keys)
                scale = kk > 0 ? 1.0 / std::sqrt(kk) : 0.0;
            logit[j] = dot * scale / double(o.temperature);
            m = std::max(m, logit[j]);
        }
        if (m == -INFINITY)
            continue; // no visible key: zero weights, zero output
        double z = 0;
        for (std::size_t j = 0; j < s.nk; ++j)
            if (logit[j] != -INFINITY)
                z += std::exp(logit[j] - m);
        for (std::size_t j = 0; j < s.nk; ++j) {
            const double w = logit[j] == -INFINITY ? 0.0 : std::exp(logit[j] - m) / z;
            r.weights[i * s.nk + j] = w;
            for (std::size_t c = 0; c < s.dv; ++c)
                r.output[i * s.dv + c] += w * double(v[j * s.dv + c]);
        }
    }
    return r;
}

inline std::vector<float> normals(std::size_t count, std::uint64_t seed, float scale = 1.0f)
{
    attn::Random random(seed);
    std::vector<float> out(count);
    for (auto& x : out)
        x = random.normal() * scale;
    return out;
}

inline double max_abs(const std::vector<float>& a)
{
    double m = 0;
    for (float x : a)
        m = std::max(m, std::fabs(double(x)));
    return m;
}

} // namespace reference
