#include "attention_reader.hpp"

#include <cmath>

#include "influence.hpp"
#include "jacobian_blocks.hpp"

namespace attn {

namespace {

constexpr std::size_t d = token_dim;

/// out (d) = x (d) W (d x d): row vector times matrix.
void times(const double* x, const double* w, double* out)
{
    for (std::size_t c = 0; c < d; ++c)
        out[c] = 0.0;
    for (std::size_t a = 0; a < d; ++a)
        for (std::size_t c = 0; c < d; ++c)
            out[c] += x[a] * w[a * d + c];
}

/// target (d x d) += g (d x d) W^T: sends a block of gradients back through x -> x W.
void add_times_transpose(const double* g, const double* w, double* target)
{
    for (std::size_t k = 0; k < d; ++k)
        for (std::size_t a = 0; a < d; ++a) {
            double sum = 0;
            for (std::size_t c = 0; c < d; ++c)
                sum += g[k * d + c] * w[a * d + c];
            target[k * d + a] += sum;
        }
}

/// How far `steps` layers reach: steps * window, at most n.
std::size_t reach(std::size_t steps, std::size_t window, std::size_t n)
{
    if (steps == 0)
        return 0;
    return window == AttentionReader::unmasked || window > n / steps ? n : steps * window;
}

} // namespace

struct AttentionReader::Layer {
    TokenSpan rows;   ///< output rows that matter
    TokenSpan inputs; ///< input rows those rows read (keys and values)
    std::size_t band; ///< columns of `a`: the most keys one row sees
    std::vector<double> q, k, v; ///< n x d, filled on rows (q) and inputs (k, v)
    std::vector<double> a;       ///< rows x band: a[i][j - keys(i).begin] = A_ij
};

AttentionReader::AttentionReader(std::size_t layers, std::size_t window, Random& random)
    : layers_(layers), window_(window), weights_(layers * 3 * d * d)
{
    const double scale = 1.0 / std::sqrt(double(d));
    for (double& w : weights_)
        w = double(random.normal()) * scale;
}

const double* AttentionReader::weight(std::size_t layer, std::size_t which) const
{
    return weights_.data() + ((layer - 1) * 3 + which) * d * d;
}

AttentionReader::Layer AttentionReader::compute_layer(const double* input, std::size_t n,
                                                      std::size_t p, std::size_t l) const
{
    Layer layer;
    layer.rows = span_around(n, p, reach(layers_ - l, window_, n));
    layer.inputs = span_around(n, p, reach(layers_ - l + 1, window_, n));
    layer.band = window_ == unmasked || window_ >= n ? n : (2 * window_ + 1 < n ? 2 * window_ + 1 : n);
    layer.q.assign(n * d, 0.0);
    layer.k.assign(n * d, 0.0);
    layer.v.assign(n * d, 0.0);
    for (std::size_t i = layer.rows.begin; i < layer.rows.end; ++i)
        times(input + i * d, weight(l, 0), layer.q.data() + i * d);
    for (std::size_t j = layer.inputs.begin; j < layer.inputs.end; ++j) {
        times(input + j * d, weight(l, 1), layer.k.data() + j * d);
        times(input + j * d, weight(l, 2), layer.v.data() + j * d);
    }
    const double inv_sqrt_d = 1.0 / std::sqrt(double(d));
    layer.a.assign((layer.rows.end - layer.rows.begin) * layer.band, 0.0);
    for (std::size_t i = layer.rows.begin; i < layer.rows.end; ++i) {
        const TokenSpan keys = span_around(n, i, window_);
        double* a = layer.a.data() + (i - layer.rows.begin) * layer.band;
        double largest = -INFINITY;
        for (std::size_t j = keys.begin; j < keys.end; ++j) {
            double s = 0;
            for (std::size_t c = 0; c < d; ++c)
                s += layer.q[i * d + c] * layer.k[j * d + c];
            a[j - keys.begin] = s * inv_sqrt_d;
            largest = a[j - keys.begin] > largest ? a[j - keys.begin] : largest;
        }
        double z = 0;
        for (std::size_t j = keys.begin; j < keys.end; ++j)
            z += a[j - keys.begin] = std::exp(a[j - keys.begin] - largest);
        for (std::size_t j = keys.begin; j < keys.end; ++j)
            a[j - keys.begin] /= z;
    }
    return layer;
}

std::vector<double> AttentionReader::forward(const double* tokens, std::size_t n, std::size_t p) const
{
    std::vector<double> x((layers_ + 1) * n * d, 0.0);
    for (std::size_t i = 0; i < n * d; ++i)
        x[i] = tokens[i];
    for (std::size_t l = 1; l <= layers_; ++l) {
        const Layer layer = compute_layer(x.data() + (l - 1) * n * d, n, p, l);
        double* out = x.data() + l * n * d;
        for (std::size_t i = layer.rows.begin; i < layer.rows.end; ++i) {
            const TokenSpan keys = span_around(n, i, window_);
            const double* a = layer.a.data() + (i - layer.rows.begin) * layer.band;
            for (std::size_t j = keys.begin; j < keys.end; ++j)
                for (std::size_t c = 0; c < d; ++c)
                    out[i * d + c] += a[j - keys.begin] * layer.v[j * d + c];
        }
    }
    return x;
}

std::vector<double> AttentionReader::read(const double* tokens, std::size_t n, std::size_t p) const
{
    return jacobian_blocks::row(forward(tokens, n, p), layers_, n, p);
}

void AttentionReader::influence(const double* tokens, std::size_t n, std::size_t p, double* out) const
{
    const std::vector<double> x = forward(tokens, n, p);
    const std::size_t block = d * d; // one row's gradient: output component x feature
    std::vector<double> g = jacobian_blocks::identity_at(n, p), g_below(n * block, 0.0), dk(n * block),
        dv(n * block);
    const double inv_sqrt_d = 1.0 / std::sqrt(double(d));
    for (std::size_t l = layers_; l >= 1; --l) {
        const Layer layer = compute_layer(x.data() + (l - 1) * n * d, n, p, l);
        for (std::size_t e = layer.inputs.begin * block; e < layer.inputs.end * block; ++e)
            g_below[e] = dk[e] = dv[e] = 0.0;
        std::vector<double> da(d * layer.band), ds(d * layer.band);
        for (std::size_t i = layer.rows.begin; i < layer.rows.end; ++i) {
            const TokenSpan keys = span_around(n, i, window_);
            const double* a = layer.a.data() + (i - layer.rows.begin) * layer.band;
            const double* gi = g.data() + i * block;
            const std::size_t width = keys.end - keys.begin;
            for (std::size_t k = 0; k < d; ++k) {
                double expected = 0; // sum_j A_ij dA_ij
                for (std::size_t jj = 0; jj < width; ++jj) {
                    double s = 0;
                    for (std::size_t c = 0; c < d; ++c)
                        s += gi[k * d + c] * layer.v[(keys.begin + jj) * d + c];
                    da[k * layer.band + jj] = s;
                    expected += a[jj] * s;
                }
                for (std::size_t jj = 0; jj < width; ++jj)
                    ds[k * layer.band + jj] = a[jj] * (da[k * layer.band + jj] - expected) * inv_sqrt_d;
            }
            double dq[d * d] = {};
            for (std::size_t jj = 0; jj < width; ++jj) {
                const std::size_t j = keys.begin + jj;
                for (std::size_t k = 0; k < d; ++k) {
                    const double s = ds[k * layer.band + jj];
                    for (std::size_t c = 0; c < d; ++c) {
                        dq[k * d + c] += s * layer.k[j * d + c];
                        dk[j * block + k * d + c] += s * layer.q[i * d + c];
                        dv[j * block + k * d + c] += a[jj] * gi[k * d + c];
                    }
                }
            }
            add_times_transpose(dq, weight(l, 0), g_below.data() + i * block);
        }
        for (std::size_t j = layer.inputs.begin; j < layer.inputs.end; ++j) {
            add_times_transpose(dk.data() + j * block, weight(l, 1), g_below.data() + j * block);
            add_times_transpose(dv.data() + j * block, weight(l, 2), g_below.data() + j * block);
        }
        g.swap(g_below);
    }
    jacobian_blocks::norms(g, n, span_around(n, p, reach(layers_, window_, n)), out);
}

} // namespace attn
