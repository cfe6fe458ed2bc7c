// Fuzzes entry::row_statistic and entry::variance: weights that are distributions (made
// by normalising fuzzed counts), nearly so, or anything at all. The core accepts exactly
// the arrays whose rows are >= 0 and sum to 1 within the tolerance or are zero (and, for
// the mixture, zero in every head or none); what it returns is then finite and in range.
#include <string>

#include "entry_points.hpp"
#include "fuzz_input.hpp"
#include "statistics.hpp"

namespace entry = attn::entry;

namespace {
const char* const names[] = {"entropy", "effectiveTokens", "maxWeight", "mixtureEntropy", "median"};

std::vector<float> weights_of(FuzzedDataProvider& in, std::size_t count, std::size_t cols)
{
    if (in.ConsumeBool())
        return fuzz::floats(in, count, in.ConsumeIntegralInRange<int>(0, 7) == 0);
    std::vector<float> w(count);
    for (std::size_t r = 0; r * cols < count; ++r) {
        double total = 0.0;
        for (std::size_t j = 0; j < cols; ++j)
            total += (w[r * cols + j] = float(in.ConsumeIntegralInRange<int>(0, 1000)));
        for (std::size_t j = 0; j < cols; ++j)
            w[r * cols + j] = total > 0.0 ? float(w[r * cols + j] / total) : 0.0f;
    }
    if (in.ConsumeBool() && count > 0) // nudge one entry
        w[in.ConsumeIntegralInRange<std::size_t>(0, count - 1)] += in.ConsumeFloatingPointInRange<float>(-0.01f, 0.01f);
    return w;
}

// What check_distributions promises, written again from the definition.
bool distributions(const std::vector<float>& w, std::size_t rows, std::size_t cols)
{
    for (std::size_t r = 0; r < rows; ++r) {
        double sum = 0.0;
        for (std::size_t j = 0; j < cols; ++j) {
            const float x = w[r * cols + j];
            if (!std::isfinite(x) || x < 0.0f)
                return false;
            sum += x;
        }
        if (sum != 0.0 && std::fabs(sum - 1.0) > attn::distribution_tolerance)
            return false;
    }
    return true;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    FuzzedDataProvider in(data, size);
    const std::string name = names[in.ConsumeIntegralInRange<int>(0, 4)];
    const std::size_t heads = fuzz::size(in, 3), rows = fuzz::size(in, 8), cols = fuzz::size(in, 40);
    const bool zero = heads == 0 || rows == 0 || cols == 0;
    if (zero || fuzz::beyond_core({heads, rows, cols})) {
        FUZZ_CHECK(!entry::row_statistic(name, nullptr, heads, rows, cols, nullptr).empty(), "bad sizes accepted");
        double result = 0.0;
        FUZZ_CHECK(!entry::variance(nullptr, 0, &result).empty(), "the variance of nothing was accepted");
        const attn::CheckedSize count = attn::checked_product({heads, rows, cols});
        if (!count.overflow() && !count.fits_floats())
            FUZZ_CHECK(!entry::variance(nullptr, count.value(), &result).empty(), "too many values accepted");
        return 0;
    }
    if (!fuzz::allocatable({heads, rows, cols}))
        return 0;
    const auto w = weights_of(in, heads * rows * cols, cols);
    const bool mixture = name == "mixtureEntropy";
    std::vector<float> out(mixture ? rows : heads * rows, NAN);
    const std::string e = entry::row_statistic(name, w.data(), heads, rows, cols, out.data());
    bool valid = name != "median" && distributions(w, heads * rows, cols);
    for (std::size_t i = 0; valid && mixture && i < rows; ++i)
        for (std::size_t h = 1; h < heads; ++h) {
            auto zero_row = [&](std::size_t head) {
                for (std::size_t j = 0; j < cols; ++j)
                    if (w[(head * rows + i) * cols + j] != 0.0f)
                        return false;
                return true;
            };
            valid = valid && zero_row(h) == zero_row(0);
        }
    FUZZ_CHECK(e.empty() == valid, "valid = %d, message '%s'", int(valid), e.c_str());
    if (valid) {
        for (float x : out) {
            FUZZ_CHECK(std::isfinite(x) && x >= 0.0f, "%s gave %g", name.c_str(), double(x));
            if (name == "entropy" || mixture)
                FUZZ_CHECK(x <= std::log(double(cols)) + 1e-3, "entropy %g above log(cols)", double(x));
            if (name == "effectiveTokens")
                FUZZ_CHECK(x <= double(cols) * (1 + 1e-3), "%g effective tokens of %zu", double(x), cols);
            if (name == "maxWeight")
                FUZZ_CHECK(x <= 1.0f + 1e-3f, "max weight %g", double(x));
        }
    }
    double variance = -1.0;
    const std::string ve = entry::variance(w.data(), w.size(), &variance);
    FUZZ_CHECK(ve.empty() == fuzz::all_finite(w), "variance: '%s'", ve.c_str());
    FUZZ_CHECK(!ve.empty() || (std::isfinite(variance) && variance >= 0.0), "variance %g", variance);
    return 0;
}
