#include "projection.hpp"

#include <cstdio>

#include "checked_size.hpp"
#include "kernels/finite.hpp"
#include "kernels/matmul.hpp"

namespace attn {

std::string check_projection(const ProjectionShape& shape)
{
    if (shape.n == 0)
        return "n must be a positive integer";
    if (shape.d_in == 0)
        return "dIn must be a positive integer";
    if (shape.d_out == 0)
        return "dOut must be a positive integer";
    if (shape.heads == 0)
        return "heads must be a positive integer";
    if (shape.d_out % shape.heads != 0)
        return "dOut must be divisible by heads";
    // Every offset project() computes lies inside these arrays: none can wrap.
    return check_float_arrays({{"x: n x dIn", {shape.n, shape.d_in}},
                               {"w: dIn x dOut", {shape.d_in, shape.d_out}},
                               {"out: n x dOut", {shape.n, shape.d_out}}});
}

void project_plain(const float* x, const float* w, const ProjectionShape& shape, float* out)
{
    const std::size_t width = shape.d_out / shape.heads;
    for (std::size_t i = 0; i < shape.n; ++i)
        for (std::size_t c = 0; c < shape.d_out; ++c) {
            double sum = 0.0;
            for (std::size_t d = 0; d < shape.d_in; ++d)
                sum += double(x[i * shape.d_in + d]) * w[d * shape.d_out + c];
            const std::size_t block = c / width;
            out[(block * shape.n + i) * width + c % width] = float(sum);
        }
}

void project(const float* x, const float* w, const ProjectionShape& shape, float* out)
{
    const std::size_t width = shape.d_out / shape.heads;
    for (std::size_t b = 0; b < shape.heads; ++b)
        matmul(x, shape.d_in, w + b * width, shape.d_out, out + b * shape.n * width, width, shape.n,
               shape.d_in, width, false);
}

namespace {
std::string check_finite(const char* name, const float* a, std::size_t count)
{
    const std::size_t bad = first_non_finite(a, count);
    if (bad == count)
        return "";
    char text[120];
    std::snprintf(text, sizeof text, "%s[%zu] must be a finite number, got %g", name, bad, double(a[bad]));
    return text;
}
} // namespace

std::string projection(const float* x, const float* w, const ProjectionShape& shape, float* out)
{
    std::string error = check_projection(shape);
    if (error.empty())
        error = check_finite("x", x, shape.n * shape.d_in);
    if (error.empty())
        error = check_finite("w", w, shape.d_in * shape.d_out);
    if (!error.empty())
        return error;
    project(x, w, shape, out);
    if (first_non_finite(out, shape.n * shape.d_out) != shape.n * shape.d_out)
        return "x times w overflows float32 (entries beyond 3.4e38): scale x or w down";
    return "";
}

} // namespace attn
