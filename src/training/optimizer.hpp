// Optimisers: how a gradient becomes a step for the parameters.
//
//   SGD:   theta <- theta - lr g
//   Adam:  m <- b1 m + (1 - b1) g           running mean of the gradient
//          v <- b2 v + (1 - b2) g^2         running mean of its square
//          theta <- theta - lr m^ / (sqrt(v^) + eps),  m^ = m / (1 - b1^t), v^ = v / (1 - b2^t)
// Adam divides each parameter's step by the size of its recent gradients, so every
// parameter moves by about lr per step whatever the scale of its gradient; SGD's steps are
// proportional to the gradient (a weighted loss then weights the steps, as lesson 8 needs).
#pragma once

#include <cstddef>
#include <vector>

namespace attn::training {

enum class OptimizerKind { sgd, adam };

class Optimizer {
public:
    /// An optimiser for `count` parameters; Adam's moments start at zero.
    Optimizer(OptimizerKind kind, float learning_rate, std::size_t count);

    /// One step: params (count) move against grads (count).
    void step(float* params, const float* grads);

    float learning_rate = 0.01f;
    float beta1 = 0.9f;
    float beta2 = 0.999f;
    float epsilon = 1e-8f;

    OptimizerKind kind() const { return kind_; }
    std::size_t steps() const { return t_; }

private:
    OptimizerKind kind_;
    std::size_t count_;
    std::size_t t_ = 0;
    double beta1_power_ = 1.0, beta2_power_ = 1.0; // b1^t, b2^t
    std::vector<float> m_, v_;
};

} // namespace attn::training
