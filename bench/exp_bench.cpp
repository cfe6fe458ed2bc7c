// Times the softmax's exponential in WebAssembly, three ways, on the same inputs:
// scalar expf, xsimd::exp (whose float->int conversions Emscripten 3.1.6 emulates with
// scalar calls), and the core's exp_nonpositive (no conversion instruction).
// Built by CMake into build/wasm/exp_bench.cjs; run: node build/wasm/exp_bench.cjs
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <vector>

#include "kernels/exp.hpp"

namespace {

using clock_type = std::chrono::steady_clock;
using attn::simd::floats;

template <class Body>
double best_ns_per_value(std::size_t n, Body body)
{
    double best = 1e30;
    for (int rep = 0; rep < 15; ++rep) {
        const auto t0 = clock_type::now();
        for (int i = 0; i < 20; ++i)
            body();
        const double ns = std::chrono::duration<double, std::nano>(clock_type::now() - t0).count();
        best = std::min(best, ns / (20.0 * double(n)));
    }
    return best;
}

} // namespace

int main()
{
    const std::size_t n = 1 << 16;
    std::vector<float> x(n), y(n);
    for (std::size_t i = 0; i < n; ++i)
        x[i] = -float(i % 2000) * 0.01f; // [-20, 0]: where softmax weights live
    float sink = 0;
    const double scalar = best_ns_per_value(n, [&] {
        for (std::size_t i = 0; i < n; ++i)
            y[i] = std::exp(x[i]);
        sink += y[n / 3];
    });
    const double via_xsimd = best_ns_per_value(n, [&] {
        for (std::size_t i = 0; i < n; i += 4)
            xsimd::exp(floats::load_unaligned(&x[i])).store_unaligned(&y[i]);
        sink += y[n / 3];
    });
    const double ours = best_ns_per_value(n, [&] {
        for (std::size_t i = 0; i < n; i += 4)
            attn::exp_nonpositive(floats::load_unaligned(&x[i])).store_unaligned(&y[i]);
        sink += y[n / 3];
    });
    std::printf("exp over %zu values in [-20, 0], best of 15 runs, ns per value:\n", n);
    std::printf("  scalar std::exp (expf)         %6.3f\n", scalar);
    std::printf("  xsimd::exp (SSE4.1 -> SIMD128) %6.3f  (%.2fx scalar)\n", via_xsimd, scalar / via_xsimd);
    std::printf("  attn::exp_nonpositive          %6.3f  (%.2fx scalar)\n", ours, scalar / ours);
    std::printf("(checksum %g)\n", double(sink));
}
