#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "context/monotonic_alignment.hpp"
#include "rng.hpp"

namespace {

struct Brute {
    std::vector<std::int32_t> path;
    double total = -INFINITY;
};

/// Every non-decreasing path, in lexicographic order; keeps the first of the best.
void search(const std::vector<float>& s, std::size_t rows, std::size_t cols, std::vector<std::int32_t>& path,
            Brute& best)
{
    const std::size_t i = path.size();
    if (i == rows) {
        double total = 0;
        for (std::size_t r = 0; r < rows; ++r)
            total += double(s[r * cols + std::size_t(path[r])]);
        if (total > best.total) {
            best.total = total;
            best.path = path;
        }
        return;
    }
    for (std::size_t j = i == 0 ? 0 : std::size_t(path.back()); j < cols; ++j) {
        path.push_back(std::int32_t(j));
        search(s, rows, cols, path, best);
        path.pop_back();
    }
}

struct Aligned {
    std::vector<std::int32_t> path, misaligned;
    double total = 0;
};

Aligned align(const std::vector<float>& scores, std::size_t rows, std::size_t cols)
{
    Aligned a;
    a.path.assign(rows, -1);
    a.misaligned.assign(rows, -1);
    attn::MonotonicAlignment result;
    REQUIRE(attn::monotonic_alignment(scores.data(), rows, cols, a.path.data(), a.misaligned.data(), result) == "");
    a.total = result.total;
    a.misaligned.resize(result.misaligned);
    return a;
}

/// Rows whose chosen score is below the row's best.
std::vector<std::int32_t> rows_below_best(const std::vector<float>& s, std::size_t cols,
                                          const std::vector<std::int32_t>& path)
{
    std::vector<std::int32_t> out;
    for (std::size_t i = 0; i < path.size(); ++i)
        for (std::size_t j = 0; j < cols; ++j)
            if (s[i * cols + j] > s[i * cols + std::size_t(path[i])]) {
                out.push_back(std::int32_t(i));
                break;
            }
    return out;
}

} // namespace

