// The training attention calls as the JS API makes them (training/attention_entry_points.hpp):
// regressions found by tests/fuzz/training_fuzz.cpp and by its oracles.
#include <doctest/doctest.h>

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "training/attention_entry_points.hpp"
#include "training/attention_grad.hpp"

namespace entry = attn::training::entry;

namespace {

std::string dropout_call(std::size_t heads, std::size_t nq, std::size_t nk, std::size_t dk, std::size_t dv,
                         const float* q = nullptr, const float* k = nullptr, const float* v = nullptr,
                         float p = 0.5f, double seed = 1, float* weights = nullptr, float* output = nullptr)
{
    return entry::attention_dropout(q, k, v, heads, nq, nk, dk, dv, 0, 1.0f, 0, 0, p, seed, weights, nullptr, output);
}

/// With q null, every array is null (the sizes must be refused first); else the scratch
/// and gradients are allocated here and the gradients appended to `grads`.
std::string backward_call(std::size_t heads, std::size_t nq, std::size_t nk, std::size_t dk, std::size_t dv,
                          const float* q = nullptr, const float* k = nullptr, const float* v = nullptr,
                          const float* g = nullptr, float p = 0.5f, double seed = 1, float penalty = 0.0f,
                          std::vector<float>* grads = nullptr)
{
    if (q == nullptr)
        return entry::attention_backward(nullptr, nullptr, nullptr, nullptr, heads, nq, nk, dk, dv, 0, 1.0f, 0, 0, p,
                                         seed, penalty, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr);
    std::vector<float> probs(nq * nk), output(nq * dv), mask(nq * nk), gq(heads * nq * dk), gk(heads * nk * dk),
        gv(heads * nk * dv);
    const std::string e = entry::attention_backward(q, k, v, g, heads, nq, nk, dk, dv, 0, 1.0f, 0, 0, p, seed, penalty,
                                                    probs.data(), output.data(), mask.data(), gq.data(), gk.data(),
                                                    gv.data());
    if (grads != nullptr)
        for (const auto* part : {&gq, &gk, &gv})
            grads->insert(grads->end(), part->begin(), part->end());
    return e;
}

} // namespace

TEST_SUITE("training entry points")
{
    // Found by the fuzzer (corpus/training/): heads = 2^37 with nq = 4, dk = 5 passed the
    // old check, which only asked that heads x sizes x 4 bytes fit a size_t; the arrays
    // were never compared with the core's bound. In wasm32 such products wrap.
    TEST_CASE("heads x sizes beyond the core's bound are refused before any array is read")
    {
        const std::size_t big = std::size_t(1) << 20;
        for (const std::string& e :
             {dropout_call(std::size_t(1) << 30, 4, 8, 5, 5), dropout_call(big, big, 1, 1, 1),
              dropout_call(1, big, big, 1, 1), dropout_call(SIZE_MAX, 2, 2, 2, 2),
              backward_call(std::size_t(1) << 30, 4, 8, 5, 5), backward_call(1, big, big, 1, 1),
              backward_call(4, big, 1, big, 1)}) {
            CHECK(e.find("too large") != std::string::npos); // naming the array
        }
    }

    TEST_CASE("bad options and non-finite inputs are refused, naming them")
    {
        const float one[4] = {1, 1, 1, 1}, nan[2] = {1, NAN};
        float out[8];
        CHECK(dropout_call(1, 1, 2, 1, 1, one, one, one, 1.0f).rfind("dropout", 0) == 0);
        CHECK(dropout_call(1, 1, 2, 1, 1, one, one, one, NAN).rfind("dropout", 0) == 0);
        CHECK(dropout_call(1, 1, 2, 1, 1, one, one, one, 0.5f, -1).rfind("seed", 0) == 0);
        CHECK(dropout_call(1, 1, 2, 1, 1, one, one, one, 0.5f, 0.5).rfind("seed", 0) == 0);
        CHECK(dropout_call(1, 1, 2, 1, 1, one, one, nan, 0.5f, 1, out, out).rfind("v[1] must be a finite number", 0) == 0);
        CHECK(backward_call(1, 1, 2, 1, 1, one, one, one, one, 0.5f, 1, -1.0f).rfind("entropyPenalty", 0) == 0);
        CHECK(backward_call(1, 1, 2, 1, 1, one, one, one, one, 0.5f, 1, 2e6f).rfind("entropyPenalty", 0) == 0);
        CHECK(backward_call(1, 1, 2, 1, 2, one, one, one, nan, 0.5f, 1, 0.0f).rfind("gradOutput[1] must be a finite number", 0) == 0);
        CHECK(backward_call(1, 1, 2, 1, 2, one, one, one, one, 0.5f, 1, 0.0f).empty());
    }

    // Dropout scales the kept weights by 1/(1 - p): two equal keys with values near
    // FLT_MAX and p = 0.5 gave an infinite output (seed 3 keeps both). Now the call
    // refuses it with a message; the backward pass saturates its forward instead.
    TEST_CASE("dropout never returns an infinite output")
    {
        const float q[1] = {1}, k[2] = {1, 1}, v[2] = {FLT_MAX, FLT_MAX}, g[1] = {1};
        bool refused = false;
        for (double seed = 0; seed < 16; ++seed) {
            float weights[2], output[1];
            const std::string e = dropout_call(1, 1, 2, 1, 1, q, k, v, 0.5f, seed, weights, output);
            if (e.empty()) {
                CHECK(std::isfinite(output[0]));
            } else {
                CHECK(e.find("overflows float32") != std::string::npos);
                refused = true;
            }
            std::vector<float> grads;
            REQUIRE(backward_call(1, 1, 2, 1, 1, q, k, v, g, 0.5f, seed, 0.0f, &grads).empty());
            REQUIRE(grads.size() == 5);
            for (float x : grads)
                CHECK(std::isfinite(x));
        }
        CHECK(refused);
        float weights[2], output[1];
        const float small_v[2] = {1, 3};
        REQUIRE(dropout_call(1, 1, 2, 1, 1, q, k, small_v, 0.0f, 1, weights, output).empty());
        CHECK(output[0] == doctest::Approx(2.0));
    }

    TEST_CASE("the training forward saturates an output that dropout pushes beyond float range")
    {
        const float q[1] = {1}, k[2] = {1, 1}, v[2] = {FLT_MAX, FLT_MAX}, mask[2] = {2, 2};
        float probs[2], output[1];
        attn::training::attention_forward(q, k, v, {1, 2, 1, 1}, attn::AttentionOptions{}, mask, probs, output);
        CHECK(probs[0] == 0.5f);
        CHECK(output[0] == FLT_MAX); // 2 x FLT_MAX, saturated (it was infinity)
        const float mixed[2] = {FLT_MAX, -FLT_MAX}, p_three_quarters[2] = {4, 4};
        attn::training::attention_forward(q, k, mixed, {1, 2, 1, 1}, attn::AttentionOptions{}, p_three_quarters, probs,
                                          output);
        CHECK(output[0] == 0.0f); // 2 x FLT_MAX - 2 x FLT_MAX: it was inf - inf = NaN
    }
}
