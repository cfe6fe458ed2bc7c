// The only file that knows Emscripten: exposes the core to JavaScript through Embind.
//
// Arrays cross as byte offsets into the WASM heap; the JS layer (lab.mjs) allocates with
// _malloc, copies typed arrays in and out, and turns the returned message into an Error.
// Each function turns offsets into pointers (0 is "not wanted") and forwards to
// src/entry_points.hpp, which checks every argument and never throws or aborts, so no
// call can leave the module in a broken state.
#include <cstdint>
#include <string>

#include <emscripten/bind.h>
#include <malloc.h>

#include "../entry_points.hpp"
#include "../kernels/finite.hpp"
#include "../kernels/simd.hpp"

namespace {

float* floats(std::uintptr_t offset) { return reinterpret_cast<float*>(offset); }

std::string attention(std::uintptr_t q, std::uintptr_t k, std::uintptr_t v, std::size_t heads,
                      std::size_t nq, std::size_t nk, std::size_t dk, std::size_t dv, int scaling,
                      float temperature, int mask, std::size_t window, std::uintptr_t weights,
                      std::uintptr_t logits, std::uintptr_t output)
{
    return attn::entry::attention(floats(q), floats(k), floats(v), heads, nq, nk, dk, dv, scaling, temperature,
                                  mask, window, floats(weights), floats(logits), floats(output));
}

/// active: 0 (every head on) or heads int32 flags. With weights, head_entropy (heads x n),
/// mixture (n, over the active heads), head_outputs and values (n x dModel) are written too.
std::string multi_head_attention(std::uintptr_t x, std::size_t n, std::size_t d_model,
                                 std::size_t heads, std::uintptr_t wq, std::uintptr_t wk,
                                 std::uintptr_t wv, std::uintptr_t wo, int mask,
                                 std::size_t window, bool tie_kv, std::uintptr_t active,
                                 std::uintptr_t output, std::uintptr_t weights,
                                 std::uintptr_t head_entropy, std::uintptr_t mixture,
                                 std::uintptr_t head_outputs, std::uintptr_t values)
{
    return attn::entry::multi_head_attention(floats(x), n, d_model, heads, floats(wq), floats(wk), floats(wv),
                                             floats(wo), mask, window, tie_kv, floats(output), floats(weights),
                                             floats(head_entropy), reinterpret_cast<const std::int32_t*>(active),
                                             floats(mixture), floats(head_outputs), floats(values));
}

std::string row_statistic(std::string name, std::uintptr_t weights, std::size_t heads,
                          std::size_t rows, std::size_t cols, std::uintptr_t out)
{
    return attn::entry::row_statistic(name, floats(weights), heads, rows, cols, floats(out));
}

/// The variance goes to `out` as one double (8 bytes; malloc aligns to 8).
std::string variance(std::uintptr_t values, std::size_t count, std::uintptr_t out)
{
    return attn::entry::variance(floats(values), count, reinterpret_cast<double*>(out));
}

std::string random_normal(double seed, std::size_t count, std::uintptr_t out)
{
    return attn::entry::random_normal(seed, count, floats(out));
}

std::string scaling_experiment(std::size_t dk, std::size_t samples, std::size_t keys, double seed,
                               int scaling, std::uintptr_t out)
{
    return attn::entry::scaling_experiment(dk, samples, keys, seed, scaling, floats(out));
}

/// Index of the first NaN or infinity in count floats at `values`, or count.
std::size_t first_non_finite(std::uintptr_t values, std::size_t count)
{
    return attn::first_non_finite(floats(values), count);
}

std::size_t scratch_bytes() { return attn::entry::last_scratch_bytes(); }

std::size_t retained_scratch_bytes() { return attn::entry::retained_scratch_bytes(); }

/// Bytes malloc has handed out and not had back: what a leak would raise (for tests).
std::size_t heap_bytes_in_use() { return mallinfo().uordblks; }

bool simd_enabled() { return attn::simd::enabled; }

} // namespace

EMSCRIPTEN_BINDINGS(attention_lab)
{
    emscripten::function("attention", &attention);
    emscripten::function("multiHeadAttention", &multi_head_attention);
    emscripten::function("rowStatistic", &row_statistic);
    emscripten::function("variance", &variance);
    emscripten::function("randomNormal", &random_normal);
    emscripten::function("scalingExperiment", &scaling_experiment);
    emscripten::function("firstNonFinite", &first_non_finite);
    emscripten::function("lastScratchBytes", &scratch_bytes);
    emscripten::function("retainedScratchBytes", &retained_scratch_bytes);
    emscripten::function("heapBytesInUse", &heap_bytes_in_use);
    emscripten::function("simdEnabled", &simd_enabled);
}
