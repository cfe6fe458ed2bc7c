// Attention at the edges of float32 and of size_t: extreme temperatures, values near
// FLT_MAX, keys too small or too large to normalise in float, sizes that would wrap.
#include <doctest/doctest.h>

#include <cfloat>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "attention.hpp"
#include "kernels/softmax.hpp"
#include "reference.hpp"

using attn::AttentionOptions;
using attn::AttentionShape;
using attn::Mask;
using attn::Scaling;

namespace {

struct Outputs {
    std::vector<float> weights, output, fused, plain, plain_weights;
};

Outputs run_all(const std::vector<float>& q, const std::vector<float>& k, const std::vector<float>& v,
                const AttentionShape& s, const AttentionOptions& o)
{
    Outputs r{std::vector<float>(s.nq * s.nk, NAN), std::vector<float>(s.nq * s.dv, NAN),
              std::vector<float>(s.nq * s.dv, NAN), std::vector<float>(s.nq * s.dv, NAN),
              std::vector<float>(s.nq * s.nk, NAN)};
    attn::Workspace ws;
    REQUIRE(attn::attention_with_weights(q.data(), k.data(), v.data(), s, o, ws, r.weights.data(), r.output.data()) == "");
    REQUIRE(attn::attention_fused(q.data(), k.data(), v.data(), s, o, ws, r.fused.data()) == "");
    attn::attention_plain(q.data(), k.data(), v.data(), s, o, r.plain_weights.data(), r.plain.data());
    return r;
}

// Small integers: every score is exact in float, so ties are true ties and the limit
// T -> 0 is well defined; the float64 reference then holds at any temperature.
std::vector<float> small_integers(std::size_t count, std::uint64_t seed)
{
    attn::Random random(seed);
    std::vector<float> x(count);
    for (float& e : x)
        e = float(int(random.next_u32() % 7) - 3);
    return x;
}

constexpr float tiny_temperatures[] = {1.4e-45f, 1e-42f, 2.9e-39f, 1e-38f, 1e-30f, 1e-6f};

} // namespace

