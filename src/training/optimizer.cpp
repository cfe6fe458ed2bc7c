#include "optimizer.hpp"

#include <cmath>

namespace attn::training {

Optimizer::Optimizer(OptimizerKind kind, float learning_rate, std::size_t count)
    : learning_rate(learning_rate), kind_(kind), count_(count)
{
    if (kind_ == OptimizerKind::adam) {
        m_.assign(count, 0.0f);
        v_.assign(count, 0.0f);
    }
}

void Optimizer::step(float* params, const float* grads)
{
    ++t_;
    if (kind_ == OptimizerKind::sgd) {
        for (std::size_t i = 0; i < count_; ++i)
            params[i] -= learning_rate * grads[i];
        return;
    }
    beta1_power_ *= double(beta1);
    beta2_power_ *= double(beta2);
    const float m_scale = float(1.0 / (1.0 - beta1_power_));
    const float v_scale = float(1.0 / (1.0 - beta2_power_));
    for (std::size_t i = 0; i < count_; ++i) {
        m_[i] = beta1 * m_[i] + (1.0f - beta1) * grads[i];
        v_[i] = beta2 * v_[i] + (1.0f - beta2) * grads[i] * grads[i];
        params[i] -= learning_rate * (m_[i] * m_scale) / (std::sqrt(v_[i] * v_scale) + epsilon);
    }
}

} // namespace attn::training
