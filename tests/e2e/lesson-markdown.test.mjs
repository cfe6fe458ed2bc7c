/**
 * Lesson prose through markdown-it, in a real Chromium: a lesson using each construct
 * the format offers renders it — a title with math (typeset on the page, plain Unicode
 * in the document title), headings one level below the title, ordered and bulleted
 * lists, a table, a blockquote, an image from lessons/, footnotes whose links move
 * within the lesson without touching the address (which holds the widgets' view),
 * inline and displayed math, emphasis, code and a link within the site — and axe-core
 * finds nothing. Raw HTML stays text.
 */
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBrowserSession } from './browser.mjs';
import { assertNoAxeViolations, openLesson } from './lesson-page.mjs';

const constructs = `---
title: Markdown: $\\sqrt{d_k}$ and friends
summary: Every construct of the lesson format, in one place.
---
A paragraph with *emphasis*, **strong**, \`code\`, ~~struck~~, inline math $q \\cdot k$ and a [link within the site](lesson.html?lesson=library).[^first]

# A level-one heading sits below the title

3. third
4. fourth
5. fifth

- a bullet
- another, with $x^2$

| d_k | variance |
| ---: | :--- |
| 64 | about 64 |
| 256 | about 256 |

> A quotation from the source, with math $\\frac{1}{\\sqrt{d_k}}$.

![Two arrows, a query and a key](figures/arrows.svg)

$$
\\alpha_j = \\frac{\\exp(q \\cdot k_j)}{\\sum_i \\exp(q \\cdot k_i)}
$$

### A third-level heading

A price of $5 and $6 stays text, and <b>raw HTML</b> too. A second footnote.[^second]

\`\`\`widget
type: attention-explorer
id: shelf
\`\`\`

\`\`\`exercise
id: which
kind: choice
prompt: Which footnote comes first?
choices: the first | the second
answer: the first
explanation: Footnotes are numbered in order of reference.
\`\`\`

[^first]: Vaswani et al., *Attention Is All You Need* (2017).
[^second]: Bahdanau, Cho and Bengio (2015), with math $e^{x}$.
[^unused]: A definition no text refers to is left out.
`;

const arrows = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 60" width="120" height="60">
<line x1="10" y1="50" x2="110" y2="10" stroke="#0b57d0" stroke-width="4"/></svg>`;

let session;
let folder;
let page;

before(async () => {
  folder = await mkdtemp(join(tmpdir(), 'attention-markdown-'));
  await mkdir(join(folder, 'figures'));
  await writeFile(join(folder, 'constructs.md'), constructs);
  await writeFile(join(folder, 'figures', 'arrows.svg'), arrows);
  session = await startBrowserSession({ mounts: { '/lessons/': folder } });
  page = await openLesson(session, 'constructs', { hash: '#shelf.q=-1,2' });
});

afterEach(() => session.assertNoProblems());

after(async () => {
  await session?.close();
  await rm(folder, { recursive: true, force: true });
});

test('the title holds typeset math on the page and plain Unicode in the document title', async () => {
  assert.equal(await page.locator('h1 .katex').count(), 1);
  assert.equal(await page.title(), 'Markdown: √dₖ and friends — attention-lab');
  assert.equal(await page.locator('h1').count(), 1, 'the title is the only h1');
  assert.equal(await page.locator('#lesson h2').first().textContent(), 'A level-one heading sits below the title');
  assert.equal(await page.locator('#lesson h3').first().textContent(), 'A third-level heading');
  assert.equal(await page.locator('lesson-exercise h4').count(), 1, 'the exercise sits one level below its section');
});

test('lists, a table, a blockquote and inline marks render', async () => {
  const ordered = page.locator('#lesson > ol');
  assert.equal(await ordered.getAttribute('start'), '3');
  assert.deepEqual(await ordered.locator('li').allTextContents(), ['third', 'fourth', 'fifth']);
  assert.equal(await page.locator('#lesson > ul > li').count(), 2);
  const table = page.locator('#lesson > .table-scroll > table');
  assert.deepEqual(await table.locator('thead th').allTextContents(), ['d_k', 'variance']);
  assert.deepEqual(await table.locator('tbody td').allTextContents(), ['64', 'about 64', '256', 'about 256']);
  assert.equal(await table.locator('tbody td').first().evaluate((cell) => getComputedStyle(cell).textAlign), 'right');
  assert.match(await page.locator('#lesson blockquote').textContent(), /A quotation from the source/);
  assert.equal(await page.locator('#lesson blockquote .katex').count(), 1);
  for (const tag of ['em', 'strong', 'code', 's']) assert.ok(await page.locator(`#lesson p ${tag}`).count() >= 1, tag);
  assert.match(await page.locator('#lesson p', { hasText: 'A price of' }).textContent(), /A price of \$5 and \$6 stays text, and <b>raw HTML<\/b> too\./);
  assert.equal(await page.locator('#lesson b').count(), 0);
});

test('inline and displayed math are typeset, and the image comes from lessons/', async () => {
  assert.ok(await page.locator('#lesson .math-inline .katex').count() >= 3);
  assert.equal(await page.locator('#lesson .math-display .katex-display').count(), 1);
  const image = page.locator('#lesson img');
  assert.equal(await image.getAttribute('alt'), 'Two arrows, a query and a key');
  assert.equal(new URL(await image.evaluate((element) => element.src)).pathname, '/lessons/figures/arrows.svg');
  await page.waitForFunction(() => document.querySelector('#lesson img').complete);
  assert.equal(await image.evaluate((element) => element.naturalWidth), 120, 'the image loaded');
  const link = page.getByRole('link', { name: 'link within the site' });
  assert.equal(new URL(await link.evaluate((anchor) => anchor.href)).pathname, '/lesson.html');
});

test('footnotes are numbered, listed at the end, and their links move within the lesson, leaving the address alone', async () => {
  const notes = page.locator('#lesson .footnotes li');
  assert.equal(await notes.count(), 2, 'the unreferenced definition is left out');
  assert.match(await notes.nth(1).textContent(), /Bahdanau/);
  assert.equal(await notes.nth(1).locator('.katex').count(), 1);
  const hash = await page.evaluate(() => location.hash);
  assert.match(hash, /shelf\.q=-1,2/);
  await page.locator('#lesson .footnote-ref a').first().click();
  await page.waitForFunction(() => document.activeElement?.classList.contains('footnote-backref'));
  assert.equal(await page.evaluate(() => location.hash), hash, 'the widget state in the address is untouched');
  assert.equal(await page.locator('attention-explorer').getAttribute('data-qx'), '-1');
  await page.locator('#lesson .footnote-backref').first().click();
  await page.waitForFunction(() => document.activeElement?.closest?.('.footnote-ref'));
  assert.equal(await page.evaluate(() => location.hash), hash);
});

test('axe-core finds nothing in a lesson of every construct', async () => {
  await assertNoAxeViolations(page);
});
