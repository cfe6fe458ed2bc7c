#include "conv_reader.hpp"

#include <cmath>

#include "influence.hpp"
#include "jacobian_blocks.hpp"

namespace attn {

namespace {
constexpr std::size_t d = token_dim;
}

ConvReader::ConvReader(std::size_t layers, std::size_t kernel, Random& random)
    : layers_(layers), kernel_(kernel), radius_((kernel - 1) / 2), weights_(layers * kernel * d * d)
{
    const double scale = 1.0 / std::sqrt(double(kernel * d));
    for (double& w : weights_)
        w = double(random.normal()) * scale;
}

const double* ConvReader::tap(std::size_t layer, std::size_t t) const
{
    return weights_.data() + ((layer - 1) * kernel_ + t) * d * d;
}

std::vector<double> ConvReader::forward(const double* tokens, std::size_t n, std::size_t p) const
{
    std::vector<double> a((layers_ + 1) * n * d, 0.0);
    for (std::size_t i = 0; i < n * d; ++i)
        a[i] = tokens[i];
    for (std::size_t l = 1; l <= layers_; ++l) {
        const double* in = a.data() + (l - 1) * n * d;
        double* out = a.data() + l * n * d;
        const TokenSpan rows = span_around(n, p, (layers_ - l) * radius_);
        for (std::size_t i = rows.begin; i < rows.end; ++i) {
            double pre[d] = {};
            for (std::size_t t = 0; t < kernel_; ++t) {
                if (i + t < radius_ || i + t - radius_ >= n)
                    continue; // zero padding
                const double* x = in + (i + t - radius_) * d;
                const double* w = tap(l, t);
                for (std::size_t o = 0; o < d; ++o)
                    for (std::size_t c = 0; c < d; ++c)
                        pre[o] += w[o * d + c] * x[c];
            }
            for (std::size_t o = 0; o < d; ++o)
                out[i * d + o] = std::tanh(pre[o]);
        }
    }
    return a;
}

std::vector<double> ConvReader::read(const double* tokens, std::size_t n, std::size_t p) const
{
    return jacobian_blocks::row(forward(tokens, n, p), layers_, n, p);
}

void ConvReader::influence(const double* tokens, std::size_t n, std::size_t p, double* out) const
{
    const std::vector<double> a = forward(tokens, n, p);
    // g[i]: d y_p / d a_l[i], d x d (output component x channel) per position.
    std::vector<double> g = jacobian_blocks::identity_at(n, p), g_below(n * d * d, 0.0);
    for (std::size_t l = layers_; l >= 1; --l) {
        const double* act = a.data() + l * n * d;
        const TokenSpan rows = span_around(n, p, (layers_ - l) * radius_);
        const TokenSpan below = span_around(n, p, (layers_ - l + 1) * radius_);
        for (std::size_t i = below.begin; i < below.end; ++i)
            for (std::size_t e = 0; e < d * d; ++e)
                g_below[i * d * d + e] = 0.0;
        for (std::size_t i = rows.begin; i < rows.end; ++i) {
            double z[d * d]; // through tanh: column o scaled by 1 - a^2
            for (std::size_t k = 0; k < d; ++k)
                for (std::size_t o = 0; o < d; ++o) {
                    const double y = act[i * d + o];
                    z[k * d + o] = g[i * d * d + k * d + o] * (1.0 - y * y);
                }
            for (std::size_t t = 0; t < kernel_; ++t) {
                if (i + t < radius_ || i + t - radius_ >= n)
                    continue;
                double* target = g_below.data() + (i + t - radius_) * d * d;
                const double* w = tap(l, t);
                for (std::size_t k = 0; k < d; ++k)
                    for (std::size_t o = 0; o < d; ++o)
                        for (std::size_t c = 0; c < d; ++c)
                            target[k * d + c] += z[k * d + o] * w[o * d + c];
            }
        }
        g.swap(g_below);
    }
    jacobian_blocks::norms(g, n, span_around(n, p, layers_ * radius_), out);
}

} // namespace attn
