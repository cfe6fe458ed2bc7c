// Embind for the pointer chase (src/pointer_chase.hpp): lesson 5, stacking layers.
//
// Arrays cross as byte offsets into the WASM heap (see embind.cpp); integer arrays
// (pointers, positions, targets) are int32. Every function returns "" or a message
// naming the bad argument.
#include <cstdint>
#include <string>

#include <emscripten/bind.h>

#include "../pointer_chase.hpp"

namespace {

attn::Workspace& workspace()
{
    static attn::Workspace w;
    return w;
}

float* floats(std::uintptr_t offset) { return reinterpret_cast<float*>(offset); }
std::int32_t* ints(std::uintptr_t offset) { return reinterpret_cast<std::int32_t*>(offset); }

/// accuracy: layers + 1 floats, the accuracy after each layer, then the answer's.
std::string pointer_chase(std::uintptr_t pointers, std::size_t n, std::size_t layers, std::size_t hops,
                          float sharpness, std::size_t dim, double seed, std::uintptr_t positions,
                          std::uintptr_t weights, std::uintptr_t outputs, std::uintptr_t codes,
                          std::uintptr_t targets, std::uintptr_t accuracy)
{
    attn::PointerChase chase;
    chase.n = n;
    chase.layers = layers;
    chase.hops = hops;
    chase.sharpness = sharpness;
    chase.dim = dim;
    chase.seed = static_cast<std::uint64_t>(seed);
    attn::PointerChaseOutputs out;
    out.positions = ints(positions);
    out.weights = floats(weights);
    out.outputs = floats(outputs);
    out.codes = floats(codes);
    out.targets = ints(targets);
    out.accuracy = floats(accuracy);
    out.answer_accuracy = floats(accuracy) + layers;
    workspace().begin_call();
    return attn::pointer_chase(chase, ints(pointers), workspace(), out);
}

std::string pointer_chase_accuracy(std::size_t n, std::size_t layers, float sharpness, std::size_t dim,
                                   std::size_t trials, double seed, std::uintptr_t mean,
                                   std::uintptr_t standard_error)
{
    attn::PointerChaseTrials t;
    t.chase.n = n;
    t.chase.layers = layers;
    t.chase.sharpness = sharpness;
    t.chase.dim = dim;
    t.trials = trials;
    t.seed = static_cast<std::uint64_t>(seed);
    workspace().begin_call();
    return attn::pointer_chase_accuracy(t, workspace(), floats(mean), floats(standard_error));
}

std::string random_pointers(std::size_t n, double seed, std::uintptr_t out)
{
    if (n == 0 || n > attn::pointer_chase_limits::max_positions)
        return "n must be an integer from 1 to " + std::to_string(attn::pointer_chase_limits::max_positions);
    attn::random_pointers(n, static_cast<std::uint64_t>(seed), ints(out));
    return "";
}

} // namespace

EMSCRIPTEN_BINDINGS(stacking)
{
    emscripten::function("pointerChase", &pointer_chase);
    emscripten::function("pointerChaseAccuracy", &pointer_chase_accuracy);
    emscripten::function("randomPointers", &random_pointers);
}
