// Fuzzes the pointer chase as embind_stacking.cpp calls it: pointer_chase with any n,
// layers, hops, dim, sharpness (raw float bits included) and pointers (in range or not),
// any subset of outputs; pointer_chase_accuracy with any trials; random_pointers.
// Oracles: the checks refuse exactly the documented bounds (sizes, work, pointers); an
// accepted chase writes weights that are probability rows, finite outputs, positions in
// [0, n), targets equal to the pointers followed t + 1 times, accuracies in [0, 1]; with
// one-hot codes and sharpness >= 128 (e^-128 is 0 in float) every chase lands exactly on
// pointers^(l+1)(s). Random pointers lie in [0, n).
#include <algorithm>
#include <string>

#include "fuzz_input.hpp"
#include "pointer_chase.hpp"

namespace {

namespace limits = attn::pointer_chase_limits;

/// The work each input may do here: far below the core's 2^28, so one input is fast.
constexpr double budget = double(1 << 16);

attn::Workspace& workspace()
{
    static attn::Workspace w;
    return w;
}

float sharpness(FuzzedDataProvider& in)
{
    switch (in.ConsumeIntegralInRange<int>(0, 3)) {
    case 0: return fuzz::any_float(in);
    case 1: return fuzz::temperature(in) * 100.0f;
    default: return in.ConsumeFloatingPointInRange<float>(0.01f, 300.0f);
    }
}

bool sizes_valid(const attn::PointerChase& c)
{
    return c.n >= 1 && c.n <= limits::max_positions && c.layers >= 1 && c.layers <= limits::max_layers &&
           c.hops <= limits::max_layers && c.dim <= limits::max_dim && c.sharpness > 0.0f && std::isfinite(c.sharpness);
}

double work(const attn::PointerChase& c)
{
    return double(c.layers) * double(c.n) * double(c.n) * double(attn::code_length(c));
}

void fuzz_chase(FuzzedDataProvider& in)
{
    attn::PointerChase chase;
    chase.n = in.ConsumeBool() ? in.ConsumeIntegralInRange<std::size_t>(1, 12) : fuzz::size(in, limits::max_positions + 1);
    chase.layers = in.ConsumeBool() ? in.ConsumeIntegralInRange<std::size_t>(1, 4) : fuzz::size(in, limits::max_layers + 1);
    chase.hops = in.ConsumeBool() ? 0 : fuzz::size(in, limits::max_layers + 1);
    chase.dim = in.ConsumeBool() ? 0 : fuzz::size(in, 16);
    chase.sharpness = sharpness(in);
    chase.seed = in.ConsumeIntegral<std::uint32_t>();
    const bool in_range = in.ConsumeIntegralInRange<int>(0, 7) != 0;

    std::vector<std::int32_t> pointers(chase.n <= limits::max_positions ? chase.n : 0);
    for (std::int32_t& p : pointers)
        p = in_range ? in.ConsumeIntegralInRange<std::int32_t>(0, std::int32_t(chase.n - 1))
                     : in.ConsumeIntegral<std::int32_t>();
    const std::string checked = attn::check_pointer_chase(chase, pointers.data());
    bool pointers_valid = true;
    for (std::int32_t p : pointers)
        pointers_valid = pointers_valid && p >= 0 && std::size_t(p) < chase.n;
    const bool valid = sizes_valid(chase) && work(chase) <= limits::max_work && pointers_valid;
    FUZZ_CHECK(valid == checked.empty(), "n %zu layers %zu hops %zu dim %zu sharpness %g: '%s'", chase.n, chase.layers,
               chase.hops, chase.dim, double(chase.sharpness), checked.c_str());
    if (!valid || work(chase) > budget)
        return;

    const std::size_t n = chase.n, layers = chase.layers, d = attn::code_length(chase);
    const std::size_t hops = chase.hops == 0 ? layers : chase.hops, rows = attn::target_rows(chase);
    FUZZ_CHECK(d >= 1 && d <= n && rows >= hops, "code length %zu, target rows %zu", d, rows);
    std::vector<std::int32_t> positions(layers * n, -1), targets(rows * n, -1);
    std::vector<float> weights(layers * n * n, NAN), outputs(layers * n * d, NAN), codes(n * d, NAN),
        accuracy(layers + 1, NAN);
    attn::PointerChaseOutputs out;
    const bool want_weights = in.ConsumeBool(), want_outputs = in.ConsumeBool(), want_codes = in.ConsumeBool();
    const bool want_targets = in.ConsumeBool(), want_positions = in.ConsumeBool();
    out.positions = want_positions ? positions.data() : nullptr;
    out.weights = want_weights ? weights.data() : nullptr;
    out.outputs = want_outputs ? outputs.data() : nullptr;
    out.codes = want_codes ? codes.data() : nullptr;
    out.targets = want_targets ? targets.data() : nullptr;
    out.accuracy = accuracy.data();
    out.answer_accuracy = accuracy.data() + layers;
    workspace().begin_call();
    const std::string e = attn::pointer_chase(chase, pointers.data(), workspace(), out);
    FUZZ_CHECK(e.empty(), "a checked chase failed: %s", e.c_str());

    for (float a : accuracy)
        FUZZ_CHECK(a >= 0.0f && a <= 1.0f, "accuracy %g", double(a));
    for (std::size_t r = 0; want_weights && r < layers * n; ++r) {
        double sum = 0.0;
        for (std::size_t j = 0; j < n; ++j) {
            const float w = weights[r * n + j];
            FUZZ_CHECK(w >= 0.0f && w <= 1.0f, "weight %g", double(w));
            sum += w;
        }
        FUZZ_CHECK(std::fabs(sum - 1.0) <= 1e-5, "a weight row sums to %.9g", sum);
    }
    if (want_outputs)
        FUZZ_CHECK(fuzz::all_finite(outputs), "a non-finite layer output");
    if (want_codes) {
        FUZZ_CHECK(fuzz::all_finite(codes), "a non-finite code");
        for (std::size_t i = 0; i < n; ++i) {
            double norm2 = 0.0;
            for (std::size_t k = 0; k < d; ++k)
                norm2 += double(codes[i * d + k]) * codes[i * d + k];
            FUZZ_CHECK(std::fabs(norm2 - 1.0) <= 1e-5, "code %zu has |c|^2 = %g", i, norm2);
        }
    }
    for (std::size_t s = 0; want_targets && s < n; ++s) {
        std::int32_t at = std::int32_t(s);
        for (std::size_t t = 0; t < rows; ++t) {
            at = pointers[std::size_t(at)];
            FUZZ_CHECK(targets[t * n + s] == at, "targets[%zu][%zu] = %d, expected %d", t, s, targets[t * n + s], at);
        }
    }
    for (std::size_t r = 0; want_positions && r < layers * n; ++r)
        FUZZ_CHECK(positions[r] >= 0 && std::size_t(positions[r]) < n, "position %d of %zu", positions[r], n);
    if (d == n && chase.sharpness >= 128.0f)
        for (std::size_t l = 0; l < layers; ++l)
            FUZZ_CHECK(accuracy[l] == 1.0f, "a sharp one-hot chase missed at layer %zu: accuracy %g", l,
                       double(accuracy[l]));
}

void fuzz_trials(FuzzedDataProvider& in)
{
    attn::PointerChaseTrials t;
    t.chase.n = in.ConsumeBool() ? in.ConsumeIntegralInRange<std::size_t>(1, 10) : fuzz::size(in, limits::max_positions + 1);
    t.chase.layers = in.ConsumeBool() ? in.ConsumeIntegralInRange<std::size_t>(1, 3) : fuzz::size(in, limits::max_layers + 1);
    t.chase.dim = in.ConsumeBool() ? 0 : fuzz::size(in, 12);
    t.chase.sharpness = sharpness(in);
    t.trials = in.ConsumeBool() ? in.ConsumeIntegralInRange<std::size_t>(1, 4) : fuzz::size(in, limits::max_trials + 1);
    t.seed = in.ConsumeIntegral<std::uint64_t>();
    const std::string checked = attn::check_pointer_chase_trials(t);
    const bool valid = sizes_valid(t.chase) && t.trials >= 1 && t.trials <= limits::max_trials &&
                       double(t.trials) * work(t.chase) <= limits::max_work;
    FUZZ_CHECK(valid == checked.empty(), "n %zu layers %zu dim %zu trials %zu: '%s'", t.chase.n, t.chase.layers,
               t.chase.dim, t.trials, checked.c_str());
    if (!valid || double(t.trials) * work(t.chase) > budget)
        return;
    std::vector<float> mean(t.chase.layers + 1, NAN), standard_error(t.chase.layers + 1, NAN);
    mean.back() = standard_error.back() = -7.0f;
    workspace().begin_call();
    const std::string e = attn::pointer_chase_accuracy(t, workspace(), mean.data(),
                                                       in.ConsumeBool() ? standard_error.data() : nullptr);
    FUZZ_CHECK(e.empty(), "checked trials failed: %s", e.c_str());
    FUZZ_CHECK(mean.back() == -7.0f && standard_error.back() == -7.0f, "wrote past layers");
    for (std::size_t l = 0; l < t.chase.layers; ++l) {
        FUZZ_CHECK(mean[l] >= 0.0f && mean[l] <= 1.0f, "mean accuracy %g", double(mean[l]));
        FUZZ_CHECK(std::isnan(standard_error[l]) || (standard_error[l] >= 0.0f && standard_error[l] <= 1.0f),
                   "standard error %g", double(standard_error[l]));
    }
}

void fuzz_random_pointers(FuzzedDataProvider& in)
{
    const std::size_t n = in.ConsumeIntegralInRange<std::size_t>(1, limits::max_positions);
    std::vector<std::int32_t> pointers(n + 1, -7);
    attn::random_pointers(n, in.ConsumeIntegral<std::uint64_t>(), pointers.data());
    FUZZ_CHECK(pointers[n] == -7, "wrote past n");
    for (std::size_t i = 0; i < n; ++i)
        FUZZ_CHECK(pointers[i] >= 0 && std::size_t(pointers[i]) < n, "pointer %d of %zu", pointers[i], n);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    FuzzedDataProvider in(data, size);
    switch (in.ConsumeIntegralInRange<int>(0, 5)) {
    case 0: fuzz_trials(in); break;
    case 1: fuzz_random_pointers(in); break;
    default: fuzz_chase(in); break;
    }
    return 0;
}
