/**
 * Host pages for embedding tests: small HTML pages that load the embed script with one
 * tag, written to a temporary folder the test session serves under /fixtures/.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A page whose body is `body`, loading the embed script as a course page would. */
export const hostPage = (body) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>host</title>
<link rel="icon" href="data:,"><script type="module" src="../dist/web/attention-lab-embed.js"></script></head>
<body>${body}</body></html>`;

/** Writes `pages` ({ 'name.html': body }) to a new temporary folder; resolves to { folder, remove() }. */
export async function writeHostPages(pages) {
  const folder = await mkdtemp(join(tmpdir(), 'attention-hosts-'));
  for (const [name, body] of Object.entries(pages)) await writeFile(join(folder, name), hostPage(body));
  return { folder, remove: () => rm(folder, { recursive: true, force: true }) };
}
