#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "context/attention_reader.hpp"
#include "context/conv_reader.hpp"
#include "context/influence.hpp"
#include "context/rnn_reader.hpp"
#include "rng.hpp"

namespace {

using attn::Reader;

std::vector<float> influence_of(const attn::InfluenceSpec& spec)
{
    std::vector<float> out(spec.n, -1.0f);
    const std::string error = attn::influence(spec, out.data());
    REQUIRE(error == "");
    return out;
}

attn::InfluenceSpec spec_of(Reader reader, std::size_t n, std::size_t position, std::uint64_t seed)
{
    attn::InfluenceSpec s;
    s.reader = reader;
    s.n = n;
    s.position = position;
    s.seed = seed;
    return s;
}

/// Checks that out[j] != 0 exactly for j in [first, last].
void check_support(const std::vector<float>& out, std::size_t first, std::size_t last)
{
    for (std::size_t j = 0; j < out.size(); ++j) {
        CAPTURE(j);
        CHECK(std::isfinite(out[j]));
        if (j >= first && j <= last)
            CHECK(out[j] > 0.0f);
        else
            CHECK(out[j] == 0.0f);
    }
}

/// |d y_p / d x_j|_F by central differences of the reader's own forward pass.
template <class AnyReader>
std::vector<double> finite_difference_influence(const AnyReader& reader, std::vector<double> tokens,
                                                std::size_t n, std::size_t p)
{
    const double h = 1e-5;
    std::vector<double> norms(n, 0.0);
    for (std::size_t j = 0; j < n; ++j)
        for (std::size_t c = 0; c < attn::token_dim; ++c) {
            double& x = tokens[j * attn::token_dim + c];
            const double saved = x;
            x = saved + h;
            const std::vector<double> plus = reader.read(tokens.data(), n, p);
            x = saved - h;
            const std::vector<double> minus = reader.read(tokens.data(), n, p);
            x = saved;
            for (std::size_t k = 0; k < plus.size(); ++k) {
                const double slope = (plus[k] - minus[k]) / (2 * h);
                norms[j] += slope * slope;
            }
        }
    for (double& v : norms)
        v = std::sqrt(v);
    return norms;
}

template <class AnyReader>
void check_against_finite_differences(const AnyReader& reader, std::size_t n, std::size_t p, std::uint64_t seed)
{
    const std::vector<double> tokens = attn::context_tokens(n, seed);
    std::vector<double> exact(n);
    reader.influence(tokens.data(), n, p, exact.data());
    const std::vector<double> estimate = finite_difference_influence(reader, tokens, n, p);
    for (std::size_t j = 0; j < n; ++j) {
        CAPTURE(j);
        CHECK(std::fabs(exact[j] - estimate[j]) <= 1e-7 + 1e-6 * estimate[j]);
    }
}

} // namespace

