// Fuzzes entry::scaling_experiment: any dk, samples, keys, seed (any double) and scaling
// code. Bounds the JS layer also checks (keys, work) must hold in the core on their own;
// an accepted run gives finite statistics in range and a first row that sums to 1.
#include <string>

#include "entry_points.hpp"
#include "fuzz_input.hpp"
#include "scaling_experiment.hpp"

namespace entry = attn::entry;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    FuzzedDataProvider in(data, size);
    const std::size_t dk = fuzz::size(in, 64), samples = fuzz::size(in, 3000), keys = fuzz::size(in, 70);
    const double seed = in.ConsumeBool() ? double(in.ConsumeIntegralInRange<std::uint32_t>(0, 100))
                                         : in.ConsumeFloatingPoint<double>();
    const int scaling = in.ConsumeIntegralInRange<int>(-1, 3);

    attn::ScalingExperiment e;
    e.dk = dk;
    e.samples = samples;
    e.keys = keys;
    const bool valid = dk > 0 && keys >= 2 && keys <= attn::max_experiment_keys && samples >= keys &&
                       double(samples) * double(dk) * (2.0 + 1.0 / double(keys)) <= attn::max_experiment_work &&
                       scaling >= 0 && scaling <= 2 && seed >= 0.0 && seed <= 9007199254740991.0 &&
                       seed == std::floor(seed);
    // Valid runs of more than ~2^18 steps are checked, not run: the fuzzer needs speed.
    const bool quick = !valid || double(samples) * double(dk) <= double(1 << 18);
    if (!quick) {
        FUZZ_CHECK(attn::check_scaling_experiment(e).empty(), "a valid experiment was refused");
        return 0;
    }
    std::vector<float> out(valid ? 4 + 2 * keys : 0, NAN);
    const std::string error = entry::scaling_experiment(dk, samples, keys, seed, scaling, valid ? out.data() : nullptr);
    FUZZ_CHECK(error.empty() == valid, "valid = %d, message '%s'", int(valid), error.c_str());
    if (!valid)
        return 0;
    FUZZ_CHECK(fuzz::all_finite(out), "a non-finite result");
    FUZZ_CHECK(out[0] >= 0.0f, "variance %g", double(out[0]));
    FUZZ_CHECK(out[1] >= 1.0f / float(keys) - 1e-6f && out[1] <= 1.0f + 1e-6f, "mean max weight %g", double(out[1]));
    FUZZ_CHECK(out[2] >= 0.0f && out[2] <= std::log(double(keys)) + 1e-5, "mean entropy %g", double(out[2]));
    double total = 0.0;
    for (std::size_t j = 0; j < keys; ++j)
        total += out[4 + keys + j];
    FUZZ_CHECK(std::fabs(total - 1.0) <= 1e-5, "the first row sums to %.9g", total);
    return 0;
}
