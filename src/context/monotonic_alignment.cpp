#include "monotonic_alignment.hpp"

#include <cstdint>

#include "../checked_buffer.hpp"
#include "../checked_size.hpp"

namespace attn {

std::string monotonic_alignment(const float* scores, std::size_t rows, std::size_t cols,
                                std::int32_t* path, std::int32_t* misaligned_rows,
                                MonotonicAlignment& result)
{
    if (rows == 0)
        return "rows must be a positive integer";
    if (cols == 0 || cols > std::size_t(INT32_MAX))
        return "cols must be an integer from 1 to 2^31 - 1";
    // Checked before scores is read or anything allocated: with rows x cols within the
    // bound, rows, cols and every row index fit an int32 too.
    const std::string too_large = check_float_arrays({{"scores: rows x cols", {rows, cols}}});
    if (!too_large.empty())
        return too_large;
    // next[i][j]: the leftmost best column for row i + 1 when row i takes column j (any j' >= j).
    CheckedBuffer<std::int32_t> next((rows - 1) * cols + 1);
    CheckedBuffer<double> best_rows(2 * cols); // cols <= 2^28: no wrap
    if (!next || !best_rows)
        return "out of memory for the alignment table (rows x cols = " + std::to_string(rows) + " x " +
               std::to_string(cols) + ")";
    double* best = best_rows.data();       // best[j]: best total of rows i..rows-1 with path[i] = j
    double* above = best_rows.data() + cols;
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
            next[i * cols + j] = std::int32_t(where);
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
            j = std::size_t(next[(i - 1) * cols + j]);
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
