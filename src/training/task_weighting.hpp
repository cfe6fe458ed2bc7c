// Lesson 8: a softmax over tasks weights a multi-task loss, and three ways to move it.
//
// Three regression tasks share one small model:
//   x: 4 numbers ~ N(0, 1)      h = tanh(x W1 + b1)  (16 units)      y_t = h w_t + c_t
//   easy:   target x_0                          a straight line through one input
//   medium: target sqrt(2) sin(2 x_1)           a curve the tanh units must bend to
//   hard:   target 0.6 x_2 x_3 + 0.8 e          a product, plus noise e ~ N(0, 1) that no
//                                               model can predict: its loss stays >= 0.64
// Each target has variance about 1 and the heads start at 0, so the three losses start
// level. L_t is task t's mean squared error over 256 fixed examples (the whole set, every
// step), and the model takes plain gradient steps on the weighted loss
//   L = sum_t alpha_t L_t,   alpha = softmax(s)
// (plain SGD, so a task's weight scales how fast the model learns it). The scores s move
// by one of three rules, each step after the model's:
//   descent:    s_t <- s_t - lr dL/ds_t,   dL/ds_t = alpha_t (L_t - Lbar),  Lbar = sum_u alpha_u L_u
//               weight flows to the task whose loss is lowest: the easiest;
//   ascent:     s_t <- s_t + lr dL/ds_t    (the robust, worst-case update)
//               weight flows to the task whose loss is highest: the hardest;
//   loss-ratio: alpha = softmax(r / T), r_t = mean L_t over the last `window` steps divided
//               by its mean over the `window` steps before (dynamic weight averaging,
//               Liu et al. 2019, with windows of steps for epochs): weight flows to the
//               task that improves slowest. Uniform until two windows have passed.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "trainer.hpp"

namespace attn::training {

enum class TaskUpdate { descent, ascent, loss_ratio };

constexpr std::size_t task_count = 3;

struct TaskWeightingConfig {
    TaskUpdate update = TaskUpdate::descent;
    std::uint64_t seed = 1;
    float learning_rate = 0.1f;       ///< lr of the scores (descent, ascent)
    float temperature = 0.05f;        ///< T of the loss-ratio rule
    std::size_t window = 10;          ///< steps per window of the loss-ratio rule
    float model_learning_rate = 0.1f; ///< the shared model's SGD step
};

/// "" when usable, else a message naming the bad field (by its JS option name).
std::string check_task_weighting_config(const TaskWeightingConfig& config);

/// Records every step: step, weight of each task (the alpha the step used), then each
/// task's loss before the step.
class TaskWeightingTrainer : public Trainer {
public:
    explicit TaskWeightingTrainer(const TaskWeightingConfig& config); ///< config checked first

protected:
    void step() override;

private:
    /// Per-task losses of the current model; if grad is not nullptr, also the gradient of
    /// sum_t weights_t L_t into grad.
    std::array<double, task_count> losses(const std::array<double, task_count>& weights, float* grad);
    std::array<double, task_count> current_weights() const;

    TaskWeightingConfig config_;
    std::vector<float> x_, targets_; ///< examples x 4 inputs; examples x 3 targets
    std::vector<float> params_, grads_, hidden_, out_;
    std::array<double, task_count> scores_{};
    std::vector<std::array<double, task_count>> history_; ///< losses of the last 2 windows of steps
};

} // namespace attn::training