TEST_SUITE("attention limits")
{
    TEST_CASE("Temperature keeps a zero gap at 0 for every float temperature")
    {
        for (float t : {1.4e-45f, 1e-40f, 2.9e-39f, 3e-39f, 1e-38f, 1.0f, 1e30f, FLT_MAX}) {
            CAPTURE(t);
            const attn::Temperature temperature(t);
            CHECK(temperature.gap(0.0f) == 0.0f);
            CHECK(temperature.gap(-1.0f) <= 0.0f);
            CHECK(temperature.divides() == (t < 2.93e-39f));
            CHECK(std::isinf(temperature.gap(-FLT_MAX)) == (t < 1.0f));
        }
    }

    TEST_CASE("as T -> 0 the weights are the argmax, in both kernels and the plain loops")
    {
        const AttentionShape s{1, 2, 2, 1};
        const std::vector<float> q = {1, 0}, k = {1, 0, 0, 1}, v = {10, 20};
        for (float t : tiny_temperatures) {
            CAPTURE(t);
            AttentionOptions o;
            o.scaling = Scaling::none;
            o.temperature = t;
            const Outputs r = run_all(q, k, v, s, o);
            CHECK(r.weights[0] == 1.0f);
            CHECK(r.weights[1] == 0.0f);
            CHECK(r.output[0] == 10.0f);
            CHECK(r.fused[0] == 10.0f);
            CHECK(r.plain[0] == 10.0f);
        }
    }

    TEST_CASE("keys that tie for the largest score share the weight equally as T -> 0")
    {
        const AttentionShape s{1, 4, 2, 1};
        const std::vector<float> q = {1, 1}, k = {1, 0, 0, 1, 0, 0, 1, 1}, v = {10, 20, 30, 40};
        for (float t : {1.4e-45f, 1e-40f, 1e-20f}) {
            CAPTURE(t);
            AttentionOptions o;
            o.scaling = Scaling::none;
            o.temperature = t;
            const Outputs r = run_all(q, k, v, s, o);
            CHECK(r.weights[3] == 1.0f); // the one largest score, 2
            // keys 0 and 1 tie at 1 below it: weight 0 each
            CHECK(r.weights[0] == 0.0f);
        }
        const std::vector<float> k_tied = {1, 0, 0, 1, 0, 0, 0.5f, 0.5f};
        AttentionOptions o;
        o.scaling = Scaling::none;
        o.temperature = 1.4e-45f;
        const Outputs r = run_all(q, k_tied, v, s, o); // scores 1, 1, 0, 1
        for (std::size_t j : {0u, 1u, 3u})
            CHECK(r.weights[j] == doctest::Approx(1.0 / 3.0).epsilon(1e-6));
        CHECK(r.weights[2] == 0.0f);
        CHECK(r.output[0] == doctest::Approx(70.0 / 3.0).epsilon(1e-6));
        CHECK(r.fused[0] == doctest::Approx(70.0 / 3.0).epsilon(1e-6));
        CHECK(r.plain[0] == doctest::Approx(70.0 / 3.0).epsilon(1e-6));
    }

    TEST_CASE("huge temperatures give uniform weights")
    {
        const AttentionShape s{1, 3, 2, 1};
        const std::vector<float> q = {1e3f, -2e3f}, k = {1, 0, 0, 1, 5, 5}, v = {3, 6, 9};
        for (float t : {1e30f, FLT_MAX}) {
            AttentionOptions o;
            o.temperature = t;
            const Outputs r = run_all(q, k, v, s, o);
            for (float w : r.weights)
                CHECK(w == doctest::Approx(1.0 / 3.0));
            CHECK(r.fused[0] == doctest::Approx(6.0));
        }
    }

    TEST_CASE("exact scores: both kernels match the float64 reference at every temperature, every mask")
    {
        std::uint64_t seed = 40;
        for (const AttentionShape& s : {AttentionShape{5, 7, 4, 3}, AttentionShape{70, 130, 16, 5}, AttentionShape{9, 3, 1, 2}})
            for (Scaling scaling : {Scaling::none, Scaling::inv_sqrt_dk}) // 1/sqrt(1, 4, 16) is exact
                for (Mask mask : {Mask::none, Mask::causal, Mask::local})
                    for (float t : {1.4e-45f, 1e-40f, 1e-20f, 1e-3f, 0.3f, 1.0f, 7.0f, 1e20f, FLT_MAX}) {
                        AttentionOptions o;
                        o.scaling = scaling;
                        o.mask = mask;
                        o.window = 2;
                        o.temperature = t;
                        CAPTURE(t);
                        CAPTURE(int(mask));
                        const auto q = small_integers(s.nq * s.dk, ++seed), k = small_integers(s.nk * s.dk, ++seed);
                        const auto v = reference::normals(s.nk * s.dv, ++seed);
                        const auto want = reference::attention(q, k, v, s, o);
                        const Outputs r = run_all(q, k, v, s, o);
                        for (std::size_t i = 0; i < r.weights.size(); ++i) {
                            REQUIRE(std::fabs(r.weights[i] - want.weights[i]) <= 1e-5);
                            REQUIRE(std::fabs(r.plain_weights[i] - want.weights[i]) <= 1e-6);
                        }
                        for (std::size_t i = 0; i < r.output.size(); ++i) {
                            REQUIRE(std::fabs(r.output[i] - want.output[i]) <= 1e-5 * 4);
                            REQUIRE(std::fabs(r.fused[i] - want.output[i]) <= 1e-5 * 4);
                            REQUIRE(std::fabs(r.plain[i] - want.output[i]) <= 1e-5 * 4);
                        }
                    }
    }

    TEST_CASE("values near FLT_MAX give finite outputs: the fused kernel's sums do not overflow")
    {
        const AttentionShape s{3, 100, 2, 2};
        const auto q = reference::normals(s.nq * s.dk, 1, 0.1f), k = reference::normals(s.nk * s.dk, 2);
        std::vector<float> v(s.nk * s.dv);
        for (std::size_t i = 0; i < v.size(); ++i)
            v[i] = (i % 3 == 0 ? -3.0e38f : 3.3e38f);
        AttentionOptions o;
        const auto want = reference::attention(q, k, v, s, o);
        const Outputs r = run_all(q, k, v, s, o);
        for (std::size_t i = 0; i < r.output.size(); ++i) {
            CAPTURE(i);
            REQUIRE(std::isfinite(r.fused[i]));
            REQUIRE(std::isfinite(r.output[i]));
            CHECK(std::fabs(r.fused[i] - want.output[i]) <= 1e-5 * 3.3e38);
            CHECK(std::fabs(r.output[i] - want.output[i]) <= 1e-5 * 3.3e38);
        }
        // Two tied keys whose values are FLT_MAX: the blend is FLT_MAX itself, not infinity.
        const AttentionShape one{1, 2, 1, 1};
        AttentionOptions sharp;
        sharp.scaling = Scaling::none;
        sharp.temperature = 1e-30f;
        const Outputs edge = run_all({1}, {1, 1}, {FLT_MAX, FLT_MAX}, one, sharp);
        CHECK(edge.output[0] == FLT_MAX);
        CHECK(edge.fused[0] == FLT_MAX);
    }

    TEST_CASE("l2 scaling: keys too small or too large to normalise in float keep their direction")
    {
        const AttentionShape s{2, 3, 2, 1};
        const std::vector<float> q = {4, 1, -1, 2};
        const std::vector<float> v = {1, 2, 3};
        for (float size : {1e-44f, 1e-40f, 1e-20f, 1.0f, 1e30f, 3e38f}) {
            CAPTURE(size);
            const std::vector<float> k = {size, 0, 0, size, 0.6f * size, 0.8f * size};
            AttentionOptions o;
            o.scaling = Scaling::l2_keys;
            const auto want = reference::attention(q, k, v, s, o);
            const Outputs r = run_all(q, k, v, s, o);
            const double tol = 1e-5;
            for (std::size_t i = 0; i < r.weights.size(); ++i)
                CHECK(std::fabs(r.weights[i] - want.weights[i]) <= tol);
            for (std::size_t i = 0; i < r.output.size(); ++i) {
                CHECK(std::fabs(r.output[i] - want.output[i]) <= 3 * tol);
                CHECK(std::fabs(r.fused[i] - want.output[i]) <= 3 * tol);
            }
        }
    }

    TEST_CASE("a window as large as size_t allows sees every key, and no range wraps")
    {
        AttentionOptions o;
        o.mask = Mask::local;
        o.window = std::numeric_limits<std::size_t>::max();
        for (std::size_t query : {std::size_t(0), std::size_t(5), std::size_t(1000)}) {
            const attn::KeyRange r = attn::visible_keys(o, query, 10);
            CHECK(r.begin == 0);
            CHECK(r.end == 10);
        }
        o.window = 2;
        CHECK(attn::visible_keys(o, 20, 10).empty());
        o.mask = Mask::causal;
        CHECK(attn::visible_keys(o, std::numeric_limits<std::size_t>::max(), 10).end == 10);
    }

    TEST_CASE("arrays whose size would wrap a 32-bit size_t are refused, naming them, before any memory is touched")
    {
        attn::Workspace ws;
        AttentionOptions o;
        float out = 0;
        // dk = 2^24 with 64 keys: k alone is 2^30 floats (it wraps to 0 bytes in wasm32).
        const std::string e = attn::attention_fused(nullptr, nullptr, nullptr, {1, 64, std::size_t(1) << 24, 1}, o, ws, &out);
        CHECK(e.find("k: nk x dk = 1.074e+09 floats is too large") == 0);
        CHECK(attn::check_attention({std::size_t(1) << 20, 1, 1, std::size_t(1) << 12}, o).find("output: nq x dv") == 0);
        CHECK(attn::check_attention_weights({std::size_t(1) << 16, std::size_t(1) << 16, 1, 1}, o).find("weights: nq x nk") == 0);
        CHECK(attn::check_attention({std::size_t(1) << 16, std::size_t(1) << 16, 1, 1}, o).empty()); // fused: no weights
        CHECK(ws.allocations() == 0);
    }

    TEST_CASE("dv = 2^23 with one query: the fused accumulator is one row, not a block of 128")
    {
        const std::size_t dv = std::size_t(1) << 23;
        const std::vector<float> q = {1}, k = {1};
        std::vector<float> v(dv, 3.0f), out(dv, 0.0f);
        attn::Workspace ws;
        REQUIRE(attn::attention_fused(q.data(), k.data(), v.data(), {1, 1, 1, dv}, {}, ws, out.data()) == "");
        CHECK(out[0] == 3.0f);
        CHECK(out[dv - 1] == 3.0f);
        CHECK(ws.bytes_used() < (dv + 4096) * sizeof(float));
    }
}
