/**
 * A lesson's state in the URL hash, so a shared link reproduces the exact view.
 *
 * Each widget publishes its parameters (random seed included) as text; the hash holds
 * them all as `widgetId.param=value` pairs, e.g. `#library.q=1,1&library.T=0.5`.
 * History follows the learner's gestures: a discrete change (a key press, a toggle, a
 * released slider) adds one history entry; a continuous gesture (a drag, a slider being
 * moved) adds one entry when it starts and then only replaces it, so Back undoes a whole
 * drag rather than each frame of it.
 */

/** Encodes one value, keeping commas and colons readable. */
const encodeValue = (value) => encodeURIComponent(value).replace(/%2C/gi, ',').replace(/%3A/gi, ':');

/** The hash for a map of widget id → { param: text }. */
export function formatHash(states) {
  const pairs = [];
  for (const [widgetId, state] of states) {
    for (const [name, value] of Object.entries(state)) pairs.push(`${widgetId}.${name}=${encodeValue(value)}`);
  }
  return pairs.length ? `#${pairs.join('&')}` : '';
}

/** Reads a hash back into a map of widget id → { param: text }; unknown shapes are skipped. */
export function parseHash(hash) {
  const states = new Map();
  for (const pair of hash.replace(/^#/, '').split('&')) {
    const match = pair.match(/^([a-z][a-z0-9-]*)\.([A-Za-z][A-Za-z0-9-]*)=(.*)$/);
    if (!match) continue;
    const [, widgetId, name, encoded] = match;
    let value;
    try {
      value = decodeURIComponent(encoded);
    } catch {
      continue;
    }
    if (!states.has(widgetId)) states.set(widgetId, {});
    states.get(widgetId)[name] = value;
  }
  return states;
}

/**
 * Writes the page URL with `history.pushState` or `replaceState`. A page without a real
 * address of its own (e.g. in a sandboxed iframe, an opaque origin) may refuse; its view
 * then simply is not in its URL.
 */
function writeUrl(method, url) {
  try {
    history[method](null, '', url);
  } catch (error) {
    console.warn(`attention-lab: the view is not kept in the URL: ${error.message}`);
  }
}

/**
 * Keeps the URL in step with the widgets. `widgets` maps ids to elements that have a
 * `state` property (get: { param: text }; set: apply, defaults for missing params) and
 * fire `statechange` events whose `detail.transient` is true during a gesture.
 */
export function syncStateWithUrl(widgets) {
  let inGesture = false;

  const currentHash = () => formatHash([...widgets].map(([id, widget]) => [id, widget.state]));

  const record = (event) => {
    const hash = currentHash();
    const url = `${location.pathname}${location.search}${hash}`;
    const transient = Boolean(event.detail?.transient);
    const startsEntry = transient ? !inGesture : !inGesture && hash !== location.hash;
    writeUrl(startsEntry ? 'pushState' : 'replaceState', url);
    inGesture = transient;
  };

  const restore = () => {
    const states = parseHash(location.hash);
    for (const [id, widget] of widgets) widget.state = states.get(id) ?? {};
    inGesture = false;
  };

  restore();
  for (const widget of widgets.values()) widget.addEventListener('statechange', record);
  window.addEventListener('popstate', restore);
  window.addEventListener('hashchange', restore);
  writeUrl('replaceState', `${location.pathname}${location.search}${currentHash()}`);
}
