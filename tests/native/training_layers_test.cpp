// Linear layers, tanh, the losses and the optimisers of src/training: every backward pass
// against central finite differences in double, the float build against the double one,
// and each optimiser's step against its formula.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "gradient_check.hpp"
#include "training/linear.hpp"
#include "training/loss.hpp"
#include "training/optimizer.hpp"
#include "training/size_product.hpp"

using namespace attn::training;
namespace gc = gradient_check;

namespace {
double weighted_sum(const std::vector<double>& y, const std::vector<double>& g)
{
    double s = 0.0;
    for (std::size_t i = 0; i < y.size(); ++i)
        s += y[i] * g[i];
    return s;
}
} // namespace

TEST_SUITE("training layers")
{
    TEST_CASE("linear backward matches finite differences for x, W and b")
    {
        const std::size_t rows = 5, in = 4, out = 3;
        auto x = gc::normals(rows * in, 1), w = gc::normals(in * out, 2), b = gc::normals(out, 3);
        const auto g = gc::normals(rows * out, 4); // dL/dy for L = sum(y . g)
        std::vector<double> y(rows * out);
        const auto loss = [&] {
            linear_forward(x.data(), rows, in, w.data(), b.data(), out, y.data());
            return weighted_sum(y, g);
        };
        std::vector<double> dx(rows * in, 0.0), dw(in * out, 0.0), db(out, 0.0);
        linear_backward(x.data(), rows, in, w.data(), out, g.data(), dx.data(), dw.data(), db.data());
        gc::expect_close(dx, gc::numeric(x, loss), 1e-8, "dx");
        gc::expect_close(dw, gc::numeric(w, loss), 1e-8, "dw");
        gc::expect_close(db, gc::numeric(b, loss), 1e-8, "db");
        CHECK(gc::any_nonzero(dx));
    }

    TEST_CASE("linear backward adds to the gradients it is given")
    {
        const std::vector<double> x = {1, 2}, w = {3, 4}, dy = {1};
        std::vector<double> dx = {10, 10}, dw = {10, 10};
        linear_backward(x.data(), 1, 2, w.data(), 1, dy.data(), dx.data(), dw.data(), (double*)nullptr);
        CHECK(dx == std::vector<double>{13, 14});
        CHECK(dw == std::vector<double>{11, 12});
    }

    TEST_CASE("tanh backward matches finite differences; float tanh is within 2e-7 of the C library")
    {
        auto x = gc::normals(20, 5, 2.0);
        const auto g = gc::normals(20, 6);
        std::vector<double> y(20);
        const auto loss = [&] {
            tanh_forward(x.data(), x.size(), y.data());
            return weighted_sum(y, g);
        };
        loss();
        std::vector<double> dx(20, 0.0);
        tanh_backward(y.data(), g.data(), 20, dx.data());
        gc::expect_close(dx, gc::numeric(x, loss), 1e-8, "dx");
        for (float t : {-20.0f, -3.0f, -0.5f, -1e-3f, 0.0f, 1e-6f, 0.3f, 1.0f, 4.0f, 30.0f}) {
            float y32 = 0.0f;
            tanh_forward(&t, 1, &y32);
            CHECK(std::fabs(double(y32) - std::tanh(double(t))) <= 2e-7);
        }
    }

    TEST_CASE("softmax cross-entropy: value from the definition, gradient from finite differences")
    {
        const std::size_t rows = 4, classes = 3;
        auto z = gc::normals(rows * classes, 7, 3.0);
        const std::vector<std::int32_t> labels = {0, 2, 1, 2};
        std::vector<double> grad(rows * classes);
        const double loss = softmax_cross_entropy(z.data(), labels.data(), rows, classes, grad.data());
        double want = 0.0;
        for (std::size_t r = 0; r < rows; ++r) {
            double sum = 0.0;
            for (std::size_t c = 0; c < classes; ++c)
                sum += std::exp(z[r * classes + c]);
            want += -std::log(std::exp(z[r * classes + labels[r]]) / sum) / double(rows);
        }
        CHECK(loss == doctest::Approx(want).epsilon(1e-12));
        const auto f = [&] { return softmax_cross_entropy(z.data(), labels.data(), rows, classes, (double*)nullptr); };
        gc::expect_close(grad, gc::numeric(z, f), 1e-8, "dz");

        std::vector<float> z32(z.begin(), z.end()), grad32(rows * classes);
        const float loss32 = softmax_cross_entropy(z32.data(), labels.data(), rows, classes, grad32.data());
        CHECK(std::fabs(loss32 - loss) <= 1e-6 * std::max(1.0, loss));
        for (std::size_t i = 0; i < grad.size(); ++i)
            CHECK(std::fabs(grad32[i] - grad[i]) <= 1e-6);
    }

    TEST_CASE("cross-entropy of huge logits stays finite")
    {
        const std::vector<float> z = {1e30f, -1e30f, 0.0f, 3e38f, -3e38f, 1.0f};
        const std::vector<std::int32_t> labels = {1, 2};
        std::vector<float> grad(6);
        const float loss = softmax_cross_entropy(z.data(), labels.data(), 2, 3, grad.data());
        CHECK(std::isfinite(loss));
        for (float g : grad)
            CHECK(std::isfinite(g));
        CHECK(accuracy(z.data(), labels.data(), 2, 3) == 0.0);
    }

    TEST_CASE("squared error: value and gradient")
    {
        auto y = gc::normals(7, 8);
        const auto t = gc::normals(7, 9);
        std::vector<double> grad(7);
        const double loss = squared_error(y.data(), t.data(), 7, grad.data());
        double want = 0.0;
        for (std::size_t i = 0; i < 7; ++i)
            want += (y[i] - t[i]) * (y[i] - t[i]) / 7.0;
        CHECK(loss == doctest::Approx(want).epsilon(1e-12));
        const auto f = [&] { return squared_error(y.data(), t.data(), 7, (double*)nullptr); };
        gc::expect_close(grad, gc::numeric(y, f), 1e-8, "dy");
    }

    TEST_CASE("accuracy counts rows whose label has the strictly largest logit")
    {
        const std::vector<double> z = {2, 1, 0, 5, 1, 1, 3, 3};
        const std::vector<std::int32_t> labels = {0, 1, 0, 1};
        CHECK(accuracy(z.data(), labels.data(), 4, 2) == doctest::Approx(0.5)); // rows 3 and 4 tie: they lose
    }

    TEST_CASE("SGD steps by -lr g")
    {
        std::vector<float> p = {1.0f, -2.0f}, g = {0.5f, -4.0f};
        Optimizer sgd(OptimizerKind::sgd, 0.1f, 2);
        sgd.step(p.data(), g.data());
        CHECK(p[0] == doctest::Approx(0.95f));
        CHECK(p[1] == doctest::Approx(-1.6f));
    }

    TEST_CASE("Adam follows its formula for ten steps, and its first step is lr in size")
    {
        const std::size_t n = 3;
        std::vector<float> p = {1.0f, -1.0f, 0.5f};
        std::vector<double> ref(p.begin(), p.end()), m(n, 0.0), v(n, 0.0);
        Optimizer adam(OptimizerKind::adam, 0.05f, n);
        for (int t = 1; t <= 10; ++t) {
            // The gradient of sum_i (i + 1) p_i^2 / 2, at the current parameters.
            std::vector<float> g(n);
            for (std::size_t i = 0; i < n; ++i)
                g[i] = float(i + 1) * p[i];
            const std::vector<float> before = p;
            adam.step(p.data(), g.data());
            for (std::size_t i = 0; i < n; ++i) {
                const double gi = double(g[i]);
                m[i] = 0.9 * m[i] + 0.1 * gi;
                v[i] = 0.999 * v[i] + 0.001 * gi * gi;
                const double mh = m[i] / (1 - std::pow(0.9, t)), vh = v[i] / (1 - std::pow(0.999, t));
                ref[i] -= 0.05 * mh / (std::sqrt(vh) + 1e-8);
                CHECK(std::fabs(p[i] - ref[i]) <= 1e-5);
                if (t == 1)
                    CHECK(std::fabs(double(before[i] - p[i])) == doctest::Approx(0.05).epsilon(1e-4));
            }
        }
        CHECK(adam.steps() == 10);
    }

    TEST_CASE("SGD and Adam both descend a quadratic bowl")
    {
        for (OptimizerKind kind : {OptimizerKind::sgd, OptimizerKind::adam}) {
            std::vector<float> p = {3.0f, -2.0f};
            Optimizer opt(kind, kind == OptimizerKind::sgd ? 0.1f : 0.05f, 2);
            for (int t = 0; t < 300; ++t) {
                std::vector<float> g = {p[0], 4.0f * p[1]};
                opt.step(p.data(), g.data());
            }
            CHECK(std::fabs(p[0]) < 0.05f);
            CHECK(std::fabs(p[1]) < 0.05f);
        }
    }
}

TEST_SUITE("size products")
{
    TEST_CASE("size_product refuses products that wrap around, and only those")
    {
        std::size_t out = 7;
        CHECK(attn::training::size_product({3, 4, 5}, out));
        CHECK(out == 60);
        const std::size_t half = std::numeric_limits<std::size_t>::max() / 2 + 1;
        CHECK_FALSE(attn::training::size_product({half, 2}, out));
        CHECK(out == 0);
        CHECK(attn::training::size_product({half, 1, 0}, out));
        CHECK(out == 0);
        CHECK_FALSE(attn::training::size_product({1000, 1000}, out, 999999));
        CHECK(attn::training::size_product({1000, 1000}, out, 1000000));
    }
}
