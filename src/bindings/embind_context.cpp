// Embind for the context lesson's core: the readers' influence, their receptive field and
// path length, and the best monotonic alignment. Arrays cross as byte offsets into the
// WASM heap (context-api.mjs allocates them); every function returns "" or a message.
#include <cmath>
#include <cstdint>
#include <string>

#include <emscripten/bind.h>

#include "../context/influence.hpp"
#include "../context/monotonic_alignment.hpp"

namespace {

std::string to_spec(int reader, std::size_t n, std::size_t position, std::size_t layers,
                    std::size_t kernel, std::size_t window, std::size_t hidden,
                    double spectral_norm, double seed, attn::InfluenceSpec& spec)
{
    if (reader < 0 || reader > 3)
        return "reader must be 'conv', 'rnn', 'local' or 'global'";
    const attn::Reader readers[] = {attn::Reader::conv, attn::Reader::rnn, attn::Reader::local,
                                    attn::Reader::global};
    spec.reader = readers[reader];
    spec.n = n;
    spec.position = position;
    spec.layers = layers;
    spec.kernel = kernel;
    spec.window = window;
    spec.hidden = hidden;
    spec.spectral_norm = spectral_norm;
    if (!(seed >= 0 && seed <= 9007199254740991.0))
        return "seed must be a non-negative integer (at most 2^53 - 1)";
    spec.seed = static_cast<std::uint64_t>(seed);
    return attn::check_influence(spec);
}

std::string influence(int reader, std::size_t n, std::size_t position, std::size_t layers,
                      std::size_t kernel, std::size_t window, std::size_t hidden,
                      double spectral_norm, double seed, std::uintptr_t out)
{
    attn::InfluenceSpec spec;
    const std::string error = to_spec(reader, n, position, layers, kernel, window, hidden,
                                      spectral_norm, seed, spec);
    return error.empty() ? attn::influence(spec, reinterpret_cast<float*>(out)) : error;
}

/// Writes first and last (int32) of the tokens the output at `position` can see.
std::string receptive_field(int reader, std::size_t n, std::size_t position, std::size_t layers,
                            std::size_t kernel, std::size_t window, std::uintptr_t out)
{
    attn::InfluenceSpec spec;
    const std::string error = to_spec(reader, n, position, layers, kernel, window, 1, 0.0, 0, spec);
    if (!error.empty())
        return error;
    const attn::TokenRange field = attn::receptive_field(spec);
    auto* range = reinterpret_cast<std::int32_t*>(out);
    range[0] = std::int32_t(field.first);
    range[1] = std::int32_t(field.last);
    return "";
}

/// Layers or steps to connect tokens `distance` apart; Infinity if none ever do.
double path_length(int reader, double distance, std::size_t kernel, std::size_t window)
{
    attn::InfluenceSpec spec;
    if (!to_spec(reader, 1, 0, 1, kernel, window, 1, 0.0, 0, spec).empty() || !(std::fabs(distance) <= 2147483647.0))
        return NAN;
    const std::size_t length = attn::path_length(spec, static_cast<std::int64_t>(distance));
    return length == 0 ? INFINITY : double(length);
}

struct InfluenceLimits {
    double max_n = attn::influence_bounds::max_n;
    double max_layers = attn::influence_bounds::max_layers;
    double max_kernel = attn::influence_bounds::max_kernel;
    double max_window = attn::influence_bounds::max_window;
    double max_hidden = attn::influence_bounds::max_hidden;
    double max_spectral_norm = attn::influence_bounds::max_spectral_norm;
    double token_dim = attn::token_dim;
};

InfluenceLimits influence_limits() { return {}; }

struct AlignmentResult {
    std::string error;
    double total = 0;
    double misaligned = 0; ///< how many rows were written to misaligned_rows
};

AlignmentResult monotonic_alignment(std::uintptr_t scores, std::size_t rows, std::size_t cols,
                                    std::uintptr_t path, std::uintptr_t misaligned_rows)
{
    attn::MonotonicAlignment alignment;
    AlignmentResult result;
    result.error = attn::monotonic_alignment(reinterpret_cast<const float*>(scores), rows, cols,
                                             reinterpret_cast<std::int32_t*>(path),
                                             reinterpret_cast<std::int32_t*>(misaligned_rows), alignment);
    result.total = alignment.total;
    result.misaligned = double(alignment.misaligned);
    return result;
}

} // namespace

EMSCRIPTEN_BINDINGS(context)
{
    emscripten::value_object<AlignmentResult>("AlignmentResult")
        .field("error", &AlignmentResult::error)
        .field("total", &AlignmentResult::total)
        .field("misaligned", &AlignmentResult::misaligned);
    emscripten::value_object<InfluenceLimits>("InfluenceLimits")
        .field("maxN", &InfluenceLimits::max_n)
        .field("maxLayers", &InfluenceLimits::max_layers)
        .field("maxKernel", &InfluenceLimits::max_kernel)
        .field("maxWindow", &InfluenceLimits::max_window)
        .field("maxHidden", &InfluenceLimits::max_hidden)
        .field("maxSpectralNorm", &InfluenceLimits::max_spectral_norm)
        .field("tokenDim", &InfluenceLimits::token_dim);
    emscripten::function("influenceLimits", &influence_limits);
    emscripten::function("influence", &influence);
    emscripten::function("receptiveField", &receptive_field);
    emscripten::function("pathLength", &path_length);
    emscripten::function("monotonicAlignment", &monotonic_alignment);
}
