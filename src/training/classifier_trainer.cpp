#include "classifier_trainer.hpp"

#include <algorithm>
#include <cmath>

#include "attention_dropout.hpp"

namespace attn::training {

namespace {

// Streams of the one seed (rng.hpp's second argument).
constexpr std::uint64_t training_data_stream = 101, validation_data_stream = 102,
                        init_stream = 103, training_stream = 104;

ClassifierShape shape_of(const TokenTaskLayout& layout, std::size_t width)
{
    return {layout.vocabulary, layout.length, width, 2};
}

std::string check_rate(const char* name, float x, float low, float high, bool high_open)
{
    if (!std::isfinite(x) || x < low || x > high || (high_open && x == high))
        return std::string(name) + " must be a number from " + std::to_string(low) +
               (high_open ? " to less than " : " to ") + std::to_string(high);
    return "";
}

} // namespace

ClassifierTrainerConfig default_classifier_config(TokenTask task)
{
    ClassifierTrainerConfig c;
    c.task = task;
    if (task == TokenTask::noise) {
        c.optimizer = OptimizerKind::sgd;
        c.learning_rate = 0.3f;
        c.training_examples = 256;
        c.batch = 32;
        c.noise_tokens = 16;
    }
    return c;
}

std::string check_classifier_config(const ClassifierTrainerConfig& c)
{
    std::string error = check_rate("dropout", c.dropout, 0.0f, 1.0f, true);
    if (error.empty())
        error = check_rate("entropyPenalty", c.entropy_penalty, 0.0f, 100.0f, false);
    if (error.empty() && !(c.learning_rate > 0.0f && c.learning_rate <= 10.0f))
        error = "learningRate must be a number > 0 and at most 10";
    if (!error.empty())
        return error;
    if (c.noise_tokens > 64)
        return "noiseTokens must be an integer from 0 to 64";
    if (c.training_examples < 1 || c.training_examples > 4096)
        return "trainingExamples must be an integer from 1 to 4096";
    if (c.validation_examples < 1 || c.validation_examples > 4096)
        return "validationExamples must be an integer from 1 to 4096";
    if (c.batch > c.training_examples)
        return "batch must be at most trainingExamples (0: all of them)";
    if (c.evaluate_every < 1 || c.evaluate_every > 100000)
        return "evaluateEvery must be an integer from 1 to 100000";
    if (c.width < 1 || c.width > 64)
        return "width must be an integer from 1 to 64";
    return ""; // with these bounds every size product below is < 2^31
}

ClassifierTrainer::ClassifierTrainer(const ClassifierTrainerConfig& config)
    : config_(config),
      layout_(token_task_layout(config.task, config.noise_tokens)),
      shape_(shape_of(layout_, config.width)),
      optimizer_(config.optimizer, config.learning_rate, ClassifierLayout(shape_).count),
      random_(config.seed, training_stream)
{
    Random training_data(config.seed, training_data_stream), validation_data(config.seed, validation_data_stream);
    training_ = make_token_dataset(config.task, config.noise_tokens, config.training_examples, true, training_data);
    validation_ = make_token_dataset(config.task, config.noise_tokens, config.validation_examples, false, validation_data);
    const std::size_t count = ClassifierLayout(shape_).count;
    params_.resize(count);
    grads_.resize(count);
    Random init(config.seed, init_stream);
    init_classifier(shape_, init, params_.data());
    const std::size_t batch = config.batch == 0 ? config.training_examples : config.batch;
    masks_.resize(batch * shape_.length);
    batch_kinds_.resize(batch * shape_.length);
    batch_polarity_.resize(batch * shape_.length);
    batch_labels_.resize(batch);
    order_.resize(config.training_examples);
    for (std::size_t e = 0; e < order_.size(); ++e)
        order_[e] = std::int32_t(e);

    log_.names = {"step", "trainLoss", "trainAccuracy", "validationLoss", "validationAccuracy", "entropy",
                  "signalWeight", config.task == TokenTask::spurious ? "spuriousWeight" : "noiseWeight"};
    evaluate();
}

std::string ClassifierTrainer::configure(float dropout, float entropy_penalty, float learning_rate)
{
    ClassifierTrainerConfig next = config_;
    next.dropout = dropout;
    next.entropy_penalty = entropy_penalty;
    next.learning_rate = learning_rate;
    const std::string error = check_classifier_config(next);
    if (!error.empty())
        return error;
    config_ = next;
    optimizer_.learning_rate = learning_rate;
    return "";
}

void ClassifierTrainer::step()
{
    const std::size_t n = shape_.length;
    const std::size_t batch = batch_labels_.size();
    // The batch: the whole training set, or `batch` examples drawn without replacement.
    for (std::size_t b = 0; b < batch; ++b) {
        std::size_t e = b;
        if (config_.batch != 0) {
            const std::size_t pick = b + random_.next_u32() % (order_.size() - b);
            std::swap(order_[b], order_[pick]);
            e = std::size_t(order_[b]);
        }
        std::copy(training_.tokens.begin() + e * n, training_.tokens.begin() + (e + 1) * n,
                  batch_kinds_.begin() + b * n);
        std::copy(training_.polarity.begin() + e * n, training_.polarity.begin() + (e + 1) * n,
                  batch_polarity_.begin() + b * n);
        batch_labels_[b] = training_.labels[e];
    }
    const bool dropping = config_.dropout > 0.0f;
    if (dropping)
        draw_dropout_mask(random_, config_.dropout, masks_.size(), masks_.data());
    classifier_pass(shape_, params_.data(), batch_kinds_.data(), batch_polarity_.data(), batch_labels_.data(), batch,
                    dropping ? masks_.data() : nullptr, config_.entropy_penalty, grads_.data(),
                    (float*)nullptr, (float*)nullptr);
    optimizer_.step(params_.data(), grads_.data());
}

void ClassifierTrainer::after_step()
{
    if (steps_done() % config_.evaluate_every == 0)
        evaluate();
}

void ClassifierTrainer::evaluate()
{
    const std::size_t n = shape_.length;
    const ClassifierPass train = classifier_pass(shape_, params_.data(), training_.tokens.data(),
                                                 training_.polarity.data(), training_.labels.data(), training_.count, nullptr, 0.0f,
                                                 (float*)nullptr, (float*)nullptr, (float*)nullptr);
    std::vector<float> attention(validation_.count * n);
    const ClassifierPass valid = classifier_pass(shape_, params_.data(), validation_.tokens.data(),
                                                 validation_.polarity.data(), validation_.labels.data(), validation_.count, nullptr, 0.0f,
                                                 (float*)nullptr, attention.data(), (float*)nullptr);
    double signal = 0.0, other = 0.0;
    const TokenRole other_role = config_.task == TokenTask::spurious ? TokenRole::spurious : TokenRole::noise;
    for (std::size_t e = 0; e < validation_.count; ++e)
        for (std::size_t i = 0; i < n; ++i) {
            if (layout_.roles[i] == TokenRole::signal)
                signal += attention[e * n + i];
            if (layout_.roles[i] == other_role)
                other += attention[e * n + i];
        }
    const double count = double(validation_.count);
    log_.record({double(steps_done()), train.loss, train.accuracy, valid.loss, valid.accuracy, valid.entropy,
                 signal / count, other / count});
}

void ClassifierTrainer::attention(std::size_t count, float* out) const
{
    count = std::min(count, validation_.count);
    classifier_pass(shape_, params_.data(), validation_.tokens.data(), validation_.polarity.data(),
                    validation_.labels.data(), count, nullptr,
                    0.0f, (float*)nullptr, out, (float*)nullptr);
}

} // namespace attn::training
