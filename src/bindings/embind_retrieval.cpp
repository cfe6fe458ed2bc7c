// Embind for the retrieval measure (src/retrieval.hpp): lesson 6, multi-head attention.
#include <cstdint>
#include <string>

#include <emscripten/bind.h>

#include "../retrieval.hpp"

namespace {

/// mean: 1 float, the mean cosine over rows with a target; count: 1 int32, how many.
std::string retrieval(std::uintptr_t output, std::uintptr_t values, std::uintptr_t targets,
                      std::size_t rows, std::size_t value_rows, std::size_t cols, std::size_t begin,
                      std::size_t end, std::uintptr_t cosine, std::uintptr_t mean, std::uintptr_t count)
{
    const attn::RetrievalShape shape{rows, value_rows, cols, begin, end};
    const auto* t = reinterpret_cast<const std::int32_t*>(targets);
    std::string error = attn::check_retrieval(shape, t);
    if (!error.empty())
        return error;
    const attn::RetrievalSummary s = attn::retrieval(reinterpret_cast<const float*>(output),
                                                     reinterpret_cast<const float*>(values), t, shape,
                                                     reinterpret_cast<float*>(cosine));
    *reinterpret_cast<float*>(mean) = float(s.mean);
    *reinterpret_cast<std::int32_t*>(count) = std::int32_t(s.count);
    return "";
}

} // namespace

EMSCRIPTEN_BINDINGS(retrieval)
{
    emscripten::function("retrieval", &retrieval);
}
