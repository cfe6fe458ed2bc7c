#include "rnn_reader.hpp"

#include <cmath>

#include "influence.hpp"

namespace attn {

namespace {

constexpr std::size_t d = token_dim;

double dot(const double* a, const double* b, std::size_t count)
{
    double sum = 0;
    for (std::size_t i = 0; i < count; ++i)
        sum += a[i] * b[i];
    return sum;
}

/// Removes from v its components along rows 0..count of q (orthonormal), twice, and
/// returns the length left.
double orthogonalise(double* v, const double* q, std::size_t count, std::size_t h)
{
    for (int pass = 0; pass < 2; ++pass)
        for (std::size_t k = 0; k < count; ++k) {
            const double along = dot(v, q + k * h, h);
            for (std::size_t c = 0; c < h; ++c)
                v[c] -= along * q[k * h + c];
        }
    return std::sqrt(dot(v, v, h));
}

/// Makes the rows of m (h x h) orthonormal, in place (Gram-Schmidt). A row that falls in
/// the span of the rows above (probability 0 for random rows) is replaced by the first
/// unit vector that does not: one of them keeps at least 1/sqrt(h) of its length.
void orthonormalise_rows(double* m, std::size_t h)
{
    for (std::size_t i = 0; i < h; ++i) {
        double* v = m + i * h;
        double length = orthogonalise(v, m, i, h);
        for (std::size_t e = 0; length < 1e-6 && e < h; ++e) {
            for (std::size_t c = 0; c < h; ++c)
                v[c] = c == e ? 1.0 : 0.0;
            length = orthogonalise(v, m, i, h);
        }
        for (std::size_t c = 0; c < h; ++c)
            v[c] /= length;
    }
}

} // namespace

RnnReader::RnnReader(std::size_t hidden, double spectral_norm, Random& random)
    : hidden_(hidden), spectral_norm_(spectral_norm), w_x_(hidden * d), w_h_(hidden * hidden)
{
    const double input_scale = input_gain / std::sqrt(double(d));
    for (double& w : w_x_)
        w = double(random.normal()) * input_scale;
    for (double& w : w_h_)
        w = double(random.normal());
    orthonormalise_rows(w_h_.data(), hidden);
    for (double& w : w_h_)
        w *= spectral_norm;
}

std::vector<double> RnnReader::forward(const double* tokens, std::size_t p) const
{
    const std::size_t h = hidden_;
    std::vector<double> states((p + 1) * h);
    for (std::size_t t = 0; t <= p; ++t) {
        double* state = states.data() + t * h;
        const double* previous = t > 0 ? state - h : nullptr;
        for (std::size_t u = 0; u < h; ++u) {
            double pre = dot(w_x_.data() + u * d, tokens + t * d, d);
            if (previous)
                pre += dot(w_h_.data() + u * h, previous, h);
            state[u] = std::tanh(pre);
        }
    }
    return states;
}

std::vector<double> RnnReader::read(const double* tokens, std::size_t, std::size_t p) const
{
    const std::vector<double> states = forward(tokens, p);
    return std::vector<double>(states.end() - hidden_, states.end());
}

void RnnReader::influence(const double* tokens, std::size_t n, std::size_t p, double* out) const
{
    const std::size_t h = hidden_;
    const std::vector<double> states = forward(tokens, p);
    for (std::size_t j = p + 1; j < n; ++j)
        out[j] = 0.0; // the RNN has not read them yet
    const double input_size = std::sqrt(dot(w_x_.data(), w_x_.data(), h * d));
    std::vector<double> m(h * h, 0.0), z(h * h), next(h * h);
    for (std::size_t u = 0; u < h; ++u)
        m[u * h + u] = 1.0;
    for (std::size_t t = p + 1; t-- > 0;) {
        // With spectral_norm <= 1 every older influence is at most |M_t|_F |W_x|_F: once
        // that is below 2^-160 they all round to float32 0, and the rest of the loop would
        // only crawl through subnormal doubles.
        if (spectral_norm_ <= 1.0 && std::sqrt(dot(m.data(), m.data(), h * h)) * input_size < 0x1p-160) {
            for (std::size_t s = 0; s <= t; ++s)
                out[s] = 0.0;
            return;
        }
        const double* state = states.data() + t * h;
        for (std::size_t k = 0; k < h; ++k)
            for (std::size_t u = 0; u < h; ++u)
                z[k * h + u] = m[k * h + u] * (1.0 - state[u] * state[u]);
        // Row by row, J = Z W_x and M_{t-1} = Z W_h as sums of rows of W (contiguous loops).
        double sum = 0;
        for (std::size_t k = 0; k < h; ++k) {
            double j_row[d] = {};
            double* m_row = next.data() + k * h;
            for (std::size_t c = 0; c < h; ++c)
                m_row[c] = 0.0;
            for (std::size_t u = 0; u < h; ++u) {
                const double zu = z[k * h + u];
                for (std::size_t c = 0; c < d; ++c)
                    j_row[c] += zu * w_x_[u * d + c];
                for (std::size_t c = 0; c < h; ++c)
                    m_row[c] += zu * w_h_[u * h + c];
            }
            sum += dot(j_row, j_row, d);
        }
        out[t] = std::sqrt(sum);
        m.swap(next);
    }
}

} // namespace attn
