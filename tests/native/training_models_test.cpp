// The lesson models of src/training: the attention classifier's whole backward pass
// against finite differences, and the visible result each lesson is built on, measured
// on the lesson's own data and seeds (lesson 7: the spurious marker and attention
// dropout, noise and entropy, the entropy penalty; lesson 8: where each task-weight
// update moves the weights).
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <cmath>
#include <vector>

#include "gradient_check.hpp"
#include "training/attention_dropout.hpp"
#include "training/attention_grad.hpp"
#include "training/classifier_trainer.hpp"
#include "training/task_weighting.hpp"

using namespace attn::training;
namespace gc = gradient_check;

namespace {

/// The last recorded value of a metric.
float last(const MetricLog& log, const char* name)
{
    const auto column = std::size_t(std::find(log.names.begin(), log.names.end(), name) - log.names.begin());
    REQUIRE(column < log.width());
    return log.values[(log.rows() - 1) * log.width() + column];
}

/// Every recorded value of a metric, oldest first.
std::vector<float> series(const MetricLog& log, const char* name)
{
    const auto column = std::size_t(std::find(log.names.begin(), log.names.end(), name) - log.names.begin());
    REQUIRE(column < log.width());
    std::vector<float> out;
    for (std::size_t r = 0; r < log.rows(); ++r)
        out.push_back(log.values[r * log.width() + column]);
    return out;
}

ClassifierTrainerConfig config_of(TokenTask task, std::uint64_t seed)
{
    ClassifierTrainerConfig c = default_classifier_config(task);
    c.seed = seed;
    return c;
}

} // namespace

