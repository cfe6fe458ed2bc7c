#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "multihead.hpp"
#include "retrieval.hpp"
#include "statistics.hpp"

namespace {

// A sentence of n tokens carrying two relations at once: "the previous token" and "the
// next token". Token i is x_i = [e_i, c_i]: a one-hot position and a one-hot content
// c_i = e_{(i + 3) mod n}, different from the position. dModel = 2n, two heads of n:
//   head A: Q = sharpness * e_{i-1}, K = e_j  -> attends to the previous token
//   head B: Q = sharpness * e_{i+1}, K = e_j  -> attends to the next token
//   both:   V = c_j                             -> fetch that token's content
// Wo is the identity. The same matrices with heads = 1 are one wide head whose single
// softmax sees both relations' scores summed.
struct TwoRelations {
    std::size_t n = 8, dm = 16;
    std::vector<float> x, wq, wk, wv, wo;
    std::vector<std::int32_t> previous, next;

    explicit TwoRelations(float sharpness)
        : x(n * dm, 0.0f), wq(dm * dm, 0.0f), wk(dm * dm, 0.0f), wv(dm * dm, 0.0f), wo(dm * dm, 0.0f),
          previous(n), next(n)
    {
        for (std::size_t i = 0; i < n; ++i) {
            x[i * dm + i] = 1.0f;
            x[i * dm + n + (i + 3) % n] = 1.0f;
            if (i >= 1)
                wq[i * dm + (i - 1)] = sharpness;
            if (i + 1 < n)
                wq[i * dm + n + i + 1] = sharpness;
            wk[i * dm + i] = 1.0f;
            wk[i * dm + n + i] = 1.0f;
            wv[(n + i) * dm + i] = 1.0f;
            wv[(n + i) * dm + n + i] = 1.0f;
            previous[i] = i >= 1 ? std::int32_t(i - 1) : -1;
            next[i] = i + 1 < n ? std::int32_t(i + 1) : -1;
        }
        for (std::size_t d = 0; d < dm; ++d)
            wo[d * dm + d] = 1.0f;
    }

    struct Run {
        std::vector<float> output, weights, entropy, concat, values;
    };
    Run run(std::size_t heads, bool tie) const
    {
        Run r{std::vector<float>(n * dm), std::vector<float>(heads * n * n), std::vector<float>(heads * n),
              std::vector<float>(n * dm), std::vector<float>(n * dm)};
        attn::MultiHeadOptions o;
        o.tie_kv = tie;
        attn::Workspace workspace;
        const std::string error = attn::multi_head_attention(
            x.data(), wq.data(), wk.data(), tie ? nullptr : wv.data(), wo.data(), {n, dm, heads}, o, workspace,
            r.output.data(), r.weights.data(), r.entropy.data(), r.concat.data(), r.values.data());
        REQUIRE(error == "");
        return r;
    }

    // Retrieval of a relation whose targets are `targets`, in the columns of block `block`.
    attn::RetrievalSummary score(const std::vector<float>& concat, const std::vector<float>& values,
                                 const std::vector<std::int32_t>& targets, std::size_t block,
                                 std::vector<float>& cosine) const
    {
        cosine.assign(n, -2.0f);
        const attn::RetrievalShape shape{n, n, dm, block * n, (block + 1) * n};
        REQUIRE(attn::check_retrieval(shape, targets.data()) == "");
        return attn::retrieval(concat.data(), values.data(), targets.data(), shape, cosine.data());
    }
};

} // namespace

