// Seeded random numbers that give the same stream in the native and the WASM build, so
// an experiment a lesson runs in the browser is the one the native tests checked.
//
// PCG32 (O'Neill, pcg-random.org, XSH-RR output) for the integers; normals by the polar
// method with a logarithm built from + - * / only, which IEEE 754 rounds identically on
// every target (the C library's log may differ in the last bit between glibc and musl).
#pragma once

#include <cstddef>
#include <cstdint>

namespace attn {

class Random {
public:
    explicit Random(std::uint64_t seed, std::uint64_t stream = 54u);

    /// Next 32 random bits.
    std::uint32_t next_u32();
    /// Uniform in [0, 1), 24 random bits.
    float uniform();
    /// Standard normal (mean 0, variance 1).
    float normal();
    /// Fills out[0..count) with standard normals.
    void fill_normal(float* out, std::size_t count);

private:
    std::uint64_t state_ = 0;
    std::uint64_t increment_ = 0;
    bool has_spare_ = false;
    double spare_ = 0.0;
};

/// Natural log of x > 0 from frexp and an atanh series (relative error < 1e-12): the same
/// bits on every target.
double portable_log(double x);

} // namespace attn
