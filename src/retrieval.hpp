// How well attention fetched what it should: the cosine between each output row and the
// value row of the token it should have retrieved.
//
//   cosine[i] = (o_i . v_t) / (|o_i| |v_t|)      o_i = output[i, begin:end)
//                                                v_t = values[targets[i], begin:end)
//   mean      = the average of cosine[i] over the rows with a target (targets[i] >= 0)
//
// 1: the output points exactly along the wanted value (a clean copy); a blend of several
// values points between them and scores less. The column range picks one head's block
// of a multi-head output (head h of width dh: [h*dh, (h+1)*dh)), so one wide head against
// several narrow ones, or tied K/V against separate, can be scored against the same
// wanted values. A zero vector has no direction: its cosine is 0. A row whose target is
// -1 (nothing to retrieve) gets 0 and is left out of the mean.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace attn {

struct RetrievalShape {
    std::size_t rows = 0;       ///< rows of output (queries)
    std::size_t value_rows = 0; ///< rows of values (tokens a target may name)
    std::size_t cols = 0;       ///< columns of both
    std::size_t begin = 0;      ///< first column compared
    std::size_t end = 0;        ///< one past the last column compared
};

struct RetrievalSummary {
    double mean = 0.0;     ///< mean cosine over rows with a target (0 if none)
    std::size_t count = 0; ///< rows with a target
};

/// "" when usable, else a message naming the bad argument: sizes > 0, the column range,
/// output and values within max_array_bytes (checked_size.hpp; checked before `targets`
/// is read), every target -1 or a row of values.
std::string check_retrieval(const RetrievalShape& shape, const std::int32_t* targets);

/// output: rows x cols, values: value_rows x cols, targets: rows entries in
/// [-1, value_rows). Writes cosine (rows) and returns the mean over rows with a target.
RetrievalSummary retrieval(const float* output, const float* values, const std::int32_t* targets,
                           const RetrievalShape& shape, float* cosine);

} // namespace attn
