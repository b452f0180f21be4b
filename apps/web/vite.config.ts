import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

/** Where `npm run dev:web` forwards API calls (the API of `npm start` or `npm run demo`). */
const apiUrl = process.env.TRELLIS_API_URL ?? 'http://127.0.0.1:4000';

/**
 * codemirror-json-schema renders schema descriptions and messages through markdown-it and shiki, which
 * would triple the dashboard's size; its editor features get a plain-text renderer instead.
 */
const plainSchemaText: Plugin = {
  name: 'trellis-plain-schema-text',
  enforce: 'pre',
  resolveId(source, importer) {
    if (source === '../utils/markdown' && importer && /codemirror-json-schema[\\/]dist[\\/]features[\\/]/.test(importer)) {
      return fileURLToPath(new URL('./src/editor/schema-text.ts', import.meta.url));
    }
    return null;
  },
};

export default defineConfig({
  plugins: [plainSchemaText, react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
  },
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
