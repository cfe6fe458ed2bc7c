// The core's entry points, as the JavaScript API calls them: flat float arrays and
// integer codes in, "" or an error message out.
//
// Each entry point checks every argument before it touches memory (sizes > 0, every
// array within max_array_bytes, computed without wrapping, inputs finite), runs the
// kernels on the one shared workspace, and ends the call (the workspace gives back
// scratch beyond Workspace::retain_bytes). Nothing here throws or aborts: a refused or
// failed call leaves the core exactly as it was. src/bindings/embind.cpp only turns heap
// offsets into pointers and forwards; the fuzz targets (tests/fuzz/) call these directly.
//
// Codes: scaling 0 'sqrt', 1 'none', 2 'l2'; mask 0 'none', 1 'causal', 2 'local'.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "workspace.hpp"

namespace attn::entry {

/// The workspace every entry point shares.
Workspace& workspace();

/// Bytes of scratch the last attention or multi-head call worked in.
std::size_t last_scratch_bytes();

/// Bytes of scratch kept between calls (at most Workspace::retain_bytes after any call).
std::size_t retained_scratch_bytes();

/// `heads` independent attentions, stored one after the other in each array: q (heads x
/// nq x dk), k (heads x nk x dk), v (heads x nk x dv), output (heads x nq x dv), and, if
/// not null, weights and logits (heads x nq x nk). weights null: the fused kernel.
std::string attention(const float* q, const float* k, const float* v, std::size_t heads, std::size_t nq,
                      std::size_t nk, std::size_t dk, std::size_t dv, int scaling, float temperature,
                      int mask, std::size_t window, float* weights, float* logits, float* output);

/// Multi-head attention (multihead.hpp); wv is ignored (may be null) with tie_kv; weights
/// and head_entropy may be null (fused kernel). active: null (every head on) or heads
/// flags; with weights, mixture (n, the entropy of the active heads' mean) is written if
/// not null; head_outputs and values (n x dModel) if not null.
std::string multi_head_attention(const float* x, std::size_t n, std::size_t d_model, std::size_t heads,
                                 const float* wq, const float* wk, const float* wv, const float* wo,
                                 int mask, std::size_t window, bool tie_kv, float* output, float* weights,
                                 float* head_entropy, const std::int32_t* active = nullptr,
                                 float* mixture = nullptr, float* head_outputs = nullptr,
                                 float* values = nullptr);

/// One statistic of weights (heads x rows x cols) by name: "entropy", "effectiveTokens",
/// "maxWeight" (heads * rows values out) or "mixtureEntropy" (rows values out). The rows
/// must be distributions (statistics.hpp).
std::string row_statistic(const std::string& name, const float* weights, std::size_t heads, std::size_t rows,
                          std::size_t cols, float* out);

/// *result = the population variance of count >= 1 finite values.
std::string variance(const float* values, std::size_t count, double* result);

/// count standard normals from seed (an integer from 0 to 2^53 - 1, as JS numbers carry).
std::string random_normal(double seed, std::size_t count, float* out);

/// The scaling experiment (scaling_experiment.hpp); out: 4 statistics (logit variance,
/// mean max weight, mean entropy, mean gradient norm), then the first row's keys logits
/// and keys weights.
std::string scaling_experiment(std::size_t dk, std::size_t samples, std::size_t keys, double seed, int scaling,
                               float* out);

} // namespace attn::entry
