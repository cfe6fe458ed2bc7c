#include "token_tasks.hpp"

namespace attn::training {

namespace {
/// An integer in [0, n) (n is small: the bias of the modulo is below 1e-8).
std::int32_t below(Random& random, std::size_t n) { return std::int32_t(random.next_u32() % n); }

constexpr std::int32_t marker_plus = 1, marker_minus = 2, first_filler = 3;
constexpr std::int32_t first_positive = first_filler + std::int32_t(filler_kinds);
constexpr std::int32_t first_negative = first_positive + std::int32_t(words_per_class);
constexpr std::int32_t signal_kind = 1, first_noise = 2;
} // namespace

std::string token_kind_name(TokenTask task, std::int32_t kind)
{
    const auto numbered = [](const char* stem, std::int32_t i) { return stem + std::to_string(i + 1); };
    if (kind == cls_token)
        return "[CLS]";
    if (task == TokenTask::noise) {
        if (kind == signal_kind)
            return "S";
        return kind >= first_noise && kind < first_noise + std::int32_t(noise_kinds) ? numbered("noise", kind - first_noise) : "";
    }
    if (kind == marker_plus)
        return "S+";
    if (kind == marker_minus)
        return "S-";
    if (kind >= first_filler && kind < first_positive)
        return numbered("filler", kind - first_filler);
    if (kind >= first_positive && kind < first_negative)
        return numbered("good", kind - first_positive);
    if (kind >= first_negative && kind < first_negative + std::int32_t(words_per_class))
        return numbered("bad", kind - first_negative);
    return "";
}

TokenTaskLayout token_task_layout(TokenTask task, std::size_t noise_tokens)
{
    TokenTaskLayout layout;
    layout.roles = {TokenRole::cls};
    if (task == TokenTask::spurious) {
        layout.vocabulary = std::size_t(first_negative) + words_per_class;
        layout.roles.insert(layout.roles.end(), word_positions, TokenRole::signal);
        layout.roles.push_back(TokenRole::spurious);
        layout.roles.insert(layout.roles.end(), filler_positions, TokenRole::filler);
    } else {
        layout.vocabulary = std::size_t(first_noise) + noise_kinds;
        layout.roles.push_back(TokenRole::signal);
        layout.roles.insert(layout.roles.end(), noise_tokens, TokenRole::noise);
    }
    layout.length = layout.roles.size();
    return layout;
}

TokenDataset make_token_dataset(TokenTask task, std::size_t noise_tokens, std::size_t count,
                                bool training, Random& random)
{
    const TokenTaskLayout layout = token_task_layout(task, noise_tokens);
    const std::size_t cells = count * layout.length;
    TokenDataset data{count, layout.length, std::vector<std::int32_t>(cells),
                      std::vector<std::int32_t>(cells, std::int32_t(Polarity::none)),
                      std::vector<std::int32_t>(count)};
    for (std::size_t e = 0; e < count; ++e) {
        const std::int32_t y = below(random, 2);
        data.labels[e] = y;
        std::int32_t* kind = data.tokens.data() + e * layout.length;
        std::int32_t* lean = data.polarity.data() + e * layout.length;
        for (std::size_t i = 0; i < layout.length; ++i) {
            switch (layout.roles[i]) {
            case TokenRole::cls:
                kind[i] = cls_token;
                break;
            case TokenRole::signal:
                if (task == TokenTask::noise) {
                    kind[i] = signal_kind;
                    lean[i] = std::int32_t(y == 1 ? Polarity::plus : Polarity::minus);
                } else {
                    kind[i] = (y == 1 ? first_positive : first_negative) + below(random, words_per_class);
                }
                break;
            case TokenRole::spurious:
                kind[i] = (training ? y : below(random, 2)) == 1 ? marker_plus : marker_minus;
                break;
            case TokenRole::filler:
                kind[i] = first_filler + below(random, filler_kinds);
                break;
            case TokenRole::noise:
                kind[i] = first_noise + below(random, noise_kinds);
                break;
            }
        }
    }
    return data;
}

} // namespace attn::training
