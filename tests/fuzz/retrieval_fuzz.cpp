// Fuzzes the retrieval measure as embind_retrieval.cpp calls it: check_retrieval, then
// retrieval, with any rows, value rows, cols, column range and targets (in range or
// not), floats up to FLT_MAX. Oracles: the check refuses exactly the bad shapes and
// targets, and arrays beyond the core's bound before reading them; an accepted call gives
// cosines in [-1, 1] (0 for rows without a target, which the mean leaves out), the count
// of rows with a target, and their mean, matching a float64 reference.
#include <algorithm>
#include <string>

#include "fuzz_input.hpp"
#include "retrieval.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    FuzzedDataProvider in(data, size);
    attn::RetrievalShape shape;
    shape.rows = fuzz::size(in, 10);
    shape.value_rows = in.ConsumeBool() ? shape.rows : fuzz::size(in, 10);
    shape.cols = fuzz::size(in, 12);
    shape.begin = in.ConsumeBool() ? 0 : fuzz::size(in, 12);
    shape.end = in.ConsumeBool() ? shape.cols : fuzz::size(in, 13);
    const bool keep_non_finite = in.ConsumeIntegralInRange<int>(0, 15) == 0;
    const bool targets_in_range = in.ConsumeIntegralInRange<int>(0, 7) != 0;

    const bool shape_valid = shape.rows > 0 && shape.value_rows > 0 && shape.cols > 0 && shape.begin < shape.end &&
                             shape.end <= shape.cols;
    if (!fuzz::allocatable({shape.rows, shape.cols}) || !fuzz::allocatable({shape.value_rows, shape.cols}) ||
        !fuzz::allocatable({shape.rows})) {
        // The caller's arrays cannot exist here: a bad shape, or arrays beyond the core's
        // bound, must be refused before the targets are read.
        if (!shape_valid || fuzz::beyond_core({shape.rows, shape.cols}) || fuzz::beyond_core({shape.value_rows, shape.cols}))
            FUZZ_CHECK(!attn::check_retrieval(shape, nullptr).empty(), "rows %zu, value rows %zu, cols %zu accepted",
                       shape.rows, shape.value_rows, shape.cols);
        return 0;
    }
    std::vector<std::int32_t> targets(shape.rows);
    const std::int32_t last_row = std::int32_t(std::min<std::size_t>(shape.value_rows, INT32_MAX)) - 1;
    for (std::int32_t& t : targets)
        t = targets_in_range ? in.ConsumeIntegralInRange<std::int32_t>(-1, last_row)
                             : in.ConsumeIntegral<std::int32_t>();
    bool targets_valid = true;
    for (std::int32_t t : targets)
        targets_valid = targets_valid && t >= -1 && (t < 0 || std::size_t(t) < shape.value_rows);
    const std::string e = attn::check_retrieval(shape, targets.data());
    FUZZ_CHECK(e.empty() == (shape_valid && targets_valid), "rows %zu value rows %zu cols %zu [%zu, %zu): '%s'",
               shape.rows, shape.value_rows, shape.cols, shape.begin, shape.end, e.c_str());
    if (!e.empty())
        return 0;

    const std::vector<float> output = fuzz::floats(in, shape.rows * shape.cols, keep_non_finite);
    const std::vector<float> values = in.ConsumeIntegralInRange<int>(0, 7) == 0
                                          ? fuzz::huge_floats(in, shape.value_rows * shape.cols)
                                          : fuzz::floats(in, shape.value_rows * shape.cols, keep_non_finite);
    std::vector<float> cosine(shape.rows + 1, NAN);
    cosine[shape.rows] = -7.0f;
    const attn::RetrievalSummary s = attn::retrieval(output.data(), values.data(), targets.data(), shape, cosine.data());
    FUZZ_CHECK(cosine[shape.rows] == -7.0f, "wrote past rows");
    std::size_t count = 0;
    double total = 0.0;
    const bool finite = fuzz::all_finite(output) && fuzz::all_finite(values);
    for (std::size_t i = 0; i < shape.rows; ++i) {
        if (targets[i] < 0) {
            FUZZ_CHECK(cosine[i] == 0.0f, "a row without a target has cosine %g", double(cosine[i]));
            continue;
        }
        ++count;
        if (!finite)
            continue;
        FUZZ_CHECK(cosine[i] >= -1.0f && cosine[i] <= 1.0f, "cosine %g", double(cosine[i]));
        const float* o = output.data() + i * shape.cols;
        const float* v = values.data() + std::size_t(targets[i]) * shape.cols;
        // The reference scales each vector by its largest entry first: no overflow, no
        // underflow of the squares of subnormals.
        const double so = fuzz::max_abs(o + shape.begin, shape.end - shape.begin);
        const double sv = fuzz::max_abs(v + shape.begin, shape.end - shape.begin);
        double dot = 0.0, oo = 0.0, vv = 0.0;
        for (std::size_t c = shape.begin; so > 0.0 && sv > 0.0 && c < shape.end; ++c) {
            dot += (o[c] / so) * (v[c] / sv);
            oo += (o[c] / so) * (o[c] / so);
            vv += (v[c] / sv) * (v[c] / sv);
        }
        const double expected = so > 0.0 && sv > 0.0 ? dot / std::sqrt(oo * vv) : 0.0;
        total += double(cosine[i]);
        FUZZ_CHECK(std::fabs(double(cosine[i]) - expected) <= 1e-5,
                   "row %zu: cosine %.9g, reference %.9g", i, double(cosine[i]), expected);
    }
    FUZZ_CHECK(s.count == count, "count %zu, expected %zu", s.count, count);
    if (finite) {
        const double mean = count > 0 ? total / double(count) : 0.0;
        FUZZ_CHECK(std::fabs(s.mean - mean) <= 1e-6, "mean %.9g, expected %.9g", s.mean, mean);
    }
    return 0;
}
