import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['server/**/*.test.ts', 'bench/**/*.test.ts'], exclude: ['server/test/cluster.test.ts', 'server/test/sse-cluster.test.ts'], sequence: { groupOrder: 0 } } },
      // The cluster tests run real redis-server, nginx and four Node processes: alone, after the
      // rest, so they neither starve nor are starved by the other files on a small machine.
      { extends: true, test: { name: 'cluster', include: ['server/test/cluster.test.ts', 'server/test/sse-cluster.test.ts'], sequence: { groupOrder: 1 } } },
    ],
  },
});