TEST_SUITE("monotonic alignment")
{
    TEST_CASE("matches brute force on every shape up to 6 x 6, ties going to the leftmost path")
    {
        int cases = 0;
        for (std::size_t rows = 1; rows <= 6; ++rows)
            for (std::size_t cols = 1; cols <= 6; ++cols)
                for (std::uint64_t seed = 1; seed <= 6; ++seed)
                    for (bool ties : {false, true}) {
                        attn::Random random(seed * 100 + rows * 10 + cols);
                        std::vector<float> scores(rows * cols);
                        for (float& x : scores) // ties: small integers, so many paths score the same
                            x = ties ? float(random.next_u32() % 3) - 1.0f : random.normal();
                        Brute brute;
                        std::vector<std::int32_t> path;
                        search(scores, rows, cols, path, brute);
                        const Aligned got = align(scores, rows, cols);
                        CAPTURE(rows);
                        CAPTURE(cols);
                        CAPTURE(seed);
                        CAPTURE(ties);
                        CHECK(got.path == brute.path);
                        CHECK(got.total == brute.total);
                        CHECK(got.misaligned == rows_below_best(scores, cols, got.path));
                        ++cases;
                    }
        CHECK(cases == 6 * 6 * 6 * 2);
    }

    TEST_CASE("a reordering costs as many words as lie off its longest increasing run")
    {
        // Target word i translates source word order[i]: scores 1 there, 0 elsewhere.
        const std::vector<std::vector<int>> orders = {
            {0, 1, 2, 3},       // same order: nothing wrong
            {1, 0},             // adjective-noun swapped: one wrong
            {0, 2, 1},          // subject, object, verb from subject, verb, object: one wrong
            {3, 2, 1, 0},       // reversed: all but one wrong
            {2, 0, 3, 1, 4},    // longest increasing run 0 1 4 (or 2 3 4): two wrong
        };
        const std::vector<std::size_t> wrong = {0, 1, 1, 3, 2};
        for (std::size_t k = 0; k < orders.size(); ++k) {
            const std::size_t n = orders[k].size();
            std::vector<float> scores(n * n, 0.0f);
            for (std::size_t i = 0; i < n; ++i)
                scores[i * n + std::size_t(orders[k][i])] = 1.0f;
            const Aligned got = align(scores, n, n);
            CAPTURE(k);
            CHECK(got.total == double(n - wrong[k]));
            CHECK(got.misaligned.size() == wrong[k]);
            for (std::size_t i = 0; i + 1 < n; ++i)
                CHECK(got.path[i] <= got.path[i + 1]);
        }
    }

    TEST_CASE("rectangles, one row, one column")
    {
        const std::vector<float> row = {0.5f, 2.0f, 2.0f, -1.0f};
        Aligned a = align(row, 1, 4);
        CHECK(a.path == std::vector<std::int32_t>{1});
        CHECK(a.total == 2.0);
        const std::vector<float> column = {1.0f, -2.0f, 3.0f};
        a = align(column, 3, 1);
        CHECK(a.path == std::vector<std::int32_t>{0, 0, 0});
        CHECK(a.total == 2.0);
        CHECK(a.misaligned.empty());
        // Wide: 3 targets over 200 sources, best columns 150, 20, 199: 20 is unreachable
        // after 150, so the path gives up one of them.
        std::vector<float> wide(3 * 200, 0.0f);
        wide[0 * 200 + 150] = 5.0f;
        wide[1 * 200 + 20] = 3.0f;
        wide[2 * 200 + 199] = 1.0f;
        a = align(wide, 3, 200);
        CHECK(a.path == std::vector<std::int32_t>{150, 150, 199});
        CHECK(a.total == 6.0);
        CHECK(a.misaligned == std::vector<std::int32_t>{1});
    }

    TEST_CASE("bad sizes are refused")
    {
        std::int32_t path[1], rows[1];
        attn::MonotonicAlignment result;
        const float s = 1.0f;
        CHECK(attn::monotonic_alignment(&s, 0, 1, path, rows, result).rfind("rows", 0) == 0);
        CHECK(attn::monotonic_alignment(&s, 1, 0, path, rows, result).rfind("cols", 0) == 0);
        CHECK(attn::monotonic_alignment(&s, SIZE_MAX / 2, 1u << 20, path, rows, result).find("too large") != std::string::npos);
    }
}

TEST_SUITE("monotonic alignment limits")
{
    // Found by tests/fuzz/context_fuzz.cpp (corpus/context/): rows x cols = 2^40 passed
    // the old check (it only guarded against size_t wrapping) and the table's malloc was
    // asked for 4 TiB. Now every size beyond the core's bound is refused before scores is
    // read or anything allocated, and the next call works.
    TEST_CASE("rows x cols beyond the core's bound is refused before scores is read")
    {
        attn::MonotonicAlignment result;
        for (const auto& [rows, cols] : {std::pair<std::size_t, std::size_t>{std::size_t(1) << 20, std::size_t(1) << 20},
                                         {std::size_t(1) << 14, std::size_t(1) << 15},
                                         {SIZE_MAX, 2}, {3, std::size_t(INT32_MAX)}}) {
            const std::string e = attn::monotonic_alignment(nullptr, rows, cols, nullptr, nullptr, result);
            CHECK(e.find("scores: rows x cols") == 0);
            CHECK(e.find("too large") != std::string::npos);
        }
        const float scores[] = {0, 1, 2, 0};
        std::int32_t path[2], misaligned[2];
        REQUIRE(attn::monotonic_alignment(scores, 2, 2, path, misaligned, result).empty());
        CHECK(path[0] == 0); // 0 then 2 beats 1 then 0: the path never goes back
        CHECK(path[1] == 0);
        CHECK(result.total == 2.0);
    }
}
