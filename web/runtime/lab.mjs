/**
 * The one attention core a page shares. Every widget asks `loadLab()` for it; the core is
 * created once, on the first request. By default the JS API is imported dynamically, so
 * that a page still renders its text when the core cannot be loaded (each widget then
 * says so in place of its numbers); a bundle that carries the WASM itself (the embed
 * script, the offline page) supplies its own way to create the core with `provideLab`.
 *
 * The default path is relative so it resolves both when the repository is served as is
 * (`/web/runtime/lab.mjs` → `/dist/`) and when `web/` is mounted at the root (`/runtime/lab.mjs` →
 * `/dist/`, since a URL cannot climb above its root).
 */
let createLab = async () => {
  const { default: createAttentionLab } = await import(new URL('../../dist/attention-lab.mjs', import.meta.url).href);
  return createAttentionLab();
};

let labPromise = null;

/** Replaces how the lab is created (before any widget asks for it): `create` resolves to the lab API. */
export function provideLab(create) {
  createLab = create;
}

/** Resolves to the page's attention lab (the JS API over the WASM core). */
export function loadLab() {
  labPromise ??= createLab();
  return labPromise;
}
