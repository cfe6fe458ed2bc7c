// The attention backward pass (src/training/attention_grad.hpp): dq, dk, dv of
// L = sum(output . G) + lambda sum_i H(P[i]) against central finite differences in double,
// for every scaling, mask, temperature, with and without dropout and the entropy
// penalty; the float build against the double one; the training forward against the
// lab's attention kernel; and the edge cases (zero keys, queries that see nothing,
// extreme temperatures).
#include <doctest/doctest.h>

#include <cfloat>
#include <cmath>
#include <string>
#include <vector>

#include "attention.hpp"
#include "gradient_check.hpp"
#include "reference.hpp"
#include "training/attention_dropout.hpp"
#include "training/attention_grad.hpp"

using attn::AttentionOptions;
using attn::AttentionShape;
using attn::Mask;
using attn::Scaling;
using namespace attn::training;
namespace gc = gradient_check;

namespace {

struct Problem {
    AttentionShape shape;
    AttentionOptions options;
    std::vector<double> q, k, v, g;
    std::vector<float> mask; // empty: no dropout
    double lambda = 0.0;

    const float* mask_or_null() const { return mask.empty() ? nullptr : mask.data(); }

    /// L = sum(O . G) + lambda sum_i H(P_i), in double.
    double loss() const
    {
        std::vector<double> p(shape.nq * shape.nk), o(shape.nq * shape.dv);
        attention_forward(q.data(), k.data(), v.data(), shape, options, mask_or_null(), p.data(), o.data());
        double total = 0.0;
        for (std::size_t i = 0; i < o.size(); ++i)
            total += o[i] * g[i];
        for (std::size_t i = 0; i < shape.nq; ++i)
            total += lambda * entropy_of(p.data() + i * shape.nk, shape.nk);
        return total;
    }

    struct Grads {
        std::vector<double> q, k, v;
    };
    Grads analytic() const
    {
        std::vector<double> p(shape.nq * shape.nk), o(shape.nq * shape.dv);
        attention_forward(q.data(), k.data(), v.data(), shape, options, mask_or_null(), p.data(), o.data());
        Grads d{std::vector<double>(q.size()), std::vector<double>(k.size()), std::vector<double>(v.size())};
        attention_backward(q.data(), k.data(), v.data(), shape, options, mask_or_null(), p.data(), g.data(),
                           lambda, d.q.data(), d.k.data(), d.v.data());
        return d;
    }
};

Problem make_problem(AttentionShape s, AttentionOptions o, std::uint64_t seed, double dropout, double lambda)
{
    Problem pr{s, o, gc::normals(s.nq * s.dk, seed), gc::normals(s.nk * s.dk, seed + 1),
               gc::normals(s.nk * s.dv, seed + 2), gc::normals(s.nq * s.dv, seed + 3), {}, lambda};
    if (dropout > 0.0) {
        pr.mask.resize(s.nq * s.nk);
        attn::Random random(seed + 4);
        draw_dropout_mask(random, float(dropout), pr.mask.size(), pr.mask.data());
    }
    return pr;
}

void check_against_finite_differences(Problem pr)
{
    const auto d = pr.analytic();
    const auto f = [&] { return pr.loss(); };
    gc::expect_close(d.q, gc::numeric(pr.q, f), 1e-7, "dq");
    gc::expect_close(d.k, gc::numeric(pr.k, f), 1e-7, "dk");
    gc::expect_close(d.v, gc::numeric(pr.v, f), 1e-7, "dv");
}

std::string describe(const Problem& p, double dropout)
{
    return "nq=" + std::to_string(p.shape.nq) + " nk=" + std::to_string(p.shape.nk) +
           " dk=" + std::to_string(p.shape.dk) + " dv=" + std::to_string(p.shape.dv) +
           " scaling=" + std::to_string(int(p.options.scaling)) + " mask=" + std::to_string(int(p.options.mask)) +
           " window=" + std::to_string(p.options.window) + " T=" + std::to_string(p.options.temperature) +
           " dropout=" + std::to_string(dropout) + " lambda=" + std::to_string(p.lambda);
}

} // namespace

