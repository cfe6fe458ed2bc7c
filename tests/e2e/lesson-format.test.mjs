/**
 * The lesson format and its runtime: every lesson file parses; the parser names the
 * line of each kind of mistake; lessons/README.md documents every widget and field the
 * runtime knows; the URL hash round-trips a state; and in Chromium the sample lesson,
 * written from the README alone, renders through the generic lesson page with math and
 * working exercises (a literal answer, and one that follows the widget's live state),
 * while a missing lesson says so in the page.
 */
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { parseLesson, parseTolerance, resolveQuantity } from '../../web/runtime/lesson-format.mjs';
import { formatHash, parseHash } from '../../web/runtime/url-state.mjs';
import { widgetModules } from '../../web/runtime/widget-registry.mjs';
import { plainTitle } from '../../web/runtime/plain-title.mjs';
import { safeImageSource, safeLinkHref } from '../../web/runtime/safe-url.mjs';
import { lightColours } from '../../web/runtime/theme-colours.mjs';
import { startBrowserSession } from './browser.mjs';
import { answerExercise, assertNoAxeViolations, openLesson } from './lesson-page.mjs';

const lessonsFolder = new URL('../../lessons/', import.meta.url);

let session;

before(async () => {
  session = await startBrowserSession();
});

afterEach(() => session.assertNoProblems());

after(async () => {
  await session?.close();
});

test('every lesson file parses, and its widgets are ones the runtime knows', async () => {
  const files = (await readdir(lessonsFolder)).filter((name) => name.endsWith('.md') && name !== 'README.md');
  assert.ok(files.length >= 3, files.join(', '));
  for (const file of files) {
    const lesson = parseLesson(await readFile(new URL(file, lessonsFolder), 'utf8'));
    assert.ok(lesson.title && lesson.summary, file);
    const widgets = lesson.blocks.filter((block) => block.kind === 'widget');
    assert.ok(widgets.length >= 1, `${file} places a widget`);
    for (const widget of widgets) assert.ok(widget.type in widgetModules, `${file}: ${widget.type}`);
    const exercises = lesson.blocks.filter((block) => block.kind === 'exercise');
    assert.ok(exercises.length >= 2, `${file} has exercises`);
    for (const exercise of exercises) {
      for (const value of [exercise.answer, exercise.choices].filter((item) => typeof item === 'string' && item.startsWith('@'))) {
        assert.ok(widgets.some((widget) => value.startsWith(`@${widget.id}.`)), `${file}: ${value} names a widget of the lesson`);
      }
    }
  }
});

test('the parser reads blocks into data', () => {
  const lesson = parseLesson([
    '---', 'title: A: test', 'summary: Short.', '---',
    'Some $x$ prose.', '', '```widget', 'type: attention-explorer', 'id: one', 'temperature: 0.5', '```',
    '```exercise', 'id: q1', 'kind: number', 'prompt: How much?', 'answer: @one.maxWeight', 'tolerance: 5%',
    'explanation: Because.', '```',
    '```exercise', 'id: q2', 'kind: choice', 'prompt: Which?', 'choices: a | b', 'answer: b', 'explanation: B.', '```',
  ].join('\n'));
  assert.equal(lesson.title, 'A: test');
  assert.deepEqual(lesson.blocks.map((block) => block.kind), ['prose', 'widget', 'exercise', 'exercise']);
  assert.deepEqual(lesson.blocks[1], {
    kind: 'widget', type: 'attention-explorer', id: 'one', params: { temperature: '0.5' }, line: 7, paramLines: { temperature: 10 },
  });
  assert.equal(lesson.blocks[2].line, 12);
  assert.deepEqual(lesson.blocks[2].withholds, []);
  assert.deepEqual(lesson.blocks[2].tolerance, { relative: 0.05 });
  assert.deepEqual(lesson.blocks[3].choices, ['a', 'b']);
  assert.deepEqual(parseTolerance('0.01', 1), { absolute: 0.01 });
  const widgets = new Map([['one', { quantities: { variance: { none: { 256: 251.5 } } } }]]);
  assert.equal(resolveQuantity('@one.variance.none.256', widgets), 251.5);
  assert.equal(resolveQuantity('@two.x', widgets), undefined);
});