TEST_SUITE("attention classifier")
{
    TEST_CASE("the whole backward pass matches finite differences: dropout, entropy penalty, polarities")
    {
        for (bool plain : {true, false})
            for (TokenTask task : {TokenTask::spurious, TokenTask::noise}) {
                const TokenTaskLayout layout = token_task_layout(task, 3);
                const ClassifierShape shape{layout.vocabulary, layout.length, 4, 2};
                const ClassifierLayout at(shape);
                attn::Random random(3, 9);
                const TokenDataset data = make_token_dataset(task, 3, 4, true, random);
                std::vector<float> init(at.count);
                init_classifier(shape, random, init.data());
                std::vector<double> params(init.begin(), init.end());
                for (double& p : params)
                    p *= 3.0; // away from the small initial Wq, Wk: attention far from uniform
                std::vector<float> masks(4 * shape.length);
                draw_dropout_mask(random, 0.3f, masks.size(), masks.data());
                const auto pass = plain ? &classifier_pass_plain<double> : &classifier_pass<double>;
                std::vector<double> grad(at.count);
                pass(shape, params.data(), data.tokens.data(), data.polarity.data(), data.labels.data(), 4,
                     masks.data(), 0.4, grad.data(), nullptr, nullptr);
                const auto objective = [&] {
                    const ClassifierPass r = pass(shape, params.data(), data.tokens.data(), data.polarity.data(),
                                                  data.labels.data(), 4, masks.data(), 0.4, nullptr, nullptr, nullptr);
                    return r.loss + 0.4 * r.entropy;
                };
                CAPTURE(plain);
                CAPTURE(int(task));
                gc::expect_close(grad, gc::numeric(params, objective), 1e-7, "all parameters");
                // Every block of parameters gets a gradient (polarity only where tokens lean).
                for (std::size_t start : {at.embedding, at.wq, at.wk, at.wv, at.wo, at.readout, at.bias}) {
                    CAPTURE(start);
                    CHECK(std::any_of(grad.begin() + std::ptrdiff_t(start), grad.begin() + std::ptrdiff_t(start + 2),
                                      [](double g) { return g != 0.0; }));
                }
                const bool leans = task == TokenTask::noise;
                CHECK(std::any_of(grad.begin() + std::ptrdiff_t(at.polarity), grad.begin() + std::ptrdiff_t(at.wq),
                                  [](double g) { return g != 0.0; }) == leans);
            }
    }

    TEST_CASE("the per-kind pass gives the plain pass's loss, attention and gradient")
    {
        for (TokenTask task : {TokenTask::spurious, TokenTask::noise}) {
            const TokenTaskLayout layout = token_task_layout(task, 9);
            const ClassifierShape shape{layout.vocabulary, layout.length, 16, 2};
            const ClassifierLayout at(shape);
            attn::Random random(8);
            const TokenDataset data = make_token_dataset(task, 9, 20, true, random);
            std::vector<float> params(at.count), masks(20 * shape.length);
            init_classifier(shape, random, params.data());
            draw_dropout_mask(random, 0.2f, masks.size(), masks.data());
            std::vector<double> p64(params.begin(), params.end()), g1(at.count), g2(at.count), a1(20 * shape.length),
                a2(20 * shape.length), z1(40), z2(40);
            const auto r1 = classifier_pass_plain(shape, p64.data(), data.tokens.data(), data.polarity.data(),
                                                  data.labels.data(), 20, masks.data(), 0.3, g1.data(), a1.data(), z1.data());
            const auto r2 = classifier_pass(shape, p64.data(), data.tokens.data(), data.polarity.data(),
                                            data.labels.data(), 20, masks.data(), 0.3, g2.data(), a2.data(), z2.data());
            CHECK(r1.loss == doctest::Approx(r2.loss).epsilon(1e-12));
            CHECK(r1.entropy == doctest::Approx(r2.entropy).epsilon(1e-12));
            CHECK(r1.accuracy == r2.accuracy);
            for (const auto* pair : {&a1, &z1, &g1}) {
                const auto& x = *pair;
                const auto& y = pair == &a1 ? a2 : pair == &z1 ? z2 : g2;
                for (std::size_t i = 0; i < x.size(); ++i)
                    CHECK(std::fabs(x[i] - y[i]) <= 1e-12 * std::max(1.0, std::fabs(x[i])));
            }
        }
    }

    TEST_CASE("float and double passes agree")
    {
        const TokenTaskLayout layout = token_task_layout(TokenTask::spurious, 0);
        const ClassifierShape shape{layout.vocabulary, layout.length, 16, 2};
        const ClassifierLayout at(shape);
        attn::Random random(5);
        const TokenDataset data = make_token_dataset(TokenTask::spurious, 0, 16, true, random);
        std::vector<float> params(at.count), grad(at.count);
        init_classifier(shape, random, params.data());
        std::vector<double> params64(params.begin(), params.end()), grad64(at.count);
        const auto p32 = classifier_pass(shape, params.data(), data.tokens.data(), data.polarity.data(),
                                         data.labels.data(), 16, nullptr, 0.1f, grad.data(), (float*)nullptr,
                                         (float*)nullptr);
        const auto p64 = classifier_pass(shape, params64.data(), data.tokens.data(), data.polarity.data(),
                                         data.labels.data(), 16, nullptr, 0.1, grad64.data(), (double*)nullptr,
                                         (double*)nullptr);
        CHECK(p32.loss == doctest::Approx(p64.loss).epsilon(1e-5));
        CHECK(p32.entropy == doctest::Approx(p64.entropy).epsilon(1e-5));
        double scale = 0.0, worst = 0.0;
        for (std::size_t i = 0; i < at.count; ++i) {
            scale = std::max(scale, std::fabs(grad64[i]));
            worst = std::max(worst, std::fabs(double(grad[i]) - grad64[i]));
        }
        CHECK(worst <= 1e-5 * scale);
    }
}

