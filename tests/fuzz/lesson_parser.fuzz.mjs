// Fuzzes the lesson parser (web/runtime/lesson-format.mjs, parseLesson) as a black box.
//
// Not libFuzzer: JavaScript has no coverage-guided fuzzer among our dependencies, so this
// is a random, structured fuzz with fast-check. Inputs are the real lessons mutated line
// by line (fences, front-matter fences, `name: value` lines with awkward names, control
// characters, CR/LF mixes, long lines, deletions, duplications, truncations) and plain
// random strings. The parser must return a lesson of the documented shape or throw an
// Error naming a line; never anything else, never slowly, always the same for the same
// text, and never touching a global prototype.
//
//   node tests/fuzz/lesson_parser.fuzz.mjs [seconds]      FUZZ_SEED=<n> to fix the seed
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';

import fc from 'fast-check';

import { parseLesson } from '../../web/runtime/lesson-format.mjs';

const seconds = Number(process.argv[2] ?? 10);
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
/** A call slower than this is a hang (inputs are at most 100,000 characters). */
const SLOW_MS = 1000;

const folder = new URL('../../lessons/', import.meta.url);
const lessons = readdirSync(folder).filter((f) => f.endsWith('.md') && f !== 'README.md')
  .map((f) => readFileSync(new URL(f, folder), 'utf8'));

const trickyLines = [
  '---', '```', '```widget', '```exercise', '``` widget ', '````widget', '```widget extra', '```unknown',
  'type: scaling-experiment', 'type: <script>', 'id: a', 'id: A', 'id: -x', 'id: a', 'title: x', 'summary:',
  'answer: @a.b.c', 'answer: 42', 'tolerance: 5%', 'tolerance: -1', 'tolerance: 1e400', 'choices: a | b | a',
  'constructor: x', '__proto__: x', 'toString: 1', 'hasOwnProperty: y', 'prototype: z', 'onmouseover: alert(1)',
  'style: background:url(//evil.example)', 'href: javascript:alert(1)', '[x](\u0001javascript:alert(1))',
  '[x](/\\evil.example)', '<img src=x onerror=alert(1)>', '$$\\frac{1}{2}$$', '\u0000', '\uFEFF---', '\r', ' \t ',
  'x'.repeat(5000), ': value', 'key:value', 'key :  value  ', '\u202Eid: b', '\uD800', 'a'.repeat(64) + ': b',
];

/** One edit of a lesson's lines. */
const edit = fc.oneof(
  fc.record({ op: fc.constant('insert'), at: fc.nat(), line: fc.oneof(fc.constantFrom(...trickyLines), fc.string({ maxLength: 40 })) }),
  fc.record({ op: fc.constant('delete'), at: fc.nat() }),
  fc.record({ op: fc.constant('duplicate'), at: fc.nat(), count: fc.integer({ min: 1, max: 50 }) }),
  fc.record({ op: fc.constant('truncate'), at: fc.nat() }),
  fc.record({ op: fc.constant('char'), at: fc.nat(), char: fc.string({ unit: 'binary', minLength: 1, maxLength: 2 }) }),
  fc.record({ op: fc.constant('newlines'), to: fc.constantFrom('\r\n', '\r', '\n\n') }),
);

/** The longest input: a lesson is a few KB; 100 KB is long enough to show slow parsing. */
const MAX_CHARS = 100000;

function apply(text, edits) {
  let lines = text.split('\n');
  for (const e of edits) {
    if (lines.join('\n').length > MAX_CHARS) lines = lines.join('\n').slice(0, MAX_CHARS).split('\n');
    const at = lines.length ? e.at % (lines.length + 1) : 0;
    if (e.op === 'insert') lines.splice(at, 0, e.line);
    else if (e.op === 'delete') lines.splice(at, 1);
    else if (e.op === 'duplicate') lines.splice(at, 0, ...Array(e.count).fill(lines[Math.min(at, lines.length - 1)] ?? ''));
    else if (e.op === 'truncate') lines = lines.slice(0, at);
    else if (e.op === 'char') {
      const joined = lines.join('\n');
      const i = e.at % (joined.length + 1);
      lines = (joined.slice(0, i) + e.char + joined.slice(i + 1)).split('\n');
    } else lines = [lines.join(e.to)];
  }
  return lines.join('\n').slice(0, MAX_CHARS);
}

