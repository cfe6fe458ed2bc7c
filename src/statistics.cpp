#include "statistics.hpp"

#include <algorithm>
#include <cmath>

namespace attn {

namespace {
double entropy_of(const float* w, std::size_t n)
{
    double h = 0.0;
    for (std::size_t j = 0; j < n; ++j)
        if (w[j] > 0.0f)
            h -= double(w[j]) * std::log(double(w[j]));
    return h;
}
} // namespace

void row_entropy(const float* weights, std::size_t rows, std::size_t cols, float* out)
{
    for (std::size_t i = 0; i < rows; ++i)
        out[i] = float(entropy_of(weights + i * cols, cols));
}

void effective_tokens(const float* weights, std::size_t rows, std::size_t cols, float* out)
{
    for (std::size_t i = 0; i < rows; ++i)
        out[i] = float(std::exp(entropy_of(weights + i * cols, cols)));
}

void mixture_entropy(const float* weights, std::size_t heads, std::size_t rows, std::size_t cols,
                     float* out, const unsigned char* active)
{
    std::size_t count = 0;
    for (std::size_t head = 0; head < heads; ++head)
        count += active == nullptr || active[head] != 0;
    for (std::size_t i = 0; i < rows; ++i) {
        double h = 0.0;
        for (std::size_t j = 0; j < cols && count > 0; ++j) {
            double mean = 0.0;
            for (std::size_t head = 0; head < heads; ++head)
                if (active == nullptr || active[head] != 0)
                    mean += weights[(head * rows + i) * cols + j];
            mean /= double(count);
            if (mean > 0.0)
                h -= mean * std::log(mean);
        }
        out[i] = float(h);
    }
}

void max_weight(const float* weights, std::size_t rows, std::size_t cols, float* out)
{
    for (std::size_t i = 0; i < rows; ++i)
        out[i] = *std::max_element(weights + i * cols, weights + (i + 1) * cols);
}

double variance(const float* values, std::size_t count)
{
    if (count == 0)
        return 0.0;
    double mean = 0.0;
    for (std::size_t i = 0; i < count; ++i)
        mean += values[i];
    mean /= double(count);
    double ss = 0.0;
    for (std::size_t i = 0; i < count; ++i)
        ss += (values[i] - mean) * (values[i] - mean);
    return ss / double(count);
}

} // namespace attn
