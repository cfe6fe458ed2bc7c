// Embind for projections (src/projection.hpp): arrays cross as heap offsets, the call
// returns "" or a message naming the bad argument (see embind.cpp).
#include <cstdint>
#include <string>

#include <emscripten/bind.h>

#include "../projection.hpp"

namespace {

const float* floats_at(std::uintptr_t offset) { return reinterpret_cast<const float*>(offset); }

/// out (heads x n x dOut/heads) = the column blocks of x (n x dIn) times w (dIn x dOut).
std::string project(std::uintptr_t x, std::uintptr_t w, std::size_t n, std::size_t d_in,
                    std::size_t d_out, std::size_t heads, std::uintptr_t out)
{
    return attn::projection(floats_at(x), floats_at(w), attn::ProjectionShape{n, d_in, d_out, heads},
                            reinterpret_cast<float*>(out));
}

} // namespace

EMSCRIPTEN_BINDINGS(projection)
{
    emscripten::function("project", &project);
}
