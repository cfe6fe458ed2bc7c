#include "task_weighting.hpp"

#include <algorithm>
#include <cmath>

#include "../rng.hpp"
#include "linear.hpp"

namespace attn::training {

namespace {

constexpr std::size_t examples = 256, inputs = 4, hidden_units = 16;
constexpr std::uint64_t data_stream = 201, init_stream = 202;

// The flat parameter array: W1 (inputs x hidden), b1, W2 (hidden x tasks), b2.
constexpr std::size_t w1 = 0, b1 = w1 + inputs * hidden_units, w2 = b1 + hidden_units,
                      b2 = w2 + hidden_units * task_count, parameter_count = b2 + task_count;

std::array<double, task_count> softmax(const std::array<double, task_count>& s)
{
    const double top = *std::max_element(s.begin(), s.end());
    std::array<double, task_count> p{};
    double sum = 0.0;
    for (std::size_t t = 0; t < task_count; ++t)
        sum += p[t] = std::exp(s[t] - top);
    for (double& x : p)
        x /= sum;
    return p;
}

} // namespace

std::string check_task_weighting_config(const TaskWeightingConfig& c)
{
    if (!(c.learning_rate >= 0.0f && c.learning_rate <= 1000.0f))
        return "lr must be a number from 0 to 1000";
    if (!(c.temperature > 0.0f && c.temperature <= 100.0f))
        return "temperature must be a number > 0 and at most 100";
    if (c.window < 1 || c.window > 10000)
        return "window must be an integer from 1 to 10000";
    if (!(c.model_learning_rate > 0.0f && c.model_learning_rate <= 10.0f))
        return "modelLr must be a number > 0 and at most 10";
    return "";
}

TaskWeightingTrainer::TaskWeightingTrainer(const TaskWeightingConfig& config)
    : config_(config),
      x_(examples * inputs),
      targets_(examples * task_count),
      params_(parameter_count, 0.0f),
      grads_(parameter_count),
      hidden_(examples * hidden_units),
      out_(examples * task_count)
{
    Random data(config.seed, data_stream);
    for (std::size_t e = 0; e < examples; ++e) {
        float* x = x_.data() + e * inputs;
        for (std::size_t i = 0; i < inputs; ++i)
            x[i] = data.normal();
        float* y = targets_.data() + e * task_count;
        y[0] = x[0];
        y[1] = float(std::sqrt(2.0) * std::sin(2.0 * double(x[1])));
        y[2] = 0.6f * x[2] * x[3] + 0.8f * data.normal();
    }
    Random init(config.seed, init_stream);
    for (std::size_t i = w1; i < b1; ++i)
        params_[i] = init.normal() / std::sqrt(float(inputs));
    log_.names = {"step", "weightEasy", "weightMedium", "weightHard", "lossEasy", "lossMedium", "lossHard"};
}

std::array<double, task_count> TaskWeightingTrainer::losses(const std::array<double, task_count>& weights,
                                                            float* grad)
{
    linear_forward(x_.data(), examples, inputs, params_.data() + w1, params_.data() + b1, hidden_units,
                   hidden_.data());
    tanh_forward(hidden_.data(), hidden_.size(), hidden_.data());
    linear_forward(hidden_.data(), examples, hidden_units, params_.data() + w2, params_.data() + b2, task_count,
                   out_.data());
    std::array<double, task_count> loss{};
    std::vector<float> dout(grad != nullptr ? out_.size() : 0);
    for (std::size_t e = 0; e < examples; ++e)
        for (std::size_t t = 0; t < task_count; ++t) {
            const double error = double(out_[e * task_count + t]) - double(targets_[e * task_count + t]);
            loss[t] += error * error / double(examples);
            if (grad != nullptr)
                dout[e * task_count + t] = float(weights[t] * 2.0 * error / double(examples));
        }
    if (grad != nullptr) {
        std::fill(grad, grad + parameter_count, 0.0f);
        std::vector<float> dhidden(hidden_.size(), 0.0f), dpre(hidden_.size(), 0.0f);
        linear_backward(hidden_.data(), examples, hidden_units, params_.data() + w2, task_count, dout.data(),
                        dhidden.data(), grad + w2, grad + b2);
        tanh_backward(hidden_.data(), dhidden.data(), hidden_.size(), dpre.data());
        linear_backward(x_.data(), examples, inputs, params_.data() + w1, hidden_units, dpre.data(),
                        (float*)nullptr, grad + w1, grad + b1);
    }
    return loss;
}

std::array<double, task_count> TaskWeightingTrainer::current_weights() const
{
    if (config_.update != TaskUpdate::loss_ratio)
        return softmax(scores_);
    const std::size_t w = config_.window, seen = history_.size();
    std::array<double, task_count> ratio{};
    if (seen < 2 * w)
        return softmax(ratio); // uniform until two windows have passed
    for (std::size_t t = 0; t < task_count; ++t) {
        double recent = 0.0, before = 0.0;
        for (std::size_t s = seen - w; s < seen; ++s)
            recent += history_[s][t];
        for (std::size_t s = seen - 2 * w; s < seen - w; ++s)
            before += history_[s][t];
        ratio[t] = before > 0.0 ? recent / before / double(config_.temperature) : 0.0;
    }
    return softmax(ratio);
}

void TaskWeightingTrainer::step()
{
    const std::array<double, task_count> alpha = current_weights();
    const std::array<double, task_count> loss = losses(alpha, grads_.data());
    log_.record({double(steps_done()), alpha[0], alpha[1], alpha[2], loss[0], loss[1], loss[2]});
    history_.push_back(loss);
    if (history_.size() > 2 * config_.window)
        history_.erase(history_.begin()); // the loss-ratio rule reads two windows back, no further
    for (std::size_t i = 0; i < parameter_count; ++i)
        params_[i] -= config_.model_learning_rate * grads_[i];

    if (config_.update == TaskUpdate::loss_ratio)
        return;
    double mean = 0.0; // Lbar = sum_u alpha_u L_u
    for (std::size_t t = 0; t < task_count; ++t)
        mean += alpha[t] * loss[t];
    const double direction = config_.update == TaskUpdate::descent ? -1.0 : 1.0;
    for (std::size_t t = 0; t < task_count; ++t)
        scores_[t] += direction * double(config_.learning_rate) * alpha[t] * (loss[t] - mean);
}

} // namespace attn::training
