import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration suites start loopback servers (simulator, dynalite); two cores, so keep forks modest.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The AWS SDK warns, once per process and in nine lines, that its releases after January 2027 need Node 22;
    // fhpa already requires 22 (package.json engines), and CI also runs on this machine's older Node, so the
    // tests turn the warning off with the SDK's own switch. Production keeps it: there it is true and useful.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
