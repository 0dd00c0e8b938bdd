// Runs n8n's community-package scanner's static analysis (the registry package
// @n8n/scan-community-package, as `npx @n8n/scan-community-package` runs it after download) on a
// folder: `source` lints package.json and nodes/ + credentials/ sources, `tarball` the packed
// package's JavaScript and package.json. Prints the result as JSON. Usage: node scan.mjs <dir> <leg>
import { analyzePackage, SOURCE_FILE_PATTERNS } from '@n8n/scan-community-package/scanner/scanner.mjs';

const [dir, leg] = process.argv.slice(2);
const patterns = leg === 'source' ? SOURCE_FILE_PATTERNS : ['**/*.js', 'package.json'];
const result = await analyzePackage(dir, patterns);
process.stdout.write(JSON.stringify({ passed: result.passed, message: result.message ?? '', details: result.details ?? '' }));