const lessonText = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...lessons), fc.array(edit, { minLength: 1, maxLength: 12 })).map(([t, e]) => apply(t, e)) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 400 }) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom(...trickyLines), { maxLength: 30 }).map((l) => `---\ntitle: t\nsummary: s\n---\n${l.join('\n')}`) },
);

const identifier = /^[a-z][a-z0-9-]*$/;
const prototypes = [Object.prototype, Array.prototype, String.prototype, Function.prototype];
const ownNames = prototypes.map((p) => Object.getOwnPropertyNames(p).join());

/** The documented shape of a parsed lesson; throws if `lesson` is not it. */
function checkShape(lesson) {
  if (typeof lesson?.title !== 'string' || typeof lesson.summary !== 'string' || !Array.isArray(lesson.blocks)) {
    throw new Error(`not { title, summary, blocks }: ${JSON.stringify(lesson)?.slice(0, 200)}`);
  }
  for (const block of lesson.blocks) {
    if (block.kind === 'prose') {
      if (typeof block.text !== 'string' || block.text.trim() === '') throw new Error('an empty prose block');
    } else if (block.kind === 'widget') {
      if (typeof block.type !== 'string' || !identifier.test(block.id)) throw new Error(`a widget block ${JSON.stringify(block)}`);
      for (const value of Object.values(block.params ?? {})) if (typeof value !== 'string') throw new Error('a parameter that is not text');
    } else if (block.kind === 'exercise') {
      if (typeof block.id !== 'string') throw new Error('an exercise without an id');
    } else {
      throw new Error(`a block of kind ${block.kind}`);
    }
  }
}

let executions = 0;
const property = fc.property(lessonText, (text) => {
  const outcomes = [];
  for (let round = 0; round < 2; round++) {
    const start = performance.now();
    let outcome;
    try {
      outcome = { lesson: parseLesson(text) };
    } catch (error) {
      if (!(error instanceof Error)) throw new Error(`threw a non-Error: ${String(error)}`);
      if (!/line \d+/.test(error.message)) throw new Error(`an error that names no line: ${error.message}`);
      outcome = { error: error.message };
    }
    executions += 1;
    const ms = performance.now() - start;
    if (ms > SLOW_MS) throw new Error(`took ${ms.toFixed(0)} ms on ${text.length} characters`);
    if (outcome.lesson) checkShape(outcome.lesson);
    outcomes.push(outcome);
  }
  if (!isDeepStrictEqual(outcomes[0], outcomes[1])) throw new Error('two parses of the same text differ');
  prototypes.forEach((p, i) => {
    if (Object.getOwnPropertyNames(p).join() !== ownNames[i]) throw new Error('a global prototype changed');
  });
});

for (const text of lessons) checkShape(parseLesson(text)); // the real lessons parse
const started = performance.now();
const run = fc.check(property, { seed, numRuns: 2 ** 30, interruptAfterTimeLimit: seconds * 1000, markInterruptAsFailure: false });
const elapsed = (performance.now() - started) / 1000;
console.log(`fuzz lesson_parser: ${executions} executions in ${elapsed.toFixed(1)} s (fast-check, seed ${seed}; not coverage-guided)`);
if (run.failed) {
  // The shrunk input goes to a file (it may be long); the reason to the terminal.
  const folder = new URL('../../build/fuzz-crashes/lesson_parser/', import.meta.url);
  mkdirSync(folder, { recursive: true });
  const file = new URL(`failure-seed-${seed}.md`, folder);
  writeFileSync(file, run.counterexample[0]);
  console.error(`FAILED: ${run.errorInstance?.message ?? run.error}`);
  console.error(`  input (${run.counterexample[0].length} characters) saved to ${fileURLToPath(file)}`);
  console.error(`  replay: FUZZ_SEED=${seed} node tests/fuzz/lesson_parser.fuzz.mjs ${seconds}`);
  process.exitCode = 1;
}