test('the parser names the line of each mistake', () => {
  const front = ['---', 'title: T', 'summary: S', '---'];
  const cases = [
    [['title: T'], /line 1: a lesson starts with a front matter/],
    [['---', 'title: T', '---'], /front matter needs "summary/],
    [[...front, '```widget', 'type: attention-explorer', '```'], /line 5: the widget needs "id/],
    [[...front, '```widget', 'type: x', 'id: a', 'no colon here', '```'], /line 8: expected "name: value"/],
    [[...front, '```exercise', 'id: e', 'kind: essay', 'prompt: p', 'answer: a', 'explanation: x', '```'], /kind "essay"/],
    [[...front, '```exercise', 'id: e', 'kind: choice', 'prompt: p', 'choices: a | b', 'answer: c', 'explanation: x', '```'],
      /answer "c" is not one of the choices/],
    [[...front, '```exercise', 'id: e', 'kind: number', 'prompt: p', 'answer: 3', 'explanation: x', '```'], /needs "tolerance/],
    [[...front, '```widget', 'type: x', 'id: a', '```', '```widget', 'type: x', 'id: a', '```'], /line 9: the id "a" is used twice/],
    [[...front, '```widget', 'type: x', 'id: a'], /line 5: the widget block is not closed/],
    [[...front, '```exercise', 'id: e', 'kind: number', 'prompt: p', 'answer: 3', 'tolerance: 1', 'onclick: x', 'explanation: x', '```'],
      /line 11: an exercise has no field "onclick"/],
    [[...front, '```exercise', 'id: e', 'kind: number', 'prompt: p', 'answer: 3', 'tolerance: 1', 'exact: lots', 'explanation: x', '```'],
      /line 11: exact "lots" must be a number/],
    [[...front, '```exercise', 'id: e', 'kind: choice', 'prompt: p', 'choices: a | b', 'answer: a', 'exact: 1', 'explanation: x', '```'],
      /line 11: only a number exercise may state an exact value/],
    [[...front, '```widget', 'type: x', 'id: a', '```', '```exercise', 'id: e', 'kind: choice', 'prompt: p', 'choices: a | b',
      'answer: a', 'withholds: a weights', 'explanation: x', '```'], /line 15: "a weights" in withholds must be <widget id>\.<evidence name>/],
    [[...front, '```exercise', 'id: e', 'kind: choice', 'prompt: p', 'choices: a | b', 'answer: a', 'withholds: nowhere.table',
      'explanation: x', '```'], /line 11: withholds names "nowhere", which is not a widget of this lesson/],
    [[...front, '```widget', 'type: <script>', 'id: a', '```'], /line 5: widget type "<script>" must be lower-case/],
  ];
  for (const [lines, message] of cases) assert.throws(() => parseLesson(lines.join('\n')), message);
});

test('an exercise reads what it holds back and the exact value', () => {
  const lesson = parseLesson(['---', 'title: T', 'summary: S', '---', '```widget', 'type: scaling-experiment', 'id: plots', '```',
    '```exercise', 'id: v', 'kind: number', 'prompt: p', 'answer: @plots.variance.none.256', 'exact: 256', 'tolerance: 10%',
    'withholds: plots.variance, plots.summary', 'explanation: x', '```'].join('\n'));
  const exercise = lesson.blocks[1];
  assert.equal(exercise.exact, 256);
  assert.deepEqual(exercise.withholds, [{ widget: 'plots', evidence: 'variance', line: 16 }, { widget: 'plots', evidence: 'summary', line: 16 }]);
});

test('a quantity path reads only what a widget publishes, never inherited properties', () => {
  const widgets = new Map([['one', { quantities: { titles: ['a', 'b'], weights: { a: 0.5 } } }]]);
  assert.equal(resolveQuantity('@one.titles.1', widgets), 'b');
  assert.equal(resolveQuantity('@one.weights.a', widgets), 0.5);
  for (const path of ['@one.constructor', '@one.weights.constructor.constructor', '@one.__proto__', '@one.titles.length.x', '@one.toString']) {
    assert.equal(resolveQuantity(path, widgets), undefined, path);
  }
});

test('titles with math read as plain Unicode where they cannot be typeset', () => {
  assert.equal(plainTitle('Why $1/\\sqrt{d_k}$'), 'Why 1/√dₖ');
  assert.equal(plainTitle('$\\operatorname{softmax}(QK^\\top/\\sqrt{d_k})V$ by **hand**'), 'softmax(QKᵀ/√dₖ)V by hand');
  assert.equal(plainTitle('$\\sqrt{d_k + 1}$ and $\\alpha_j$'), '√(dₖ + 1) and αⱼ');
  assert.equal(plainTitle('No math here'), 'No math here');
});

test('lesson links stay on the page’s origin and images come from lessons/, however they are spelled', () => {
  const page = 'http://127.0.0.1:8080/lesson.html?lesson=x';
  assert.equal(safeLinkHref('lesson.html?lesson=scaling', page), 'http://127.0.0.1:8080/lesson.html?lesson=scaling');
  assert.equal(safeLinkHref('#fn-x-1', page), 'http://127.0.0.1:8080/lesson.html?lesson=x#fn-x-1');
  const hostile = ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', '\u0001javascript:alert(1)', '\u0000javascript:alert(1)',
    ' \tjavascript:alert(1)', 'java\tscript:alert(1)', 'java\nscript:alert(1)', '/\\evil.example', '\\\\evil.example', '//evil.example',
    '\\/evil.example', 'https://evil.example/', 'http://127.0.0.1:9/', 'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)', 'file:///etc/passwd', 'http://user:pass@127.0.0.1:8080/', 'blob:http://127.0.0.1:8080/x'];
  for (const href of hostile) assert.equal(safeLinkHref(href, page), null, JSON.stringify(href));
  assert.equal(safeLinkHref('#top', 'file:///d/offline.html'), 'file:///d/offline.html#top');
  assert.equal(safeLinkHref('other.html', 'file:///d/offline.html'), null);
  assert.equal(safeLinkHref('javascript:alert(1)', 'file:///d/offline.html'), null);
  const lessons = 'http://127.0.0.1:8080/lessons/';
  assert.equal(safeImageSource('figures/a.png', lessons), 'http://127.0.0.1:8080/lessons/figures/a.png');
  for (const src of ['../web/x.png', '%2e%2e/x.png', 'https://evil.example/a.png', '//evil.example/a.png', '/\\evil.example/a.png',
    'data:image/svg+xml,<svg onload=alert(1)>', 'javascript:alert(1)', '/web/favicon.svg', '']) {
    assert.equal(safeImageSource(src, lessons), null, JSON.stringify(src));
  }
});

test('the theme’s light values in JavaScript are those of web/theme.css, and every colour has a dark value', async () => {
  const css = await readFile(new URL('../../web/theme.css', import.meta.url), 'utf8');
  const [light, dark] = css.split('@media (prefers-color-scheme: dark)');
  const read = (block) => Object.fromEntries([...block.matchAll(/--attention-lab-([a-z0-9-]+):\s*(#[0-9a-f]{6})/g)].map(([, name, value]) => [name, value]));
  assert.deepEqual(read(light), lightColours);
  assert.deepEqual(Object.keys(read(dark)).sort(), Object.keys(lightColours).sort());
  const brief = ['text', 'muted-text', 'background', 'panel', 'rule', 'accent', 'focus', 'grid', 'axis', 'track', 'error', 'success',
    'highlight', 'series-1', 'series-2', 'series-3', 'series-4', 'series-5', 'series-6', 'heat-low', 'heat-high', 'positive', 'negative'];
  assert.deepEqual(Object.keys(lightColours).sort(), brief.sort());
});

test('lessons/README.md documents every widget, its parameters, and every exercise field', async () => {
  const readme = await readFile(new URL('README.md', lessonsFolder), 'utf8');
  for (const type of Object.keys(widgetModules)) assert.match(readme, new RegExp(`### \`${type}\``), type);
  for (const parameter of ['books', 'query', 'temperature', 'hard', 'follow', 'dk', 'seed', 'samples', 'keys', 'row',
    'sentence', 'vectors', 'mask', 'scaling', 'heads', 'controls', 'sections']) {
    assert.match(readme, new RegExp(`\\| \`${parameter}\` \\|`), parameter);
  }
  for (const field of ['id', 'kind', 'prompt', 'answer', 'tolerance', 'exact', 'choices', 'withholds', 'explanation']) {
    assert.match(readme, new RegExp(`^${field}:`, 'm'), field);
  }
  assert.match(readme, /sample-two-books\.md/);
});

test('the URL hash round-trips every widget’s state', () => {
  const states = new Map([['library', { q: '1,-0.5', T: '0.35', books: 'a b:1,1:#aa0000;c:0,2:#00aa00' }], ['plots', { dk: '256' }]]);
  const hash = formatHash(states);
  assert.match(hash, /^#library\.q=1,-0\.5&library\.T=0\.35&library\.books=a%20b:1,1:%23aa0000%3Bc:0,2:%2300aa00&plots\.dk=256$/);
  assert.deepEqual(parseHash(hash), states);
  assert.deepEqual(parseHash('#junk&=1&x.y=%E0%A4%A'), new Map());
});

test('the sample lesson renders through the lesson page, and its exercises check answers', async () => {
  const page = await openLesson(session, 'sample-two-books');
  assert.equal(await page.title(), 'Two books and a tie — attention-lab');
  assert.ok(await page.locator('lesson-exercise .katex').count() >= 1, 'math in exercises is typeset');
  assert.match(await page.locator('lesson-exercise[data-exercise-id="tie"] .tolerance').textContent(), /within ±0\.001 of the right answer/);
  assert.equal(await answerExercise(page, 'tie', '0.4'), 'wrong');
  assert.equal(await answerExercise(page, 'tie', '0.5'), 'right');
  assert.ok(await page.locator('lesson-exercise[data-exercise-id="tie"] .explanation .katex').count() >= 1);
  assert.equal(await answerExercise(page, 'tie', 'half'), null, 'a non-number is not judged');
  assert.match(await page.locator('lesson-exercise[data-exercise-id="tie"] .verdict').textContent(), /type a number/);
  await page.locator('#shelf [role="slider"]').focus();
  for (let step = 0; step < 2; step += 1) await page.keyboard.press('Shift+ArrowRight');
  for (let step = 0; step < 2; step += 1) await page.keyboard.press('Shift+ArrowDown');
  assert.equal(await page.locator('#shelf').getAttribute('data-qx'), '1');
  assert.equal(await page.locator('#shelf').getAttribute('data-qy'), '0');
  const rightWeight = Number(await page.locator('#shelf').evaluate((element) =>
    element.shadowRoot.querySelector('tr[data-key-index="1"]').dataset.weight));
  assert.ok(Math.abs(rightWeight - Math.E / (Math.E + 1 / Math.E)) < 1e-6, `weight of right: ${rightWeight}`);
  assert.equal(await answerExercise(page, 'lean-right', '0.88'), 'right');
  assert.equal(await answerExercise(page, 'lean-right', '0.75'), 'wrong');
  await assertNoAxeViolations(page);
  await page.close();
});

test('a lesson that does not exist is reported in the page', async () => {
  const page = await session.openPage('/lesson.html?lesson=no-such-lesson');
  await page.getByRole('alert').waitFor();
  assert.match(await page.getByRole('alert').textContent(), /there is no lesson "no-such-lesson"/);
  const { consoleErrors } = session.problems;
  assert.ok(consoleErrors.length >= 1 && consoleErrors.every((text) => /404|no-such-lesson/.test(text)), consoleErrors.join('\n'));
  consoleErrors.length = 0;
  await page.close();
});
