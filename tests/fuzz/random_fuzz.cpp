// Fuzzes entry::random_normal and portable_log: any seed (any double: only integers from
// 0 to 2^53 - 1 are accepted) and count. Accepted streams are finite, reproducible, and
// bounded as the polar method bounds them; portable_log matches the C library to 1e-12.
#include <string>

#include "entry_points.hpp"
#include "fuzz_input.hpp"
#include "rng.hpp"

namespace entry = attn::entry;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    FuzzedDataProvider in(data, size);
    const double seed = in.ConsumeBool() ? double(in.ConsumeIntegral<std::uint64_t>() >> in.ConsumeIntegralInRange<int>(0, 63))
                                         : in.ConsumeFloatingPoint<double>();
    const std::size_t count = fuzz::size(in, 2000);
    const bool valid_seed = seed >= 0.0 && seed <= 9007199254740991.0 && seed == std::floor(seed);
    const bool valid = valid_seed && count > 0 && !fuzz::beyond_core({count});
    if (!valid) {
        FUZZ_CHECK(!entry::random_normal(seed, count, nullptr).empty(), "a bad seed or count was accepted");
    } else if (count <= fuzz::max_floats) {
        std::vector<float> a(count), b(count);
        FUZZ_CHECK(entry::random_normal(seed, count, a.data()).empty(), "a valid call failed");
        FUZZ_CHECK(entry::random_normal(seed, count, b.data()).empty(), "a valid call failed");
        FUZZ_CHECK(std::memcmp(a.data(), b.data(), count * sizeof(float)) == 0, "not reproducible");
        for (float x : a) // |u| sqrt(-2 ln s / s) <= sqrt(-2 ln s), and s >= 2^-63 on the 32-bit grid: 9.35
            FUZZ_CHECK(std::isfinite(x) && std::fabs(x) <= 9.4f, "normal %g", double(x));
    }
    const double x = in.ConsumeFloatingPoint<double>();
    if (x > 0.0 && std::isfinite(x)) {
        const double want = std::log(x);
        FUZZ_CHECK(std::fabs(attn::portable_log(x) - want) <= 1e-12 * std::fmax(1.0, std::fabs(want)),
                   "portable_log(%g) = %.17g, log = %.17g", x, attn::portable_log(x), want);
    }
    return 0;
}