TEST_SUITE("attention backward")
{
    TEST_CASE("dq, dk, dv match finite differences: every scaling, mask, temperature, dropout, entropy penalty")
    {
        const AttentionShape shapes[] = {{1, 1, 1, 1}, {3, 4, 3, 2}, {5, 5, 4, 3}, {4, 7, 2, 5}};
        std::uint64_t seed = 10;
        int checked = 0;
        for (const auto& s : shapes)
            for (Scaling scaling : {Scaling::inv_sqrt_dk, Scaling::none, Scaling::l2_keys})
                for (Mask mask : {Mask::none, Mask::causal, Mask::local})
                    for (float temperature : {1.0f, 0.4f, 3.0f})
                        for (double dropout : {0.0, 0.4})
                            for (double lambda : {0.0, 0.7}) {
                                AttentionOptions o;
                                o.scaling = scaling;
                                o.mask = mask;
                                o.window = 1;
                                o.temperature = temperature;
                                const Problem p = make_problem(s, o, seed += 5, dropout, lambda);
                                CAPTURE(describe(p, dropout));
                                check_against_finite_differences(p);
                                ++checked;
                            }
        CHECK(checked == 4 * 3 * 3 * 3 * 2 * 2);
    }

    TEST_CASE("the entropy penalty alone: its gradient, and a step along it lowers the entropy")
    {
        AttentionOptions o;
        Problem p = make_problem({2, 6, 3, 2}, o, 99, 0.0, 1.0);
        std::fill(p.g.begin(), p.g.end(), 0.0); // L = sum_i H(P_i) only
        check_against_finite_differences(p);
        const double before = p.loss();
        const auto d = p.analytic();
        for (std::size_t e = 0; e < p.q.size(); ++e)
            p.q[e] -= 0.05 * d.q[e];
        for (std::size_t e = 0; e < p.k.size(); ++e)
            p.k[e] -= 0.05 * d.k[e];
        CHECK(p.loss() < before);
        CHECK(gc::any_nonzero(d.q));
    }

    TEST_CASE("float gradients agree with the double ones to float rounding")
    {
        for (Scaling scaling : {Scaling::inv_sqrt_dk, Scaling::l2_keys}) {
            AttentionOptions o;
            o.scaling = scaling;
            o.mask = Mask::causal;
            o.temperature = 0.7f;
            const Problem p = make_problem({17, 23, 8, 6}, o, 7, 0.25, 0.3);
            const auto d = p.analytic();
            const auto to_float = [](const std::vector<double>& x) { return std::vector<float>(x.begin(), x.end()); };
            // The double run on exactly the float inputs, so only the arithmetic differs.
            Problem rounded = p;
            for (auto* x : {&rounded.q, &rounded.k, &rounded.v, &rounded.g})
                for (double& e : *x)
                    e = double(float(e));
            const auto want = rounded.analytic();
            const auto q = to_float(p.q), k = to_float(p.k), v = to_float(p.v), g = to_float(p.g);
            std::vector<float> probs(17 * 23), out(17 * 6), dq(q.size()), dk(k.size()), dv(v.size());
            attention_forward(q.data(), k.data(), v.data(), p.shape, o, p.mask.data(), probs.data(), out.data());
            attention_backward(q.data(), k.data(), v.data(), p.shape, o, p.mask.data(), probs.data(), g.data(),
                               0.3f, dq.data(), dk.data(), dv.data());
            const auto compare = [](const std::vector<float>& got, const std::vector<double>& ref, const char* what) {
                double scale = 0.0, worst = 0.0;
                for (std::size_t e = 0; e < ref.size(); ++e) {
                    scale = std::max(scale, std::fabs(ref[e]));
                    worst = std::max(worst, std::fabs(double(got[e]) - ref[e]));
                }
                CAPTURE(what);
                CHECK(worst <= 2e-6 * scale);
            };
            compare(dq, want.q, "dq");
            compare(dk, want.k, "dk");
            compare(dv, want.v, "dv");
            (void)d;
        }
    }

    TEST_CASE("the training forward gives the lab's attention weights and output")
    {
        for (Scaling scaling : {Scaling::inv_sqrt_dk, Scaling::none, Scaling::l2_keys})
            for (Mask mask : {Mask::none, Mask::causal, Mask::local}) {
                const AttentionShape s{13, 11, 5, 3};
                AttentionOptions o;
                o.scaling = scaling;
                o.mask = mask;
                o.window = 2;
                o.temperature = 0.8f;
                const auto q = reference::normals(s.nq * s.dk, 1), k = reference::normals(s.nk * s.dk, 2),
                           v = reference::normals(s.nk * s.dv, 3);
                std::vector<float> p(s.nq * s.nk), o1(s.nq * s.dv), w(s.nq * s.nk), o2(s.nq * s.dv);
                attention_forward(q.data(), k.data(), v.data(), s, o, nullptr, p.data(), o1.data());
                attn::Workspace ws;
                REQUIRE(attn::attention_with_weights(q.data(), k.data(), v.data(), s, o, ws, w.data(), o2.data()) == "");
                for (std::size_t e = 0; e < w.size(); ++e)
                    CHECK(std::fabs(p[e] - w[e]) <= 1e-6);
                for (std::size_t e = 0; e < o1.size(); ++e)
                    CHECK(std::fabs(o1[e] - o2[e]) <= 1e-5);
            }
    }

    TEST_CASE("a zero key under l2 scaling gets a zero gradient, and the others are still exact")
    {
        AttentionOptions o;
        o.scaling = Scaling::l2_keys;
        Problem p = make_problem({3, 4, 3, 2}, o, 21, 0.0, 0.2);
        for (std::size_t d = 0; d < 3; ++d)
            p.k[1 * 3 + d] = 0.0;
        const auto grads = p.analytic();
        for (std::size_t d = 0; d < 3; ++d)
            CHECK(grads.k[1 * 3 + d] == 0.0);
        // Finite differences everywhere but at the kink of |k_1| = 0.
        gc::expect_close(grads.q, gc::numeric(p.q, [&] { return p.loss(); }), 1e-7, "dq");
        gc::expect_close(grads.v, gc::numeric(p.v, [&] { return p.loss(); }), 1e-7, "dv");
        std::vector<double> other(p.k.begin() + 6, p.k.end()); // keys 2 and 3
        const auto f = [&] {
            std::copy(other.begin(), other.end(), p.k.begin() + 6);
            return p.loss();
        };
        gc::expect_close(std::vector<double>(grads.k.begin() + 6, grads.k.end()), gc::numeric(other, f), 1e-7, "dk");
    }

    TEST_CASE("a query that sees no key contributes nothing")
    {
        AttentionOptions o;
        o.mask = Mask::local;
        o.window = 0;
        Problem p = make_problem({5, 2, 3, 2}, o, 31, 0.0, 0.5); // queries 2..4 see no key
        const auto d = p.analytic();
        for (std::size_t i = 2; i < 5; ++i)
            for (std::size_t c = 0; c < 3; ++c)
                CHECK(d.q[i * 3 + c] == 0.0);
        check_against_finite_differences(p);
    }

    TEST_CASE("extreme temperatures and huge inputs give finite gradients")
    {
        for (float temperature : {1e-30f, 1e-45f, 1e30f}) {
            const AttentionShape s{3, 4, 2, 2};
            AttentionOptions o;
            o.temperature = temperature;
            const auto q = reference::normals(6, 1, 1e18f), k = reference::normals(8, 2, 1e18f),
                       v = reference::normals(8, 3), g = reference::normals(6, 4);
            std::vector<float> p(12), out(6), dq(6), dk(8), dv(8);
            attention_forward(q.data(), k.data(), v.data(), s, o, nullptr, p.data(), out.data());
            attention_backward(q.data(), k.data(), v.data(), s, o, nullptr, p.data(), g.data(), 1.0f, dq.data(),
                               dk.data(), dv.data());
            CAPTURE(temperature);
            for (const auto* a : {&p, &out, &dq, &dk, &dv})
                for (float x : *a)
                    CHECK(std::isfinite(x));
        }
    }

    TEST_CASE("at a tiny temperature the forward is the argmax the core's attention gives, with the limit's gradients")
    {
        // Scores 1/sqrt(2) and 2/sqrt(2): both overflow float when divided by 1e-45, yet
        // the second key must win outright (weights [0, 1]), as in attn::attention; the
        // gradient of a hard argmax is 0 for q and k, and dv = p^T g.
        const AttentionShape s{1, 2, 2, 2};
        const std::vector<float> q{1, 1}, k{1, 0, 0, 2}, v{1, 2, 3, 4}, g{1, 1};
        for (float temperature : {1e-45f, 1e-38f, 1e-20f}) {
            AttentionOptions o;
            o.temperature = temperature;
            std::vector<float> p(2), out(2), dq(2), dk(4), dv(4), core_w(2), core_out(2);
            attn::Workspace ws;
            REQUIRE(attn::attention_with_weights(q.data(), k.data(), v.data(), s, o, ws, core_w.data(), core_out.data()) == "");
            attention_forward(q.data(), k.data(), v.data(), s, o, nullptr, p.data(), out.data());
            attention_backward(q.data(), k.data(), v.data(), s, o, nullptr, p.data(), g.data(), 0.0f, dq.data(),
                               dk.data(), dv.data());
            CAPTURE(temperature);
            CHECK(p == std::vector<float>{0, 1});
            CHECK(p == core_w);
            CHECK(out == core_out);
            CHECK(dq == std::vector<float>{0, 0});
            CHECK(dk == std::vector<float>{0, 0, 0, 0});
            CHECK(dv == std::vector<float>{0, 0, 1, 1});
        }
    }
}

