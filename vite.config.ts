/**
 * Vite: the React app (index.html → src/ui/main.tsx) and the engine's module worker.
 * `base: './'` makes the build work from any path (a sub-folder, file server, GitHub Pages).
 * The CSP in index.html forbids inline scripts; the dev server's React refresh preamble is
 * one, so the policy is dropped from the page in dev only (the build keeps it).
 */
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const devWithoutCsp: Plugin = {
  name: 'seqscope-dev-without-csp',
  apply: 'serve',
  transformIndexHtml: (html) => html.replace(/<meta\s+http-equiv="Content-Security-Policy"[^>]*>/s, ''),
};

export default defineConfig({
  base: './',
  plugins: [react(), devWithoutCsp],
  worker: { format: 'es' },
  build: { target: 'es2022', outDir: 'dist', sourcemap: false },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
  server: { host: '127.0.0.1', port: 5173 },
});
