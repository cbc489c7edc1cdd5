/**
 * Registers the service worker (dist/sw.js, written by scripts/build-sw.mjs) in production
 * builds only. `./sw.js` resolves against the page, so the worker's scope is the folder the
 * app is served from — `/`, `/tools/seqscope/`, a GitHub Pages project path — with no
 * configuration. The dev server has no sw.js and registers nothing.
 *
 * Updates: a new build installs in the background and takes over on the next visit (see
 * src/sw/sw.ts); the open session keeps running the version it started with.
 */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const register = () => {
    navigator.serviceWorker.register('./sw.js', { scope: './' }).catch((e: unknown) => {
      // Offline use is a bonus, never a reason to break the app (e.g. file:// or a private window).
      console.warn('seqscope: offline support unavailable:', (e as Error).message ?? e);
    });
  };
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}
