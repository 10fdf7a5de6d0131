/**
 * Registers the service worker that precaches the app shell (vite-plugin-pwa, autoUpdate),
 * so a reload with no network still opens the app and its local data.
 */
import { registerSW } from 'virtual:pwa-register';

export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  registerSW({ immediate: true });
}
