#include <doctest/doctest.h>

#include <cfloat>
#include <cmath>
#include <string>
#include <vector>

#include "attention.hpp"
#include "reference.hpp"

using attn::AttentionOptions;
using attn::AttentionShape;
using attn::Mask;
using attn::Scaling;

namespace {

struct Case {
    AttentionShape shape;
    AttentionOptions options;
};

std::string name_of(const Case& c)
{
    return "nq=" + std::to_string(c.shape.nq) + " nk=" + std::to_string(c.shape.nk) +
           " dk=" + std::to_string(c.shape.dk) + " dv=" + std::to_string(c.shape.dv) +
           " scaling=" + std::to_string(int(c.options.scaling)) +
           " mask=" + std::to_string(int(c.options.mask)) +
           " window=" + std::to_string(c.options.window) +
           " T=" + std::to_string(c.options.temperature);
}

// Checks both kernels against the float64 reference: outputs within 1e-5 * max|v| (plus
// a float32 rounding allowance), weights within 1e-5, rows summing to 1 or all zero.
void check_case(const Case& c, std::uint64_t seed, float input_scale = 1.0f)
{
    const auto& s = c.shape;
    const auto q = reference::normals(s.nq * s.dk, seed, input_scale);
    const auto k = reference::normals(s.nk * s.dk, seed + 1, input_scale);
    const auto v = reference::normals(s.nk * s.dv, seed + 2);
    const auto ref = reference::attention(q, k, v, s, c.options);
    const double tol = 1e-5 * std::max(1.0, reference::max_abs(v));

    attn::Workspace ws;
    std::vector<float> weights(s.nq * s.nk, -1.0f), out(s.nq * s.dv, NAN), fused(s.nq * s.dv, NAN);
    std::vector<float> logits(s.nq * s.nk);
    REQUIRE(attn::attention_with_weights(q.data(), k.data(), v.data(), s, c.options, ws,
                                         weights.data(), out.data(), logits.data()) == "");
    REQUIRE(attn::attention_fused(q.data(), k.data(), v.data(), s, c.options, ws, fused.data()) == "");

    for (std::size_t i = 0; i < s.nq; ++i) {
        double row_sum = 0;
        for (std::size_t j = 0; j < s.nk; ++j) {
            const float w = weights[i * s.nk + j];
            REQUIRE(std::isfinite(w));
            CHECK(std::fabs(w - ref.weights[i * s.nk + j]) <= 1e-5);
            CHECK(std::isinf(logits[i * s.nk + j]) == !reference::visible(c.options, i, j));
            row_sum += w;
        }
        const bool any_visible = attn::visible_keys(c.options, i, s.nk).begin <
                                 attn::visible_keys(c.options, i, s.nk).end;
        CHECK(std::fabs(row_sum - (any_visible ? 1.0 : 0.0)) <= 1e-5);
        for (std::size_t d = 0; d < s.dv; ++d) {
            const double want = ref.output[i * s.dv + d];
            REQUIRE(std::isfinite(out[i * s.dv + d]));
            REQUIRE(std::isfinite(fused[i * s.dv + d]));
            CHECK(std::fabs(out[i * s.dv + d] - want) <= tol);
            CHECK(std::fabs(fused[i * s.dv + d] - want) <= tol);
        }
    }
}

std::vector<Case> all_cases()
{
    std::vector<Case> cases;
    const AttentionShape shapes[] = {
        {1, 1, 1, 1},   {1, 5, 3, 2},    {3, 1, 7, 5},    {7, 7, 1, 9},   {13, 11, 5, 3},
        {65, 70, 17, 6}, {64, 64, 64, 64}, {130, 129, 12, 13}, {5, 200, 33, 1}, {200, 5, 4, 8}, {3, 5, 2, 1024},
    };
    const Scaling scalings[] = {Scaling::inv_sqrt_dk, Scaling::none, Scaling::l2_keys};
    for (const auto& shape : shapes)
        for (Scaling scaling : scalings) {
            const Mask masks[] = {Mask::none, Mask::causal, Mask::local};
            for (Mask mask : masks) {
                Case c{shape, {}};
                c.options.scaling = scaling;
                c.options.mask = mask;
                c.options.window = mask == Mask::local ? (shape.nq % 4) : 0;
                c.options.temperature = 0.5f + float(shape.dk % 3);
                cases.push_back(c);
            }
        }
    return cases;
}

} // namespace

