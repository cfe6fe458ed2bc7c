#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "multihead.hpp"
#include "reference.hpp"

namespace {

// float64 multi-head attention from the definition.
std::vector<double> reference_mha(const std::vector<float>& x, const std::vector<float>& wq,
                                  const std::vector<float>& wk, const std::vector<float>& wv,
                                  const std::vector<float>& wo, std::size_t n, std::size_t dm,
                                  std::size_t heads, attn::Mask mask, std::size_t window,
                                  std::vector<double>& weights)
{
    auto project = [&](const std::vector<float>& w) {
        std::vector<double> p(n * dm, 0.0);
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t c = 0; c < dm; ++c)
                for (std::size_t d = 0; d < dm; ++d)
                    p[i * dm + c] += double(x[i * dm + d]) * w[d * dm + c];
        return p;
    };
    const auto q = project(wq), k = project(wk), v = project(wv);
    const std::size_t dh = dm / heads;
    std::vector<double> concat(n * dm, 0.0);
    weights.assign(heads * n * n, 0.0);
    attn::AttentionOptions o;
    o.mask = mask;
    o.window = window;
    for (std::size_t h = 0; h < heads; ++h)
        for (std::size_t i = 0; i < n; ++i) {
            std::vector<double> logit(n, -INFINITY);
            double m = -INFINITY;
            for (std::size_t j = 0; j < n; ++j) {
                if (!reference::visible(o, i, j))
                    continue;
                double dot = 0;
                for (std::size_t d = 0; d < dh; ++d)
                    dot += q[i * dm + h * dh + d] * k[j * dm + h * dh + d];
                logit[j] = dot / std::sqrt(double(dh));
                m = std::max(m, logit[j]);
            }
            double z = 0;
            for (double l : logit)
                if (l != -INFINITY)
                    z += std::exp(l - m);
            for (std::size_t j = 0; j < n; ++j) {
                const double w = logit[j] == -INFINITY ? 0.0 : std::exp(logit[j] - m) / z;
                weights[(h * n + i) * n + j] = w;
                for (std::size_t d = 0; d < dh; ++d)
                    concat[i * dm + h * dh + d] += w * v[j * dm + h * dh + d];
            }
        }
    std::vector<double> out(n * dm, 0.0);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t c = 0; c < dm; ++c)
            for (std::size_t d = 0; d < dm; ++d)
                out[i * dm + c] += concat[i * dm + d] * wo[d * dm + c];
    return out;
}

} // namespace

