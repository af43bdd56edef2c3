// The service worker (vite-plugin-pwa, Workbox generateSW) caches the app shell so the app opens
// without a network. Browsers allow it only on https or localhost.
export function registerServiceWorker() {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {
      /* not a secure context, or storage refused: the app works online without it */
    });
  });
}
