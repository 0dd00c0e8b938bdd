// One jest run, three projects: pure unit tests, the TikTok emulator's own suite, and the
// end-to-end suite that runs the built package inside a real n8n against the emulator.
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.test.json', diagnostics: false }];

// The queue-mode suite (PostgreSQL, Redis, an n8n main and two workers; several minutes) is not part
// of a plain `jest` / `npm test`: it runs when named, `npm run test:queue` or
// `npx jest --selectProjects e2e --testPathPattern queue`.
const queueSuiteNamed = process.env.N8N_E2E_QUEUE === '1' || process.argv.slice(2).some((arg) => /queue/.test(arg));

/** @type {import('jest').Config} */
module.exports = {
	reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
	projects: [
		{
			displayName: 'unit',
			testEnvironment: 'node',
			transform: { '^.+\\.ts$': tsJest },
			testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
		},
		{
			displayName: 'package',
			testEnvironment: 'node',
			transform: { '^.+\\.ts$': tsJest },
			testMatch: ['<rootDir>/test/package/**/*.test.ts'],
		},
		{
			displayName: 'emulator',
			testEnvironment: 'node',
			transform: { '^.+\\.ts$': tsJest },
			testMatch: ['<rootDir>/test/emulator/**/*.test.ts'],
		},
		{
			displayName: 'e2e',
			testEnvironment: 'node',
			transform: { '^.+\\.ts$': tsJest },
			testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
			testPathIgnorePatterns: queueSuiteNamed ? ['/node_modules/'] : ['/node_modules/', '/test/e2e/queue\\.test\\.ts$'],
		},
	],
};
