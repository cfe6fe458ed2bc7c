// The entry points the JS API calls: every argument checked before memory is touched,
// every failure a message, the shared workspace bounded between calls.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "entry_points.hpp"
#include "reference.hpp"
#include "statistics.hpp"

namespace entry = attn::entry;

namespace {
// The normal call every test ends with: q [1, 0], keys [1, 0], [0, 1], values 10, 20.
void check_still_exact()
{
    const float q[] = {1, 0}, k[] = {1, 0, 0, 1}, v[] = {10, 20};
    float out = 0, w[2] = {};
    REQUIRE(entry::attention(q, k, v, 1, 1, 2, 2, 1, 1, 1.0f, 0, 0, w, nullptr, &out) == "");
    const double e = std::exp(1.0);
    CHECK(out == doctest::Approx((10 * e + 20) / (e + 1)).epsilon(1e-6));
}
} // namespace

TEST_SUITE("entry points")
{
    TEST_CASE("the issue's dv = 2^23 call is computed exactly, then a normal call is exact")
    {
        const std::size_t dv = std::size_t(1) << 23;
        std::vector<float> v(dv, 3.0f), out(dv, 0.0f);
        const float q[] = {1}, k[] = {1};
        REQUIRE(entry::attention(q, k, v.data(), 1, 1, 1, 1, dv, 0, 1.0f, 0, 0, nullptr, nullptr, out.data()) == "");
        CHECK(out[dv / 2] == 3.0f);
        CHECK(entry::retained_scratch_bytes() <= attn::Workspace::retain_bytes);
        check_still_exact();
    }

    TEST_CASE("a huge call's scratch is given back; small calls keep theirs")
    {
        const std::size_t dk = std::size_t(1) << 22; // the packed key tile alone is 2 x dk floats: 32 MiB
        std::vector<float> q(dk, 0.0f), k(2 * dk, 0.0f);
        const float v[] = {1, 2};
        float out = 0, w[2];
        REQUIRE(entry::attention(q.data(), k.data(), v, 1, 1, 2, dk, 1, 0, 1.0f, 0, 0, w, nullptr, &out) == "");
        CHECK(entry::last_scratch_bytes() >= 2 * dk * sizeof(float));
        CHECK(entry::retained_scratch_bytes() == 0);
        CHECK(out == doctest::Approx(1.5));
        check_still_exact();
        const std::size_t small = entry::retained_scratch_bytes();
        CHECK(small > 0);
        const std::size_t allocations = entry::workspace().allocations();
        check_still_exact();
        CHECK(entry::workspace().allocations() == allocations);
        CHECK(entry::retained_scratch_bytes() == small);
    }

    TEST_CASE("bad arguments are messages naming them, and the next call is exact")
    {
        const float one[] = {1};
        float out[4] = {};
        auto call = [&](std::size_t heads, std::size_t nq, std::size_t nk, std::size_t dk, std::size_t dv, int scaling,
                        float t, int mask) {
            return entry::attention(one, one, one, heads, nq, nk, dk, dv, scaling, t, mask, 0, nullptr, nullptr, out);
        };
        CHECK(call(0, 1, 1, 1, 1, 0, 1.0f, 0).find("heads") == 0);
        CHECK(call(1, 0, 1, 1, 1, 0, 1.0f, 0).find("nq") == 0);
        CHECK(call(1, 1, 1, 1, 1, 3, 1.0f, 0).find("scaling") == 0);
        CHECK(call(1, 1, 1, 1, 1, -1, 1.0f, 0).find("scaling") == 0);
        CHECK(call(1, 1, 1, 1, 1, 0, 1.0f, 7).find("mask") == 0);
        CHECK(call(1, 1, 1, 1, 1, 0, 0.0f, 0).find("temperature") == 0);
        CHECK(call(1, 1, 1, 1, 1, 0, INFINITY, 0).find("temperature") == 0);
        CHECK(call(1, 1, 1, 1, 1, 0, NAN, 0).find("temperature") == 0);
        CHECK(call(1, 1 << 20, 1, 1, 1 << 12, 0, 1.0f, 0).find("output: nq x dv") == 0);
        CHECK(call(std::size_t(1) << 31, 1 << 20, 1, 1, 1, 0, 1.0f, 0).find("q: heads x nq x dk") == 0);
        CHECK(call(std::size_t(1) << 16, 1 << 16, 1, 1, 1, 0, 1.0f, 0).find("q: heads x nq x dk") == 0);
        const float nan_q[] = {NAN};
        CHECK(entry::attention(nan_q, one, one, 1, 1, 1, 1, 1, 0, 1.0f, 0, 0, nullptr, nullptr, out) ==
              "q[0] must be a finite number, got nan");
        check_still_exact();
    }

    TEST_CASE("the scaling experiment's sizes are bounded before anything is allocated")
    {
        float out[4 + 2 * 16];
        CHECK(entry::scaling_experiment(1, std::size_t(1) << 26, std::size_t(1) << 26, 1, 1, out).find("keys must be at most") == 0);
        CHECK(entry::scaling_experiment(std::size_t(1) << 29, 2, 2, 1, 1, out).find("samples x dk") == 0);
        CHECK(entry::scaling_experiment(4, 100, 16, -1, 1, out).find("seed") == 0);
        CHECK(entry::scaling_experiment(4, 100, 16, 0.5, 1, out).find("seed") == 0);
        CHECK(entry::scaling_experiment(4, 100, 16, 1e300, 1, out).find("seed") == 0);
        CHECK(entry::scaling_experiment(4, 100, 16, NAN, 1, out).find("seed") == 0);
        CHECK(entry::scaling_experiment(4, 100, 16, 1, 5, out).find("scaling") == 0);
        REQUIRE(entry::scaling_experiment(4, 100, 16, 9007199254740991.0, 1, out) == "");
        double total = 0;
        for (int j = 0; j < 16; ++j)
            total += out[4 + 16 + j];
        CHECK(total == doctest::Approx(1.0));
        check_still_exact();
    }

    TEST_CASE("statistics refuse rows that are not distributions, and heads = 0")
    {
        float out[4];
        const float good[] = {0.25f, 0.75f, 0, 0};
        REQUIRE(entry::row_statistic("effectiveTokens", good, 1, 2, 2, out) == "");
        CHECK(out[0] == doctest::Approx(std::exp(-(0.25 * std::log(0.25) + 0.75 * std::log(0.75)))));
        CHECK(out[1] == 0.0f); // a query that saw no key attends to nothing
        const float negative[] = {1.5f, -0.5f};
        CHECK(entry::row_statistic("entropy", negative, 1, 1, 2, out) ==
              "weights[1] = -0.5 is not a probability: weights must be >= 0 (finite)");
        const float unnormalised[] = {0.5f, 0.5f, 0.5f, 0.6f};
        CHECK(entry::row_statistic("maxWeight", unnormalised, 1, 2, 2, out).find("weights: row 1 sums to 1.1") == 0);
        const float almost[] = {0.333f, 0.333f, 0.333f}; // three decimals: within the tolerance
        CHECK(entry::row_statistic("entropy", almost, 1, 1, 3, out) == "");
        CHECK(entry::row_statistic("mixtureEntropy", good, 0, 2, 2, out) == "heads must be a positive integer");
        const float mixed[] = {1, 0, 0, 0}; // row 0 zero in head 1 only
        CHECK(entry::row_statistic("mixtureEntropy", mixed, 2, 1, 2, out).find("weights: row 0 is all zeros in some heads") == 0);
        CHECK(entry::row_statistic("median", good, 1, 2, 2, out) == "unknown statistic median");
        double variance = -1;
        const float values[] = {1, 2, 3, 4};
        REQUIRE(entry::variance(values, 4, &variance) == "");
        CHECK(variance == 1.25);
        CHECK(entry::variance(values, 0, &variance).find("values") == 0);
        CHECK(entry::random_normal(1, 0, out).find("count") == 0);
        CHECK(entry::random_normal(-1, 1, out).find("seed") == 0);
        check_still_exact();
    }
}
