#include "loss.hpp"

#include <algorithm>

#include "real_math.hpp"

namespace attn::training {

template <typename Real>
Real softmax_cross_entropy(const Real* logits, const std::int32_t* labels, std::size_t rows,
                           std::size_t classes, Real* grad)
{
    double total = 0.0;
    for (std::size_t r = 0; r < rows; ++r) {
        const Real* z = logits + r * classes;
        const Real top = *std::max_element(z, z + classes);
        double sum = 0.0;
        for (std::size_t c = 0; c < classes; ++c)
            sum += double(exp_nonpositive_of(Real(z[c] - top)));
        // log sum_c e^z = top + log(sum), with sum >= 1.
        total += double(top) + double(log_of(Real(sum))) - double(z[labels[r]]);
        if (grad == nullptr)
            continue;
        for (std::size_t c = 0; c < classes; ++c) {
            const double p = double(exp_nonpositive_of(Real(z[c] - top))) / sum;
            grad[r * classes + c] = Real((p - (std::int32_t(c) == labels[r] ? 1.0 : 0.0)) / double(rows));
        }
    }
    return Real(total / double(rows));
}

template <typename Real>
Real squared_error(const Real* y, const Real* target, std::size_t count, Real* grad)
{
    double total = 0.0;
    for (std::size_t i = 0; i < count; ++i) {
        const double e = double(y[i]) - double(target[i]);
        total += e * e;
        if (grad != nullptr)
            grad[i] = Real(2.0 * e / double(count));
    }
    return Real(total / double(count));
}

template <typename Real>
double accuracy(const Real* logits, const std::int32_t* labels, std::size_t rows, std::size_t classes)
{
    std::size_t right = 0;
    for (std::size_t r = 0; r < rows; ++r) {
        const Real* z = logits + r * classes;
        const Real truth = z[labels[r]];
        bool best = true;
        for (std::size_t c = 0; c < classes; ++c)
            if (std::int32_t(c) != labels[r] && z[c] >= truth)
                best = false;
        right += best ? 1 : 0;
    }
    return rows > 0 ? double(right) / double(rows) : 0.0;
}

template float softmax_cross_entropy<float>(const float*, const std::int32_t*, std::size_t, std::size_t, float*);
template double softmax_cross_entropy<double>(const double*, const std::int32_t*, std::size_t, std::size_t, double*);
template float squared_error<float>(const float*, const float*, std::size_t, float*);
template double squared_error<double>(const double*, const double*, std::size_t, double*);
template double accuracy<float>(const float*, const std::int32_t*, std::size_t, std::size_t);
template double accuracy<double>(const double*, const std::int32_t*, std::size_t, std::size_t);

} // namespace attn::training
