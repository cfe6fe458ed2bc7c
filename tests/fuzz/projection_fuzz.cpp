// Fuzzes projections as embind_projection.cpp calls them (attn::projection), with any n,
// dIn, dOut, heads and floats up to FLT_MAX. Oracles: check_projection refuses exactly
// the bad shapes, and arrays beyond the core's bound; non-finite inputs are refused; an
// accepted projection is finite and matches the float64 reference (project_plain) within
// float32 rounding of the sum of |x||w|, block by block in the heads layout; a refusal
// of finite inputs names the overflow and happens only when some sum of |x||w| is beyond
// float range.
#include <string>

#include "fuzz_input.hpp"
#include "projection.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    FuzzedDataProvider in(data, size);
    attn::ProjectionShape shape;
    shape.n = fuzz::size(in, 12);
    shape.d_in = fuzz::size(in, 12);
    shape.heads = in.ConsumeBool() ? 1 : fuzz::size(in, 4);
    shape.d_out = in.ConsumeBool() ? shape.heads * fuzz::size(in, 6) : fuzz::size(in, 16);
    const bool keep_non_finite = in.ConsumeIntegralInRange<int>(0, 15) == 0;

    const bool shape_valid = shape.n > 0 && shape.d_in > 0 && shape.d_out > 0 && shape.heads > 0 &&
                             shape.d_out % shape.heads == 0;
    const bool too_large = fuzz::beyond_core({shape.n, shape.d_in}) || fuzz::beyond_core({shape.d_in, shape.d_out}) ||
                           fuzz::beyond_core({shape.n, shape.d_out});
    const std::string e = attn::check_projection(shape);
    FUZZ_CHECK(e.empty() == (shape_valid && !too_large), "n %zu dIn %zu dOut %zu heads %zu: '%s'", shape.n,
               shape.d_in, shape.d_out, shape.heads, e.c_str());
    if (!e.empty() || !fuzz::allocatable({shape.n, shape.d_in}) || !fuzz::allocatable({shape.d_in, shape.d_out}) ||
        !fuzz::allocatable({shape.n, shape.d_out}) || double(shape.n) * double(shape.d_in) * double(shape.d_out) > 2e4)
        return 0;

    const bool huge = in.ConsumeIntegralInRange<int>(0, 7) == 0;
    const std::vector<float> x = huge ? fuzz::huge_floats(in, shape.n * shape.d_in)
                                      : fuzz::floats(in, shape.n * shape.d_in, keep_non_finite);
    const std::vector<float> w = fuzz::floats(in, shape.d_in * shape.d_out, keep_non_finite);
    std::vector<float> out(shape.n * shape.d_out + 1, NAN), reference(shape.n * shape.d_out, NAN);
    out.back() = -7.0f;
    const std::string refused = attn::projection(x.data(), w.data(), shape, out.data());
    FUZZ_CHECK(out.back() == -7.0f, "wrote past n x dOut");
    const bool finite = fuzz::all_finite(x) && fuzz::all_finite(w);
    FUZZ_CHECK(finite || !refused.empty(), "non-finite inputs accepted");
    if (!finite)
        return 0;
    FUZZ_CHECK(refused.empty() || refused.find("overflow") != std::string::npos, "'%s'", refused.c_str());
    attn::project_plain(x.data(), w.data(), shape, reference.data());
    const std::size_t width = shape.d_out / shape.heads;
    double largest_bound = 0.0;
    for (std::size_t i = 0; i < shape.n; ++i)
        for (std::size_t c = 0; c < shape.d_out; ++c) {
            double bound = 0.0; // sum |x||w|: what float32 rounding is relative to
            for (std::size_t k = 0; k < shape.d_in; ++k)
                bound += std::fabs(double(x[i * shape.d_in + k]) * w[k * shape.d_out + c]);
            largest_bound = std::fmax(largest_bound, bound);
            if (!refused.empty())
                continue;
            const std::size_t at = ((c / width) * shape.n + i) * width + c % width;
            FUZZ_CHECK(std::isfinite(out[at]), "out[%zu] = %g for finite inputs", at, double(out[at]));
            FUZZ_CHECK(std::fabs(double(out[at]) - double(reference[at])) <= 1e-5 * bound + 1e-37,
                       "out[%zu] = %.9g, reference %.9g", at, double(out[at]), double(reference[at]));
        }
    // A float sum can only overflow if the sum of the magnitudes of its terms is beyond float.
    FUZZ_CHECK(refused.empty() || largest_bound > double(FLT_MAX), "refused: %s, yet every |x||w| sum is %g",
               refused.c_str(), largest_bound);
    return 0;
}