TEST_SUITE("attention dropout")
{
    TEST_CASE("the mask zeroes about p of the entries and scales the rest by 1/(1-p)")
    {
        for (float p : {0.1f, 0.5f, 0.9f}) {
            const std::size_t n = 100000;
            std::vector<float> mask(n);
            attn::Random random(5);
            draw_dropout_mask(random, p, n, mask.data());
            std::size_t zeros = 0;
            for (float m : mask) {
                if (m == 0.0f)
                    ++zeros;
                else
                    CHECK(m == 1.0f / (1.0f - p));
            }
            // Binomial(n, p): 5 standard deviations.
            const double sd = std::sqrt(n * p * (1.0 - p));
            CHECK(std::fabs(double(zeros) - n * p) <= 5 * sd);
        }
    }

    TEST_CASE("p = 0 is the weights kernel exactly; a seed fixes the mask")
    {
        const AttentionShape s{6, 9, 4, 3};
        AttentionOptions o;
        o.mask = Mask::causal;
        const auto q = reference::normals(24, 1), k = reference::normals(36, 2), v = reference::normals(27, 3);
        attn::Workspace ws;
        std::vector<float> w0(54), o0(18), w1(54), o1(18), w2(54), o2(18), w3(54), o3(18);
        REQUIRE(attn::attention_with_weights(q.data(), k.data(), v.data(), s, o, ws, w0.data(), o0.data()) == "");
        attn::Random r0(1), r1(7), r2(7), r3(8);
        REQUIRE(attention_with_dropout(q.data(), k.data(), v.data(), s, o, 0.0f, r0, ws, w1.data(), o1.data(), nullptr) == "");
        CHECK(w1 == w0);
        CHECK(o1 == o0);
        REQUIRE(attention_with_dropout(q.data(), k.data(), v.data(), s, o, 0.5f, r1, ws, w2.data(), o2.data(), nullptr) == "");
        REQUIRE(attention_with_dropout(q.data(), k.data(), v.data(), s, o, 0.5f, r2, ws, w3.data(), o3.data(), nullptr) == "");
        CHECK(w2 == w3);
        CHECK(o2 == o3);
        attn::Random again(8);
        REQUIRE(attention_with_dropout(q.data(), k.data(), v.data(), s, o, 0.5f, again, ws, w3.data(), o3.data(), nullptr) == "");
        CHECK(w2 != w3);
        // Output = dropped weights x values; dropped weights are 0 or 2x the softmax's.
        for (std::size_t i = 0; i < 6; ++i)
            for (std::size_t j = 0; j < 9; ++j) {
                const float d = w2[i * 9 + j], w = w0[i * 9 + j];
                CHECK((d == 0.0f || d == w * 2.0f));
            }
        for (std::size_t i = 0; i < 6; ++i)
            for (std::size_t c = 0; c < 3; ++c) {
                double want = 0.0;
                for (std::size_t j = 0; j < 9; ++j)
                    want += double(w2[i * 9 + j]) * v[j * 3 + c];
                CHECK(o2[i * 3 + c] == doctest::Approx(want).epsilon(1e-5));
            }
        CHECK(attention_with_dropout(q.data(), k.data(), v.data(), s, o, 1.0f, r0, ws, w3.data(), o3.data(), nullptr) != "");
    }

    TEST_CASE("dropout leaves the expected output unchanged: the mean over many seeds")
    {
        const AttentionShape s{4, 6, 3, 2};
        const auto q = reference::normals(12, 11), k = reference::normals(18, 12), v = reference::normals(12, 13);
        AttentionOptions o;
        attn::Workspace ws;
        std::vector<float> w0(24), o0(8), w(24), out(8);
        REQUIRE(attn::attention_with_weights(q.data(), k.data(), v.data(), s, o, ws, w0.data(), o0.data()) == "");
        const int seeds = 20000;
        std::vector<double> sum(8, 0.0), sum2(8, 0.0);
        for (int seed = 0; seed < seeds; ++seed) {
            attn::Random random(std::uint64_t(seed) + 1000);
            REQUIRE(attention_with_dropout(q.data(), k.data(), v.data(), s, o, 0.3f, random, ws, w.data(), out.data(), nullptr) == "");
            for (std::size_t e = 0; e < 8; ++e) {
                sum[e] += out[e];
                sum2[e] += double(out[e]) * out[e];
            }
        }
        for (std::size_t e = 0; e < 8; ++e) {
            const double mean = sum[e] / seeds;
            const double sd = std::sqrt(std::max(0.0, sum2[e] / seeds - mean * mean));
            CAPTURE(e);
            CHECK(sd > 0.0); // dropout really varies the output
            CHECK(std::fabs(mean - o0[e]) <= 5.0 * sd / std::sqrt(double(seeds))); // 5 standard errors
        }
    }
}
