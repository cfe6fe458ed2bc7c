// Fuzzes the context lesson's core as embind_context.cpp calls it: influence, receptive
// field and path length for any reader code, sizes (within the bounds and far beyond),
// spectral norm and seed; and the monotonic alignment for any rows x cols and scores.
// Oracles: a refused spec writes nothing; an accepted influence is finite, >= 0 and
// exactly 0 outside the receptive field; the field contains the position and agrees with
// path_length (token j is seen iff a path of at most `layers` steps reaches it);
// path_length matches its closed form; an alignment path stays in [0, cols), never goes
// back, its total is the sum of its scores and no monotonic path does better (checked by
// brute force on small tables); sizes beyond the core's bound are refused.
#include <string>

#include "context/influence.hpp"
#include "context/monotonic_alignment.hpp"
#include "fuzz_input.hpp"

namespace {

namespace b = attn::influence_bounds;

/// embind_context.cpp's to_spec: the same decoding and checks.
std::string to_spec(int reader, std::size_t n, std::size_t position, std::size_t layers, std::size_t kernel,
                    std::size_t window, std::size_t hidden, double spectral_norm, double seed,
                    attn::InfluenceSpec& spec)
{
    if (reader < 0 || reader > 3)
        return "reader";
    const attn::Reader readers[] = {attn::Reader::conv, attn::Reader::rnn, attn::Reader::local, attn::Reader::global};
    spec.reader = readers[reader];
    spec.n = n;
    spec.position = position;
    spec.layers = layers;
    spec.kernel = kernel;
    spec.window = window;
    spec.hidden = hidden;
    spec.spectral_norm = spectral_norm;
    if (!(seed >= 0 && seed <= 9007199254740991.0))
        return "seed";
    spec.seed = static_cast<std::uint64_t>(seed);
    return attn::check_influence(spec);
}

/// Rough multiply-adds of one influence call, to keep each input fast under ASan.
double influence_cost(const attn::InfluenceSpec& s)
{
    const double n = double(s.n), d2 = double(attn::token_dim * attn::token_dim);
    switch (s.reader) {
    case attn::Reader::conv: return double(s.layers) * n * double(s.kernel) * d2 * 10.0;
    case attn::Reader::local: return double(s.layers) * n * double(2 * s.window + 1) * d2 * 5.0;
    case attn::Reader::global: return n * n * d2 * 5.0;
    case attn::Reader::rnn: return n * double(s.hidden) * double(s.hidden + attn::token_dim) * double(s.hidden);
    }
    return 0.0;
}

std::size_t expected_path(const attn::InfluenceSpec& s, std::int64_t distance)
{
    const std::uint64_t far = distance < 0 ? std::uint64_t(-(distance + 1)) + 1 : std::uint64_t(distance);
    const auto layers_for = [far](std::uint64_t per_layer) -> std::size_t {
        return far == 0 ? 1 : per_layer == 0 ? 0 : std::size_t(far / per_layer + (far % per_layer != 0));
    };
    switch (s.reader) {
    case attn::Reader::conv: return layers_for((s.kernel - 1) / 2);
    case attn::Reader::local: return layers_for(s.window);
    case attn::Reader::global: return 1;
    case attn::Reader::rnn: return distance < 0 ? 0 : std::size_t(far) + 1;
    }
    return 0;
}

void fuzz_influence(FuzzedDataProvider& in)
{
    const int reader = in.ConsumeIntegralInRange<int>(-1, 4);
    const std::size_t n = in.ConsumeBool() ? in.ConsumeIntegralInRange<std::size_t>(0, 80) : fuzz::size(in, b::max_n + 2);
    const std::size_t position = in.ConsumeBool() && n > 0 ? in.ConsumeIntegralInRange<std::size_t>(0, n - 1)
                                                           : fuzz::size(in, n + 1);
    const std::size_t layers = fuzz::size(in, b::max_layers + 1), kernel = fuzz::size(in, b::max_kernel + 2);
    const std::size_t window = fuzz::size(in, b::max_window + 1), hidden = fuzz::size(in, b::max_hidden + 1);
    double spectral_norm = in.ConsumeFloatingPointInRange<double>(-0.1, 1.1);
    if (in.ConsumeIntegralInRange<int>(0, 7) == 0)
        spectral_norm = double(fuzz::any_float(in));
    double seed = double(in.ConsumeIntegral<std::uint32_t>());
    if (in.ConsumeIntegralInRange<int>(0, 7) == 0)
        seed = double(fuzz::any_float(in)) * 1e6;

    attn::InfluenceSpec spec;
    const std::string error = to_spec(reader, n, position, layers, kernel, window, hidden, spectral_norm, seed, spec);
    const bool layered = reader == 0 || reader == 2;
    const bool valid = reader >= 0 && reader <= 3 && seed >= 0 && seed <= 9007199254740991.0 && n >= 1 &&
                       n <= b::max_n && position < n && (!layered || (layers >= 1 && layers <= b::max_layers)) &&
                       (reader != 0 || (kernel % 2 == 1 && kernel <= b::max_kernel)) &&
                       (reader != 2 || window <= b::max_window) &&
                       (reader != 1 || (hidden >= 1 && hidden <= b::max_hidden && spectral_norm >= 0.0 &&
                                        spectral_norm <= b::max_spectral_norm));
    FUZZ_CHECK(valid == error.empty(), "reader %d n %zu position %zu layers %zu kernel %zu window %zu hidden %zu "
               "spectral norm %g: '%s'", reader, n, position, layers, kernel, window, hidden, spectral_norm,
               error.c_str());
    if (!error.empty())
        return;

    // Receptive field and path length: cheap at any accepted size.
    const attn::TokenRange field = attn::receptive_field(spec);
    FUZZ_CHECK(field.first <= position && position <= field.last && field.last < n, "field [%zu, %zu] of %zu at %zu",
               field.first, field.last, n, position);
    for (int t = 0; t < 4; ++t) {
        const std::int64_t distance = in.ConsumeBool() ? in.ConsumeIntegralInRange<std::int64_t>(-2147483647, 2147483647)
                                                       : in.ConsumeIntegralInRange<std::int64_t>(-40, 40);
        const std::size_t length = attn::path_length(spec, distance);
        FUZZ_CHECK(length == expected_path(spec, distance), "path_length(%lld) = %zu, expected %zu",
                   (long long)distance, length, expected_path(spec, distance));
    }
    for (std::size_t j = 0; j < n; ++j) {
        const std::size_t length = attn::path_length(spec, std::int64_t(position) - std::int64_t(j));
        const bool reached = length != 0 && (!layered || length <= spec.layers);
        const bool inside = j >= field.first && j <= field.last;
        FUZZ_CHECK(reached == inside, "token %zu: path %zu but field [%zu, %zu]", j, length, field.first, field.last);
    }

    if (influence_cost(spec) > 3e6)
        return;
    std::vector<float> out(n + 1, NAN);
    out[n] = -7.0f; // a canary: nothing past n is written
    FUZZ_CHECK(attn::influence(spec, out.data()).empty(), "a checked spec failed");
    FUZZ_CHECK(out[n] == -7.0f, "influence wrote past n");
    for (std::size_t j = 0; j < n; ++j) {
        FUZZ_CHECK(std::isfinite(out[j]) && out[j] >= 0.0f, "influence[%zu] = %g", j, double(out[j]));
        if (j < field.first || j > field.last)
            FUZZ_CHECK(out[j] == 0.0f, "influence[%zu] = %g outside the field", j, double(out[j]));
    }
}

/// The best total of a monotonic path, by trying every one (rows, cols small).
double brute_best(const std::vector<float>& s, std::size_t rows, std::size_t cols, std::size_t row, std::size_t from)
{
    if (row == rows)
        return 0.0;
    double best = -INFINITY;
    for (std::size_t j = from; j < cols; ++j)
        best = std::fmax(best, double(s[row * cols + j]) + brute_best(s, rows, cols, row + 1, j));
    return best;
}

void fuzz_alignment(FuzzedDataProvider& in)
{
    const std::size_t rows = fuzz::size(in, 12), cols = fuzz::size(in, 12);
    const bool keep_non_finite = in.ConsumeIntegralInRange<int>(0, 15) == 0;
    attn::MonotonicAlignment result;
    if (rows == 0 || cols == 0 || fuzz::beyond_core({rows, cols})) {
        // The core must refuse before reading scores or writing anything.
        const std::string e = attn::monotonic_alignment(nullptr, rows, cols, nullptr, nullptr, result);
        FUZZ_CHECK(!e.empty(), "rows %zu x cols %zu accepted", rows, cols);
        return;
    }
    if (!fuzz::allocatable({rows, cols}))
        return;
    const std::vector<float> scores = fuzz::floats(in, rows * cols, keep_non_finite);
    std::vector<std::int32_t> path(rows + 1, -5), misaligned(rows + 1, -5);
    const std::string e = attn::monotonic_alignment(scores.data(), rows, cols, path.data(), misaligned.data(), result);
    FUZZ_CHECK(e.empty() || !fuzz::all_finite(scores), "refused: %s", e.c_str());
    if (!e.empty())
        return;
    FUZZ_CHECK(path[rows] == -5 && misaligned[rows] == -5, "wrote past rows");
    FUZZ_CHECK(result.misaligned <= rows, "misaligned %zu of %zu rows", result.misaligned, rows);
    for (std::size_t i = 0; i < rows; ++i) {
        FUZZ_CHECK(path[i] >= 0 && std::size_t(path[i]) < cols, "path[%zu] = %d", i, path[i]);
        FUZZ_CHECK(i == 0 || path[i] >= path[i - 1], "the path goes back at row %zu", i);
    }
    for (std::size_t m = 0; m < result.misaligned; ++m)
        FUZZ_CHECK(misaligned[m] >= 0 && std::size_t(misaligned[m]) < rows && (m == 0 || misaligned[m] > misaligned[m - 1]),
                   "misaligned rows out of order");
    if (!fuzz::all_finite(scores))
        return;
    double total = 0.0;
    std::size_t beaten = 0;
    for (std::size_t i = 0; i < rows; ++i) {
        const float chosen = scores[i * cols + std::size_t(path[i])];
        total += double(chosen);
        bool worse = false;
        for (std::size_t c = 0; c < cols; ++c)
            worse = worse || scores[i * cols + c] > chosen;
        beaten += worse;
    }
    FUZZ_CHECK(total == result.total, "total %.17g, the path's scores sum to %.17g", result.total, total);
    FUZZ_CHECK(beaten == result.misaligned, "%zu misaligned rows, counted %zu", result.misaligned, beaten);
    if (rows <= 6 && cols <= 6) {
        const double best = brute_best(scores, rows, cols, 0, 0);
        const double tolerance = 1e-12 * fuzz::max_abs(scores.data(), scores.size()) * double(rows);
        FUZZ_CHECK(result.total >= best - tolerance, "total %.17g below the best %.17g", result.total, best);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    FuzzedDataProvider in(data, size);
    if (in.ConsumeBool())
        fuzz_influence(in);
    else
        fuzz_alignment(in);
    return 0;
}
