/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// Builds the bench's reference package: a copy of the built package whose TikTok node is
// ReferenceTikTok.node.ts (same package name, node type and credential), so the bench workflow
// runs the simplest chunked upload in n8n instead of ours. See ReferenceTikTok.node.ts.
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { ModuleKind, ScriptTarget, transpileModule } from 'typescript';
import { copyBuiltPackage, REPO_ROOT } from '../../e2e/package-install';

const PLANNER_IMPORT = '../../../nodes/TikTok/shared/chunkPlan';

export function buildReferencePackage(targetDir: string): string {
	copyBuiltPackage(REPO_ROOT, targetDir);
	const source = readFileSync(join(__dirname, 'ReferenceTikTok.node.ts'), 'utf8');
	const { outputText } = transpileModule(source, { compilerOptions: { module: ModuleKind.CommonJS, target: ScriptTarget.ES2021 } });
	if (!outputText.includes(PLANNER_IMPORT)) throw new Error('the reference node no longer imports the chunk planner where the build expects it');
	// In the package, the node sits next to the compiled planner.
	writeFileSync(join(targetDir, 'dist', 'nodes', 'TikTok', 'TikTok.node.js'), outputText.replace(PLANNER_IMPORT, './shared/chunkPlan'));
	return targetDir;
}
