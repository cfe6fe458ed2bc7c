#include <doctest/doctest.h>

#include <cfloat>
#include <cmath>
#include <vector>

#include "kernels/exp.hpp"
#include "kernels/finite.hpp"
#include "kernels/matmul.hpp"
#include "kernels/softmax.hpp"
#include "kernels/transpose.hpp"
#include "reference.hpp"

TEST_SUITE("kernels")
{
    TEST_CASE("matmul equals the plain triple loop on every edge of the register blocks")
    {
        for (std::size_t m : {1, 3, 4, 5, 9}) {
            for (std::size_t n : {1, 4, 7, 8, 12, 13, 25}) {
                for (std::size_t k : {1, 2, 17}) {
                    const auto a = reference::normals(m * (k + 2), m * 100 + n);
                    const auto b = reference::normals(k * (n + 3), k * 7 + n);
                    std::vector<float> fast((n + 1) * m, 0.5f), plain((n + 1) * m, 0.5f);
                    for (bool accumulate : {false, true}) {
                        attn::matmul(a.data(), k + 2, b.data(), n + 3, fast.data(), n + 1, m, k, n, accumulate);
                        attn::matmul_plain(a.data(), k + 2, b.data(), n + 3, plain.data(), n + 1, m, k, n, accumulate);
                        for (std::size_t i = 0; i < fast.size(); ++i)
                            REQUIRE(fast[i] == doctest::Approx(plain[i]).epsilon(1e-5).scale(1.0));
                    }
                }
            }
        }
    }

    TEST_CASE("exp_nonpositive is within 2e-7 relative of exp and exactly 0 far below")
    {
        double worst = 0;
        for (int i = 0; i <= 870000; ++i) {
            const float x = -float(i) * 1e-4f;
            const double want = std::exp(double(x));
            worst = std::max(worst, std::fabs(attn::exp_nonpositive(x) - want) / want);
        }
        CHECK(worst < 2e-7);
        CHECK(attn::exp_nonpositive(0.0f) == 1.0f);
        CHECK(attn::exp_nonpositive(-88.0f) == 0.0f);
        CHECK(attn::exp_nonpositive(-INFINITY) == 0.0f);
        CHECK(attn::exp_nonpositive(-FLT_MAX) == 0.0f);
    }

    TEST_CASE("softmax rows sum to 1, subtract the max, and saturate inf and nan")
    {
        std::vector<float> row = {1e4f, 1e4f - 1.0f, -1e4f, 3.0f, 0.0f, 2.0f, 1.0f};
        attn::softmax_row(row.data(), row.size());
        double sum = 0;
        for (float w : row)
            sum += w;
        CHECK(sum == doctest::Approx(1.0));
        CHECK(row[0] == doctest::Approx(1.0 / (1.0 + std::exp(-1.0))));

        std::vector<float> wild = {INFINITY, NAN, -INFINITY, 1.0f, INFINITY};
        attn::softmax_row(wild.data(), wild.size());
        for (float w : wild)
            CHECK(std::isfinite(w));
        CHECK(wild[0] == doctest::Approx(0.5));
        CHECK(wild[4] == doctest::Approx(0.5));
        CHECK(wild[1] == 0.0f);
    }

    TEST_CASE("transpose_scaled moves every element, scaled by its row, for odd block sizes")
    {
        for (std::size_t rows : {1, 3, 4, 7, 9}) {
            for (std::size_t cols : {1, 4, 6, 13}) {
                const auto src = reference::normals(rows * (cols + 2), rows * 31 + cols);
                const auto scale = reference::normals(rows, 5);
                std::vector<float> dst(cols * (rows + 3), 7.0f);
                attn::transpose_scaled(src.data(), cols + 2, rows, cols, scale.data(), dst.data(), rows + 3);
                for (std::size_t r = 0; r < rows; ++r)
                    for (std::size_t c = 0; c < cols; ++c)
                        REQUIRE(dst[c * (rows + 3) + r] == src[r * (cols + 2) + c] * scale[r]);
                for (std::size_t c = 0; c < cols; ++c)
                    for (std::size_t pad = rows; pad < rows + 3; ++pad)
                        REQUIRE(dst[c * (rows + 3) + pad] == 7.0f); // nothing outside the block
            }
        }
    }

    TEST_CASE("first_non_finite finds the first NaN or infinity anywhere, or returns n")
    {
        for (std::size_t n : {1, 3, 4, 1023, 1024, 1025, 5000}) {
            std::vector<float> x = reference::normals(n, n);
            CHECK(attn::first_non_finite(x.data(), n) == n);
            for (std::size_t at : {std::size_t(0), n / 2, n - 1}) {
                for (float bad : {NAN, INFINITY, -INFINITY}) {
                    std::vector<float> y = x;
                    y[at] = bad;
                    if (at + 1 < n)
                        y[n - 1] = NAN; // a later one must not hide the first
                    CHECK(attn::first_non_finite(y.data(), n) == at);
                }
            }
        }
        const float big[] = {FLT_MAX, -FLT_MAX, FLT_MIN, 0.0f};
        CHECK(attn::first_non_finite(big, 4) == 4);
    }
}
