// Finds NaN and infinity in an input before any kernel sees it.
#pragma once

#include <cstddef>

namespace attn {

/// Index of the first element of x[0..n) that is NaN or +-inf, or n if all are finite.
/// x - x is 0 for finite x and NaN otherwise, and NaN sticks in a sum, so the vector pass
/// only adds; a chunk whose sum is not 0 is searched element by element.
std::size_t first_non_finite(const float* x, std::size_t n);

} // namespace attn
