// A linear layer: every projection (query, key, value, output) and every readout in the
// training models is one.
//
//   forward:   y = x W + b                 x: rows x in, W: in x out, b: out (or none)
//   backward:  dL/dx += dL/dy W^T          given dL/dy (rows x out)
//              dL/dW += x^T dL/dy
//              dL/db += sum over rows of dL/dy
//
// Plain loops over row-major arrays, templated on the number type: the models train in
// float, and the gradient checks run the very same code in double, where central finite
// differences are accurate to 1e-8 or better.
#pragma once

#include <cstddef>

namespace attn::training {

/// y (rows x out) = x (rows x in) W (in x out) + b (out; nullptr for no bias).
template <typename Real>
void linear_forward(const Real* x, std::size_t rows, std::size_t in, const Real* w, const Real* b,
                    std::size_t out, Real* y);

/// Adds the gradients of a linear layer: dx (rows x in, nullptr to skip), dw (in x out),
/// db (out, nullptr for no bias), from dy (rows x out) and the forward's x and W.
template <typename Real>
void linear_backward(const Real* x, std::size_t rows, std::size_t in, const Real* w,
                     std::size_t out, const Real* dy, Real* dx, Real* dw, Real* db);

/// y = tanh(x), elementwise over count values (in place allowed).
template <typename Real>
void tanh_forward(const Real* x, std::size_t count, Real* y);

/// dx += dy (1 - y^2), with y the forward's output: the derivative of tanh.
template <typename Real>
void tanh_backward(const Real* y, const Real* dy, std::size_t count, Real* dx);

} // namespace attn::training
