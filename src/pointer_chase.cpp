#include "pointer_chase.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <utility>

#include "attention.hpp"
#include "rng.hpp"

namespace attn {

namespace limits = pointer_chase_limits;

// Once check_pointer_chase has passed, every size product below (n * d, n * n, rows * n,
// and the offsets l * n * n, l * n * d into the caller's arrays) is at most
// max_layers * max_positions * max(max_positions, max_dim) = 2^26 elements: no product
// can wrap a 32-bit size_t in wasm32.
static_assert(limits::max_layers * limits::max_positions * limits::max_positions <= (std::size_t(1) << 26) &&
                  limits::max_layers * limits::max_positions * limits::max_dim <= (std::size_t(1) << 26),
              "pointer-chase sizes must stay far below 2^32");

namespace {

// Scratch of the chase, freed on every path out (no exceptions in WASM: malloc, checked).
class Scratch {
public:
    Scratch() = default;
    Scratch(const Scratch&) = delete;
    Scratch& operator=(const Scratch&) = delete;
    ~Scratch()
    {
        for (void* p : blocks_)
            std::free(p);
    }
    /// count elements of T, or nullptr (and ok() false from then on) if memory ran out.
    template <typename T>
    T* take(std::size_t count)
    {
        void* p = ok_ && used_ < capacity ? std::malloc(std::max<std::size_t>(count, 1) * sizeof(T)) : nullptr;
        if (p == nullptr) {
            ok_ = false;
            return nullptr;
        }
        blocks_[used_++] = p;
        return static_cast<T*>(p);
    }
    bool ok() const { return ok_; }

private:
    static constexpr std::size_t capacity = 9;
    void* blocks_[capacity] = {};
    std::size_t used_ = 0;
    bool ok_ = true;
};

float fraction(std::size_t count, std::size_t n) { return float(double(count) / double(n)); }

std::size_t count_equal(const std::int32_t* a, const std::int32_t* b, std::size_t n)
{
    std::size_t count = 0;
    for (std::size_t s = 0; s < n; ++s)
        count += a[s] == b[s];
    return count;
}

std::string check_sizes(const PointerChase& c)
{
    if (c.n == 0 || c.n > limits::max_positions)
        return "pointers must hold from 1 to " + std::to_string(limits::max_positions) + " positions";
    if (c.layers == 0 || c.layers > limits::max_layers)
        return "layers must be an integer from 1 to " + std::to_string(limits::max_layers);
    if (c.hops > limits::max_layers)
        return "hops must be an integer from 1 to " + std::to_string(limits::max_layers);
    if (c.dim > limits::max_dim)
        return "dim must be an integer from 1 to " + std::to_string(limits::max_dim);
    if (!(c.sharpness > 0.0f) || !std::isfinite(c.sharpness))
        return "sharpness must be a finite number > 0";
    return "";
}

// x . c in double, in four interleaved partial sums (the nearest-code search is the
// chase's hot loop: n^2 d per layer); the same order in every build.
double dot_double(const float* x, const float* c, std::size_t d)
{
    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    std::size_t k = 0;
    for (; k + 4 <= d; k += 4) {
        s0 += double(x[k]) * c[k];
        s1 += double(x[k + 1]) * c[k + 1];
        s2 += double(x[k + 2]) * c[k + 2];
        s3 += double(x[k + 3]) * c[k + 3];
    }
    for (; k < d; ++k)
        s0 += double(x[k]) * c[k];
    return (s0 + s1) + (s2 + s3);
}

// nearest_code for one-hot codes: |c_j|^2 - 2 x . c_j is exactly 1 - 2 x[j] (the other
// products are exact zeros), so this gives the same index in n steps instead of n * d.
std::size_t nearest_one_hot(const float* x, std::size_t n)
{
    std::size_t best = 0;
    for (std::size_t j = 1; j < n; ++j)
        if (1.0 - 2.0 * double(x[j]) < 1.0 - 2.0 * double(x[best]))
            best = j;
    return best;
}

double work(const PointerChase& c)
{
    return double(c.layers) * double(c.n) * double(c.n) * double(code_length(c));
}

} // namespace

std::size_t code_length(const PointerChase& chase)
{
    return chase.dim > 0 && chase.dim < chase.n ? chase.dim : chase.n;
}

std::size_t target_rows(const PointerChase& chase)
{
    return std::max(chase.layers, chase.hops);
}

std::string check_pointer_chase(const PointerChase& chase, const std::int32_t* pointers)
{
    std::string error = check_sizes(chase);
    if (!error.empty())
        return error;
    if (work(chase) > limits::max_work)
        return "layers * n^2 * code length is too much work for one call (at most 2^28)";
    for (std::size_t i = 0; i < chase.n; ++i)
        if (pointers[i] < 0 || std::size_t(pointers[i]) >= chase.n)
            return "pointers[" + std::to_string(i) + "] must be a position from 0 to " +
                   std::to_string(chase.n - 1) + ", got " + std::to_string(pointers[i]);
    return "";
}

void make_codes(const PointerChase& chase, float* codes)
{
    const std::size_t n = chase.n, d = code_length(chase);
    std::fill(codes, codes + n * d, 0.0f);
    if (d == n) {
        for (std::size_t i = 0; i < n; ++i)
            codes[i * d + i] = 1.0f;
        return;
    }
    Random random(chase.seed);
    for (std::size_t i = 0; i < n; ++i) {
        float* c = codes + i * d;
        random.fill_normal(c, d);
        double norm2 = 0.0;
        for (std::size_t k = 0; k < d; ++k)
            norm2 += double(c[k]) * c[k];
        const double norm = std::sqrt(norm2);
        if (norm > 0.0) {
            for (std::size_t k = 0; k < d; ++k)
                c[k] = float(c[k] / norm);
        } else {
            c[0] = 1.0f; // all d normals exactly 0: never seen, but a code needs a direction
        }
    }
}

void follow_pointers(const std::int32_t* pointers, std::size_t n, std::size_t hops,
                     std::int32_t* targets)
{
    for (std::size_t s = 0; s < n; ++s) {
        std::int32_t at = std::int32_t(s);
        for (std::size_t t = 0; t < hops; ++t)
            targets[t * n + s] = at = pointers[at];
    }
}

void code_norms(const float* codes, std::size_t n, std::size_t d, double* norms2)
{
    for (std::size_t j = 0; j < n; ++j) {
        double norm2 = 0.0;
        for (std::size_t k = 0; k < d; ++k)
            norm2 += double(codes[j * d + k]) * codes[j * d + k];
        norms2[j] = norm2;
    }
}

std::size_t nearest_code(const float* codes, const double* norms2, std::size_t n, std::size_t d,
                         const float* x)
{
    std::size_t best = 0;
    double best_distance = 0.0;
    for (std::size_t j = 0; j < n; ++j) {
        const double distance = norms2[j] - 2.0 * dot_double(x, codes + j * d, d); // |x - c|^2 - |x|^2
        if (j == 0 || distance < best_distance) {
            best = j;
            best_distance = distance;
        }
    }
    return best;
}

std::string pointer_chase(const PointerChase& chase, const std::int32_t* pointers,
                          Workspace& workspace, const PointerChaseOutputs& out)
{
    std::string error = check_pointer_chase(chase, pointers);
    if (!error.empty())
        return error;
    const std::size_t n = chase.n, d = code_length(chase), layers = chase.layers;
    const std::size_t hops = chase.hops == 0 ? layers : chase.hops;
    const std::size_t rows = std::max(layers, hops);

    Scratch scratch;
    float* codes = scratch.take<float>(n * d);
    float* keys = scratch.take<float>(n * d);
    float* values = scratch.take<float>(n * d);
    float* query = scratch.take<float>(n * d);
    float* output = scratch.take<float>(n * d);
    float* weights = out.weights != nullptr ? out.weights : scratch.take<float>(n * n);
    std::int32_t* targets = out.targets != nullptr ? out.targets : scratch.take<std::int32_t>(rows * n);
    std::int32_t* positions = out.positions != nullptr ? out.positions : scratch.take<std::int32_t>(layers * n);
    double* norms2 = scratch.take<double>(n);
    if (!scratch.ok())
        return "out of memory for the pointer chase (n or dim too large)";

    make_codes(chase, codes);
    code_norms(codes, n, d, norms2);
    for (std::size_t i = 0; i < n * d; ++i)
        keys[i] = codes[i] * chase.sharpness;
    for (std::size_t i = 0; i < n; ++i)
        std::copy(codes + pointers[i] * d, codes + (pointers[i] + 1) * d, values + i * d);
    std::copy(codes, codes + n * d, query);
    follow_pointers(pointers, n, rows, targets);

    const AttentionShape shape{n, n, d, d};
    AttentionOptions options;
    options.scaling = Scaling::none;
    for (std::size_t l = 0; l < layers; ++l) {
        float* layer_weights = out.weights != nullptr ? weights + l * n * n : weights;
        error = attention_with_weights(query, keys, values, shape, options, workspace,
                                       layer_weights, output);
        if (!error.empty())
            return error;
        for (std::size_t s = 0; s < n; ++s) {
            const float* x = output + s * d;
            positions[l * n + s] = std::int32_t(d == n ? nearest_one_hot(x, n) : nearest_code(codes, norms2, n, d, x));
        }
        if (out.outputs != nullptr)
            std::copy(output, output + n * d, out.outputs + l * n * d);
        if (out.accuracy != nullptr)
            out.accuracy[l] = fraction(count_equal(positions + l * n, targets + l * n, n), n);
        std::swap(query, output);
    }
    if (out.codes != nullptr)
        std::copy(codes, codes + n * d, out.codes);
    if (out.answer_accuracy != nullptr)
        *out.answer_accuracy =
            fraction(count_equal(positions + (layers - 1) * n, targets + (hops - 1) * n, n), n);
    return "";
}

void random_pointers(std::size_t n, std::uint64_t seed, std::int32_t* out)
{
    Random random(seed, 7u);
    const std::uint32_t bound = std::uint32_t(n);
    const std::uint32_t threshold = std::uint32_t(-bound) % bound; // 2^32 mod n
    for (std::size_t i = 0; i < n; ++i) {
        std::uint32_t r = random.next_u32();
        while (r < threshold)
            r = random.next_u32();
        out[i] = std::int32_t(r % bound);
    }
}

std::string check_pointer_chase_trials(const PointerChaseTrials& t)
{
    PointerChase c = t.chase;
    c.hops = 0;
    std::string error = check_sizes(c);
    if (!error.empty())
        return error;
    if (t.trials == 0 || t.trials > limits::max_trials)
        return "trials must be an integer from 1 to " + std::to_string(limits::max_trials);
    if (double(t.trials) * work(c) > limits::max_work)
        return "trials * layers * n^2 * code length is too much work for one call (at most 2^28)";
    return "";
}

std::string pointer_chase_accuracy(const PointerChaseTrials& t, Workspace& workspace,
                                   float* mean, float* standard_error)
{
    std::string error = check_pointer_chase_trials(t);
    if (!error.empty())
        return error;
    const std::size_t n = t.chase.n, layers = t.chase.layers;
    Scratch scratch;
    std::int32_t* pointers = scratch.take<std::int32_t>(n);
    float* accuracy = scratch.take<float>(layers);
    double* sum = scratch.take<double>(layers);
    double* sum2 = scratch.take<double>(layers);
    if (!scratch.ok())
        return "out of memory for the pointer chase (n too large)";
    std::fill(sum, sum + layers, 0.0);
    std::fill(sum2, sum2 + layers, 0.0);

    PointerChase chase = t.chase;
    chase.hops = 0;
    PointerChaseOutputs out;
    out.accuracy = accuracy;
    for (std::size_t trial = 0; trial < t.trials; ++trial) {
        chase.seed = t.seed + trial;
        random_pointers(n, chase.seed, pointers);
        error = pointer_chase(chase, pointers, workspace, out);
        if (!error.empty())
            return error;
        for (std::size_t l = 0; l < layers; ++l) {
            sum[l] += accuracy[l];
            sum2[l] += double(accuracy[l]) * accuracy[l];
        }
    }
    const double count = double(t.trials);
    for (std::size_t l = 0; l < layers; ++l) {
        const double m = sum[l] / count;
        mean[l] = float(m);
        if (standard_error != nullptr) {
            const double var = t.trials > 1 ? std::max(0.0, (sum2[l] - count * m * m) / (count - 1.0)) : 0.0;
            standard_error[l] = float(std::sqrt(var / count));
        }
    }
    return "";
}

} // namespace attn