TEST_SUITE("attention")
{
    TEST_CASE("both kernels match the float64 reference for every mask, scaling and odd shape")
    {
        std::uint64_t seed = 100;
        for (const Case& c : all_cases()) {
            CAPTURE(name_of(c));
            check_case(c, seed += 3);
        }
    }

    TEST_CASE("logits of 1e4 neither overflow nor produce NaN")
    {
        for (Mask mask : {Mask::none, Mask::causal, Mask::local}) {
            Case c{{9, 13, 6, 5}, {}};
            c.options.scaling = Scaling::none;
            c.options.mask = mask;
            c.options.window = 2;
            CAPTURE(name_of(c));
            check_case(c, 7, 45.0f); // |q.k| ~ 45^2 * sqrt(6) ~ 5e3 .. 2e4
        }
    }

    TEST_CASE("overflowing dot products saturate instead of turning into NaN")
    {
        const AttentionShape s{2, 3, 2, 1};
        const std::vector<float> q = {1e30f, 1e30f, -1e30f, 1e30f};
        const std::vector<float> k = {1e30f, 1e30f, 1e30f, -1e30f, 0.0f, 0.0f};
        const std::vector<float> v = {1.0f, 2.0f, 3.0f};
        AttentionOptions o;
        o.scaling = Scaling::none;
        attn::Workspace ws;
        std::vector<float> w(6), out(2), fused(2);
        REQUIRE(attn::attention_with_weights(q.data(), k.data(), v.data(), s, o, ws, w.data(), out.data()) == "");
        REQUIRE(attn::attention_fused(q.data(), k.data(), v.data(), s, o, ws, fused.data()) == "");
        for (float x : w)
            CHECK(std::isfinite(x));
        CHECK(w[0] == doctest::Approx(1.0f)); // q0 . k0 = +inf, saturated to FLT_MAX: wins
        CHECK(std::isfinite(out[1]));
        CHECK(out[0] == doctest::Approx(1.0f));
        CHECK(fused[0] == doctest::Approx(out[0]));
        CHECK(fused[1] == doctest::Approx(out[1]));
    }

    TEST_CASE("a query that sees no key gets zero weights and a zero output")
    {
        const AttentionShape s{6, 2, 3, 4};
        AttentionOptions o;
        o.mask = Mask::local;
        o.window = 1; // queries 3, 4, 5 are more than 1 away from keys 0 and 1
        const auto q = reference::normals(18, 1), k = reference::normals(6, 2), v = reference::normals(8, 3);
        attn::Workspace ws;
        std::vector<float> w(12, 9.0f), out(24, 9.0f), fused(24, 9.0f);
        REQUIRE(attn::attention_with_weights(q.data(), k.data(), v.data(), s, o, ws, w.data(), out.data()) == "");
        REQUIRE(attn::attention_fused(q.data(), k.data(), v.data(), s, o, ws, fused.data()) == "");
        for (std::size_t i = 3; i < 6; ++i) {
            for (std::size_t j = 0; j < 2; ++j)
                CHECK(w[i * 2 + j] == 0.0f);
            for (std::size_t d = 0; d < 4; ++d) {
                CHECK(out[i * 4 + d] == 0.0f);
                CHECK(fused[i * 4 + d] == 0.0f);
            }
        }
        CHECK(w[0] + w[1] == doctest::Approx(1.0f));
    }

    TEST_CASE("the fused kernel agrees with the materialised one on long sequences")
    {
        const AttentionShape s{300, 517, 64, 64};
        const auto q = reference::normals(s.nq * s.dk, 11), k = reference::normals(s.nk * s.dk, 12),
                   v = reference::normals(s.nk * s.dv, 13);
        for (Mask mask : {Mask::none, Mask::causal, Mask::local}) {
            AttentionOptions o;
            o.mask = mask;
            o.window = 70;
            attn::Workspace ws;
            std::vector<float> w(s.nq * s.nk), out(s.nq * s.dv), fused(s.nq * s.dv);
            REQUIRE(attn::attention_with_weights(q.data(), k.data(), v.data(), s, o, ws, w.data(), out.data()) == "");
            REQUIRE(attn::attention_fused(q.data(), k.data(), v.data(), s, o, ws, fused.data()) == "");
            double diff = 0, size = 0;
            for (std::size_t i = 0; i < out.size(); ++i) {
                diff = std::max(diff, double(std::fabs(out[i] - fused[i])));
                size = std::max(size, double(std::fabs(out[i])));
            }
            CHECK(diff <= 1e-5 * size); // relative to the output's largest entry
        }
    }

    TEST_CASE("the fused kernel's scratch does not grow with the sequence length")
    {
        attn::Workspace small_ws, large_ws;
        std::vector<float> out;
        for (auto* pair : {&small_ws, &large_ws}) {
            const std::size_t n = pair == &small_ws ? 128 : 1024;
            const AttentionShape s{n, n, 64, 64};
            const auto q = reference::normals(n * 64, 1), k = reference::normals(n * 64, 2),
                       v = reference::normals(n * 64, 3);
            out.assign(n * 64, 0.0f);
            pair->begin_call();
            REQUIRE(attn::attention_fused(q.data(), k.data(), v.data(), s, {}, *pair, out.data()) == "");
        }
        CHECK(small_ws.bytes_used() == large_ws.bytes_used());
        CHECK(large_ws.bytes_used() < 128 * 1024);
    }

    TEST_CASE("the xtensor front door returns the same as the raw kernels")
    {
        xt::xtensor<float, 2> q = {{1.0f, 0.0f}, {0.0f, 1.0f}, {1.0f, 1.0f}};
        xt::xtensor<float, 2> k = {{1.0f, 0.0f}, {0.0f, 2.0f}};
        xt::xtensor<float, 2> v = {{1.0f}, {3.0f}};
        const auto r = attn::attention(q, k, v);
        const auto fused = attn::attention_output(q, k, v);
        const double e = std::exp(1.0 / std::sqrt(2.0));
        CHECK(r.weights(0, 0) == doctest::Approx(e / (e + 1.0)));
        CHECK(r.output(0, 0) == doctest::Approx((e + 3.0) / (e + 1.0)));
        for (std::size_t i = 0; i < 3; ++i)
            CHECK(fused(i, 0) == doctest::Approx(r.output(i, 0)).epsilon(1e-6));
    }

    TEST_CASE("check_attention names the bad argument")
    {
        CHECK(attn::check_attention({0, 1, 1, 1}, {}).find("nq") == 0);
        CHECK(attn::check_attention({1, 0, 1, 1}, {}).find("nk") == 0);
        CHECK(attn::check_attention({1, 1, 0, 1}, {}).find("dk") == 0);
        CHECK(attn::check_attention({1, 1, 1, 0}, {}).find("dv") == 0);
        AttentionOptions o;
        o.temperature = 0.0f;
        CHECK(attn::check_attention({1, 1, 1, 1}, o).find("temperature") == 0);
        o.temperature = INFINITY;
        CHECK(attn::check_attention({1, 1, 1, 1}, o).find("temperature") == 0);
        CHECK(attn::check_attention({1, 1, 1, 1}, {}).empty());
    }
}
