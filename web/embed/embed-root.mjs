/**
 * The shadow root every embedded element renders into: the site's styles and KaTeX's,
 * isolated from the host page (its inherited text styles reset, see embed.css), themed
 * through the `--attention-lab-*` custom properties the host may set on the element or
 * an ancestor (web/theme.css lists them), and a rule hiding the controls the host's
 * `hide` attribute names (each widget exposes its controls as CSS parts).
 */
import { shadowCss } from 'attention-lab:assets';

let sharedSheet = null;

/** One constructed stylesheet, shared by every embedded element on the page. */
function embedStyles() {
  sharedSheet ??= new CSSStyleSheet();
  if (!sharedSheet.cssRules.length) sharedSheet.replaceSync(shadowCss);
  return sharedSheet;
}

/** The CSS hiding the controls named in a `hide` attribute ("temperature,hard"); unknown-looking names are ignored. */
export function hiddenControlsCss(hide) {
  const names = String(hide ?? '').split(',').map((name) => name.trim()).filter((name) => /^[a-z][a-z0-9-]*$/i.test(name));
  return names.length ? `${names.map((name) => `.lesson-widget::part(${name})`).join(', ')} { display: none !important; }` : '';
}

/** Attaches the styled shadow root to `host` and resolves to the element to render into. */
export function attachEmbedRoot(host, { tag = 'div', id } = {}) {
  const root = host.attachShadow({ mode: 'open' });
  root.adoptedStyleSheets = [embedStyles()];
  const hidden = document.createElement('style');
  hidden.textContent = hiddenControlsCss(host.getAttribute('hide'));
  const container = document.createElement(tag);
  container.className = 'embed';
  if (id) container.id = id;
  root.append(hidden, container);
  return container;
}
