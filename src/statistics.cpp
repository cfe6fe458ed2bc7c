#include "statistics.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace attn {

namespace {
double sum_of(const float* w, std::size_t n)
{
    double sum = 0.0;
    for (std::size_t j = 0; j < n; ++j)
        sum += w[j];
    return sum;
}

// Entropy of the row normalised to sum 1 (0 for a zero row): a row that sums to 1.0009
// would otherwise have entries above 1 and a negative entropy.
double entropy_of(const float* w, std::size_t n)
{
    const double sum = sum_of(w, n);
    double h = 0.0;
    for (std::size_t j = 0; j < n; ++j)
        if (w[j] > 0.0f) {
            const double p = w[j] / sum;
            h -= p * std::log(p);
        }
    return std::max(0.0, h);
}

bool all_zero(const float* w, std::size_t n)
{
    for (std::size_t j = 0; j < n; ++j)
        if (w[j] != 0.0f)
            return false;
    return true;
}

template <class... Args>
std::string message(const char* format, Args... args)
{
    char text[200];
    std::snprintf(text, sizeof text, format, args...);
    return text;
}
} // namespace

std::string check_distributions(const char* name, const float* weights, std::size_t rows, std::size_t cols)
{
    for (std::size_t i = 0; i < rows; ++i) {
        const float* row = weights + i * cols;
        double sum = 0.0;
        for (std::size_t j = 0; j < cols; ++j) {
            if (!(row[j] >= 0.0f) || !std::isfinite(row[j]))
                return message("%s[%zu] = %g is not a probability: weights must be >= 0 (finite)", name,
                               i * cols + j, double(row[j]));
            sum += row[j];
        }
        if (sum != 0.0 && std::fabs(sum - 1.0) > distribution_tolerance)
            return message("%s: row %zu sums to %.9g; each row must sum to 1 (within %g) or be all zeros",
                           name, i, sum, distribution_tolerance);
    }
    return "";
}

std::string check_head_distributions(const char* name, const float* weights, std::size_t heads,
                                     std::size_t rows, std::size_t cols)
{
    if (heads == 0)
        return "heads must be a positive integer";
    if (std::string error = check_distributions(name, weights, heads * rows, cols); !error.empty())
        return error;
    for (std::size_t i = 0; i < rows; ++i) {
        const bool zero = all_zero(weights + i * cols, cols);
        for (std::size_t h = 1; h < heads; ++h)
            if (all_zero(weights + (h * rows + i) * cols, cols) != zero)
                return message("%s: row %zu is all zeros in some heads only; a row must attend to nothing "
                               "in every head or in none", name, i);
    }
    return "";
}

void row_entropy(const float* weights, std::size_t rows, std::size_t cols, float* out)
{
    for (std::size_t i = 0; i < rows; ++i)
        out[i] = float(entropy_of(weights + i * cols, cols));
}

void effective_tokens(const float* weights, std::size_t rows, std::size_t cols, float* out)
{
    for (std::size_t i = 0; i < rows; ++i) {
        const float* row = weights + i * cols;
        out[i] = all_zero(row, cols) ? 0.0f : float(std::exp(entropy_of(row, cols)));
    }
}

void mixture_entropy(const float* weights, std::size_t heads, std::size_t rows, std::size_t cols,
                     float* out, const unsigned char* active)
{
    const auto on = [active](std::size_t head) { return active == nullptr || active[head] != 0; };
    for (std::size_t i = 0; i < rows; ++i) {
        double total = 0.0; // of the active heads' rows: one per head, within the tolerance
        for (std::size_t head = 0; head < heads; ++head)
            if (on(head))
                total += sum_of(weights + (head * rows + i) * cols, cols);
        double h = 0.0;
        for (std::size_t j = 0; j < cols && total > 0.0; ++j) {
            double mean = 0.0; // the active heads' average, normalised to sum 1
            for (std::size_t head = 0; head < heads; ++head)
                if (on(head))
                    mean += weights[(head * rows + i) * cols + j];
            mean /= total;
            if (mean > 0.0)
                h -= mean * std::log(mean);
        }
        out[i] = float(std::max(0.0, h));
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
