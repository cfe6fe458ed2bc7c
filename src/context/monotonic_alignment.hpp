// The best alignment that never goes back: what a monotonic (CTC-style) model can do.
//
// scores is rows x cols: row i a target token, column j a source token, scores[i][j] how
// well target i matches source j. An alignment gives each target one source, path[i];
// a monotonic one never goes back, path[i] <= path[i + 1]. The best one maximises
//
//   total = sum_i scores[i][path[i]]
//
// by dynamic programming from the last row up: best[i][j], the best total of rows
// i..rows-1 with path[i] = j, is scores[i][j] + max_{j' >= j} best[i + 1][j']. One pass
// per row, keeping the running maximum from the right: O(rows cols) time; the choice
// next[i][j] (one int32 per cell) is all that is stored, so memory is 4 rows cols bytes.
//
// Ties: of all best paths, the lexicographically smallest (path[0] as small as possible,
// then path[1], ...): each step takes the leftmost column of equal best total.
//
// Attention, free to look anywhere, can give row i its best column whatever the order;
// the rows where the monotonic path must settle for less (scores[i][path[i]] below the
// row's maximum) are the target words it gets wrong.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace attn {

struct MonotonicAlignment {
    double total = 0;          ///< sum_i scores[i][path[i]], summed in double
    std::size_t misaligned = 0; ///< rows where scores[i][path[i]] < max_j scores[i][j]
};

/// scores: rows x cols, row-major, finite. Writes path (rows) and the misaligned rows, in
/// increasing order, to misaligned_rows[0..result.misaligned) (room for rows entries).
/// Returns "" or a message (sizes, rows x cols beyond max_array_bytes, out of memory),
/// checked before `scores` is read; `result` is set on success.
std::string monotonic_alignment(const float* scores, std::size_t rows, std::size_t cols,
                                std::int32_t* path, std::int32_t* misaligned_rows,
                                MonotonicAlignment& result);

} // namespace attn