TEST_SUITE("classifier trainer")
{
    TEST_CASE("the data sets follow their layouts, and every kind has a name")
    {
        attn::Random random(2);
        const TokenDataset words = make_token_dataset(TokenTask::spurious, 0, 200, true, random);
        const TokenDataset held_out = make_token_dataset(TokenTask::spurious, 0, 200, false, random);
        std::size_t marker_agrees = 0;
        for (std::size_t e = 0; e < 200; ++e) {
            const std::int32_t* t = words.tokens.data() + e * 7;
            const std::string word = token_kind_name(TokenTask::spurious, t[1]);
            CHECK(word.find(words.labels[e] == 1 ? "good" : "bad") == 0);
            CHECK(token_kind_name(TokenTask::spurious, t[4]) == (words.labels[e] == 1 ? "S+" : "S-"));
            marker_agrees += token_kind_name(TokenTask::spurious, held_out.tokens[e * 7 + 4]) ==
                                     (held_out.labels[e] == 1 ? "S+" : "S-") ? 1 : 0;
        }
        CHECK(marker_agrees > 70); // random in validation: about half
        CHECK(marker_agrees < 130);
        for (TokenTask task : {TokenTask::spurious, TokenTask::noise}) {
            const TokenTaskLayout layout = token_task_layout(task, 5);
            for (std::size_t kind = 0; kind < layout.vocabulary; ++kind)
                CHECK(token_kind_name(task, std::int32_t(kind)) != "");
            CHECK(token_kind_name(task, std::int32_t(layout.vocabulary)) == "");
        }
    }

    TEST_CASE("a seed fixes the curve, however the steps are grouped")
    {
        ClassifierTrainerConfig c = config_of(TokenTask::spurious, 4);
        c.dropout = 0.2f;
        ClassifierTrainer a(c), b(c);
        REQUIRE(a.run(30) == "");
        REQUIRE(b.run(7) == "");
        REQUIRE(b.run(23) == "");
        CHECK(a.log().values == b.log().values);
        CHECK(a.log().rows() == 30 / c.evaluate_every + 1); // step 0 too
        c.seed = 5;
        ClassifierTrainer other(c);
        other.run(30);
        CHECK(other.log().values != a.log().values);
    }

    TEST_CASE("bad configurations are refused, naming the option")
    {
        ClassifierTrainerConfig c = config_of(TokenTask::noise, 1);
        c.dropout = 1.0f;
        CHECK(check_classifier_config(c).find("dropout") == 0);
        c = config_of(TokenTask::noise, 1);
        c.noise_tokens = 65;
        CHECK(check_classifier_config(c).find("noiseTokens") == 0);
        c = config_of(TokenTask::noise, 1);
        c.batch = c.training_examples + 1;
        CHECK(check_classifier_config(c).find("batch") == 0);
        c = config_of(TokenTask::noise, 1);
        c.learning_rate = std::nanf("");
        CHECK(check_classifier_config(c).find("learningRate") == 0);
        CHECK(check_classifier_config(config_of(TokenTask::spurious, 1)) == "");
        ClassifierTrainer t(config_of(TokenTask::spurious, 1));
        CHECK(t.configure(-0.1f, 0.0f, 0.01f).find("dropout") == 0);
        CHECK(t.run(max_trainer_steps + 1) != "");
    }

    TEST_CASE("lesson 7: without dropout the model leans on the marker and overfits; dropout spreads its weight")
    {
        // The lesson's default seed, then the mean over six seeds (the effect is not one seed's luck).
        double plain_val = 0, dropout_val = 0, plain_marker = 0, dropout_marker = 0;
        const int seeds = 6;
        for (std::uint64_t seed = 1; seed <= seeds; ++seed) {
            ClassifierTrainerConfig c = config_of(TokenTask::spurious, seed);
            ClassifierTrainer plain(c);
            c.dropout = 0.3f;
            ClassifierTrainer dropped(c);
            REQUIRE(plain.run(300) == "");
            REQUIRE(dropped.run(300) == "");
            plain_val += last(plain.log(), "validationAccuracy") / seeds;
            dropout_val += last(dropped.log(), "validationAccuracy") / seeds;
            plain_marker += last(plain.log(), "spuriousWeight") / seeds;
            dropout_marker += last(dropped.log(), "spuriousWeight") / seeds;
            if (seed != 1)
                continue;
            CAPTURE(seed);
            const MetricLog& log = plain.log();
            CHECK(last(log, "trainAccuracy") == 1.0f);
            CHECK(last(log, "validationAccuracy") <= 0.6f);
            CHECK(last(log, "spuriousWeight") > 2.0f * last(log, "signalWeight"));
            const auto validation_loss = series(log, "validationLoss");
            const float lowest = *std::min_element(validation_loss.begin(), validation_loss.end());
            CHECK(validation_loss.back() > lowest + 1.0f); // overfitting: validation loss climbs back up
            CHECK(last(log, "trainLoss") < 0.01f);
            CHECK(last(dropped.log(), "spuriousWeight") < 0.6f * last(log, "spuriousWeight"));
            CHECK(last(dropped.log(), "validationAccuracy") >= last(log, "validationAccuracy") + 0.2f);
            CHECK(last(dropped.log(), "validationLoss") < last(log, "validationLoss"));
        }
        CHECK(dropout_marker < plain_marker - 0.15);
        CHECK(dropout_val > plain_val + 0.1);
    }

    TEST_CASE("lesson 7: noise tokens raise the attention entropy")
    {
        std::vector<float> entropy;
        for (std::size_t k : {0, 2, 8, 32}) {
            ClassifierTrainerConfig c = config_of(TokenTask::noise, 1);
            c.noise_tokens = k;
            ClassifierTrainer t(c);
            REQUIRE(t.run(300) == "");
            CHECK(last(t.log(), "validationAccuracy") == 1.0f);
            entropy.push_back(last(t.log(), "entropy"));
        }
        CAPTURE(entropy[0]);
        CAPTURE(entropy[1]);
        CAPTURE(entropy[2]);
        CAPTURE(entropy[3]);
        CHECK(entropy[0] == 0.0f); // one key: nothing to spread over
        for (std::size_t i = 1; i < entropy.size(); ++i)
            CHECK(entropy[i] > entropy[i - 1] + 0.1f);
    }

    TEST_CASE("lesson 7: the entropy penalty sharpens attention onto the signal")
    {
        ClassifierTrainerConfig c = config_of(TokenTask::noise, 1);
        ClassifierTrainer plain(c);
        c.entropy_penalty = 0.01f;
        ClassifierTrainer penalised(c);
        REQUIRE(plain.run(300) == "");
        REQUIRE(penalised.run(300) == "");
        CHECK(last(penalised.log(), "entropy") < 0.25f * last(plain.log(), "entropy"));
        CHECK(last(penalised.log(), "signalWeight") > 0.95f);
        CHECK(last(penalised.log(), "signalWeight") > last(plain.log(), "signalWeight") + 0.2f);
        CHECK(last(penalised.log(), "validationAccuracy") == 1.0f);

        // On one fixed example: its attention row before and after.
        const std::size_t n = plain.layout().length;
        std::vector<float> before(n), after(n);
        plain.attention(1, before.data());
        penalised.attention(1, after.data());
        CHECK(entropy_of(after.data() + 1, n - 1) < entropy_of(before.data() + 1, n - 1));
        CHECK(after[1] > before[1]); // position 1 holds the signal

        // Switched on mid-run (the lesson's slider), it sharpens a trained model too.
        REQUIRE(plain.configure(0.0f, 0.01f, c.learning_rate) == "");
        const float diffuse = last(plain.log(), "entropy");
        REQUIRE(plain.run(100) == "");
        CHECK(last(plain.log(), "entropy") < 0.5f * diffuse);
    }
}

