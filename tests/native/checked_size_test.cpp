#include <doctest/doctest.h>

#include <cstdint>
#include <limits>

#include "checked_buffer.hpp"
#include "checked_size.hpp"
#include "workspace.hpp"

using attn::CheckedSize;

TEST_SUITE("checked sizes")
{
    TEST_CASE("products and sums are exact or overflowed, never wrapped")
    {
        constexpr std::size_t max = std::numeric_limits<std::size_t>::max();
        CHECK((CheckedSize(6) * 7).value() == 42);
        CHECK((CheckedSize(max / 2 + 1) * 2).overflow());
        CHECK((CheckedSize(max) + 1).overflow());
        CHECK((CheckedSize(max) * 0).value() == 0);
        CHECK(((CheckedSize(max) * 2) * 0).overflow()); // sticky: 0 does not rescue it
        CHECK(attn::checked_product({1u << 16, 1u << 16, 1u << 16}).fits_floats() == false);
        // In wasm32 2^16 * 2^16 wraps to 0; checked, it is refused everywhere.
        CHECK_FALSE(attn::checked_product({std::size_t(1) << 16, std::size_t(1) << 16}).fits_floats());
    }

    TEST_CASE("the array bound is 2^28 floats (1 GiB) in every build")
    {
        CHECK(CheckedSize(attn::max_array_floats).fits_floats());
        CHECK_FALSE(CheckedSize(attn::max_array_floats + 1).fits_floats());
        CHECK(CheckedSize(attn::max_array_bytes / 8).fits(8));
        CHECK_FALSE(CheckedSize(attn::max_array_bytes / 8 + 1).fits(8));
    }

    TEST_CASE("check_float_arrays names the first array too large and its true size")
    {
        CHECK(attn::check_float_arrays({{"v: nk x dv", {1, std::size_t(1) << 23}}}).empty());
        const std::string e = attn::check_float_arrays({{"q: nq x dk", {1, 1}}, {"k: nk x dk", {64, std::size_t(1) << 24}},
                                                        {"v: nk x dv", {std::size_t(1) << 30, 2}}});
        CHECK(e.find("k: nk x dk = 1.074e+09 floats is too large") == 0);
        const std::string huge =
            attn::check_float_arrays({{"q: heads x nq x dk", {std::size_t(1) << 31, std::size_t(1) << 31, 8}}});
        CHECK(huge.find("q: heads x nq x dk = 3.689e+19 floats") == 0);
    }

    TEST_CASE("CheckedBuffer is empty, not thrown, when the bound or malloc says no")
    {
        attn::CheckedBuffer<double> fine(1000);
        REQUIRE(fine);
        fine[999] = 1.0;
        CHECK(fine.size() == 1000);
        attn::CheckedBuffer<double> too_big(attn::max_array_bytes / 8 + 1);
        CHECK_FALSE(too_big);
        CHECK(too_big.data() == nullptr);
        attn::CheckedBuffer<float> overflowing(std::numeric_limits<std::size_t>::max());
        CHECK_FALSE(overflowing);
    }
}

TEST_SUITE("workspace")
{
    TEST_CASE("a request beyond the bound is refused without allocating")
    {
        attn::Workspace w;
        CHECK(w.floats(attn::accumulator, attn::max_array_floats + 1) == nullptr);
        CHECK(w.floats(attn::accumulator, std::numeric_limits<std::size_t>::max()) == nullptr);
        CHECK(w.allocations() == 0);
        CHECK(w.bytes_held() == 0);
        float* p = w.floats(attn::accumulator, 100);
        REQUIRE(p != nullptr);
        p[99] = 1.0f;
    }

    TEST_CASE("small calls reuse the buffers; a call that held more than retain_bytes gives them back")
    {
        attn::Workspace w;
        for (int call = 0; call < 3; ++call) {
            w.begin_call();
            REQUIRE(w.floats(attn::keys_packed, 4096) != nullptr);
            REQUIRE(w.floats(attn::accumulator, 8192) != nullptr);
            w.end_call();
        }
        CHECK(w.allocations() == 2); // the first call only
        CHECK(w.bytes_held() == (4096 + 8192) * sizeof(float));

        w.begin_call();
        REQUIRE(w.floats(attn::projected_q, attn::Workspace::retain_bytes / sizeof(float) + 1) != nullptr);
        CHECK(w.bytes_used() > attn::Workspace::retain_bytes);
        w.end_call();
        CHECK(w.bytes_held() == 0);

        w.begin_call();
        REQUIRE(w.floats(attn::projected_q, attn::Workspace::retain_bytes / sizeof(float)) != nullptr);
        w.end_call();
        CHECK(w.bytes_held() == attn::Workspace::retain_bytes); // exactly the limit is kept
    }
}
