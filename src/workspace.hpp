// Scratch memory for the kernels, reused from call to call.
//
// The fused attention kernel needs a few tiles whose size does not depend on the sequence
// length; the multi-head layer needs its projections. Buffers grow on demand and are
// kept, so a live widget that recomputes on every mouse move allocates nothing after the
// first call. What is kept is bounded: when a call ends with more than retain_bytes
// held (one huge call), every buffer is freed, so the memory goes back to the allocator
// for the inputs and outputs of later calls (WebAssembly memory itself never shrinks).
//
// Every request is bounded (max_array_bytes, checked_size.hpp) and its size computed
// without wrapping; allocation failure is reported (nullptr), never thrown: the WASM
// build has no exceptions, and a failed call must leave the module working.
#pragma once

#include <cstddef>
#include <cstdlib>

#include "checked_size.hpp"

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
/// cache line of padding. Callers check cols * rows first; cols + 16 cannot then wrap.
constexpr std::size_t padded_stride(std::size_t cols)
{
    return (cols * sizeof(float)) % 4096 == 0 ? cols + 16 : cols;
}

class Workspace {
public:
    static constexpr std::size_t slots = slot_count;
    /// Scratch kept between calls at most: the fused kernel needs about 100 KiB at d = 64,
    /// multi-head attention at n = 1024, dModel = 512 about 9 MiB.
    static constexpr std::size_t retain_bytes = std::size_t(16) << 20;

    Workspace() = default;
    Workspace(const Workspace&) = delete;
    Workspace& operator=(const Workspace&) = delete;
    ~Workspace() { release(); }

    /// A buffer of at least `count` floats in slot `slot` (contents unspecified), or
    /// nullptr if `count` floats exceed max_array_bytes or memory ran out. Buffers in
    /// different slots never overlap.
    float* floats(std::size_t slot, std::size_t count)
    {
        if (!CheckedSize(count).fits_floats())
            return nullptr;
        Buffer& b = buffers_[slot];
        if (count > b.capacity) {
            // Padded by one cache line (16 floats) so rows of tiles that are 4 KiB apart do
            // not alias (the caller adds padding to strides too). count <= 2^28: no wrap.
            void* p = std::realloc(b.data, (count + 16) * sizeof(float));
            if (p == nullptr)
                return nullptr;
            ++allocations_;
            held_ += (count - b.capacity) * sizeof(float);
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

    /// Ends a call: frees everything if more than retain_bytes is held.
    void end_call()
    {
        if (held_ > retain_bytes)
            release();
    }

    /// Frees every buffer.
    void release()
    {
        for (auto& b : buffers_) {
            std::free(b.data);
            b = Buffer{};
        }
        held_ = 0;
    }

    /// Bytes of scratch the kernels asked for since begin_call() (the largest request per
    /// slot, summed): the working set of a call, whatever was kept from earlier calls.
    std::size_t bytes_used() const { return used_; }

    /// Bytes of scratch held now, between calls: what the next call may reuse.
    std::size_t bytes_held() const { return held_; }

    /// How many times a buffer was (re)allocated since the workspace was made.
    std::size_t allocations() const { return allocations_; }

private:
    struct Buffer {
        float* data = nullptr;
        std::size_t capacity = 0;
    };
    Buffer buffers_[slots];
    std::size_t requested_[slots] = {};
    std::size_t used_ = 0;
    std::size_t held_ = 0;
    std::size_t allocations_ = 0;
};

} // namespace attn