TEST_SUITE("multihead")
{
    TEST_CASE("multi-head attention matches the float64 reference, per head and tied")
    {
        struct Shape { std::size_t n, dm, heads; };
        for (Shape sh : {Shape{1, 1, 1}, Shape{5, 6, 3}, Shape{9, 8, 2}, Shape{17, 12, 4}, Shape{33, 16, 8}, Shape{3, 1024, 16}}) {
            for (attn::Mask mask : {attn::Mask::none, attn::Mask::causal, attn::Mask::local}) {
                for (bool tie : {false, true}) {
                    CAPTURE(sh.n);
                    CAPTURE(sh.dm);
                    CAPTURE(int(mask));
                    CAPTURE(tie);
                    const float ws = 1.0f / std::sqrt(float(sh.dm));
                    const auto x = reference::normals(sh.n * sh.dm, sh.n);
                    const auto wq = reference::normals(sh.dm * sh.dm, 2, ws), wk = reference::normals(sh.dm * sh.dm, 3, ws),
                               wv = reference::normals(sh.dm * sh.dm, 4, ws), wo = reference::normals(sh.dm * sh.dm, 5, ws);
                    std::vector<double> ref_w;
                    const auto ref = reference_mha(x, wq, wk, tie ? wk : wv, wo, sh.n, sh.dm, sh.heads, mask, 1, ref_w);

                    attn::MultiHeadOptions o;
                    o.mask = mask;
                    o.window = 1;
                    o.tie_kv = tie;
                    attn::Workspace workspace;
                    std::vector<float> out(sh.n * sh.dm), w(sh.heads * sh.n * sh.n), h(sh.heads * sh.n), fused(sh.n * sh.dm);
                    REQUIRE(attn::multi_head_attention(x.data(), wq.data(), wk.data(), tie ? nullptr : wv.data(), wo.data(),
                                                       {sh.n, sh.dm, sh.heads}, o, workspace, out.data(), w.data(), h.data()) == "");
                    REQUIRE(attn::multi_head_attention(x.data(), wq.data(), wk.data(), tie ? nullptr : wv.data(), wo.data(),
                                                       {sh.n, sh.dm, sh.heads}, o, workspace, fused.data(), nullptr, nullptr) == "");
                    for (std::size_t i = 0; i < out.size(); ++i) {
                        CHECK(std::fabs(out[i] - ref[i]) <= 1e-5);
                        CHECK(std::fabs(fused[i] - ref[i]) <= 1e-5);
                    }
                    for (std::size_t i = 0; i < w.size(); ++i)
                        CHECK(std::fabs(w[i] - ref_w[i]) <= 1e-5);
                    for (std::size_t r = 0; r < sh.heads * sh.n; ++r) {
                        double entropy = 0;
                        for (std::size_t j = 0; j < sh.n; ++j) {
                            const double p = ref_w[r * sh.n + j];
                            if (p > 0)
                                entropy -= p * std::log(p);
                        }
                        CHECK(h[r] == doctest::Approx(entropy).epsilon(1e-4).scale(1.0));
                    }
                }
            }
        }
    }

    TEST_CASE("a head switched off adds nothing to the output but keeps its weights; head outputs and values")
    {
        const std::size_t n = 7, dm = 12, heads = 3, dh = 4;
        const float ws = 1.0f / std::sqrt(float(dm));
        const auto x = reference::normals(n * dm, 31);
        const auto wq = reference::normals(dm * dm, 32, ws), wk = reference::normals(dm * dm, 33, ws),
                   wv = reference::normals(dm * dm, 34, ws), wo = reference::normals(dm * dm, 35, ws);
        for (bool tie : {false, true}) {
            CAPTURE(tie);
            std::vector<double> all_w;
            const auto all = reference_mha(x, wq, wk, tie ? wk : wv, wo, n, dm, heads, attn::Mask::none, 0, all_w);
            // head 1 off: the same as the reference with head 1's rows of Wo zeroed
            auto wo_without = wo;
            for (std::size_t r = dh; r < 2 * dh; ++r)
                for (std::size_t c = 0; c < dm; ++c)
                    wo_without[r * dm + c] = 0.0f;
            std::vector<double> ignored;
            const auto without = reference_mha(x, wq, wk, tie ? wk : wv, wo_without, n, dm, heads, attn::Mask::none, 0, ignored);
            const unsigned char active[] = {1, 0, 1};
            attn::MultiHeadOptions o;
            o.tie_kv = tie;
            o.active = active;
            attn::Workspace workspace;
            std::vector<float> out(n * dm), w(heads * n * n), h(heads * n), concat(n * dm), values(n * dm), fused(n * dm);
            REQUIRE(attn::multi_head_attention(x.data(), wq.data(), wk.data(), tie ? nullptr : wv.data(), wo.data(),
                                               {n, dm, heads}, o, workspace, out.data(), w.data(), h.data(),
                                               concat.data(), values.data()) == "");
            REQUIRE(attn::multi_head_attention(x.data(), wq.data(), wk.data(), tie ? nullptr : wv.data(), wo.data(),
                                               {n, dm, heads}, o, workspace, fused.data(), nullptr, nullptr) == "");
            for (std::size_t i = 0; i < n * dm; ++i) {
                CHECK(std::fabs(out[i] - without[i]) <= 1e-5);
                CHECK(std::fabs(fused[i] - without[i]) <= 1e-5);
            }
            for (std::size_t i = 0; i < w.size(); ++i)
                CHECK(std::fabs(w[i] - all_w[i]) <= 1e-5); // every head's weights, head 1's too
            // values: x Wv (x Wk when tied); head outputs: each head's blend of its block of V
            const auto& wvalue = tie ? wk : wv;
            for (std::size_t i = 0; i < n; ++i)
                for (std::size_t c = 0; c < dm; ++c) {
                    double v = 0;
                    for (std::size_t d = 0; d < dm; ++d)
                        v += double(x[i * dm + d]) * wvalue[d * dm + c];
                    CHECK(std::fabs(values[i * dm + c] - v) <= 1e-5);
                }
            for (std::size_t hh = 0; hh < heads; ++hh)
                for (std::size_t i = 0; i < n; ++i)
                    for (std::size_t c = hh * dh; c < (hh + 1) * dh; ++c) {
                        double blend = 0;
                        for (std::size_t j = 0; j < n; ++j)
                            blend += all_w[(hh * n + i) * n + j] * values[j * dm + c];
                        CHECK(std::fabs(concat[i * dm + c] - (active[hh] ? blend : 0.0)) <= 1e-5);
                    }
        }
    }

    TEST_CASE("check_multi_head names the bad argument")
    {
        CHECK(attn::check_multi_head({0, 4, 2}).find("n ") == 0);
        CHECK(attn::check_multi_head({3, 0, 2}).find("dModel") == 0);
        CHECK(attn::check_multi_head({3, 4, 0}).find("heads") == 0);
        CHECK(attn::check_multi_head({3, 6, 4}).find("dModel must be divisible by heads") == 0);
        CHECK(attn::check_multi_head({3, 8, 4}).empty());
    }
}
