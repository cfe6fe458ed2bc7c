// Lesson 7's experiments: the attention classifier (attention_classifier.hpp) trained on
// a token task (token_tasks.hpp) with Adam or SGD, attention dropout and an entropy
// penalty, measured as it learns.
//
// Every `evaluate_every` steps (and at step 0) it records, in eval mode (no dropout):
//   trainLoss, trainAccuracy            on the whole training set
//   validationLoss, validationAccuracy  on the validation set
//   entropy                             mean entropy of [CLS]'s attention (validation)
//   signalWeight                        mean attention on the signal token
//   spuriousWeight ('spurious') or noiseWeight ('noise': summed over the noise tokens)
// The data, the initial parameters and the training randomness (batches, dropout masks)
// come from separate streams of one seed, so two trainers that differ only in dropout or
// penalty start from the same model on the same data.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "../rng.hpp"
#include "attention_classifier.hpp"
#include "optimizer.hpp"
#include "token_tasks.hpp"
#include "trainer.hpp"

namespace attn::training {

struct ClassifierTrainerConfig {
    TokenTask task = TokenTask::spurious;
    std::uint64_t seed = 1;
    float dropout = 0.0f;          ///< attention dropout p, in [0, 1)
    float entropy_penalty = 0.0f;  ///< lambda >= 0
    std::size_t noise_tokens = 8;  ///< k ('noise' only), 0 to 64
    float learning_rate = 0.001f;
    OptimizerKind optimizer = OptimizerKind::adam;
    std::size_t batch = 0;         ///< examples per step; 0 = the whole training set
    std::size_t evaluate_every = 5;
    std::size_t training_examples = 48;
    std::size_t validation_examples = 256;
    std::size_t width = 16;
};

/// "" when usable, else a message naming the bad field (by its JS option name).
std::string check_classifier_config(const ClassifierTrainerConfig& config);

/// The defaults of each task (the JS API starts from these).
ClassifierTrainerConfig default_classifier_config(TokenTask task);

class ClassifierTrainer : public Trainer {
public:
    explicit ClassifierTrainer(const ClassifierTrainerConfig& config); ///< config checked first

    /// Changes what may change mid-run (the lesson's sliders); checked like the config.
    std::string configure(float dropout, float entropy_penalty, float learning_rate);

    const ClassifierTrainerConfig& config() const { return config_; }
    const TokenTaskLayout& layout() const { return layout_; }
    const TokenDataset& validation() const { return validation_; }
    const TokenDataset& training() const { return training_; }

    /// [CLS]'s attention (eval mode) on the first `count` validation examples:
    /// count x length into out.
    void attention(std::size_t count, float* out) const;

protected:
    void step() override;
    void after_step() override;

private:
    void evaluate();

    ClassifierTrainerConfig config_;
    TokenTaskLayout layout_;
    ClassifierShape shape_;
    TokenDataset training_, validation_;
    std::vector<float> params_, grads_, masks_;
    std::vector<std::int32_t> batch_kinds_, batch_polarity_, batch_labels_, order_;
    Optimizer optimizer_;
    Random random_; ///< batches and dropout masks
};

} // namespace attn::training
