#include "rng.hpp"

#include <cmath>

namespace attn {

Random::Random(std::uint64_t seed, std::uint64_t stream)
    : increment_((stream << 1u) | 1u)
{
    next_u32();
    state_ += seed;
    next_u32();
}

std::uint32_t Random::next_u32()
{
    const std::uint64_t old = state_;
    state_ = old * 6364136223846793005ULL + increment_;
    const auto xorshifted = static_cast<std::uint32_t>(((old >> 18u) ^ old) >> 27u);
    const auto rot = static_cast<std::uint32_t>(old >> 59u);
    return (xorshifted >> rot) | (xorshifted << ((32u - rot) & 31u));
}

float Random::uniform()
{
    return float(next_u32() >> 8) * (1.0f / 16777216.0f);
}

double portable_log(double x)
{
    int e = 0;
    double m = std::frexp(x, &e); // x = m * 2^e, m in [0.5, 1)
    if (m < 0.70710678118654752) {
        m *= 2.0;
        e -= 1;
    }
    // log(m) = 2 atanh(s) = 2 (s + s^3/3 + s^5/5 + ...), s = (m - 1)/(m + 1), |s| <= 0.172:
    // 8 terms leave a relative error below 1e-12, far below the float32 the normals are
    // returned in. Horner form with the reciprocals as constants: one division in all.
    const double s = (m - 1.0) / (m + 1.0);
    const double s2 = s * s;
    double sum = 1.0 / 15.0;
    sum = sum * s2 + 1.0 / 13.0;
    sum = sum * s2 + 1.0 / 11.0;
    sum = sum * s2 + 1.0 / 9.0;
    sum = sum * s2 + 1.0 / 7.0;
    sum = sum * s2 + 1.0 / 5.0;
    sum = sum * s2 + 1.0 / 3.0;
    sum = (sum * s2 + 1.0) * s;
    return 2.0 * sum + double(e) * 0.69314718055994530942;
}

float Random::normal()
{
    if (has_spare_) {
        has_spare_ = false;
        return float(spare_);
    }
    double u, v, s;
    do {
        u = 2.0 * (double(next_u32()) + 0.5) / 4294967296.0 - 1.0;
        v = 2.0 * (double(next_u32()) + 0.5) / 4294967296.0 - 1.0;
        s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    const double f = std::sqrt(-2.0 * portable_log(s) / s); // sqrt is correctly rounded
    spare_ = v * f;
    has_spare_ = true;
    return float(u * f);
}

void Random::fill_normal(float* out, std::size_t count)
{
    for (std::size_t i = 0; i < count; ++i)
        out[i] = normal();
}

} // namespace attn
