#include "influence.hpp"

#include <vector>

#include "../rng.hpp"
#include "attention_reader.hpp"
#include "conv_reader.hpp"
#include "rnn_reader.hpp"

namespace attn {

namespace b = influence_bounds;

std::string check_influence(const InfluenceSpec& s)
{
    if (s.n < 1 || s.n > b::max_n)
        return "n must be an integer from 1 to " + std::to_string(b::max_n);
    if (s.position >= s.n)
        return "position must be an integer from 0 to n - 1 = " + std::to_string(s.n - 1);
    const bool layered = s.reader == Reader::conv || s.reader == Reader::local;
    if (layered && (s.layers < 1 || s.layers > b::max_layers))
        return "layers must be an integer from 1 to " + std::to_string(b::max_layers);
    if (s.reader == Reader::conv && (s.kernel % 2 == 0 || s.kernel > b::max_kernel))
        return "kernel must be an odd integer from 1 to " + std::to_string(b::max_kernel);
    if (s.reader == Reader::local && s.window > b::max_window)
        return "window must be an integer from 0 to " + std::to_string(b::max_window);
    if (s.reader == Reader::rnn && (s.hidden < 1 || s.hidden > b::max_hidden))
        return "hidden must be an integer from 1 to " + std::to_string(b::max_hidden);
    if (s.reader == Reader::rnn && !(s.spectral_norm >= 0.0 && s.spectral_norm <= b::max_spectral_norm))
        return "spectralNorm must be a number from 0 to 1";
    return "";
}

std::vector<double> context_tokens(std::size_t n, std::uint64_t seed)
{
    Random random(seed);
    std::vector<double> tokens(n * token_dim);
    for (double& x : tokens)
        x = double(random.normal());
    return tokens;
}

std::string influence(const InfluenceSpec& s, float* out)
{
    std::string error = check_influence(s);
    if (!error.empty())
        return error;
    const std::vector<double> tokens = context_tokens(s.n, s.seed);
    Random random(s.seed, weight_stream);
    std::vector<double> norms(s.n);
    switch (s.reader) {
    case Reader::conv:
        ConvReader(s.layers, s.kernel, random).influence(tokens.data(), s.n, s.position, norms.data());
        break;
    case Reader::rnn:
        RnnReader(s.hidden, s.spectral_norm, random).influence(tokens.data(), s.n, s.position, norms.data());
        break;
    case Reader::local:
        AttentionReader(s.layers, s.window, random).influence(tokens.data(), s.n, s.position, norms.data());
        break;
    case Reader::global:
        AttentionReader(1, AttentionReader::unmasked, random).influence(tokens.data(), s.n, s.position, norms.data());
        break;
    }
    for (std::size_t j = 0; j < s.n; ++j)
        out[j] = float(norms[j]);
    return "";
}

TokenRange receptive_field(const InfluenceSpec& s)
{
    TokenSpan seen{0, s.n};
    if (s.reader == Reader::conv)
        seen = span_around(s.n, s.position, s.layers * ((s.kernel - 1) / 2));
    else if (s.reader == Reader::local)
        seen = span_around(s.n, s.position, s.layers * s.window);
    else if (s.reader == Reader::rnn)
        seen.end = s.position + 1;
    return {seen.begin, seen.end - 1};
}

std::size_t path_length(const InfluenceSpec& s, std::int64_t distance)
{
    const std::uint64_t far = distance < 0 ? std::uint64_t(-(distance + 1)) + 1 : std::uint64_t(distance);
    const auto layers_for = [far](std::uint64_t per_layer) -> std::size_t {
        if (far == 0)
            return 1;
        if (per_layer == 0)
            return 0;
        return std::size_t((far + per_layer - 1) / per_layer);
    };
    switch (s.reader) {
    case Reader::conv: return layers_for((s.kernel - 1) / 2);
    case Reader::local: return layers_for(s.window);
    case Reader::global: return 1;
    case Reader::rnn: return distance < 0 ? 0 : std::size_t(far + 1);
    }
    return 0;
}

} // namespace attn
