// The resident H5 app. Built into dist/ and served by the server at `/` (see server/src/web.ts).
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  base: '/',
  resolve: { conditions: ['source'], dedupe: ['react', 'react-dom'] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    // the home route's own JS is measured by `npm run bench -- resident`
    chunkSizeWarningLimit: 400,
    manifest: true,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/g/': 'http://127.0.0.1:3000' } },
});