TEST_SUITE("influence")
{
    TEST_CASE("the convolution sees exactly layers * (kernel - 1) / 2 tokens on each side")
    {
        for (std::size_t kernel : {1, 3, 5, 15})
            for (std::size_t layers : {1, 2, 5, 16})
                for (std::size_t position : {0, 17, 40, 63}) {
                    attn::InfluenceSpec s = spec_of(Reader::conv, 64, position, 3 + kernel + layers);
                    s.layers = layers;
                    s.kernel = kernel;
                    const std::size_t reach = layers * (kernel - 1) / 2;
                    CAPTURE(kernel);
                    CAPTURE(layers);
                    CAPTURE(position);
                    check_support(influence_of(s), position > reach ? position - reach : 0,
                                  position + reach < 63 ? position + reach : 63);
                }
    }

    TEST_CASE("local attention sees exactly layers * window tokens on each side; global sees all")
    {
        for (std::size_t window : {0, 1, 3, 16})
            for (std::size_t layers : {1, 2, 4, 16})
                for (std::size_t position : {0, 30, 99}) {
                    attn::InfluenceSpec s = spec_of(Reader::local, 100, position, 7 * window + layers);
                    s.layers = layers;
                    s.window = window;
                    const std::size_t reach = layers * window;
                    CAPTURE(window);
                    CAPTURE(layers);
                    CAPTURE(position);
                    check_support(influence_of(s), position > reach ? position - reach : 0,
                                  position + reach < 99 ? position + reach : 99);
                }
        for (std::size_t position : {0, 50, 99})
            check_support(influence_of(spec_of(Reader::global, 100, position, 5)), 0, 99);
    }

    TEST_CASE("the RNN is causal: tokens after the position have no influence, earlier ones do")
    {
        for (std::size_t hidden : {1, 4, 16, 32})
            for (std::size_t position : {0, 5, 39}) {
                attn::InfluenceSpec s = spec_of(Reader::rnn, 40, position, hidden);
                s.hidden = hidden;
                CAPTURE(hidden);
                CAPTURE(position);
                check_support(influence_of(s), 0, position);
            }
    }

    TEST_CASE("the receptive field is exactly where the influence is nonzero")
    {
        for (Reader reader : {Reader::conv, Reader::rnn, Reader::local, Reader::global})
            for (std::size_t position : {0, 9, 25}) {
                attn::InfluenceSpec s = spec_of(reader, 26, position, 11);
                s.layers = 3;
                s.kernel = 5;
                s.window = 2;
                const attn::TokenRange field = attn::receptive_field(s);
                CAPTURE(int(reader));
                CAPTURE(position);
                check_support(influence_of(s), field.first, field.last);
            }
    }

    TEST_CASE("path_length is the fewest layers at which the token starts to count")
    {
        for (Reader reader : {Reader::conv, Reader::local})
            for (std::size_t width : {1, 2, 3})
                for (std::int64_t distance : {-9, -4, 0, 1, 5, 9}) {
                    attn::InfluenceSpec s = spec_of(reader, 40, 20, 2);
                    s.kernel = 2 * width + 1;
                    s.window = width;
                    const std::size_t needed = attn::path_length(s, distance);
                    CAPTURE(int(reader));
                    CAPTURE(width);
                    CAPTURE(distance);
                    REQUIRE(needed >= 1);
                    for (std::size_t layers = 1; layers <= needed; ++layers) {
                        s.layers = layers;
                        const bool reached = influence_of(s)[std::size_t(20 - distance)] > 0.0f;
                        CHECK(reached == (layers == needed));
                    }
                }
        attn::InfluenceSpec s = spec_of(Reader::conv, 8, 0, 1);
        s.kernel = 3;
        CHECK(attn::path_length(s, 9) == 9);
        s.kernel = 1;
        CHECK(attn::path_length(s, 0) == 1);
        CHECK(attn::path_length(s, 1) == 0); // a width-1 convolution never mixes tokens
        s.reader = Reader::local;
        s.window = 0;
        CHECK(attn::path_length(s, -1) == 0);
        s.window = 4;
        CHECK(attn::path_length(s, -9) == 3);
        s.reader = Reader::global;
        CHECK(attn::path_length(s, 1000000) == 1);
        s.reader = Reader::rnn;
        CHECK(attn::path_length(s, 0) == 1);
        CHECK(attn::path_length(s, 12) == 13);
        CHECK(attn::path_length(s, -1) == 0);
    }

    TEST_CASE("the Jacobian norms match central finite differences of the same forward pass")
    {
        for (std::uint64_t seed : {1u, 2u, 3u}) {
            attn::Random r1(seed, attn::weight_stream), r2(seed, attn::weight_stream),
                r3(seed, attn::weight_stream), r4(seed, attn::weight_stream), r5(seed, attn::weight_stream);
            check_against_finite_differences(attn::ConvReader(3, 3, r1), 12, 5, seed);
            check_against_finite_differences(attn::ConvReader(2, 5, r2), 9, 0, seed);
            check_against_finite_differences(attn::RnnReader(6, 0.9, r3), 10, 7, seed);
            check_against_finite_differences(attn::AttentionReader(3, 1, r4), 11, 6, seed);
            check_against_finite_differences(attn::AttentionReader(1, attn::AttentionReader::unmasked, r5), 9, 8, seed);
        }
    }

    TEST_CASE("the recurrent matrix has every singular value equal to spectral_norm")
    {
        for (std::size_t h : {1, 2, 7, 32}) {
            attn::Random random(h, attn::weight_stream);
            const attn::RnnReader rnn(h, 0.9, random);
            const std::vector<double>& w = rnn.recurrent_weights();
            for (std::size_t a = 0; a < h; ++a)
                for (std::size_t b = 0; b < h; ++b) {
                    double dot = 0; // (W W^T)[a][b] = 0.81 delta_ab
                    for (std::size_t c = 0; c < h; ++c)
                        dot += w[a * h + c] * w[b * h + c];
                    CHECK(std::fabs(dot - (a == b ? 0.81 : 0.0)) < 1e-13);
                }
        }
    }

    TEST_CASE("a contractive RNN forgets at least as fast as spectral_norm^distance")
    {
        for (double rho : {0.05, 0.5, 0.9, 1.0}) {
            attn::InfluenceSpec s = spec_of(Reader::rnn, 1024, 1000, 4);
            s.spectral_norm = rho;
            const std::vector<float> out = influence_of(s);
            attn::Random random(s.seed, attn::weight_stream);
            const attn::RnnReader rnn(s.hidden, rho, random);
            double wx = 0;
            for (double w : rnn.input_weights())
                wx += w * w;
            CAPTURE(rho);
            for (std::size_t j = 0; j <= 1000; ++j) {
                CAPTURE(j);
                CHECK(double(out[j]) <= std::pow(rho, double(1000 - j)) * std::sqrt(wx) * (1 + 1e-6) + 1e-44);
            }
            CHECK(out[1000] > 0.0f);
            CHECK(out[990] > 0.0f);
        }
    }

    TEST_CASE("influences stay readable at every reader's largest depth")
    {
        // Neither vanishing nor exploding: the output's own token and its neighbours keep
        // influences between 1e-3 and 10 at the deepest settings.
        attn::InfluenceSpec conv = spec_of(Reader::conv, 64, 32, 1);
        conv.layers = 16;
        conv.kernel = 3;
        attn::InfluenceSpec local = spec_of(Reader::local, 64, 32, 1);
        local.layers = 16;
        local.window = 1;
        attn::InfluenceSpec rnn = spec_of(Reader::rnn, 64, 32, 1);
        rnn.hidden = 32;
        for (const attn::InfluenceSpec& s : {conv, local, rnn, spec_of(Reader::global, 64, 32, 1)}) {
            const std::vector<float> out = influence_of(s);
            CAPTURE(int(s.reader));
            for (std::size_t j = 30; j <= 32; ++j) {
                CAPTURE(j);
                CHECK(out[j] > 1e-3f);
                CHECK(out[j] < 10.0f);
            }
        }
    }

    TEST_CASE("every reader reads the same tokens: the default stream of the seed, a prefix for shorter n")
    {
        const std::vector<double> long_tokens = attn::context_tokens(20, 9), short_tokens = attn::context_tokens(5, 9);
        attn::Random random(9);
        for (std::size_t i = 0; i < long_tokens.size(); ++i) {
            CHECK(long_tokens[i] == double(random.normal()));
            if (i < short_tokens.size())
                CHECK(short_tokens[i] == long_tokens[i]);
        }
        // An RNN output at p ignores later tokens, so a longer sentence changes nothing up to p.
        attn::InfluenceSpec s = spec_of(Reader::rnn, 10, 6, 9);
        const std::vector<float> a = influence_of(s);
        s.n = 30;
        const std::vector<float> b = influence_of(s);
        for (std::size_t j = 0; j < 10; ++j)
            CHECK(a[j] == b[j]);
    }

    TEST_CASE("bad specs are refused with a message naming the field")
    {
        const auto message = [](attn::InfluenceSpec s) {
            std::vector<float> out(s.n + 1);
            return attn::influence(s, out.data());
        };
        attn::InfluenceSpec s = spec_of(Reader::conv, 10, 3, 1);
        CHECK(message(s) == "");
        s.n = 0;
        CHECK(message(s).rfind("n must", 0) == 0);
        s.n = 1025;
        CHECK(message(s).rfind("n must", 0) == 0);
        s = spec_of(Reader::conv, 10, 10, 1);
        CHECK(message(s).rfind("position must", 0) == 0);
        s = spec_of(Reader::conv, 10, 3, 1);
        s.kernel = 4;
        CHECK(message(s).rfind("kernel must", 0) == 0);
        s.kernel = 17;
        CHECK(message(s).rfind("kernel must", 0) == 0);
        s.kernel = 3;
        s.layers = 0;
        CHECK(message(s).rfind("layers must", 0) == 0);
        s.layers = 17;
        CHECK(message(s).rfind("layers must", 0) == 0);
        s = spec_of(Reader::local, 10, 3, 1);
        s.window = 17;
        CHECK(message(s).rfind("window must", 0) == 0);
        s = spec_of(Reader::rnn, 10, 3, 1);
        s.hidden = 33;
        CHECK(message(s).rfind("hidden must", 0) == 0);
        s.hidden = 4;
        s.spectral_norm = 1.01;
        CHECK(message(s).rfind("spectralNorm must", 0) == 0);
        s.spectral_norm = NAN;
        CHECK(message(s).rfind("spectralNorm must", 0) == 0);
    }
}
