import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'tests',
    include: ['test/**/*.test.ts'],
    // Program builds and in-process chains take seconds, a cold Rust build most of a minute.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // Builds share one Cargo target folder; run test files one at a time on 2 cores.
    fileParallelism: false,
  },
});
