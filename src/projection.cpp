#include "projection.hpp"

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
    return "";
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

} // namespace attn
