#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "projection.hpp"
#include "reference.hpp"

namespace {

// float64 X W from the definition, in the n x d_out layout.
std::vector<double> product(const std::vector<float>& x, const std::vector<float>& w, std::size_t n,
                            std::size_t d_in, std::size_t d_out)
{
    std::vector<double> p(n * d_out, 0.0);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t c = 0; c < d_out; ++c)
            for (std::size_t d = 0; d < d_in; ++d)
                p[i * d_out + c] += double(x[i * d_in + d]) * w[d * d_out + c];
    return p;
}

} // namespace

TEST_SUITE("projection")
{
    TEST_CASE("project equals X W, block by block, for every head count and odd shape")
    {
        for (std::size_t n : {1, 3, 5, 17}) {
            for (std::size_t d_in : {1, 4, 9}) {
                for (std::size_t heads : {1, 2, 3}) {
                    for (std::size_t width : {1, 4, 5, 9}) {
                        const std::size_t d_out = heads * width;
                        const auto x = reference::normals(n * d_in, n * 31 + d_in);
                        const auto w = reference::normals(d_in * d_out, d_out * 7 + heads);
                        const attn::ProjectionShape shape{n, d_in, d_out, heads};
                        REQUIRE(attn::check_projection(shape).empty());
                        std::vector<float> fast(n * d_out, -1.0f), plain(n * d_out, -1.0f);
                        attn::project(x.data(), w.data(), shape, fast.data());
                        attn::project_plain(x.data(), w.data(), shape, plain.data());
                        const auto want = product(x, w, n, d_in, d_out);
                        for (std::size_t b = 0; b < heads; ++b)
                            for (std::size_t i = 0; i < n; ++i)
                                for (std::size_t c = 0; c < width; ++c) {
                                    const double expected = want[i * d_out + b * width + c];
                                    const std::size_t at = (b * n + i) * width + c;
                                    REQUIRE(fast[at] == doctest::Approx(expected).epsilon(1e-5).scale(1.0));
                                    REQUIRE(plain[at] == doctest::Approx(expected).epsilon(1e-6).scale(1.0));
                                }
                    }
                }
            }
        }
    }

    TEST_CASE("small integer features project exactly")
    {
        // Word features and designed matrices are small integers and halves: exact in float.
        const std::vector<float> x = {1, 0, 0.5f, 0, 1, -1};  // 2 x 3
        const std::vector<float> w = {2, 0, 1, -1, 0.5f, 3};  // 3 x 2
        std::vector<float> out(4);
        attn::project(x.data(), w.data(), attn::ProjectionShape{2, 3, 2, 1}, out.data());
        CHECK(out == std::vector<float>{2.25f, 1.5f, 0.5f, -4.0f});
    }

    TEST_CASE("check_projection names the bad argument")
    {
        CHECK(attn::check_projection({0, 1, 1, 1}) == "n must be a positive integer");
        CHECK(attn::check_projection({1, 0, 1, 1}) == "dIn must be a positive integer");
        CHECK(attn::check_projection({1, 1, 0, 1}) == "dOut must be a positive integer");
        CHECK(attn::check_projection({1, 1, 1, 0}) == "heads must be a positive integer");
        CHECK(attn::check_projection({1, 1, 3, 2}) == "dOut must be divisible by heads");
    }
}

TEST_SUITE("projection limits")
{
    // Found by tests/fuzz/projection_fuzz.cpp (corpus/projection/): check_projection
    // accepted n = 2, dIn = 2^64 - 1, so project() would run over arrays no caller has.
    TEST_CASE("arrays beyond the core's bound are refused, naming the array")
    {
        CHECK(attn::check_projection({2, SIZE_MAX, 1, 1}).find("x: n x dIn") == 0);
        CHECK(attn::check_projection({1, std::size_t(1) << 15, std::size_t(1) << 14, 1}).find("w: dIn x dOut") == 0);
        CHECK(attn::check_projection({std::size_t(1) << 20, 1, std::size_t(1) << 10, 1}).find("out: n x dOut") == 0);
        CHECK(attn::check_projection({std::size_t(1) << 14, std::size_t(1) << 14, 1, 1}).empty());
    }

    // x w of entries near FLT_MAX gave NaN (inf - inf) from finite inputs; lab.project
    // now refuses it with a message, as multi-head attention does.
    TEST_CASE("projection refuses an overflow and non-finite inputs, and then works")
    {
        const float big = 3.4e38f;
        const std::vector<float> x = {big, big}, w = {big, -big};
        std::vector<float> out(1, 0.0f);
        const attn::ProjectionShape shape{1, 2, 1, 1};
        CHECK(attn::projection(x.data(), w.data(), shape, out.data()).find("overflows float32") != std::string::npos);
        const std::vector<float> nan_x = {1.0f, NAN};
        CHECK(attn::projection(nan_x.data(), w.data(), shape, out.data()).rfind("x[1] must be a finite number", 0) == 0);
        const std::vector<float> x2 = {1, 2, 3, 4}, w2 = {1, 0, 0, 1, 1, 1};
        std::vector<float> out2(6);
        REQUIRE(attn::projection(x2.data(), w2.data(), {2, 2, 3, 1}, out2.data()).empty());
        CHECK(out2 == std::vector<float>{3, 2, 2, 7, 4, 4});
    }
}
