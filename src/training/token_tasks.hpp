// The generated data sets of lesson 7: short token sequences with a class label (0 or 1).
//
// Every sequence starts with [CLS], the token whose query reads the others (it is not
// itself a key). Positions have fixed roles; the model has no position information, so
// the layout only makes the heatmaps readable.
//
// 'spurious' (shortcut and overfitting):  [CLS] word word word marker filler filler
//   word:   the label's evidence, three times: each a word drawn at random from the 16
//           words of the label's class (16 "positive" words for 1, 16 "negative" for 0).
//           Always right, in training and validation, but spread over 32 rare words.
//   marker: S+ if the label is 1, S- if 0, in every training example (one token, seen
//           in every example: the shortcut); in the validation set S+ or S- at random.
//   filler: one of 8 tokens, no information.
//   A model that leans on the marker fits the 48 training examples and guesses on new
//   ones; a model that reads the words is right on both.
//
// 'noise' (attention entropy):  [CLS] signal noise x k
//   signal: the token S, leaning + if the label is 1 and - if it is 0 (always right);
//   k noise tokens, each one of 16 kinds at random, lean nowhere: they carry no
//   information but compete for [CLS]'s attention.
//
// A token is a kind (what it is) and a polarity (which way it leans: none, + or -). The
// model looks up keys from the kind alone and values from kind and polarity, like the
// library of lesson 1: a book's title says where it is, its contents what it says. So
// S+ and S- look alike to a query, and the model must find S to read it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "../rng.hpp"

namespace attn::training {

enum class TokenTask { spurious, noise };

/// What a position holds.
enum class TokenRole : std::int32_t { cls = 0, signal = 1, spurious = 2, filler = 3, noise = 4 };

/// The vocabulary and layout of a task.
struct TokenTaskLayout {
    std::size_t vocabulary = 0;   ///< token kinds
    std::size_t length = 0;       ///< tokens per sequence, [CLS] included
    std::vector<TokenRole> roles; ///< role of each position (length)
};

/// Which way a token leans.
enum class Polarity : std::int32_t { none = 0, plus = 1, minus = 2 };

/// Token kinds. Both tasks: [CLS] = 0.
/// 'spurious': S+ = 1, S- = 2, fillers 3..10, positive words 11..26, negative words 27..42;
///             no polarity.
/// 'noise':    S = 1 (polarity + or -), noise 2..17 (no polarity).
constexpr std::int32_t cls_token = 0;
constexpr std::size_t word_positions = 3, filler_positions = 2;
constexpr std::size_t words_per_class = 16, filler_kinds = 8, noise_kinds = 16;
constexpr std::size_t max_noise_tokens = 64;

/// A token kind's name, for the pages: "[CLS]", "S+", "S-", "filler1".."filler8",
/// "good1".."good16", "bad1".."bad16" ('spurious'); "[CLS]", "S", "noise1".."noise16"
/// ('noise'). "" for a kind outside the vocabulary.
std::string token_kind_name(TokenTask task, std::int32_t kind);

/// The layout of `task` with `noise_tokens` noise positions (used by 'noise' only).
TokenTaskLayout token_task_layout(TokenTask task, std::size_t noise_tokens);

struct TokenDataset {
    std::size_t count = 0;
    std::size_t length = 0;
    std::vector<std::int32_t> tokens;   ///< count x length token kinds
    std::vector<std::int32_t> polarity; ///< count x length Polarity values
    std::vector<std::int32_t> labels;   ///< count, 0 or 1
};

/// count labelled sequences drawn from `random`; `training` decides whether the marker
/// follows the label (training set) or is random (validation set).
TokenDataset make_token_dataset(TokenTask task, std::size_t noise_tokens, std::size_t count,
                                bool training, Random& random);

} // namespace attn::training
