// exp, log and tanh for the training code, in either number type.
//
// In float the training runs in the lessons, and must give the same bits natively and in
// WebAssembly (so a curve checked by the native tests is the curve the browser draws):
// the C libraries' expf/logf/tanhf may differ in the last bit between glibc and musl, so
// float uses the core's own exp (kernels/exp.hpp, + - * and bit operations only) and
// portable_log (rng.hpp). In double, used by the gradient checks, the C library is exact
// enough and the same on both sides of a finite difference.
#pragma once

#include <cmath>

#include "../kernels/exp.hpp"
#include "../rng.hpp"

namespace attn::training {

/// e^x for x <= 0.
inline float exp_nonpositive_of(float x) { return exp_nonpositive(x); }
inline double exp_nonpositive_of(double x) { return std::exp(x); }

/// Natural log of x > 0.
inline float log_of(float x) { return float(portable_log(double(x))); }
inline double log_of(double x) { return std::log(x); }

/// tanh(x) = sign(x) (1 - e^(-2|x|)) / (1 + e^(-2|x|)).
inline float tanh_of(float x)
{
    const float e = exp_nonpositive(-2.0f * std::fabs(x));
    const float t = (1.0f - e) / (1.0f + e);
    return x < 0.0f ? -t : t;
}
inline double tanh_of(double x) { return std::tanh(x); }

} // namespace attn::training
