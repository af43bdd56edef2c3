/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';

// The app is served by the Go binary from dist/ (frontend/embed.go). Nothing is loaded from
// another origin: the service worker precaches the app shell so that a steward can open the app
// and log a visit without a network.
export default defineConfig({
  plugins: [
    react(),
    VitePWA({
      strategies: 'generateSW',
      registerType: 'autoUpdate',
      injectRegister: false, // registered in src/lib/sw.ts, after the first render
      manifest: {
        name: '项目管家 Steward',
        short_name: '项目管家',
        lang: 'zh-CN',
        start_url: '/',
        display: 'standalone',
        theme_color: '#1677ff',
        background_color: '#ffffff',
        icons: [{ src: '/icon.svg', sizes: 'any', type: 'image/svg+xml' }],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,woff2}'],
        navigateFallback: '/index.html',
        // API, docs and the River UI are the server's, never the app shell.
        navigateFallbackDenylist: [/^\/api\//, /^\/docs/, /^\/openapi/, /^\/admin\/river/, /^\/metrics/, /^\/healthz/, /^\/readyz/],
        maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
        cleanupOutdatedCaches: true,
      },
    }),
  ],
  build: {
    outDir: 'dist',
    chunkSizeWarningLimit: 1500,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.{ts,tsx}'],
  },
});
