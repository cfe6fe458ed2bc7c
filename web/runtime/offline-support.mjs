/**
 * Registers the site's service worker (sw.js, at the site's root: its scope is every page), which keeps a copy of
 * every file the lessons need, so that after one visit every lesson works with the
 * network off. A browser without service workers, or a failed registration, only loses
 * that: the page itself works as before.
 */
export function registerOfflineSupport() {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker
    .register(new URL('../sw.js', import.meta.url))
    .catch((error) => console.warn(`attention-lab: offline support unavailable: ${error.message}`));
}
