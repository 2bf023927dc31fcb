// The staff console. Built into dist/ and served by the server at `/console` (see server/src/web.ts).
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  base: '/console/',
  resolve: { conditions: ['source'], dedupe: ['react', 'react-dom'] },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2020', chunkSizeWarningLimit: 1500, manifest: true },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
