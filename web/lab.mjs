/**
 * The one attention core a page shares. Every widget asks `loadLab()` for it; the WASM
 * module is fetched and compiled once, on the first request. The import is dynamic so
 * that a page still renders its text when the core cannot be loaded; each widget then
 * says so in place of its numbers.
 *
 * The path is relative so it resolves both when the repository is served as is
 * (`/web/lab.mjs` → `/dist/`) and when `web/` is mounted at the root (`/lab.mjs` →
 * `/dist/`, since a URL cannot climb above its root).
 */
const labModuleUrl = new URL('../dist/attention-lab.mjs', import.meta.url);

let labPromise = null;

/** Resolves to the page's attention lab (the JS API over the WASM core). */
export function loadLab() {
  labPromise ??= import(labModuleUrl.href).then(({ default: createAttentionLab }) => createAttentionLab());
  return labPromise;
}
