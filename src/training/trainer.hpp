// A model trained step by step while a lesson watches: the common face of the lesson
// models (classifier_trainer.hpp for lesson 7, task_weighting.hpp for lesson 8).
//
// A trainer owns its data, parameters and optimiser, and everything random in it comes
// from its seed, so the same configuration gives the same curve, step for step, however
// the steps are grouped into calls, natively and in WebAssembly. What it measures goes
// into a MetricLog: one row of named numbers per recorded step.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string>
#include <vector>

namespace attn::training {

struct MetricLog {
    std::vector<std::string> names; ///< the columns; the first is "step"
    std::vector<float> values;      ///< rows of names.size() numbers, oldest first

    std::size_t width() const { return names.size(); }
    std::size_t rows() const { return width() == 0 ? 0 : values.size() / width(); }
    void record(std::initializer_list<double> row)
    {
        for (double x : row)
            values.push_back(float(x));
    }
};

/// The most steps one trainer may take: its log stays a few megabytes.
constexpr std::size_t max_trainer_steps = 1000000;

class Trainer {
public:
    virtual ~Trainer() = default;

    /// Takes `steps` optimisation steps, recording metrics as it goes; returns "" or why it
    /// stopped (the step limit).
    std::string run(std::size_t steps)
    {
        if (steps > max_trainer_steps - steps_)
            return "steps would exceed the limit of 1000000 steps per trainer";
        for (std::size_t s = 0; s < steps; ++s) {
            step();
            ++steps_;
            after_step();
        }
        return "";
    }

    std::size_t steps_done() const { return steps_; }
    const MetricLog& log() const { return log_; }

protected:
    virtual void step() = 0;       ///< one optimisation step
    virtual void after_step() {}   ///< records metrics when due (steps_done() counts this step)
    MetricLog log_;

private:
    std::size_t steps_ = 0;
};

} // namespace attn::training
