#include "attention_classifier.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "../attention.hpp"
#include "attention_grad.hpp"
#include "linear.hpp"
#include "loss.hpp"
#include "token_tasks.hpp"

namespace attn::training {

ClassifierLayout::ClassifierLayout(const ClassifierShape& s)
{
    const std::size_t dd = s.width * s.width;
    embedding = 0;
    polarity = embedding + s.vocabulary * s.width;
    wq = polarity + 2 * s.width;
    wk = wq + dd;
    wv = wk + dd;
    wo = wv + dd;
    readout = wo + dd;
    bias = readout + s.width * s.classes;
    count = bias + s.classes;
}

void init_classifier(const ClassifierShape& shape, Random& random, float* params)
{
    const ClassifierLayout at(shape);
    const float matrix_scale = 1.0f / std::sqrt(float(shape.width));
    for (std::size_t i = 0; i < at.wq; ++i)
        params[i] = random.normal();
    for (std::size_t i = at.wq; i < at.wv; ++i)
        params[i] = random.normal() * 0.1f * matrix_scale;
    for (std::size_t i = at.wv; i < at.bias; ++i)
        params[i] = random.normal() * matrix_scale;
    std::fill(params + at.bias, params + at.count, 0.0f);
}

template <typename Real>
ClassifierPass classifier_pass_plain(const ClassifierShape& shape, const Real* params,
                                     const std::int32_t* kinds, const std::int32_t* polarities,
                                     const std::int32_t* labels, std::size_t batch,
                                     const float* dropout_masks, Real entropy_weight, Real* grad,
                                     Real* attention, Real* logits)
{
    const std::size_t n = shape.length, d = shape.width, c = shape.classes;
    const std::size_t keys = n - 1; // [CLS] asks; positions 1..n-1 answer (a[0] stays 0)
    const ClassifierLayout at(shape);
    const Real *E = params + at.embedding, *P = params + at.polarity, *Wq = params + at.wq,
               *Wk = params + at.wk, *Wv = params + at.wv, *Wo = params + at.wo,
               *Wr = params + at.readout, *br = params + at.bias;

    // One example's activations and their gradients.
    std::vector<Real> X(n * d), Y(n * d), K(n * d), V(n * d), q(d), a(n, Real(0)), h(d), o(d), z(c);
    std::vector<Real> dz(c), dout(d), dh(d), dq(d), dK(n * d, Real(0)), dV(n * d, Real(0)), dX(n * d),
        dY(n * d);
    const AttentionShape attention_shape{1, keys, d, d};
    const AttentionOptions attention_options; // 1/sqrt(width), no mask, temperature 1

    if (grad != nullptr)
        std::fill(grad, grad + at.count, Real(0));
    ClassifierPass pass;
    const Real per_example = Real(1) / Real(batch);
    for (std::size_t b = 0; b < batch; ++b) {
        const std::int32_t* kind = kinds + b * n;
        const std::int32_t* lean = polarities + b * n;
        const float* mask = dropout_masks != nullptr ? dropout_masks + b * n + 1 : nullptr;
        for (std::size_t i = 0; i < n; ++i) {
            const Real* e = E + std::size_t(kind[i]) * d;
            const std::size_t p = std::size_t(lean[i]); // 0: none, 1: + (row 0 of P), 2: - (row 1)
            for (std::size_t j = 0; j < d; ++j) {
                X[i * d + j] = e[j];
                Y[i * d + j] = p == 0 ? e[j] : e[j] + P[(p - 1) * d + j];
            }
        }
        linear_forward(X.data(), 1, d, Wq, (const Real*)nullptr, d, q.data());
        linear_forward(X.data() + d, keys, d, Wk, (const Real*)nullptr, d, K.data() + d);
        linear_forward(Y.data() + d, keys, d, Wv, (const Real*)nullptr, d, V.data() + d);
        attention_forward(q.data(), K.data() + d, V.data() + d, attention_shape, attention_options, mask,
                          a.data() + 1, h.data());
        linear_forward(h.data(), 1, d, Wo, (const Real*)nullptr, d, o.data());
        linear_forward(o.data(), 1, d, Wr, br, c, z.data());

        pass.loss += double(softmax_cross_entropy(z.data(), labels + b, 1, c, dz.data())) / double(batch);
        pass.entropy += double(entropy_of(a.data() + 1, keys)) / double(batch);
        pass.accuracy += accuracy(z.data(), labels + b, 1, c) / double(batch);
        if (attention != nullptr)
            std::copy(a.begin(), a.end(), attention + b * n);
        if (logits != nullptr)
            std::copy(z.begin(), z.end(), logits + b * c);
        if (grad == nullptr)
            continue;

        for (Real& g : dz)
            g *= per_example;
        std::fill(dout.begin(), dout.end(), Real(0));
        std::fill(dh.begin(), dh.end(), Real(0));
        std::fill(dX.begin(), dX.end(), Real(0));
        std::fill(dY.begin(), dY.end(), Real(0));
        linear_backward(o.data(), 1, d, Wr, c, dz.data(), dout.data(), grad + at.readout, grad + at.bias);
        linear_backward(h.data(), 1, d, Wo, d, dout.data(), dh.data(), grad + at.wo, (Real*)nullptr);
        attention_backward(q.data(), K.data() + d, V.data() + d, attention_shape, attention_options, mask,
                           a.data() + 1, dh.data(), entropy_weight * per_example, dq.data(), dK.data() + d,
                           dV.data() + d);
        linear_backward(X.data(), 1, d, Wq, d, dq.data(), dX.data(), grad + at.wq, (Real*)nullptr);
        linear_backward(X.data() + d, keys, d, Wk, d, dK.data() + d, dX.data() + d, grad + at.wk, (Real*)nullptr);
        linear_backward(Y.data() + d, keys, d, Wv, d, dV.data() + d, dY.data() + d, grad + at.wv, (Real*)nullptr);
        for (std::size_t i = 0; i < n; ++i) {
            Real* e = grad + at.embedding + std::size_t(kind[i]) * d;
            const std::size_t p = std::size_t(lean[i]);
            for (std::size_t j = 0; j < d; ++j)
                e[j] += dX[i * d + j] + dY[i * d + j];
            if (p != 0)
                for (std::size_t j = 0; j < d; ++j)
                    grad[at.polarity + (p - 1) * d + j] += dY[i * d + j];
        }
    }
    return pass;
}


template <typename Real>
ClassifierPass classifier_pass(const ClassifierShape& shape, const Real* params,
                               const std::int32_t* kinds, const std::int32_t* polarities,
                               const std::int32_t* labels, std::size_t batch,
                               const float* dropout_masks, Real entropy_weight, Real* grad,
                               Real* attention, Real* logits)
{
    const std::size_t n = shape.length, d = shape.width, c = shape.classes, kinds_count = shape.vocabulary;
    const std::size_t keys = n - 1;
    const ClassifierLayout at(shape);
    const Real *E = params + at.embedding, *P = params + at.polarity, *Wq = params + at.wq,
               *Wk = params + at.wk, *Wv = params + at.wv, *Wo = params + at.wo,
               *Wr = params + at.readout, *br = params + at.bias;

    // Every kind's key and value, each polarity's value shift, and the one query.
    std::vector<Real> key_of(kinds_count * d), value_of(kinds_count * d), shift_of(2 * d), q(d);
    linear_forward(E, kinds_count, d, Wk, (const Real*)nullptr, d, key_of.data());
    linear_forward(E, kinds_count, d, Wv, (const Real*)nullptr, d, value_of.data());
    linear_forward(P, 2, d, Wv, (const Real*)nullptr, d, shift_of.data());
    linear_forward(E + std::size_t(cls_token) * d, 1, d, Wq, (const Real*)nullptr, d, q.data());

    // Per-kind sums of dL/dkey, dL/dvalue; per-polarity sums of dL/dvalue; the sum of dL/dq.
    std::vector<Real> dkey_of, dvalue_of, dshift_of, dq_total;
    if (grad != nullptr) {
        std::fill(grad, grad + at.count, Real(0));
        dkey_of.assign(kinds_count * d, Real(0));
        dvalue_of.assign(kinds_count * d, Real(0));
        dshift_of.assign(2 * d, Real(0));
        dq_total.assign(d, Real(0));
    }

    std::vector<Real> K(keys * d), V(keys * d), a(n, Real(0)), h(d), o(d), z(c);
    std::vector<Real> dz(c), dout(d), dh(d), dq(d), dK(keys * d), dV(keys * d);
    const AttentionShape attention_shape{1, keys, d, d};
    const AttentionOptions attention_options;
    ClassifierPass pass;
    const Real per_example = Real(1) / Real(batch);
    for (std::size_t b = 0; b < batch; ++b) {
        const std::int32_t* kind = kinds + b * n + 1; // the keys: positions 1..n-1
        const std::int32_t* lean = polarities + b * n + 1;
        const float* mask = dropout_masks != nullptr ? dropout_masks + b * n + 1 : nullptr;
        for (std::size_t i = 0; i < keys; ++i) {
            const Real* key = key_of.data() + std::size_t(kind[i]) * d;
            const Real* value = value_of.data() + std::size_t(kind[i]) * d;
            const Real* shift = lean[i] == 0 ? nullptr : shift_of.data() + std::size_t(lean[i] - 1) * d;
            for (std::size_t j = 0; j < d; ++j) {
                K[i * d + j] = key[j];
                V[i * d + j] = shift != nullptr ? value[j] + shift[j] : value[j];
            }
        }
        attention_forward(q.data(), K.data(), V.data(), attention_shape, attention_options, mask, a.data() + 1,
                          h.data());
        linear_forward(h.data(), 1, d, Wo, (const Real*)nullptr, d, o.data());
        linear_forward(o.data(), 1, d, Wr, br, c, z.data());

        pass.loss += double(softmax_cross_entropy(z.data(), labels + b, 1, c, dz.data())) / double(batch);
        pass.entropy += double(entropy_of(a.data() + 1, keys)) / double(batch);
        pass.accuracy += accuracy(z.data(), labels + b, 1, c) / double(batch);
        if (attention != nullptr)
            std::copy(a.begin(), a.end(), attention + b * n);
        if (logits != nullptr)
            std::copy(z.begin(), z.end(), logits + b * c);
        if (grad == nullptr)
            continue;

        for (Real& g : dz)
            g *= per_example;
        std::fill(dout.begin(), dout.end(), Real(0));
        std::fill(dh.begin(), dh.end(), Real(0));
        linear_backward(o.data(), 1, d, Wr, c, dz.data(), dout.data(), grad + at.readout, grad + at.bias);
        linear_backward(h.data(), 1, d, Wo, d, dout.data(), dh.data(), grad + at.wo, (Real*)nullptr);
        attention_backward(q.data(), K.data(), V.data(), attention_shape, attention_options, mask, a.data() + 1,
                           dh.data(), entropy_weight * per_example, dq.data(), dK.data(), dV.data());
        for (std::size_t j = 0; j < d; ++j)
            dq_total[j] += dq[j];
        for (std::size_t i = 0; i < keys; ++i) {
            Real* dkey = dkey_of.data() + std::size_t(kind[i]) * d;
            Real* dvalue = dvalue_of.data() + std::size_t(kind[i]) * d;
            Real* dshift = lean[i] == 0 ? nullptr : dshift_of.data() + std::size_t(lean[i] - 1) * d;
            for (std::size_t j = 0; j < d; ++j) {
                dkey[j] += dK[i * d + j];
                dvalue[j] += dV[i * d + j];
                if (dshift != nullptr)
                    dshift[j] += dV[i * d + j];
            }
        }
    }
    if (grad != nullptr) {
        // The projections' backward, once per kind: key_of = E Wk, value_of = E Wv,
        // shift_of = P Wv, q = E[CLS] Wq.
        linear_backward(E, kinds_count, d, Wk, d, dkey_of.data(), grad + at.embedding, grad + at.wk, (Real*)nullptr);
        linear_backward(E, kinds_count, d, Wv, d, dvalue_of.data(), grad + at.embedding, grad + at.wv, (Real*)nullptr);
        linear_backward(P, 2, d, Wv, d, dshift_of.data(), grad + at.polarity, grad + at.wv, (Real*)nullptr);
        linear_backward(E + std::size_t(cls_token) * d, 1, d, Wq, d, dq_total.data(),
                        grad + at.embedding + std::size_t(cls_token) * d, grad + at.wq, (Real*)nullptr);
    }
    return pass;
}

template ClassifierPass classifier_pass_plain<float>(const ClassifierShape&, const float*, const std::int32_t*,
                                                     const std::int32_t*, const std::int32_t*, std::size_t,
                                                     const float*, float, float*, float*, float*);
template ClassifierPass classifier_pass_plain<double>(const ClassifierShape&, const double*, const std::int32_t*,
                                                      const std::int32_t*, const std::int32_t*, std::size_t,
                                                      const float*, double, double*, double*, double*);
template ClassifierPass classifier_pass<float>(const ClassifierShape&, const float*, const std::int32_t*,
                                               const std::int32_t*, const std::int32_t*, std::size_t,
                                               const float*, float, float*, float*, float*);
template ClassifierPass classifier_pass<double>(const ClassifierShape&, const double*, const std::int32_t*,
                                                const std::int32_t*, const std::int32_t*, std::size_t,
                                                const float*, double, double*, double*, double*);

} // namespace attn::training
