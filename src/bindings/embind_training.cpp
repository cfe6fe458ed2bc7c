// Embind for training (src/training/): attention in training mode (dropout) and its
// backward pass, and the lesson models as trainers the JS API steps.
//
// As in embind.cpp, arrays cross as byte offsets into the WASM heap and every function
// returns "" or a message naming the bad argument; nothing throws. The attention calls
// forward to src/training/attention_entry_points.hpp (checked there, and fuzzed). Trainers
// live in a table keyed by a small integer id until trainerDispose(id) frees them: the JS
// Trainer object owns that id.
#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include <emscripten/bind.h>

#include "../training/attention_entry_points.hpp"
#include "../training/classifier_trainer.hpp"
#include "../training/task_weighting.hpp"

namespace {

using namespace attn::training;

float* floats(std::uintptr_t offset) { return reinterpret_cast<float*>(offset); }
std::int32_t* ints(std::uintptr_t offset) { return reinterpret_cast<std::int32_t*>(offset); }

/// lab.attention({ dropout: p > 0, seed }): `heads` attentions, one Random(seed) for all.
std::string attention_dropout(std::uintptr_t q, std::uintptr_t k, std::uintptr_t v, std::size_t heads,
                              std::size_t nq, std::size_t nk, std::size_t dk, std::size_t dv, int scaling,
                              float temperature, int mask, std::size_t window, float dropout, double seed,
                              std::uintptr_t weights, std::uintptr_t logits, std::uintptr_t output)
{
    return entry::attention_dropout(floats(q), floats(k), floats(v), heads, nq, nk, dk, dv, scaling, temperature,
                                    mask, window, dropout, seed, floats(weights), floats(logits), floats(output));
}

/// lab.attentionBackward: for each head, the forward (probs, output: scratch), the
/// dropout mask (scratch, the same draws as attention_dropout) and the backward.
std::string attention_backward_call(std::uintptr_t q, std::uintptr_t k, std::uintptr_t v,
                                    std::uintptr_t grad_output, std::size_t heads, std::size_t nq,
                                    std::size_t nk, std::size_t dk, std::size_t dv, int scaling,
                                    float temperature, int mask, std::size_t window, float dropout,
                                    double seed, float entropy_penalty, std::uintptr_t probs,
                                    std::uintptr_t output, std::uintptr_t dropout_mask, std::uintptr_t grad_q,
                                    std::uintptr_t grad_k, std::uintptr_t grad_v)
{
    return entry::attention_backward(floats(q), floats(k), floats(v), floats(grad_output), heads, nq, nk, dk, dv,
                                     scaling, temperature, mask, window, dropout, seed, entropy_penalty,
                                     floats(probs), floats(output), floats(dropout_mask), floats(grad_q),
                                     floats(grad_k), floats(grad_v));
}

/// Every option of every trainer kind, as numbers; trainerDefaults(kind) fills it in.
struct TrainerOptions {
    int kind = 0; ///< 0: 'spurious', 1: 'noise', 2: 'task-weighting'
    double seed = 1;
    float dropout = 0, entropy_penalty = 0, learning_rate = 0;
    int optimizer = 0; ///< 0: 'adam', 1: 'sgd'
    int noise_tokens = 0, batch = 0, evaluate_every = 1, training_examples = 0, validation_examples = 0, width = 0;
    int update = 0; ///< 0: 'descent', 1: 'ascent', 2: 'loss-ratio'
    float temperature = 0, model_learning_rate = 0;
    int window = 0;
};

struct Created {
    std::string error;
    int id = 0;
};

/// One live trainer: exactly one of the two kinds.
struct Entry {
    std::unique_ptr<ClassifierTrainer> classifier;
    std::unique_ptr<TaskWeightingTrainer> tasks;
    Trainer& trainer() { return classifier ? static_cast<Trainer&>(*classifier) : *tasks; }
};

std::map<int, Entry>& trainers()
{
    static std::map<int, Entry> table;
    return table;
}
int next_id = 1;

ClassifierTrainerConfig classifier_config(const TrainerOptions& o)
{
    ClassifierTrainerConfig c;
    c.task = o.kind == 0 ? TokenTask::spurious : TokenTask::noise;
    c.seed = static_cast<std::uint64_t>(o.seed);
    c.dropout = o.dropout;
    c.entropy_penalty = o.entropy_penalty;
    c.noise_tokens = std::size_t(o.noise_tokens);
    c.learning_rate = o.learning_rate;
    c.optimizer = o.optimizer == 1 ? OptimizerKind::sgd : OptimizerKind::adam;
    c.batch = std::size_t(o.batch);
    c.evaluate_every = std::size_t(o.evaluate_every);
    c.training_examples = std::size_t(o.training_examples);
    c.validation_examples = std::size_t(o.validation_examples);
    c.width = std::size_t(o.width);
    return c;
}

TaskWeightingConfig task_config(const TrainerOptions& o)
{
    TaskWeightingConfig c;
    const TaskUpdate updates[] = {TaskUpdate::descent, TaskUpdate::ascent, TaskUpdate::loss_ratio};
    c.update = updates[o.update];
    c.seed = static_cast<std::uint64_t>(o.seed);
    c.learning_rate = o.learning_rate;
    c.temperature = o.temperature;
    c.window = std::size_t(o.window);
    c.model_learning_rate = o.model_learning_rate;
    return c;
}

TrainerOptions trainer_defaults(int kind)
{
    TrainerOptions o;
    o.kind = kind;
    if (kind == 2) {
        const TaskWeightingConfig c;
        o.learning_rate = c.learning_rate;
        o.temperature = c.temperature;
        o.window = int(c.window);
        o.model_learning_rate = c.model_learning_rate;
        return o;
    }
    const ClassifierTrainerConfig c = default_classifier_config(kind == 0 ? TokenTask::spurious : TokenTask::noise);
    o.dropout = c.dropout;
    o.entropy_penalty = c.entropy_penalty;
    o.learning_rate = c.learning_rate;
    o.optimizer = c.optimizer == OptimizerKind::sgd ? 1 : 0;
    o.noise_tokens = int(c.noise_tokens);
    o.batch = int(c.batch);
    o.evaluate_every = int(c.evaluate_every);
    o.training_examples = int(c.training_examples);
    o.validation_examples = int(c.validation_examples);
    o.width = int(c.width);
    return o;
}

Created trainer_create(TrainerOptions o)
{
    if (o.kind < 0 || o.kind > 2)
        return {"task must be 'spurious', 'noise' or 'task-weighting'", 0};
    if (o.noise_tokens < 0 || o.batch < 0 || o.evaluate_every < 0 || o.training_examples < 0 ||
        o.validation_examples < 0 || o.width < 0 || o.window < 0)
        return {"sizes must be non-negative integers", 0};
    Entry entry;
    if (o.kind == 2) {
        if (o.update < 0 || o.update > 2)
            return {"update must be 'descent', 'ascent' or 'loss-ratio'", 0};
        const TaskWeightingConfig c = task_config(o);
        const std::string error = check_task_weighting_config(c);
        if (!error.empty())
            return {error, 0};
        entry.tasks = std::make_unique<TaskWeightingTrainer>(c);
    } else {
        const ClassifierTrainerConfig c = classifier_config(o);
        const std::string error = check_classifier_config(c);
        if (!error.empty())
            return {error, 0};
        entry.classifier = std::make_unique<ClassifierTrainer>(c);
    }
    const int id = next_id++;
    trainers().emplace(id, std::move(entry));
    return {"", id};
}

Entry* find(int id)
{
    auto it = trainers().find(id);
    return it == trainers().end() ? nullptr : &it->second;
}

std::string trainer_run(int id, std::size_t steps)
{
    Entry* e = find(id);
    return e == nullptr ? "no such trainer (disposed?)" : e->trainer().run(steps);
}

double trainer_steps(int id)
{
    Entry* e = find(id);
    return e == nullptr ? -1.0 : double(e->trainer().steps_done());
}

/// The metric names, comma-separated ("" for no such trainer).
std::string trainer_metric_names(int id)
{
    Entry* e = find(id);
    std::string names;
    if (e != nullptr)
        for (const std::string& name : e->trainer().log().names)
            names += (names.empty() ? "" : ",") + name;
    return names;
}

double trainer_metric_rows(int id)
{
    Entry* e = find(id);
    return e == nullptr ? -1.0 : double(e->trainer().log().rows());
}

/// Copies rows [from, from + count) of the metric log into out (count x width floats).
std::string trainer_metrics(int id, std::size_t from, std::size_t count, std::uintptr_t out)
{
    Entry* e = find(id);
    if (e == nullptr)
        return "no such trainer (disposed?)";
    const MetricLog& log = e->trainer().log();
    if (from > log.rows() || count > log.rows() - from)
        return "from and count must lie within the recorded rows";
    std::copy(log.values.begin() + std::ptrdiff_t(from * log.width()),
              log.values.begin() + std::ptrdiff_t((from + count) * log.width()), floats(out));
    return "";
}

/// The token layout of a classifier trainer: length, then the role of each position.
std::string trainer_roles(int id)
{
    Entry* e = find(id);
    if (e == nullptr || !e->classifier)
        return "";
    static const char* const names[] = {"cls", "signal", "spurious", "filler", "noise"};
    std::string roles;
    for (TokenRole role : e->classifier->layout().roles)
        roles += (roles.empty() ? "" : ",") + std::string(names[int(role)]);
    return roles;
}

/// The names of a classifier trainer's token kinds, comma-separated, in kind order.
std::string trainer_vocabulary(int id)
{
    Entry* e = find(id);
    if (e == nullptr || !e->classifier)
        return "";
    const ClassifierTrainer& t = *e->classifier;
    std::string names;
    for (std::size_t kind = 0; kind < t.layout().vocabulary; ++kind)
        names += (kind == 0 ? "" : ",") + token_kind_name(t.config().task, std::int32_t(kind));
    return names;
}

/// [CLS]'s attention on the first `count` validation examples (count x length), and those
/// examples' kinds, polarities (count x length) and labels (count).
std::string trainer_attention(int id, std::size_t count, std::uintptr_t weights, std::uintptr_t kinds,
                              std::uintptr_t polarity, std::uintptr_t labels)
{
    Entry* e = find(id);
    if (e == nullptr)
        return "no such trainer (disposed?)";
    if (!e->classifier)
        return "the task-weighting trainer has no token attention; its weights are in metrics()";
    const ClassifierTrainer& t = *e->classifier;
    const TokenDataset& data = t.validation();
    if (count > data.count)
        return "examples must be at most validationExamples (" + std::to_string(data.count) + ")";
    t.attention(count, floats(weights));
    std::copy(data.tokens.begin(), data.tokens.begin() + std::ptrdiff_t(count * data.length), ints(kinds));
    std::copy(data.polarity.begin(), data.polarity.begin() + std::ptrdiff_t(count * data.length), ints(polarity));
    std::copy(data.labels.begin(), data.labels.begin() + std::ptrdiff_t(count), ints(labels));
    return "";
}

std::string trainer_configure(int id, float dropout, float entropy_penalty, float learning_rate)
{
    Entry* e = find(id);
    if (e == nullptr)
        return "no such trainer (disposed?)";
    if (!e->classifier)
        return "the task-weighting trainer has nothing to configure mid-run";
    return e->classifier->configure(dropout, entropy_penalty, learning_rate);
}

void trainer_dispose(int id) { trainers().erase(id); }

double trainer_count() { return double(trainers().size()); }

} // namespace

