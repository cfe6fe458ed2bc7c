// Fuzzes entry::attention, both kernels: any sizes, codes, window, temperature and
// floats. A call the core accepts must give finite outputs, probability rows that are
// zero exactly where no key is visible, -inf logits exactly where masked, the same
// output from the fused kernel (within rounding) and the same bits when repeated; a call
// it refuses must have had a bad argument; sizes beyond the core's bound are refused
// without touching memory (the pointers are null).
#include <string>

#include "attention.hpp"
#include "entry_points.hpp"
#include "fuzz_input.hpp"

namespace entry = attn::entry;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    FuzzedDataProvider in(data, size);
    const std::size_t heads = fuzz::size(in, 3), nq = fuzz::size(in, 140), nk = fuzz::size(in, 140);
    const std::size_t dk = fuzz::size(in, 20), dv = fuzz::size(in, 20);
    const int scaling = in.ConsumeIntegralInRange<int>(-1, 3), mask = in.ConsumeIntegralInRange<int>(-1, 3);
    const std::size_t window = in.ConsumeBool() ? in.ConsumeIntegralInRange<std::size_t>(0, 150)
                                                : in.ConsumeIntegral<std::size_t>();
    const float temperature = fuzz::temperature(in);
    const bool weights = in.ConsumeBool(), logits = weights && in.ConsumeBool();
    const bool keep_non_finite = in.ConsumeIntegralInRange<int>(0, 15) == 0;

    // Zero sizes and arrays beyond the core's bound must be refused before any memory is
    // touched: the pointers are null.
    const bool zero = heads == 0 || nq == 0 || nk == 0 || dk == 0 || dv == 0;
    const bool too_large = fuzz::beyond_core({heads, nq, dk}) || fuzz::beyond_core({heads, nk, dk}) ||
                           fuzz::beyond_core({heads, nk, dv}) || fuzz::beyond_core({heads, nq, dv}) ||
                           (weights && fuzz::beyond_core({heads, nq, nk}));
    if (zero || too_large) {
        float out = 0.0f;
        const std::string e = entry::attention(nullptr, nullptr, nullptr, heads, nq, nk, dk, dv, scaling, temperature,
                                               mask, window, weights ? &out : nullptr, nullptr, nullptr);
        FUZZ_CHECK(!e.empty(), "zero or too large sizes were accepted");
        return 0;
    }
    if (!fuzz::allocatable({heads, nq, dk}) || !fuzz::allocatable({heads, nk, dk}) ||
        !fuzz::allocatable({heads, nk, dv}) || !fuzz::allocatable({heads, nq, dv}) ||
        !fuzz::allocatable({heads, nq, nk}))
        return 0; // valid but too large to fuzz quickly

    const auto q = fuzz::floats(in, heads * nq * dk, keep_non_finite);
    const auto k = fuzz::floats(in, heads * nk * dk, keep_non_finite);
    const auto v = fuzz::floats(in, heads * nk * dv, keep_non_finite);
    std::vector<float> w(weights ? heads * nq * nk : 0, NAN), l(logits ? heads * nq * nk : 0, NAN);
    std::vector<float> out(heads * nq * dv, NAN);
    const std::string e = entry::attention(q.data(), k.data(), v.data(), heads, nq, nk, dk, dv, scaling, temperature,
                                           mask, window, weights ? w.data() : nullptr, logits ? l.data() : nullptr,
                                           out.data());
    const bool valid = scaling >= 0 && scaling <= 2 && mask >= 0 && mask <= 2 && temperature > 0.0f &&
                       std::isfinite(temperature) && fuzz::all_finite(q) && fuzz::all_finite(k) && fuzz::all_finite(v);
    FUZZ_CHECK(e.empty() == valid, "valid = %d, message '%s'", int(valid), e.c_str());
    FUZZ_CHECK(entry::retained_scratch_bytes() <= attn::Workspace::retain_bytes, "%zu bytes kept",
               entry::retained_scratch_bytes());
    if (!valid)
        return 0;

    FUZZ_CHECK(fuzz::all_finite(out), "a non-finite output");
    attn::AttentionOptions options;
    options.mask = mask == 1 ? attn::Mask::causal : mask == 2 ? attn::Mask::local : attn::Mask::none;
    options.window = window;
    for (std::size_t h = 0; weights && h < heads; ++h)
        for (std::size_t i = 0; i < nq; ++i) {
            const attn::KeyRange r = attn::visible_keys(options, i, nk);
            double sum = 0.0;
            for (std::size_t j = 0; j < nk; ++j) {
                const float x = w[(h * nq + i) * nk + j];
                FUZZ_CHECK(x >= 0.0f && x <= 1.0f, "weight %g", double(x));
                const bool seen = j >= r.begin && j < r.end;
                FUZZ_CHECK(seen || x == 0.0f, "weight %g on a masked key", double(x));
                if (logits) {
                    const float y = l[(h * nq + i) * nk + j];
                    FUZZ_CHECK(seen ? std::isfinite(y) : y == -INFINITY, "logit %g, visible %d", double(y), int(seen));
                }
                sum += x;
            }
            FUZZ_CHECK(std::fabs(sum - (r.empty() ? 0.0 : 1.0)) <= 1e-5, "a row sums to %.9g", sum);
        }

    std::vector<float> fused(out.size(), NAN), again(out.size(), NAN);
    FUZZ_CHECK(entry::attention(q.data(), k.data(), v.data(), heads, nq, nk, dk, dv, scaling, temperature, mask, window,
                                nullptr, nullptr, fused.data()) == "", "the fused kernel refused a valid call");
    FUZZ_CHECK(entry::attention(q.data(), k.data(), v.data(), heads, nq, nk, dk, dv, scaling, temperature, mask, window,
                                nullptr, nullptr, again.data()) == "", "a repeated call failed");
    FUZZ_CHECK(std::memcmp(fused.data(), again.data(), fused.size() * sizeof(float)) == 0, "not deterministic");
    for (std::size_t h = 0; h < heads; ++h) {
        const double scale = std::fmax(1.0, fuzz::max_abs(v.data() + h * nk * dv, nk * dv));
        for (std::size_t i = h * nq * dv; i < (h + 1) * nq * dv; ++i)
            FUZZ_CHECK(std::fabs(double(fused[i]) - out[i]) <= 1e-4 * scale, "fused %g, materialised %g (scale %g)",
                       double(fused[i]), double(out[i]), scale);
    }
    return 0;
}
