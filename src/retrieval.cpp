#include "retrieval.hpp"

#include <cmath>

#include "checked_size.hpp"

namespace attn {

std::string check_retrieval(const RetrievalShape& shape, const std::int32_t* targets)
{
    if (shape.rows == 0)
        return "rows must be a positive integer";
    if (shape.value_rows == 0)
        return "valueRows must be a positive integer";
    if (shape.cols == 0)
        return "cols must be a positive integer";
    if (shape.begin >= shape.end || shape.end > shape.cols)
        return "columns must be [begin, end) with 0 <= begin < end <= cols";
    // Before the targets are read: rows x cols within the bound, rows (targets) is too.
    std::string too_large = check_float_arrays({{"output: rows x cols", {shape.rows, shape.cols}},
                                                {"values: valueRows x cols", {shape.value_rows, shape.cols}}});
    if (!too_large.empty())
        return too_large;
    for (std::size_t i = 0; i < shape.rows; ++i)
        if (targets[i] < -1 || (targets[i] >= 0 && std::size_t(targets[i]) >= shape.value_rows))
            return "targets[" + std::to_string(i) + "] must be -1 or a row of values (0 to " +
                   std::to_string(shape.value_rows - 1) + "), got " + std::to_string(targets[i]);
    return "";
}

RetrievalSummary retrieval(const float* output, const float* values, const std::int32_t* targets,
                           const RetrievalShape& shape, float* cosine)
{
    RetrievalSummary summary;
    double total = 0.0;
    for (std::size_t i = 0; i < shape.rows; ++i) {
        cosine[i] = 0.0f;
        if (targets[i] < 0)
            continue;
        const float* o = output + i * shape.cols;
        const float* v = values + std::size_t(targets[i]) * shape.cols;
        double dot = 0.0, oo = 0.0, vv = 0.0;
        for (std::size_t c = shape.begin; c < shape.end; ++c) {
            dot += double(o[c]) * v[c];
            oo += double(o[c]) * o[c];
            vv += double(v[c]) * v[c];
        }
        // Clamped: rounding may carry a perfect match a hair past 1.
        const double c = oo > 0.0 && vv > 0.0 ? std::fmax(-1.0, std::fmin(1.0, dot / (std::sqrt(oo) * std::sqrt(vv)))) : 0.0;
        cosine[i] = float(c);
        total += c;
        ++summary.count;
    }
    summary.mean = summary.count > 0 ? total / double(summary.count) : 0.0;
    return summary;
}

} // namespace attn
