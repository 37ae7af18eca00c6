import { defineConfig } from 'vitest/config';

// Cross-package imports resolve to each package's built `dist/` through its `exports`,
// so tests exercise exactly what users install; `pnpm build` runs first.
export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default'],
    benchmark: { include: ['bench/**/*.bench.ts'] },
    // Built packages run as Node runs them for users, not through vite's module transform (whose
    // per-call namespace lookups distort hot loops in benchmarks).
    server: { deps: { external: [/\/packages\/[^/]+\/dist\//] } },
  },
});
