// Central finite differences, the yardstick every backward pass is checked against:
//   df/dx_i ~ (f(x + h e_i) - f(x - h e_i)) / 2h
// in double precision, where the truncation error (h^2 f''' / 6) and the rounding error
// (1e-16 |f| / h) are both below 1e-9 for h = 1e-5 and the smooth functions checked here.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "rng.hpp"

namespace gradient_check {

/// The numeric gradient of f (a function of no arguments that reads x) with respect to x.
template <typename F>
std::vector<double> numeric(std::vector<double>& x, F&& f, double h = 1e-5)
{
    std::vector<double> g(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double saved = x[i];
        x[i] = saved + h;
        const double up = f();
        x[i] = saved - h;
        const double down = f();
        x[i] = saved;
        g[i] = (up - down) / (2.0 * h);
    }
    return g;
}

/// Checks |analytic - numeric| <= tolerance * max(1, max |numeric|), entry by entry.
inline void expect_close(const std::vector<double>& analytic, const std::vector<double>& numeric,
                         double tolerance, const char* what)
{
    REQUIRE(analytic.size() == numeric.size());
    double scale = 1.0;
    for (double g : numeric)
        scale = std::max(scale, std::fabs(g));
    double worst = 0.0;
    for (std::size_t i = 0; i < analytic.size(); ++i) {
        REQUIRE(std::isfinite(analytic[i]));
        worst = std::max(worst, std::fabs(analytic[i] - numeric[i]));
    }
    const std::string name = what;
    CAPTURE(name);
    CAPTURE(worst);
    CAPTURE(scale);
    CHECK(worst <= tolerance * scale);
}

/// count standard normals times scale, in double.
inline std::vector<double> normals(std::size_t count, std::uint64_t seed, double scale = 1.0)
{
    attn::Random random(seed);
    std::vector<double> out(count);
    for (auto& x : out)
        x = double(random.normal()) * scale;
    return out;
}

/// Whether any entry of a is nonzero (a check that checks something).
inline bool any_nonzero(const std::vector<double>& a)
{
    return std::any_of(a.begin(), a.end(), [](double x) { return x != 0.0; });
}

} // namespace gradient_check
