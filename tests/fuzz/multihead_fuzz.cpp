// Fuzzes entry::multi_head_attention: any sizes, mask, window, tied K/V, with and
// without weights, and floats up to FLT_MAX (projections that overflow must be refused,
// not turned into NaN). An accepted call gives finite outputs, probability rows and
// head entropies in [0, log n]; sizes beyond the bound are refused with null pointers.
#include <string>

#include "entry_points.hpp"
#include "fuzz_input.hpp"

namespace entry = attn::entry;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    FuzzedDataProvider in(data, size);
    const std::size_t n = fuzz::size(in, 24), heads = fuzz::size(in, 4);
    const std::size_t d_model = in.ConsumeBool() ? heads * fuzz::size(in, 6) : fuzz::size(in, 24);
    const int mask = in.ConsumeIntegralInRange<int>(-1, 3);
    const std::size_t window = in.ConsumeBool() ? in.ConsumeIntegralInRange<std::size_t>(0, 30)
                                                : in.ConsumeIntegral<std::size_t>();
    const bool tie_kv = in.ConsumeBool(), weights = in.ConsumeBool();
    const bool keep_non_finite = in.ConsumeIntegralInRange<int>(0, 15) == 0;

    const bool zero = n == 0 || d_model == 0 || heads == 0;
    const bool too_large = fuzz::beyond_core({n, d_model}) || fuzz::beyond_core({d_model, d_model}) ||
                           (weights && fuzz::beyond_core({heads, n, n}));
    if (zero || too_large) {
        float unused = 0.0f; // a weights pointer, so that the core checks their size
        const std::string e = entry::multi_head_attention(nullptr, n, d_model, heads, nullptr, nullptr, nullptr, nullptr,
                                                          mask, window, tie_kv, nullptr, weights ? &unused : nullptr,
                                                          nullptr);
        FUZZ_CHECK(!e.empty(), "zero or too large sizes were accepted");
        return 0;
    }
    if (!fuzz::allocatable({n, d_model}) || !fuzz::allocatable({d_model, d_model}) || !fuzz::allocatable({heads, n, n}))
        return 0;

    const auto x = fuzz::floats(in, n * d_model, keep_non_finite);
    const auto wq = fuzz::floats(in, d_model * d_model, keep_non_finite);
    const auto wk = fuzz::floats(in, d_model * d_model, keep_non_finite);
    const auto wv = fuzz::floats(in, d_model * d_model, keep_non_finite);
    const auto wo = fuzz::floats(in, d_model * d_model, keep_non_finite);
    std::vector<float> out(n * d_model, NAN), w(weights ? heads * n * n : 0, NAN), entropy(weights ? heads * n : 0, NAN);
    const std::string e = entry::multi_head_attention(x.data(), n, d_model, heads, wq.data(), wk.data(), wv.data(),
                                                      wo.data(), mask, window, tie_kv, out.data(),
                                                      weights ? w.data() : nullptr, weights ? entropy.data() : nullptr);
    const bool valid_arguments = mask >= 0 && mask <= 2 && d_model % heads == 0 && fuzz::all_finite(x) &&
                                 fuzz::all_finite(wq) && fuzz::all_finite(wk) && (tie_kv || fuzz::all_finite(wv)) &&
                                 fuzz::all_finite(wo);
    FUZZ_CHECK(valid_arguments || !e.empty(), "bad arguments were accepted");
    FUZZ_CHECK(entry::retained_scratch_bytes() <= attn::Workspace::retain_bytes, "scratch kept");
    if (!e.empty()) {
        // A valid call may only fail because float32 cannot hold its projections or output.
        FUZZ_CHECK(!valid_arguments || e.find("overflow") != std::string::npos, "'%s'", e.c_str());
        return 0;
    }
    FUZZ_CHECK(fuzz::all_finite(out), "a non-finite output");
    for (std::size_t r = 0; weights && r < heads * n; ++r) {
        double sum = 0.0;
        for (std::size_t j = 0; j < n; ++j) {
            FUZZ_CHECK(w[r * n + j] >= 0.0f && w[r * n + j] <= 1.0f, "weight %g", double(w[r * n + j]));
            sum += w[r * n + j];
        }
        FUZZ_CHECK(sum == 0.0 || std::fabs(sum - 1.0) <= 1e-5, "a row sums to %.9g", sum);
        FUZZ_CHECK(entropy[r] >= 0.0f && entropy[r] <= std::log(double(n)) + 1e-4, "entropy %g", double(entropy[r]));
    }
    return 0;
}
