import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * Builds the dashboard into web/dist wherever it is run from (`vite build --config web/vite.config.ts` at the repo
 * root). Relative asset URLs, so the exchange can serve it at `/` (or under any prefix) without rewriting.
 * `vite --config web/vite.config.ts` serves it for development, proxying /api to HETAO_EXCHANGE (default :8080).
 */
const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: {
      '/api': process.env.HETAO_EXCHANGE ?? 'http://127.0.0.1:8080',
      '/healthz': process.env.HETAO_EXCHANGE ?? 'http://127.0.0.1:8080',
    },
  },
});
