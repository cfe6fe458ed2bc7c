// Scratch memory for the kernels, reused from call to call.
//
// The fused attention kernel needs a few tiles whose size does not depend on the sequence
// length; the multi-head layer needs its projections. Buffers grow on demand and are
// kept, so a live widget that recomputes on every mouse move allocates nothing after the
// first call. Allocation failure is reported (nullptr), never thrown: the WASM build has
// no exceptions, and a failed call must leave the module working.
#pragma once

#include <cstddef>
#include <cstdlib>

namespace attn {

/// Named buffers; a kernel calling another must not use the callee's slots.
enum Slot : std::size_t {
    // attention kernels
    keys_packed, scores_tile, accumulator, running_max, running_sum,
    // multi-head layer
    projected_q, projected_k, projected_v, head_q, head_k, head_v, head_output, heads_concat,
    slot_count
};

/// Row stride (in floats) for a scratch matrix with `cols` columns: rows whose addresses
/// are a multiple of 4 KiB apart land in the same L1 cache set, so such widths get one
/// cache line of padding.
constexpr std::size_t padded_stride(std::size_t cols)
{
    return (cols * sizeof(float)) % 4096 == 0 ? cols + 16 : cols;
}

class Workspace {
public:
    static constexpr std::size_t slots = slot_count;

    Workspace() = default;
    Workspace(const Workspace&) = delete;
    Workspace& operator=(const Workspace&) = delete;
    ~Workspace()
    {
        for (auto& b : buffers_)
            std::free(b.data);
    }

    /// A buffer of at least `count` floats in slot `slot` (contents unspecified), or
    /// nullptr if memory ran out. Buffers in different slots never overlap.
    float* floats(std::size_t slot, std::size_t count)
    {
        Buffer& b = buffers_[slot];
        if (count > b.capacity) {
            // Round up to a 16-byte multiple; pad by one cache line so rows of tiles that are
            // 4 KiB apart do not alias (the caller adds padding to strides too).
            void* p = std::realloc(b.data, (count + 16) * sizeof(float));
            if (p == nullptr)
                return nullptr;
            b.data = static_cast<float*>(p);
            b.capacity = count;
        }
        if (count > requested_[slot]) {
            used_ += (count - requested_[slot]) * sizeof(float);
            requested_[slot] = count;
        }
        return b.data;
    }

    /// Starts accounting for a new call.
    void begin_call()
    {
        used_ = 0;
        for (auto& r : requested_)
            r = 0;
    }

    /// Bytes of scratch the kernels asked for since begin_call() (the largest request per
    /// slot, summed): the working set of a call, whatever was kept from earlier calls.
    std::size_t bytes_used() const { return used_; }

private:
    struct Buffer {
        float* data = nullptr;
        std::size_t capacity = 0;
    };
    Buffer buffers_[slots];
    std::size_t requested_[slots] = {};
    std::size_t used_ = 0;
};

} // namespace attn