TEST_SUITE("retrieval")
{
    TEST_CASE("retrieval is the cosine to the target's value row, over the chosen columns")
    {
        // output rows (3 x 3) and values (2 x 3)
        const std::vector<float> output = {1, 0, 5, 1, 1, 0, 0, 0, 7};
        const std::vector<float> values = {1, 0, 0, 1, 1, 9};
        const std::vector<std::int32_t> targets = {0, 1, -1};
        std::vector<float> cosine(3);
        auto s = attn::retrieval(output.data(), values.data(), targets.data(), {3, 2, 3, 0, 2}, cosine.data());
        CHECK(cosine[0] == doctest::Approx(1.0));
        CHECK(cosine[1] == doctest::Approx(1.0));
        CHECK(cosine[2] == 0.0f); // no target
        CHECK(s.count == 2);
        CHECK(s.mean == doctest::Approx(1.0));
        s = attn::retrieval(output.data(), values.data(), targets.data(), {3, 2, 3, 0, 3}, cosine.data());
        CHECK(cosine[0] == doctest::Approx(1.0 / std::sqrt(26.0)));
        CHECK(cosine[1] == doctest::Approx(2.0 / (std::sqrt(2.0) * std::sqrt(83.0))));
        CHECK(s.mean == doctest::Approx((cosine[0] + cosine[1]) / 2.0));
        // a zero vector has no direction: cosine 0, still counted
        const std::vector<std::int32_t> to_zero_part = {0, 0, 0};
        s = attn::retrieval(output.data(), values.data(), to_zero_part.data(), {3, 2, 3, 1, 3}, cosine.data());
        CHECK(cosine[0] == 0.0f);
        CHECK(s.count == 3);
        const std::vector<std::int32_t> nothing = {-1, -1, -1};
        s = attn::retrieval(output.data(), values.data(), nothing.data(), {3, 2, 3, 0, 3}, cosine.data());
        CHECK(s.count == 0);
        CHECK(s.mean == 0.0);
    }

    TEST_CASE("check_retrieval names the bad argument")
    {
        const std::vector<std::int32_t> ok = {0, -1}, far = {0, 2}, below = {-2, 0};
        CHECK(attn::check_retrieval({2, 2, 3, 0, 3}, ok.data()) == "");
        CHECK(attn::check_retrieval({0, 2, 3, 0, 3}, ok.data()).find("rows") == 0);
        CHECK(attn::check_retrieval({2, 0, 3, 0, 3}, ok.data()).find("valueRows") == 0);
        CHECK(attn::check_retrieval({2, 2, 0, 0, 0}, ok.data()).find("cols") == 0);
        CHECK(attn::check_retrieval({2, 2, 3, 2, 2}, ok.data()).find("columns") == 0);
        CHECK(attn::check_retrieval({2, 2, 3, 0, 4}, ok.data()).find("columns") == 0);
        CHECK(attn::check_retrieval({2, 2, 3, 0, 3}, far.data()) == "targets[1] must be -1 or a row of values (0 to 1), got 2");
        CHECK(attn::check_retrieval({2, 2, 3, 0, 3}, below.data()).find("targets[0]") == 0);
    }

    TEST_CASE("two relations: two heads each retrieve theirs, one wide head compromises")
    {
        const TwoRelations s(40.0f);
        const auto heads = s.run(2, false), wide = s.run(1, false);
        CHECK(heads.values == wide.values); // the same wanted contents for both
        std::vector<float> cosine;
        const double inv_sqrt2 = 1.0 / std::sqrt(2.0);
        // wide head, limit of sharp attention: an interior token splits its weight between
        // the previous and the next token (cosine 1/sqrt 2); the end token that has only one
        // neighbour keeps it (cosine 1).
        const double wide_limit = ((double(s.n) - 2.0) * inv_sqrt2 + 1.0) / (double(s.n) - 1.0);
        for (std::size_t block : {0, 1}) {
            CAPTURE(block);
            const auto& targets = block == 0 ? s.previous : s.next;
            const auto several = s.score(heads.concat, heads.values, targets, block, cosine);
            CHECK(several.count == s.n - 1);
            CHECK(several.mean > 0.9999);
            const auto one = s.score(wide.concat, wide.values, targets, block, cosine);
            CHECK(one.mean == doctest::Approx(wide_limit).epsilon(2e-3));
            for (std::size_t i = 1; i + 1 < s.n; ++i)
                CHECK(cosine[i] == doctest::Approx(inv_sqrt2).epsilon(2e-3));
            CHECK(several.mean > one.mean + 0.2);
            MESSAGE("relation " << block << ": retrieval with two heads " << several.mean << ", one wide head " << one.mean);
        }
        // the seed's picture: each head is sharp (entropy about 0), their mixture covers
        // two tokens for every interior query (entropy about log 2)
        std::vector<float> mixture(s.n);
        attn::mixture_entropy(heads.weights.data(), 2, s.n, s.n, mixture.data());
        for (std::size_t i = 1; i + 1 < s.n; ++i) {
            CHECK(heads.entropy[i] < 1e-3);
            CHECK(heads.entropy[s.n + i] < 1e-3);
            CHECK(mixture[i] == doctest::Approx(std::log(2.0)).epsilon(1e-3));
            CHECK(wide.entropy[i] == doctest::Approx(std::log(2.0)).epsilon(5e-3)); // the wide head splits too
        }
    }

    TEST_CASE("tied K/V: the heads copy the matched address, not the content the relation needs")
    {
        const TwoRelations s(40.0f);
        const auto separate = s.run(2, false), tied = s.run(2, true);
        CHECK(tied.weights == separate.weights); // tying changes what is fetched, not where attention goes
        std::vector<float> cosine;
        for (std::size_t block : {0, 1}) {
            CAPTURE(block);
            const auto& targets = block == 0 ? s.previous : s.next;
            // against the content the relation wants (the separate run's values): lost
            const auto content = s.score(tied.concat, separate.values, targets, block, cosine);
            CHECK(content.mean < 1e-3);
            // against what tied heads carry (their values are the keys): still a clean copy
            const auto address = s.score(tied.concat, tied.values, targets, block, cosine);
            CHECK(address.mean > 0.9999);
            CHECK(s.score(separate.concat, separate.values, targets, block, cosine).mean > 0.9999);
        }
    }
}

TEST_SUITE("retrieval limits")
{
    // Found by tests/fuzz/retrieval_fuzz.cpp: check_retrieval read the targets of any
    // number of rows, with output and values of any size; sizes beyond the core's bound
    // are now refused first, without touching targets.
    TEST_CASE("output or values beyond the core's bound are refused before targets is read")
    {
        const std::size_t big = std::size_t(1) << 20;
        CHECK(attn::check_retrieval({big, 1, big, 0, 1}, nullptr).find("output: rows x cols") == 0);
        CHECK(attn::check_retrieval({1, big, big, 0, 1}, nullptr).find("values: valueRows x cols") == 0);
        CHECK(attn::check_retrieval({SIZE_MAX, 1, 2, 0, 1}, nullptr).find("too large") != std::string::npos);
        const std::int32_t targets[] = {0};
        CHECK(attn::check_retrieval({1, 1, 2, 0, 2}, targets).empty());
    }
}
