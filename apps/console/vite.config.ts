/**
 * The console is built into dist/, served by the Roster process under /console/ (apps/roster's
 * console.ts): every asset is named by its content hash, so the server can cache it forever.
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/console/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, assetsDir: 'assets' },
  // `vite dev` against a Roster on port 3000 (npm start): the API, sign-in and SCIM on that origin.
  server: {
    proxy: {
      '/api': 'http://localhost:3000',
      '/sso': 'http://localhost:3000',
      '/oauth': 'http://localhost:3000',
    },
  },
});
