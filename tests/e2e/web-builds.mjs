/**
 * Runs the front-end builds a test needs, so that it checks the code as it is now
 * rather than whatever an earlier build left in dist/ (each takes about a second).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Runs `node scripts/<script>` in the repository, e.g. buildWith('build-web.mjs'). */
export async function buildWith(script) {
  await promisify(execFile)(process.execPath, [`scripts/${script}`], { cwd: repoRoot });
}
