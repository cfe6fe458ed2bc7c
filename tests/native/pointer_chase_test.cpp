#include <doctest/doctest.h>

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <vector>

#include "pointer_chase.hpp"
#include "rng.hpp"

namespace {

struct Chased {
    std::vector<std::int32_t> positions, targets;
    std::vector<float> weights, outputs, codes, accuracy;
    float answer = -1.0f;
    std::string error;
};

Chased run(const std::vector<std::int32_t>& pointers, std::size_t layers, float sharpness,
           std::size_t dim = 0, std::size_t hops = 0, std::uint64_t seed = 1)
{
    attn::PointerChase c;
    c.n = pointers.size();
    c.layers = layers;
    c.hops = hops;
    c.sharpness = sharpness;
    c.dim = dim;
    c.seed = seed;
    const std::size_t n = c.n, d = attn::code_length(c);
    Chased r;
    r.positions.assign(layers * n, -1);
    r.targets.assign(attn::target_rows(c) * n, -1);
    r.weights.assign(layers * n * n, -1.0f);
    r.outputs.assign(layers * n * d, -1.0f);
    r.codes.assign(n * d, -1.0f);
    r.accuracy.assign(layers, -1.0f);
    attn::PointerChaseOutputs out;
    out.positions = r.positions.data();
    out.targets = r.targets.data();
    out.weights = r.weights.data();
    out.outputs = r.outputs.data();
    out.codes = r.codes.data();
    out.accuracy = r.accuracy.data();
    out.answer_accuracy = &r.answer;
    attn::Workspace workspace;
    r.error = attn::pointer_chase(c, pointers.data(), workspace, out);
    return r;
}

// Test inputs: pointer arrays from a generator independent of the core's.
std::vector<std::int32_t> some_pointers(std::size_t n, std::uint64_t seed)
{
    std::uint64_t x = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    std::vector<std::int32_t> p(n);
    for (auto& v : p) {
        x ^= x >> 33;
        x *= 0xff51afd7ed558ccdULL;
        x ^= x >> 29;
        v = std::int32_t(x % n);
    }
    return p;
}

// pointers applied `hops` times to s, by plain iteration.
std::int32_t follow(const std::vector<std::int32_t>& p, std::int32_t s, std::size_t hops)
{
    for (std::size_t t = 0; t < hops; ++t)
        s = p[std::size_t(s)];
    return s;
}

} // namespace