TEST_SUITE("task weighting")
{
    TEST_CASE("the three tasks differ in difficulty: easy < medium < hard loss under equal weights")
    {
        TaskWeightingConfig c;
        c.update = TaskUpdate::descent;
        c.learning_rate = 0.0f; // scores never move: alpha stays uniform
        TaskWeightingTrainer t(c);
        REQUIRE(t.run(300) == "");
        const MetricLog& log = t.log();
        CHECK(last(log, "weightEasy") == doctest::Approx(1.0 / 3));
        CHECK(last(log, "lossEasy") < 0.5f * last(log, "lossMedium"));
        CHECK(last(log, "lossMedium") < last(log, "lossHard"));
        CHECK(last(log, "lossHard") > 0.64f * 0.9f); // the noise floor
    }

    TEST_CASE("descent moves weight to the lowest loss, ascent to the highest; every step says so")
    {
        for (TaskUpdate update : {TaskUpdate::descent, TaskUpdate::ascent}) {
            TaskWeightingConfig c;
            c.update = update;
            c.learning_rate = 0.1f;
            TaskWeightingTrainer t(c);
            REQUIRE(t.run(500) == "");
            const MetricLog& log = t.log();
            const bool descent = update == TaskUpdate::descent;
            CAPTURE(descent);
            // Score changes, step by step, have the sign of -(L_t - Lbar) (descent) or +(L_t - Lbar).
            int checked = 0;
            for (std::size_t r = 0; r + 1 < log.rows(); ++r) {
                const float* row = log.values.data() + r * log.width();
                const float* next = row + log.width();
                double mean = 0.0;
                for (std::size_t task = 0; task < 3; ++task)
                    mean += double(row[1 + task]) * row[4 + task];
                for (std::size_t task = 0; task < 3; ++task) {
                    // log alpha_t(next) - log alpha_t(now) = ds_t - (log-sum-exp change, the same for all t).
                    const double step = std::log(double(next[1 + task]) / row[1 + task]);
                    const double want = (descent ? -1.0 : 1.0) * 0.1 * row[1 + task] * (row[4 + task] - mean);
                    const double shift = std::log(double(next[1]) / row[1]) -
                                         (descent ? -1.0 : 1.0) * 0.1 * row[1] * (row[4] - mean);
                    CHECK(std::fabs(step - shift - want) <= 1e-6); // float weights: log ratios to ~1e-7
                    ++checked;
                }
            }
            CHECK(checked == 499 * 3);
            const char* favoured = descent ? "weightEasy" : "weightHard";
            CHECK(last(log, favoured) > 0.9f);
            CHECK(series(log, favoured)[100] > 1.0f / 3.0f);
        }
    }

    TEST_CASE("loss-ratio weights are the softmax of recent loss ratios and favour the slowest task")
    {
        TaskWeightingConfig c;
        c.update = TaskUpdate::loss_ratio;
        TaskWeightingTrainer t(c);
        REQUIRE(t.run(300) == "");
        const MetricLog& log = t.log();
        const auto loss = [&](std::size_t step, std::size_t task) { return double(log.values[step * log.width() + 4 + task]); };
        for (std::size_t s = 0; s < 300; ++s) {
            double ratio[3] = {0, 0, 0}, total = 0;
            for (std::size_t task = 0; task < 3; ++task) {
                if (s >= 20) {
                    double recent = 0, before = 0;
                    for (std::size_t u = s - 10; u < s; ++u)
                        recent += loss(u, task);
                    for (std::size_t u = s - 20; u < s - 10; ++u)
                        before += loss(u, task);
                    ratio[task] = recent / before / 0.05;
                }
                total += std::exp(ratio[task]);
            }
            for (std::size_t task = 0; task < 3; ++task)
                CHECK(log.values[s * log.width() + 1 + task] ==
                      doctest::Approx(std::exp(ratio[task]) / total).epsilon(1e-4).scale(1e-6));
        }
        // At step 50 the easy task is improving fastest and the hard one slowest.
        CHECK(series(log, "weightHard")[50] > series(log, "weightEasy")[50]);
    }
}
