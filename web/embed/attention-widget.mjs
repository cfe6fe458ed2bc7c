/**
 * `<attention-widget type="attention-explorer" temperature="0.5" hide="temperature">`:
 * one widget of the lessons, on any page. Every attribute the widget declares as a
 * parameter (its `static parameters`) passes to it, fixed for this embed; `hide` names
 * controls to hide. Any other attribute (besides `type`, `hide`, `sync-url` and the
 * element's own global attributes: `id`, `class`, `style`, `data-*`, `aria-*`, …) is
 * named in a visible message, as is any value the widget refuses. The widget renders
 * in a shadow root (embed-root.mjs). It leaves the host page's URL alone unless it has
 * a `sync-url` attribute, in which case its state is kept in the hash under its `id`
 * (the parameters its attributes fix excepted: a link cannot change those).
 *
 * For tests: `data-ready` once the widget shows the core's numbers.
 */
import { attachEmbedRoot } from './embed-root.mjs';
import { defineWidget } from '../runtime/widget-registry.mjs';
import { syncStateWithUrl } from '../runtime/url-state.mjs';
import { showFailure } from '../runtime/failure-message.mjs';
import { ParameterMessage, declaredParameters } from '../runtime/widget-parameters.mjs';

const ownAttributes = new Set(['type', 'hide', 'sync-url']);
const globalAttributes = new Set(['id', 'class', 'style', 'hidden', 'title', 'lang', 'dir', 'tabindex', 'slot', 'role',
  'part', 'exportparts', 'translate', 'inert', 'nonce', 'autofocus']);
const isGlobal = (name) => globalAttributes.has(name) || name.startsWith('data-') || name.startsWith('aria-');

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
    const declared = declaredParameters(customElements.get(type));
    const widget = document.createElement(type);
    widget.className = 'lesson-widget';
    const fixed = new Set();
    const unknown = [];
    for (const { name, value } of this.attributes) {
      if (ownAttributes.has(name) || isGlobal(name)) continue;
      if (!Object.hasOwn(declared, name)) {
        unknown.push(name);
        continue;
      }
      widget.setAttribute(name, value);
      fixed.add(name);
    }
    const message = new ParameterMessage();
    const known = Object.keys(declared).join(', ') || 'none';
    message.show(unknown.map((name) => ({ text: `The attribute "${name}" is not used: ${type} has no such parameter; its parameters are ${known}.` })));
    container.append(message.element, widget);
    if (this.hasAttribute('sync-url')) syncStateWithUrl(new Map([[this.id || type, keepingFixedParameters(widget, fixed)]]));
    new MutationObserver((_, observer) => {
      if (!widget.hasAttribute('data-ready')) return;
      this.dataset.ready = '';
      observer.disconnect();
    }).observe(widget, { attributes: true, attributeFilter: ['data-ready'] });
  }
}
