import { defineConfig } from 'vitest/config';

// One run over every workspace's tests; each workspace has its own config.
export default defineConfig({
  test: {
    projects: ['toolchain', 'sdk', 'chain', 'tests'],
  },
});
