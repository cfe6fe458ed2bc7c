// Fuzzes training as embind_training.cpp calls it: attention with dropout and attention's
// backward pass through training/attention_entry_points.hpp (any sizes, heads, scaling,
// mask, window, temperature, dropout p, entropy penalty, seed, floats up to FLT_MAX), and
// a few steps of each lesson trainer with fuzzed options (in range, at the bounds, beyond
// them), reconfigured mid-run.
// Oracles: sizes beyond the core's bound, non-finite inputs and options out of range are
// refused, and only they; for finite inputs the weights are probability rows (scaled by
// 1/(1 - p) where they survive dropout), outputs and gradients are finite, the backward's
// probs match the forward kernel's weights; a trainer's metrics are finite, its
// accuracies and attention weights in [0, 1], and the task-weighting trainer's task
// weights sum to 1.
#include <algorithm>
#include <memory>
#include <string>

#include "attention.hpp"
#include "fuzz_input.hpp"
#include "entry_points.hpp"
#include "training/attention_entry_points.hpp"
#include "training/classifier_trainer.hpp"
#include "training/task_weighting.hpp"

namespace {

using namespace attn::training;

float dropout_p(FuzzedDataProvider& in)
{
    static const float edges[] = {0.0f, 0.5f, 0.9f, 0.999f, 0.99999994f, 1.0f, -0.0f, -1e-30f, 1e-30f};
    switch (in.ConsumeIntegralInRange<int>(0, 3)) {
    case 0: return edges[in.ConsumeIntegralInRange<std::size_t>(0, sizeof edges / sizeof edges[0] - 1)];
    case 1: return fuzz::any_float(in);
    default: return in.ConsumeFloatingPointInRange<float>(0.0f, 0.95f);
    }
}

void check_rows(const float* w, std::size_t rows, std::size_t cols, double scale)
{
    for (std::size_t r = 0; r < rows; ++r) {
        double sum = 0.0;
        for (std::size_t j = 0; j < cols; ++j) {
            FUZZ_CHECK(w[r * cols + j] >= 0.0f && w[r * cols + j] <= scale * (1 + 1e-6), "weight %g",
                       double(w[r * cols + j]));
            sum += w[r * cols + j];
        }
        FUZZ_CHECK(sum == 0.0 || scale != 1.0 || std::fabs(sum - 1.0) <= 1e-5, "a row sums to %.9g", sum);
    }
}

void fuzz_attention(FuzzedDataProvider& in)
{
    const bool backward = in.ConsumeBool();
    const std::size_t heads = in.ConsumeBool() ? 1 : fuzz::size(in, 3);
    const std::size_t nq = fuzz::size(in, 8), nk = fuzz::size(in, 8), dk = fuzz::size(in, 6), dv = fuzz::size(in, 6);
    const int scaling = in.ConsumeIntegralInRange<int>(-1, 3), mask = in.ConsumeIntegralInRange<int>(-1, 3);
    const std::size_t window = in.ConsumeBool() ? in.ConsumeIntegralInRange<std::size_t>(0, 10)
                                                : in.ConsumeIntegral<std::size_t>();
    const float temperature = fuzz::temperature(in), p = dropout_p(in);
    const float penalty = in.ConsumeIntegralInRange<int>(0, 7) == 0 ? fuzz::any_float(in)
                          : in.ConsumeBool()                       ? 0.0f
                          : in.ConsumeBool()                       ? entry::max_entropy_penalty
                                                                   : in.ConsumeFloatingPointInRange<float>(0, 10);
    const double seed = in.ConsumeIntegralInRange<int>(0, 15) == 0 ? double(fuzz::any_float(in))
                                                                    : double(in.ConsumeIntegral<std::uint32_t>());
    const bool keep_non_finite = in.ConsumeIntegralInRange<int>(0, 15) == 0;

    const bool zero = heads == 0 || nq == 0 || nk == 0 || dk == 0 || dv == 0;
    const bool too_large = fuzz::beyond_core({heads, nq, dk}) || fuzz::beyond_core({heads, nk, dk}) ||
                           fuzz::beyond_core({heads, nk, dv}) || fuzz::beyond_core({heads, nq, dv}) ||
                           fuzz::beyond_core({heads, nq, nk});
    if (zero || too_large) {
        // The caller's arrays cannot exist: refused before any is read.
        const std::string e = backward ? entry::attention_backward(nullptr, nullptr, nullptr, nullptr, heads, nq, nk,
                                                                   dk, dv, scaling, temperature, mask, window, p, seed,
                                                                   penalty, nullptr, nullptr, nullptr, nullptr,
                                                                   nullptr, nullptr)
                                       : entry::attention_dropout(nullptr, nullptr, nullptr, heads, nq, nk, dk, dv,
                                                                  scaling, temperature, mask, window, p, seed, nullptr,
                                                                  nullptr, nullptr);
        FUZZ_CHECK(!e.empty(), "heads %zu nq %zu nk %zu dk %zu dv %zu accepted", heads, nq, nk, dk, dv);
        return;
    }
    if (!fuzz::allocatable({heads, nq, nk}) || !fuzz::allocatable({heads, nq, dk}) || !fuzz::allocatable({heads, nk, dk}) ||
        !fuzz::allocatable({heads, nk, dv}) || !fuzz::allocatable({heads, nq, dv}) ||
        double(heads) * double(nq) * double(nk) * double(dk + dv) > 2e5)
        return;

    const auto q = fuzz::floats(in, heads * nq * dk, keep_non_finite);
    const auto k = fuzz::floats(in, heads * nk * dk, keep_non_finite);
    const auto v = in.ConsumeIntegralInRange<int>(0, 7) == 0 ? fuzz::huge_floats(in, heads * nk * dv)
                                                             : fuzz::floats(in, heads * nk * dv, keep_non_finite);
    const auto grad_output = fuzz::floats(in, heads * nq * dv, keep_non_finite);
    const bool finite = fuzz::all_finite(q) && fuzz::all_finite(k) && fuzz::all_finite(v) &&
                        (!backward || fuzz::all_finite(grad_output));
    const bool valid = finite && scaling >= 0 && scaling <= 2 && mask >= 0 && mask <= 2 && temperature > 0.0f &&
                       p >= 0.0f && p < 1.0f && seed >= 0.0 && seed <= 9007199254740991.0 &&
                       seed == std::floor(seed) &&
                       (!backward || (penalty >= 0.0f && penalty <= entry::max_entropy_penalty));
    if (!backward) {
        // lab.attention({ dropout: p, seed })
        std::vector<float> weights(heads * nq * nk, NAN), logits(heads * nq * nk, NAN), output(heads * nq * dv, NAN);
        const std::string e = entry::attention_dropout(q.data(), k.data(), v.data(), heads, nq, nk, dk, dv, scaling,
                                                       temperature, mask, window, p, seed, weights.data(),
                                                       in.ConsumeBool() ? logits.data() : nullptr, output.data());
        // A valid call may only fail because dropout's scaled weights overflow the output.
        FUZZ_CHECK(e.empty() == valid || (valid && p > 0.0f && e.find("overflow") != std::string::npos),
                   "dropout %g, seed %g, finite %d: '%s'", double(p), seed, finite, e.c_str());
        FUZZ_CHECK(attn::entry::retained_scratch_bytes() <= attn::Workspace::retain_bytes, "scratch kept");
        if (!e.empty())
            return;
        check_rows(weights.data(), heads * nq, nk, p == 0.0f ? 1.0 : 1.0 / (1.0 - double(p)));
        FUZZ_CHECK(fuzz::all_finite(output), "a non-finite output, dropout %g", double(p));
        return;
    }

    // lab.attentionBackward: probs, output and the mask are one head's scratch.
    std::vector<float> probs(nq * nk, NAN), output(nq * dv, NAN), mask_values(nq * nk, NAN);
    std::vector<float> grad_q(heads * nq * dk, NAN), grad_k(heads * nk * dk, NAN), grad_v(heads * nk * dv, NAN);
    const std::string e = entry::attention_backward(q.data(), k.data(), v.data(), grad_output.data(), heads, nq, nk,
                                                    dk, dv, scaling, temperature, mask, window, p, seed, penalty,
                                                    probs.data(), output.data(), mask_values.data(), grad_q.data(),
                                                    grad_k.data(), grad_v.data());
    FUZZ_CHECK(e.empty() == valid, "dropout %g, seed %g, penalty %g, finite %d: '%s'", double(p), seed,
               double(penalty), finite, e.c_str());
    if (!e.empty())
        return;
    FUZZ_CHECK(fuzz::all_finite(grad_q), "a non-finite grad_q");
    FUZZ_CHECK(fuzz::all_finite(grad_k), "a non-finite grad_k");
    FUZZ_CHECK(fuzz::all_finite(grad_v), "a non-finite grad_v");
    check_rows(probs.data(), nq, nk, 1.0);
    FUZZ_CHECK(fuzz::all_finite(output), "a non-finite forward output, dropout %g", double(p));
    // The last head's probs are the forward kernel's weights.
    const std::size_t h = heads - 1;
    std::vector<float> kernel_weights(nq * nk), kernel_output(nq * dv);
    attn::AttentionOptions options;
    const attn::Scaling scalings[] = {attn::Scaling::inv_sqrt_dk, attn::Scaling::none, attn::Scaling::l2_keys};
    const attn::Mask masks[] = {attn::Mask::none, attn::Mask::causal, attn::Mask::local};
    options.scaling = scalings[scaling];
    options.mask = masks[mask];
    options.temperature = temperature;
    options.window = window;
    attn::Workspace workspace;
    const std::string kernel = attn::attention_with_weights(q.data() + h * nq * dk, k.data() + h * nk * dk,
                                                            v.data() + h * nk * dv, {nq, nk, dk, dv}, options,
                                                            workspace, kernel_weights.data(), kernel_output.data());
    FUZZ_CHECK(kernel.empty(), "the forward kernel refused: %s", kernel.c_str());
    for (std::size_t i = 0; i < nq * nk; ++i)
        FUZZ_CHECK(std::fabs(probs[i] - kernel_weights[i]) <= 1e-4, "probs[%zu] = %.9g, the kernel's %.9g", i,
                   double(probs[i]), double(kernel_weights[i]));
}

std::size_t small_or_any(FuzzedDataProvider& in, std::size_t small, std::size_t bound)
{
    return in.ConsumeIntegralInRange<int>(0, 3) != 0 ? in.ConsumeIntegralInRange<std::size_t>(0, small)
                                                     : fuzz::size(in, bound + 1);
}

float rate(FuzzedDataProvider& in, float low, float high)
{
    return in.ConsumeIntegralInRange<int>(0, 5) == 0 ? fuzz::any_float(in)
                                                     : in.ConsumeBool() ? (in.ConsumeBool() ? low : high)
                                                                        : in.ConsumeFloatingPointInRange<float>(low, high);
}

void check_log(const MetricLog& log)
{
    FUZZ_CHECK(log.width() > 0 && log.values.size() % log.width() == 0, "a ragged log");
    for (float x : log.values)
        FUZZ_CHECK(std::isfinite(x), "a non-finite metric");
}

void fuzz_classifier(FuzzedDataProvider& in)
{
    ClassifierTrainerConfig c = default_classifier_config(in.ConsumeBool() ? TokenTask::noise : TokenTask::spurious);
    c.seed = in.ConsumeIntegral<std::uint64_t>();
    c.dropout = rate(in, 0.0f, 0.99f);
    c.entropy_penalty = rate(in, 0.0f, 100.0f);
    c.learning_rate = rate(in, 1e-6f, 10.0f);
    c.optimizer = in.ConsumeBool() ? OptimizerKind::adam : OptimizerKind::sgd;
    c.noise_tokens = small_or_any(in, 6, 64);
    c.training_examples = small_or_any(in, 16, 4096);
    c.validation_examples = small_or_any(in, 16, 4096);
    c.batch = small_or_any(in, c.training_examples, 4096);
    c.evaluate_every = small_or_any(in, 3, 100000);
    c.width = small_or_any(in, 6, 64);
    const std::string error = check_classifier_config(c);
    const bool valid = std::isfinite(c.dropout) && c.dropout >= 0.0f && c.dropout < 1.0f &&
                       std::isfinite(c.entropy_penalty) && c.entropy_penalty >= 0.0f && c.entropy_penalty <= 100.0f &&
                       c.learning_rate > 0.0f && c.learning_rate <= 10.0f && c.noise_tokens <= 64 &&
                       c.training_examples >= 1 && c.training_examples <= 4096 && c.validation_examples >= 1 &&
                       c.validation_examples <= 4096 && c.batch <= c.training_examples && c.evaluate_every >= 1 &&
                       c.evaluate_every <= 100000 && c.width >= 1 && c.width <= 64;
    FUZZ_CHECK(valid == error.empty(), "'%s'", error.c_str());
    if (!valid || c.training_examples > 16 || c.validation_examples > 16 || c.width > 6 || c.noise_tokens > 6)
        return;
    ClassifierTrainer trainer(c);
    const std::size_t steps = in.ConsumeIntegralInRange<std::size_t>(0, 3);
    FUZZ_CHECK(trainer.run(steps).empty(), "run refused");
    const float dropout = rate(in, 0.0f, 0.99f), penalty = rate(in, 0.0f, 100.0f), lr = rate(in, 1e-6f, 10.0f);
    const std::string configured = trainer.configure(dropout, penalty, lr);
    FUZZ_CHECK(configured.empty() == (std::isfinite(dropout) && dropout >= 0.0f && dropout < 1.0f &&
                                      std::isfinite(penalty) && penalty >= 0.0f && penalty <= 100.0f && lr > 0.0f &&
                                      lr <= 10.0f),
               "configure(%g, %g, %g): '%s'", double(dropout), double(penalty), double(lr), configured.c_str());
    FUZZ_CHECK(trainer.run(in.ConsumeIntegralInRange<std::size_t>(0, 2)).empty(), "run refused");
    FUZZ_CHECK(!trainer.run(max_trainer_steps - trainer.steps_done() + 1).empty(), "a run past the step limit was accepted");
    const MetricLog& log = trainer.log();
    check_log(log);
    for (std::size_t r = 0; r < log.rows(); ++r)
        for (std::size_t col = 2; col < log.width(); ++col)
            if (col != 3 && col != 5) // accuracies and attention weights: fractions
                FUZZ_CHECK(log.values[r * log.width() + col] >= 0.0f && log.values[r * log.width() + col] <= 1.0f + 1e-5f,
                           "%s = %g", log.names[col].c_str(), double(log.values[r * log.width() + col]));
    const std::size_t count = in.ConsumeIntegralInRange<std::size_t>(0, c.validation_examples);
    std::vector<float> attention(count * trainer.layout().length + 1, NAN);
    attention.back() = -7.0f;
    trainer.attention(count, attention.data());
    FUZZ_CHECK(attention.back() == -7.0f, "attention wrote past count x length");
    attention.pop_back();
    check_rows(attention.data(), count, trainer.layout().length, 1.0);
}

void fuzz_task_weighting(FuzzedDataProvider& in)
{
    TaskWeightingConfig c;
    const TaskUpdate updates[] = {TaskUpdate::descent, TaskUpdate::ascent, TaskUpdate::loss_ratio};
    c.update = updates[in.ConsumeIntegralInRange<int>(0, 2)];
    c.seed = in.ConsumeIntegral<std::uint64_t>();
    c.learning_rate = rate(in, 0.0f, 1000.0f);
    c.temperature = rate(in, 1e-3f, 100.0f);
    c.window = small_or_any(in, 3, 10000);
    c.model_learning_rate = rate(in, 1e-6f, 10.0f);
    const std::string error = check_task_weighting_config(c);
    const bool valid = c.learning_rate >= 0.0f && c.learning_rate <= 1000.0f && c.temperature > 0.0f &&
                       c.temperature <= 100.0f && c.window >= 1 && c.window <= 10000 && c.model_learning_rate > 0.0f &&
                       c.model_learning_rate <= 10.0f;
    FUZZ_CHECK(valid == error.empty(), "'%s'", error.c_str());
    if (!valid)
        return;
    TaskWeightingTrainer trainer(c);
    FUZZ_CHECK(trainer.run(in.ConsumeIntegralInRange<std::size_t>(1, 4)).empty(), "run refused");
    const MetricLog& log = trainer.log();
    check_log(log);
    for (std::size_t r = 0; r < log.rows(); ++r) {
        double sum = 0.0;
        for (std::size_t t = 0; t < task_count; ++t) {
            const float w = log.values[r * log.width() + 1 + t];
            FUZZ_CHECK(w >= 0.0f && w <= 1.0f, "task weight %g", double(w));
            sum += w;
        }
        FUZZ_CHECK(std::fabs(sum - 1.0) <= 1e-5, "task weights sum to %.9g", sum);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    FuzzedDataProvider in(data, size);
    switch (in.ConsumeIntegralInRange<int>(0, 15)) {
    case 0: fuzz_classifier(in); break;
    case 1: fuzz_task_weighting(in); break;
    default: fuzz_attention(in); break;
    }
    return 0;
}
