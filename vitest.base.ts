/**
 * Shared vitest settings: resolve workspace packages through their `dev-source` export condition,
 * so tests always run the TypeScript sources, never a stale `dist/`.
 */
import { defineConfig } from 'vitest/config';

// Vite's default server conditions, with ours first.
const conditions = ['dev-source', 'module', 'node', 'development|production'];

export const base = defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['dev-source'] } },
});
