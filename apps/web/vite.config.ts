import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** Where `npm run dev:web` forwards API calls (the API of `npm start` or `npm run demo`). */
const apiUrl = process.env.TRELLIS_API_URL ?? 'http://127.0.0.1:4000';

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: {
    // The dev server stands in for the API's origin, so the session cookie and the Origin check work as in production.
    proxy: {
      '/graphql': { target: apiUrl, ws: true, changeOrigin: false },
      '/healthz': apiUrl,
      '/hooks': apiUrl,
      '/approvals': apiUrl,
    },
  },
});
