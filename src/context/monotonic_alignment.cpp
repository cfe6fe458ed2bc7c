#include "monotonic_alignment.hpp"

#include <cstdint>
#include <cstdlib>
#include <memory>

namespace attn {

namespace {
struct Free {
    void operator()(void* p) const { std::free(p); }
};
} // namespace

std::string monotonic_alignment(const float* scores, std::size_t rows, std::size_t cols,
                                std::int32_t* path, std::int32_t* misaligned_rows,
                                MonotonicAlignment& result)
{
    if (rows == 0)
        return "rows must be a positive integer";
    if (cols == 0 || cols > std::size_t(INT32_MAX))
        return "cols must be an integer from 1 to 2^31 - 1";
    if (rows - 1 > SIZE_MAX / sizeof(std::int32_t) / cols || cols > SIZE_MAX / (2 * sizeof(double)))
        return "rows * cols is too large";
    // next[i][j]: the leftmost best column for row i + 1 when row i takes column j (any j' >= j).
    std::unique_ptr<std::int32_t, Free> next(
        static_cast<std::int32_t*>(std::malloc(((rows - 1) * cols + 1) * sizeof(std::int32_t))));
    std::unique_ptr<double, Free> best_rows(static_cast<double*>(std::malloc(2 * cols * sizeof(double))));
    if (!next || !best_rows)
        return "out of memory for the alignment table (rows * cols = " + std::to_string(rows * cols) + ")";
    double* best = best_rows.get();       // best[j]: best total of rows i..rows-1 with path[i] = j
    double* above = best_rows.get() + cols;
    for (std::size_t j = 0; j < cols; ++j)
        best[j] = scores[(rows - 1) * cols + j];
    for (std::size_t i = rows - 1; i-- > 0;) {
        double running = best[cols - 1];
        std::size_t where = cols - 1;
        for (std::size_t j = cols; j-- > 0;) {
            if (best[j] >= running) { // >=: of equal totals, the leftmost column
                running = best[j];
                where = j;
            }
            next.get()[i * cols + j] = std::int32_t(where);
            above[j] = double(scores[i * cols + j]) + running;
        }
        double* swap = best;
        best = above;
        above = swap;
    }
    std::size_t j = 0;
    for (std::size_t c = 1; c < cols; ++c)
        if (best[c] > best[j])
            j = c;
    result = MonotonicAlignment{};
    for (std::size_t i = 0; i < rows; ++i) {
        if (i > 0)
            j = std::size_t(next.get()[(i - 1) * cols + j]);
        path[i] = std::int32_t(j);
        const float* row = scores + i * cols;
        result.total += double(row[j]);
        bool beaten = false;
        for (std::size_t c = 0; c < cols && !beaten; ++c)
            beaten = row[c] > row[j];
        if (beaten)
            misaligned_rows[result.misaligned++] = std::int32_t(i);
    }
    return "";
}

} // namespace attn
