/**
 * `<attention-widget type="attention-explorer" temperature="0.5" hide="temperature">`:
 * one widget of the lessons, on any page. Every attribute other than `type`, `hide`,
 * `sync-url` and the element's own `id`, `class`, `style` passes to the widget as a
 * parameter, fixed for this embed; `hide` names controls to hide. The widget renders in
 * a shadow root (embed-root.mjs). It leaves the host page's URL alone unless it has a
 * `sync-url` attribute, in which case its state is kept in the hash under its `id`
 * (the parameters its attributes fix excepted: a link cannot change those).
 *
 * For tests: `data-ready` once the widget shows the core's numbers.
 */
import { attachEmbedRoot } from './embed-root.mjs';
import { defineWidget } from '../runtime/widget-registry.mjs';
import { syncStateWithUrl } from '../runtime/url-state.mjs';
import { showFailure } from '../runtime/failure-message.mjs';

const ownAttributes = new Set(['type', 'hide', 'sync-url', 'id', 'class', 'style', 'hidden']);

/**
 * The widget as the URL sees it: a parameter fixed by an attribute of the embed is
 * never taken from the URL (the widget then falls back to its attribute).
 */
function keepingFixedParameters(widget, fixedAttributes) {
  const fixedKeys = Object.entries(widget.constructor.stateAttributes ?? {})
    .filter(([, attribute]) => fixedAttributes.has(attribute))
    .map(([key]) => key);
  return {
    get state() {
      return widget.state;
    },
    set state(state) {
      widget.state = Object.fromEntries(Object.entries(state).filter(([key]) => !fixedKeys.includes(key)));
    },
    addEventListener: (...listener) => widget.addEventListener(...listener),
  };
}

export class AttentionWidget extends HTMLElement {
  async connectedCallback() {
    if (this.shadowRoot) return;
    const container = attachEmbedRoot(this);
    const type = this.getAttribute('type');
    try {
      await defineWidget(type);
    } catch (error) {
      showFailure(container, `This widget could not be shown: ${error.message}.`, error);
      return;
    }
    const widget = document.createElement(type);
    widget.className = 'lesson-widget';
    const fixed = new Set();
    for (const { name, value } of this.attributes) {
      if (ownAttributes.has(name)) continue;
      widget.setAttribute(name, value);
      fixed.add(name);
    }
    container.append(widget);
    if (this.hasAttribute('sync-url')) syncStateWithUrl(new Map([[this.id || type, keepingFixedParameters(widget, fixed)]]));
    new MutationObserver((_, observer) => {
      if (!widget.hasAttribute('data-ready')) return;
      this.dataset.ready = '';
      observer.disconnect();
    }).observe(widget, { attributes: true, attributeFilter: ['data-ready'] });
  }
}
