#!/usr/bin/env node
// attention-lab side-by-side benchmark. `npm run bench` (Node) or `npm run bench -- --browser`
// (the same measurements inside headless Chromium). Options:
//   --browser            run in /usr/bin/chromium via playwright-core instead of Node
//   --sizes=64,256,...   sequence lengths (default 64,256,1024,4096)
//   --peers-only         do not require dist/ (attention-lab rows are left out)
//   --training-only      only the training benchmark (bench/training.mjs)
//   --rerender-only      with --browser: only the playground's re-render at n = 1024
//                        (bench/rerender.mjs), written to bench/results-rerender.json
// Writes bench/results.json + bench/results.svg (Node) or bench/results-browser.json +
// bench/results-browser.svg (browser), and prints the table; then the training
// benchmark, written to bench/results-training.json (Node) or
// bench/results-training-browser.json (browser).
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runBenchmark, formatTable, SIZES } from './measure.mjs';
import { buildSuite } from './suite.mjs';
import { renderChart } from './chart.mjs';
import { formatTraining, measureLessonResults, measureTrainingSpeed, trainHere } from './training.mjs';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(benchDir, '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const opt = (name) => { const a = args.find((x) => x.startsWith(`--${name}=`)); return a ? a.slice(name.length + 3) : undefined; };
const sizes = opt('sizes') ? opt('sizes').split(',').map(Number) : SIZES;
const log = (s) => console.log(s);

function pkgVersion(name) {
  try { return JSON.parse(readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')).version; } catch { return null; }
}
const versions = () => ({
  'attention-lab': JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version,
  '@tensorflow/tfjs-core': pkgVersion('@tensorflow/tfjs-core'),
  '@tensorflow/tfjs-backend-wasm': pkgVersion('@tensorflow/tfjs-backend-wasm'),
  'onnxruntime-web': pkgVersion('onnxruntime-web'),
  'playwright-core': pkgVersion('playwright-core'),
});
// Which core was measured: sha256 (first 16 hex digits) and mtime of the built wasm files.
function distBuild() {
  const out = {};
  for (const rel of ['dist/attention-core.wasm', 'dist/scalar/attention-core.wasm']) {
    const p = path.join(root, rel);
    if (!existsSync(p)) continue;
    out[rel] = { sha256: createHash('sha256').update(readFileSync(p)).digest('hex').slice(0, 16), mtime: statSync(p).mtime.toISOString() };
  }
  return out;
}
const sameBuild = (a, b) => JSON.stringify(a) === JSON.stringify(b);

const machine = () => ({ loadavg1m: +os.loadavg()[0].toFixed(2), platform: `${os.platform()} ${os.release()} ${os.arch()}`, cpu: os.cpus()[0]?.model, cores: os.cpus().length, memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1) });

function peakWasmPath() {
  const p = path.join(root, 'build', 'bench', 'peak.wasm');
  if (!existsSync(p)) execFileSync('bash', [path.join(benchDir, 'build.sh')], { stdio: 'inherit' });
  return p;
}

function writeOutputs(result, base, where) {
  const json = path.join(benchDir, `${base}.json`);
  const svg = path.join(benchDir, `${base}.svg`);
  writeFileSync(json, JSON.stringify(result, null, 2) + '\n');
  writeFileSync(svg, renderChart(result, { where }));
  console.log('\n' + formatTable(result));
  const env = result.environment;
  console.log(`${env.browser || 'Node ' + env.node} on ${env.cpu} (${env.cores} cores), ${env.date}, ${env.durationS} s; 1-min load average ${env.loadavg1mBefore} before, ${env.loadavg1m} after (other load on the machine skews timings)`);
  if (result.problems?.length) console.log('\nnotes:\n' + result.problems.map((p) => `  - ${p}`).join('\n'));
  console.log(`\nwrote ${path.relative(root, json)} and ${path.relative(root, svg)}`);
}

/** Writes and prints the training results. */
function writeTraining(training, base) {
  const json = path.join(benchDir, `${base}.json`);
  writeFileSync(json, JSON.stringify(training, null, 2) + '\n');
  console.log(formatTraining(training));
  console.log(`\nwrote ${path.relative(root, json)}`);
}

async function runNodeTraining(createAttentionLab) {
  const lab = await createAttentionLab();
  const now = () => performance.now();
  const loadBefore = +os.loadavg()[0].toFixed(2);
  const started = new Date();
  const speed = measureTrainingSpeed(lab, { now, log });
  const lessons = await measureLessonResults(trainHere(lab), { now, log });
  writeTraining({
    where: `Node ${process.version}, main thread, runs one after the other`, speed, lessons,
    environment: { kind: 'node', dist: distBuild(), node: process.version, ...machine(), loadavg1mBefore: loadBefore, date: started.toISOString() },
  }, 'results-training');
}

async function runNode() {
  const distEntry = path.join(root, 'dist', 'node.mjs');
  if (flag('training-only')) {
    await runNodeTraining((await import(pathToFileURL(distEntry).href)).default);
    return;
  }
  let createAttentionLab;
  if (existsSync(distEntry)) createAttentionLab = (await import(pathToFileURL(distEntry).href)).default;
  else if (!flag('peers-only')) {
    console.error('bench: dist/node.mjs is missing; build first (npm run bench does), or pass --peers-only');
    process.exit(1);
  }
  const tf = await import('@tensorflow/tfjs-core');
  const tfw = await import('@tensorflow/tfjs-backend-wasm');
  const ort = await import('onnxruntime-web');
  const wasmDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm')) + path.sep;
  const suite = await buildSuite({
    createAttentionLab,
    tfjs: { tf, setWasmPaths: tfw.setWasmPaths, setThreadsCount: tfw.setThreadsCount, wasmDir },
    ort,
    peakBytes: readFileSync(peakWasmPath()),
    log,
  });
  const started = new Date();
  const loadBefore = +os.loadavg()[0].toFixed(2);
  const buildBefore = distBuild();
  const result = await runBenchmark({ ...suite, sizes, now: () => performance.now(), log });
  if (!sameBuild(buildBefore, distBuild())) suite.problems.push('dist/ was rebuilt during the run: rows may mix two builds');
  Object.assign(result, {
    environment: { kind: 'node', dist: buildBefore, node: process.version, v8: process.versions.v8, ...machine(), loadavg1mBefore: loadBefore, date: started.toISOString(), durationS: +((Date.now() - started) / 1000).toFixed(1), versions: versions() },
    implementations: suite.info, problems: suite.problems,
  });
  writeOutputs(result, 'results', `Node ${process.version}, ${machine().cpu}, ${started.toISOString().slice(0, 10)}`);
  if (createAttentionLab) await runNodeTraining(createAttentionLab);
}

async function runBrowser() {
  const { chromium } = await import('playwright-core');
  let startServer;
  const webServe = path.join(root, 'web', 'serve.mjs');
  if (existsSync(webServe)) ({ startServer } = await import(pathToFileURL(webServe).href));
  else ({ startServer } = await import('./server.mjs'));
  peakWasmPath();
  const server = await startServer({
    port: 0, host: '127.0.0.1',
    mounts: { '/bench/': benchDir, '/node_modules/': path.join(root, 'node_modules'), '/build/': path.join(root, 'build'), '/dist/': path.join(root, 'dist') },
  });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    page.on('console', (m) => console.log(`[page] ${m.text()}`));
    page.on('pageerror', (e) => console.log(`[page error] ${e.message}`));
    const q = new URLSearchParams({ sizes: sizes.join(','), ...(flag('peers-only') ? { peersOnly: '1' } : {}),
      ...(flag('training-only') ? { trainingOnly: '1' } : {}),
      ...(flag('rerender-only') ? { rerenderOnly: '1' } : {}) });
    const loadBefore = +os.loadavg()[0].toFixed(2);
    const buildBefore = distBuild();
    await page.goto(`${server.url}bench/page.html?${q}`);
    await page.waitForFunction(() => window.__bench && (window.__bench.done || window.__bench.error), null, { timeout: 30 * 60 * 1000, polling: 1000 });
    const state = await page.evaluate(() => window.__bench);
    if (state.error) throw new Error(`page failed: ${state.error}`);
    const result = state.result;
    const browserVersion = browser.version();
    if (flag('rerender-only')) {
      Object.assign(result.environment, { browser: `Chromium ${browserVersion}`, hostNode: process.version, ...machine(), loadavg1mBefore: loadBefore, versions: versions() });
      writeFileSync(path.join(benchDir, 'results-rerender.json'), JSON.stringify(result, null, 2) + '\n');
      console.log(`\n${formatTable(result)}\nChromium ${browserVersion} on ${result.environment.cpu}; 1-min load average ${loadBefore} before, ${result.environment.loadavg1m} after (other load on the machine skews timings)\nwrote bench/results-rerender.json`);
      return;
    }
    if (result.environment) {
      if (!sameBuild(buildBefore, distBuild())) result.problems.push('dist/ was rebuilt during the run: rows may mix two builds');
      result.environment.dist = buildBefore;
      Object.assign(result.environment, { browser: `Chromium ${browserVersion}`, hostNode: process.version, ...machine(), loadavg1mBefore: loadBefore, versions: versions() });
      writeOutputs(result, 'results-browser', `Chromium ${browserVersion} (headless), ${machine().cpu}, ${result.environment.date.slice(0, 10)}`);
    }
    if (result.training) {
      Object.assign(result.training.environment, { browser: `Chromium ${browserVersion}`, dist: buildBefore, ...machine(), loadavg1mBefore: loadBefore });
      writeTraining(result.training, 'results-training-browser');
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

(flag('browser') ? runBrowser() : runNode()).catch((e) => { console.error(e); process.exit(1); });
