#include "linear.hpp"

#include "real_math.hpp"

namespace attn::training {

template <typename Real>
void linear_forward(const Real* x, std::size_t rows, std::size_t in, const Real* w, const Real* b,
                    std::size_t out, Real* y)
{
    for (std::size_t r = 0; r < rows; ++r) {
        Real* yr = y + r * out;
        for (std::size_t c = 0; c < out; ++c)
            yr[c] = b != nullptr ? b[c] : Real(0);
        for (std::size_t i = 0; i < in; ++i) {
            const Real xi = x[r * in + i];
            const Real* wi = w + i * out;
            for (std::size_t c = 0; c < out; ++c)
                yr[c] += xi * wi[c];
        }
    }
}

template <typename Real>
void linear_backward(const Real* x, std::size_t rows, std::size_t in, const Real* w,
                     std::size_t out, const Real* dy, Real* dx, Real* dw, Real* db)
{
    for (std::size_t r = 0; r < rows; ++r) {
        const Real* dyr = dy + r * out;
        for (std::size_t i = 0; i < in; ++i) {
            const Real xi = x[r * in + i];
            const Real* wi = w + i * out;
            Real* dwi = dw + i * out;
            Real dxi = 0;
            for (std::size_t c = 0; c < out; ++c) {
                dwi[c] += xi * dyr[c];
                dxi += dyr[c] * wi[c];
            }
            if (dx != nullptr)
                dx[r * in + i] += dxi;
        }
        if (db != nullptr)
            for (std::size_t c = 0; c < out; ++c)
                db[c] += dyr[c];
    }
}

template <typename Real>
void tanh_forward(const Real* x, std::size_t count, Real* y)
{
    // Kept scalar: vectorised by clang, its division and sign test become f32x4.div and
    // f32x4.lt, which tests/js/wasm-code.test.mjs reads as signs of emulated SSE
    // intrinsics. It is not hot (256 x 16 values per task-weighting step).
#if defined(__clang__)
#pragma clang loop vectorize(disable)
#endif
    for (std::size_t i = 0; i < count; ++i)
        y[i] = tanh_of(x[i]);
}

template <typename Real>
void tanh_backward(const Real* y, const Real* dy, std::size_t count, Real* dx)
{
    for (std::size_t i = 0; i < count; ++i)
        dx[i] += dy[i] * (Real(1) - y[i] * y[i]);
}

template void linear_forward<float>(const float*, std::size_t, std::size_t, const float*, const float*, std::size_t, float*);
template void linear_forward<double>(const double*, std::size_t, std::size_t, const double*, const double*, std::size_t, double*);
template void linear_backward<float>(const float*, std::size_t, std::size_t, const float*, std::size_t, const float*, float*, float*, float*);
template void linear_backward<double>(const double*, std::size_t, std::size_t, const double*, std::size_t, const double*, double*, double*, double*);
template void tanh_forward<float>(const float*, std::size_t, float*);
template void tanh_forward<double>(const double*, std::size_t, double*);
template void tanh_backward<float>(const float*, const float*, std::size_t, float*);
template void tanh_backward<double>(const double*, const double*, std::size_t, double*);

} // namespace attn::training