EMSCRIPTEN_BINDINGS(training)
{
    emscripten::value_object<TrainerOptions>("TrainerOptions")
        .field("kind", &TrainerOptions::kind)
        .field("seed", &TrainerOptions::seed)
        .field("dropout", &TrainerOptions::dropout)
        .field("entropyPenalty", &TrainerOptions::entropy_penalty)
        .field("learningRate", &TrainerOptions::learning_rate)
        .field("optimizer", &TrainerOptions::optimizer)
        .field("noiseTokens", &TrainerOptions::noise_tokens)
        .field("batch", &TrainerOptions::batch)
        .field("evaluateEvery", &TrainerOptions::evaluate_every)
        .field("trainingExamples", &TrainerOptions::training_examples)
        .field("validationExamples", &TrainerOptions::validation_examples)
        .field("width", &TrainerOptions::width)
        .field("update", &TrainerOptions::update)
        .field("temperature", &TrainerOptions::temperature)
        .field("modelLearningRate", &TrainerOptions::model_learning_rate)
        .field("window", &TrainerOptions::window);
    emscripten::value_object<Created>("TrainerCreated")
        .field("error", &Created::error)
        .field("id", &Created::id);
    emscripten::function("attentionDropout", &attention_dropout);
    emscripten::function("attentionBackward", &attention_backward_call);
    emscripten::function("trainerDefaults", &trainer_defaults);
    emscripten::function("trainerCreate", &trainer_create);
    emscripten::function("trainerRun", &trainer_run);
    emscripten::function("trainerSteps", &trainer_steps);
    emscripten::function("trainerMetricNames", &trainer_metric_names);
    emscripten::function("trainerMetricRows", &trainer_metric_rows);
    emscripten::function("trainerMetrics", &trainer_metrics);
    emscripten::function("trainerRoles", &trainer_roles);
    emscripten::function("trainerVocabulary", &trainer_vocabulary);
    emscripten::function("trainerAttention", &trainer_attention);
    emscripten::function("trainerConfigure", &trainer_configure);
    emscripten::function("trainerDispose", &trainer_dispose);
    emscripten::function("trainerCount", &trainer_count);
}