TEST_SUITE("pointer chase")
{
    TEST_CASE("one-hot codes, large sharpness: after L layers every start stands at pointers^L, for every (k, L) <= 6")
    {
        std::size_t cases = 0;
        for (std::size_t n : {1, 2, 3, 5, 8, 13, 21, 32}) {
            for (std::uint64_t seed = 1; seed <= 4; ++seed) {
                const auto p = some_pointers(n, seed * 100 + n);
                for (float sharpness : {100.0f, FLT_MAX}) {
                    for (std::size_t layers = 1; layers <= 6; ++layers) {
                        for (std::size_t hops = 1; hops <= 6; ++hops) {
                            CAPTURE(n);
                            CAPTURE(seed);
                            CAPTURE(sharpness);
                            CAPTURE(layers);
                            CAPTURE(hops);
                            const Chased r = run(p, layers, sharpness, 0, hops);
                            REQUIRE(r.error == "");
                            std::size_t agree = 0;
                            for (std::size_t s = 0; s < n; ++s) {
                                for (std::size_t l = 0; l < layers; ++l) {
                                    const std::int32_t want = follow(p, std::int32_t(s), l + 1);
                                    CHECK(r.positions[l * n + s] == want);
                                    // exactly one-hot weights: layer l looks up where layer l - 1 stood
                                    const std::int32_t at = l == 0 ? std::int32_t(s) : follow(p, std::int32_t(s), l);
                                    for (std::size_t j = 0; j < n; ++j)
                                        CHECK(r.weights[(l * n + s) * n + j] == (std::int32_t(j) == at ? 1.0f : 0.0f));
                                }
                                for (std::size_t t = 0; t < std::max(layers, hops); ++t)
                                    CHECK(r.targets[t * n + s] == follow(p, std::int32_t(s), t + 1));
                                agree += follow(p, std::int32_t(s), layers) == follow(p, std::int32_t(s), hops);
                            }
                            for (float a : r.accuracy)
                                CHECK(a == 1.0f);
                            CHECK(r.answer == float(double(agree) / double(n)));
                            if (hops == layers)
                                CHECK(r.answer == 1.0f);
                            ++cases;
                        }
                    }
                }
            }
        }
        CHECK(cases == 8 * 4 * 2 * 36);
    }

    TEST_CASE("a pointer that points at itself, and a cycle, keep their place under L hops")
    {
        const std::vector<std::int32_t> p = {0, 2, 3, 1};
        const Chased r = run(p, 3, 100.0f);
        REQUIRE(r.error == "");
        const std::vector<std::int32_t> want = {0, 2, 3, 1, 0, 3, 1, 2, 0, 1, 2, 3};
        CHECK(r.positions == want);
    }

    TEST_CASE("the chase equals a float64 reference built from the definition")
    {
        for (std::size_t dim : {0, 3, 7}) {
            for (float sharpness : {2.0f, 6.0f}) {
                CAPTURE(dim);
                CAPTURE(sharpness);
                const std::size_t n = 12, layers = 4;
                const auto p = some_pointers(n, 77 + dim);
                const Chased r = run(p, layers, sharpness, dim, 0, 5);
                REQUIRE(r.error == "");
                const std::size_t d = dim == 0 ? n : dim;
                // codes: one-hot, or the core's seeded normals, each row scaled to length 1
                std::vector<double> code(n * d, 0.0);
                if (dim == 0) {
                    for (std::size_t i = 0; i < n; ++i)
                        code[i * d + i] = 1.0;
                } else {
                    attn::Random random(5);
                    for (std::size_t i = 0; i < n; ++i) {
                        double norm2 = 0;
                        for (std::size_t k = 0; k < d; ++k)
                            norm2 += (code[i * d + k] = random.normal()) * code[i * d + k];
                        for (std::size_t k = 0; k < d; ++k)
                            code[i * d + k] /= std::sqrt(norm2);
                    }
                }
                for (std::size_t i = 0; i < n * d; ++i)
                    CHECK(r.codes[i] == doctest::Approx(code[i]).epsilon(1e-6).scale(1.0));
                std::vector<double> q(code);
                for (std::size_t l = 0; l < layers; ++l) {
                    std::vector<double> next(n * d, 0.0);
                    for (std::size_t s = 0; s < n; ++s) {
                        std::vector<double> logit(n);
                        double m = -INFINITY, z = 0;
                        for (std::size_t j = 0; j < n; ++j) {
                            double dot = 0;
                            for (std::size_t k = 0; k < d; ++k)
                                dot += q[s * d + k] * double(r.codes[j * d + k]) * sharpness;
                            m = std::max(m, logit[j] = dot);
                        }
                        for (double& v : logit)
                            z += (v = std::exp(v - m));
                        for (std::size_t j = 0; j < n; ++j) {
                            CHECK(r.weights[(l * n + s) * n + j] == doctest::Approx(logit[j] / z).epsilon(2e-5).scale(1.0));
                            for (std::size_t k = 0; k < d; ++k)
                                next[s * d + k] += logit[j] / z * r.codes[std::size_t(p[j]) * d + k];
                        }
                        // the nearest code, where the reference's margin leaves no doubt
                        std::vector<double> dist(n);
                        std::size_t best = 0;
                        for (std::size_t j = 0; j < n; ++j) {
                            dist[j] = 0;
                            for (std::size_t k = 0; k < d; ++k)
                                dist[j] += (next[s * d + k] - r.codes[j * d + k]) * (next[s * d + k] - r.codes[j * d + k]);
                            if (dist[j] < dist[best])
                                best = j;
                        }
                        double margin = INFINITY;
                        for (std::size_t j = 0; j < n; ++j)
                            if (j != best)
                                margin = std::min(margin, dist[j] - dist[best]);
                        if (margin > 1e-4)
                            CHECK(r.positions[l * n + s] == std::int32_t(best));
                    }
                    for (std::size_t i = 0; i < n * d; ++i)
                        CHECK(r.outputs[l * n * d + i] == doctest::Approx(next[i]).epsilon(2e-5).scale(1.0));
                    // every position is exactly nearest_code of the layer's output (the chase
                    // takes a shortcut for one-hot codes: it must agree, ties included)
                    std::vector<double> norms(n);
                    attn::code_norms(r.codes.data(), n, d, norms.data());
                    for (std::size_t s = 0; s < n; ++s)
                        CHECK(r.positions[l * n + s] ==
                              std::int32_t(attn::nearest_code(r.codes.data(), norms.data(), n, d, r.outputs.data() + (l * n + s) * d)));
                    q = next;
                }
            }
        }
    }

    TEST_CASE("nearest_code is the Euclidean nearest code; ties go to the lowest index")
    {
        const std::vector<float> codes = {1, 0, 0, 1, -1, 0, 0, -1};
        std::vector<double> norms(4);
        attn::code_norms(codes.data(), 4, 2, norms.data());
        CHECK(norms == std::vector<double>{1, 1, 1, 1});
        const float a[] = {0.9f, 0.2f}, tie[] = {0.5f, 0.5f}, zero[] = {0, 0}, b[] = {-0.1f, -0.7f};
        CHECK(attn::nearest_code(codes.data(), norms.data(), 4, 2, a) == 0);
        CHECK(attn::nearest_code(codes.data(), norms.data(), 4, 2, tie) == 0);
        CHECK(attn::nearest_code(codes.data(), norms.data(), 4, 2, zero) == 0);
        CHECK(attn::nearest_code(codes.data(), norms.data(), 4, 2, b) == 3);
        // codes of different lengths: the nearest is not the one with the largest dot product
        const std::vector<float> uneven = {3, 0, 1, 0};
        std::vector<double> uneven_norms(2);
        attn::code_norms(uneven.data(), 2, 2, uneven_norms.data());
        const float x[] = {1.5f, 0};
        CHECK(attn::nearest_code(uneven.data(), uneven_norms.data(), 2, 2, x) == 1);
        const float y[] = {2.5f, 0};
        CHECK(attn::nearest_code(uneven.data(), uneven_norms.data(), 2, 2, y) == 0);
    }

    TEST_CASE("a uniform output (sharpness tiny) stands at the lowest position its tie allows")
    {
        // Every weight equal: each output is the mean of the targets' codes, the same for
        // every start; with one-hot codes the nearest code is the most pointed-at position,
        // the lowest one on a tie.
        const std::vector<std::int32_t> p = {3, 1, 3, 1, 2};
        const Chased r = run(p, 1, 1e-30f);
        REQUIRE(r.error == "");
        for (std::size_t s = 0; s < p.size(); ++s)
            CHECK(r.positions[s] == 1);
    }

    TEST_CASE("codes: one-hot for dim 0 or >= n, else seeded unit vectors")
    {
        attn::PointerChase c;
        c.n = 6;
        for (std::size_t dim : {0, 6, 9}) {
            c.dim = dim;
            CHECK(attn::code_length(c) == 6);
            std::vector<float> codes(36);
            attn::make_codes(c, codes.data());
            for (std::size_t i = 0; i < 36; ++i)
                CHECK(codes[i] == (i % 7 == 0 ? 1.0f : 0.0f));
        }
        c.dim = 4;
        CHECK(attn::code_length(c) == 4);
        std::vector<float> a(24), b(24), other(24);
        attn::make_codes(c, a.data());
        attn::make_codes(c, b.data());
        c.seed = 2;
        attn::make_codes(c, other.data());
        CHECK(a == b);
        CHECK(a != other);
        for (std::size_t i = 0; i < 6; ++i) {
            double norm2 = 0;
            for (std::size_t k = 0; k < 4; ++k)
                norm2 += double(a[i * 4 + k]) * a[i * 4 + k];
            CHECK(norm2 == doctest::Approx(1.0).epsilon(1e-6));
        }
    }

    TEST_CASE("huge sharpness is the softmax's limit: equal logits share the weight, never NaN")
    {
        // dim 1: every code is +1 or -1, so many keys tie exactly.
        const std::size_t n = 16;
        const auto p = some_pointers(n, 5);
        for (std::size_t dim : {1, 2, 5}) {
            CAPTURE(dim);
            const Chased r = run(p, 4, FLT_MAX, dim);
            REQUIRE(r.error == "");
            for (std::size_t row = 0; row < 4 * n; ++row) {
                double sum = 0;
                for (std::size_t j = 0; j < n; ++j) {
                    const float w = r.weights[row * n + j];
                    CHECK(std::isfinite(w));
                    sum += w;
                }
                CHECK(sum == doctest::Approx(1.0).epsilon(1e-5));
            }
            for (float o : r.outputs)
                CHECK(std::isfinite(o));
            if (dim == 1) {
                // layer 1: start s's weight is spread evenly over the positions sharing its code
                for (std::size_t s = 0; s < n; ++s) {
                    std::size_t same = 0;
                    for (std::size_t j = 0; j < n; ++j)
                        same += r.codes[j] == r.codes[s];
                    for (std::size_t j = 0; j < n; ++j)
                        CHECK(r.weights[s * n + j] == doctest::Approx(r.codes[j] == r.codes[s] ? 1.0 / double(same) : 0.0).epsilon(1e-6));
                }
            }
        }
    }

    TEST_CASE("random_pointers: in range, reproducible, roughly uniform")
    {
        std::vector<std::int32_t> a(1000), b(1000), c(1000);
        attn::random_pointers(1000, 3, a.data());
        attn::random_pointers(1000, 3, b.data());
        attn::random_pointers(1000, 4, c.data());
        CHECK(a == b);
        CHECK(a != c);
        std::vector<int> count(10, 0);
        for (std::uint64_t seed = 0; seed < 2000; ++seed) {
            std::vector<std::int32_t> p(10);
            attn::random_pointers(10, seed, p.data());
            for (std::int32_t v : p) {
                REQUIRE(v >= 0);
                REQUIRE(v < 10);
                ++count[std::size_t(v)];
            }
        }
        for (int k : count)
            CHECK(std::abs(k - 2000) < 200); // 20000 draws, sd about 42
        std::int32_t one = -1;
        attn::random_pointers(1, 9, &one);
        CHECK(one == 0);
    }

    TEST_CASE("soft sharpness: errors appear and grow with the number of hops (mean over 60 pointer arrays)")
    {
        attn::PointerChaseTrials t;
        t.chase.n = 32;
        t.chase.layers = 6;
        t.chase.sharpness = 3.0f;
        t.trials = 60;
        t.seed = 11;
        std::vector<float> mean(6), se(6);
        attn::Workspace workspace;
        REQUIRE(attn::pointer_chase_accuracy(t, workspace, mean.data(), se.data()) == "");
        MESSAGE("sharpness 3, one-hot, n 32, accuracy at hops 1-6: " << mean[0] << " " << mean[1] << " "
                << mean[2] << " " << mean[3] << " " << mean[4] << " " << mean[5]);
        CHECK(mean[0] > 0.95f);
        CHECK(mean[5] < 0.5f);
        for (std::size_t l = 0; l + 1 < 6; ++l)
            CHECK(mean[l + 1] <= mean[l] + 0.01f);
        // the same chase with sharp attention is exact at every hop
        t.chase.sharpness = 100.0f;
        REQUIRE(attn::pointer_chase_accuracy(t, workspace, mean.data(), se.data()) == "");
        for (std::size_t l = 0; l < 6; ++l) {
            CHECK(mean[l] == 1.0f);
            CHECK(se[l] == 0.0f);
        }
    }

    TEST_CASE("crowded codes (dim < n): errors appear and grow with the number of hops (mean over 60 arrays)")
    {
        attn::PointerChaseTrials t;
        t.chase.n = 32;
        t.chase.layers = 6;
        t.chase.sharpness = 10.0f;
        t.trials = 60;
        t.seed = 21;
        std::vector<float> crowded(6), roomy(6), se(6);
        attn::Workspace workspace;
        t.chase.dim = 8;
        REQUIRE(attn::pointer_chase_accuracy(t, workspace, crowded.data(), se.data()) == "");
        t.chase.dim = 0;
        REQUIRE(attn::pointer_chase_accuracy(t, workspace, roomy.data(), nullptr) == "");
        MESSAGE("sharpness 10, n 32, dim 8, accuracy at hops 1-6: " << crowded[0] << " " << crowded[1] << " "
                << crowded[2] << " " << crowded[3] << " " << crowded[4] << " " << crowded[5]);
        for (std::size_t l = 0; l < 6; ++l)
            CHECK(roomy[l] == 1.0f);
        CHECK(crowded[5] < 0.97f);
        CHECK(crowded[5] < crowded[0] - 0.02f);
        for (std::size_t l = 0; l + 1 < 6; ++l)
            CHECK(crowded[l + 1] <= crowded[l] + 0.005f);
    }

    TEST_CASE("pointer_chase_accuracy: trial t is the chase of random_pointers(n, seed + t)")
    {
        attn::PointerChaseTrials t;
        t.chase.n = 10;
        t.chase.layers = 3;
        t.chase.sharpness = 2.5f;
        t.chase.dim = 4;
        t.trials = 5;
        t.seed = 40;
        std::vector<float> mean(3), se(3);
        attn::Workspace workspace;
        REQUIRE(attn::pointer_chase_accuracy(t, workspace, mean.data(), se.data()) == "");
        std::vector<double> sum(3, 0.0), sum2(3, 0.0);
        for (std::uint64_t trial = 0; trial < 5; ++trial) {
            std::vector<std::int32_t> p(10);
            attn::random_pointers(10, 40 + trial, p.data());
            const Chased r = run(p, 3, 2.5f, 4, 0, 40 + trial);
            REQUIRE(r.error == "");
            for (std::size_t l = 0; l < 3; ++l) {
                sum[l] += r.accuracy[l];
                sum2[l] += double(r.accuracy[l]) * r.accuracy[l];
            }
        }
        for (std::size_t l = 0; l < 3; ++l) {
            const double m = sum[l] / 5;
            CHECK(mean[l] == doctest::Approx(m).epsilon(1e-6));
            CHECK(se[l] == doctest::Approx(std::sqrt(std::max(0.0, sum2[l] - 5 * m * m) / 4 / 5)).epsilon(1e-5).scale(1e-6));
        }
    }

    TEST_CASE("check_pointer_chase names the bad argument")
    {
        const std::vector<std::int32_t> p = {1, 2, 0};
        attn::PointerChase c;
        c.n = 3;
        CHECK(attn::check_pointer_chase(c, p.data()) == "");
        auto message = [&](attn::PointerChase bad, const std::vector<std::int32_t>& ptr) {
            return attn::check_pointer_chase(bad, ptr.data());
        };
        attn::PointerChase bad = c;
        bad.n = 0;
        CHECK(message(bad, p).find("pointers must hold") == 0);
        bad.n = 1025;
        CHECK(message(bad, std::vector<std::int32_t>(1025, 0)).find("pointers must hold") == 0);
        CHECK(message(c, {1, 3, 0}) == "pointers[1] must be a position from 0 to 2, got 3");
        CHECK(message(c, {1, 2, -1}).find("pointers[2]") == 0);
        bad = c;
        bad.layers = 0;
        CHECK(message(bad, p).find("layers") == 0);
        bad.layers = 65;
        CHECK(message(bad, p).find("layers") == 0);
        bad = c;
        bad.hops = 65;
        CHECK(message(bad, p).find("hops") == 0);
        bad = c;
        bad.dim = 1025;
        CHECK(message(bad, p).find("dim") == 0);
        for (float s : {0.0f, -1.0f, INFINITY, NAN}) {
            bad = c;
            bad.sharpness = s;
            CHECK(message(bad, p).find("sharpness") == 0);
        }
        bad = c;
        bad.n = 1024;
        CHECK(message(bad, std::vector<std::int32_t>(1024, 0)).find("layers * n^2") == 0); // 2^30 with one-hot codes
        bad.dim = 256;
        CHECK(message(bad, std::vector<std::int32_t>(1024, 0)) == ""); // 2^28
        bad.layers = 2;
        CHECK(message(bad, std::vector<std::int32_t>(1024, 0)).find("layers * n^2") == 0);

        attn::PointerChaseTrials t;
        t.chase = c;
        CHECK(attn::check_pointer_chase_trials(t) == "");
        t.trials = 0;
        CHECK(attn::check_pointer_chase_trials(t).find("trials") == 0);
        t.trials = 10001;
        CHECK(attn::check_pointer_chase_trials(t).find("trials") == 0);
        t.trials = 2;
        t.chase.n = 512; // one trial would be 2^27
        CHECK(attn::check_pointer_chase_trials(t) == "");
        t.trials = 3;
        CHECK(attn::check_pointer_chase_trials(t).find("trials * layers") == 0);
        // the chase itself refuses what the check refuses, and writes nothing
        std::vector<std::int32_t> positions(3, -7);
        attn::PointerChaseOutputs out;
        out.positions = positions.data();
        attn::Workspace workspace;
        CHECK(attn::pointer_chase(c, std::vector<std::int32_t>{0, 5, 1}.data(), workspace, out).find("pointers[1]") == 0);
        CHECK(positions == std::vector<std::int32_t>(3, -7));
    }
}
