/**
 * The lessons on a 360 px phone, by touch, in a real Chromium (touch events sent through
 * the DevTools protocol, as a finger would make them):
 * - a swipe over a plot, or over the library plane away from the query's handle,
 *   scrolls the page; a drag that starts on the handle moves the query instead;
 * - every value of every slider can be reached by touch (the slider, then its − and +
 *   buttons), and every d_k by one tap;
 * - every control is a touch target of at least 44 × 44 px;
 * - the numbers being changed stay in view while the finger drags the query.
 */
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowserSession } from './browser.mjs';
import { openLesson } from './lesson-page.mjs';

const phone = { width: 360, height: 740 };

let session;

before(async () => {
  session = await startBrowserSession();
});

afterEach(() => session.assertNoProblems());

after(async () => {
  await session?.close();
});

/** A finger on `page`: taps and swipes as touch events. */
async function finger(page) {
  const cdp = await page.context().newCDPSession(page);
  const touch = (type, points) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: points });
  return {
    async tap(x, y) {
      await touch('touchStart', [{ x, y }]);
      await touch('touchEnd', []);
    },
    /** Moves from (x, y) by (dx, dy) in `steps`, calling `during()` before lifting. */
    async swipe(x, y, dx, dy, { steps = 8, during = async () => {} } = {}) {
      await touch('touchStart', [{ x, y }]);
      for (let step = 1; step <= steps; step += 1) {
        await touch('touchMove', [{ x: x + (dx * step) / steps, y: y + (dy * step) / steps }]);
      }
      await during();
      await touch('touchEnd', []);
    },
  };
}

const centre = (box) => ({ x: box.x + box.width / 2, y: box.y + box.height / 2 });
const scrollY = (page) => page.evaluate(() => window.scrollY);

/** Waits until a swipe's fling has stopped: the page has not scrolled for 300 ms. */
async function settled(page) {
  let last = await scrollY(page);
  for (let still = 0; still < 3;) {
    await page.waitForTimeout(100);
    const now = await scrollY(page);
    still = now === last ? still + 1 : 0;
    last = now;
  }
}

test('a swipe over a plot or the plane scrolls the page; a drag from the query’s handle moves the query', async () => {
  const page = await openLesson(session, 'library', { viewport: phone });
  const hand = await finger(page);
  const explorer = page.locator('attention-explorer');
  const plane = explorer.locator('svg.vector-plane');
  await plane.evaluate((svg) => svg.scrollIntoView({ block: 'center' }));
  const query = async () => [await explorer.getAttribute('data-qx'), await explorer.getAttribute('data-qy')];
  const before = await query();
  const box = await plane.boundingBox();
  const start = await scrollY(page);
  await hand.swipe(box.x + box.width * 0.85, box.y + box.height * 0.8, 0, -220);
  await page.waitForFunction((y) => window.scrollY > y + 100, start);
  await settled(page);
  assert.deepEqual(await query(), before, 'the swipe left the query where it was');

  const handle = explorer.locator('[role="slider"]');
  await handle.evaluate((element) => element.scrollIntoView({ block: 'center' }));
  await settled(page);
  const held = await scrollY(page);
  const { x, y } = centre(await handle.boundingBox());
  await hand.swipe(x, y, -60, 90);
  assert.equal(await scrollY(page), held, 'a drag from the handle does not scroll');
  const after = await query();
  assert.ok(Number(after[0]) < Number(before[0]) && Number(after[1]) < Number(before[1]), `the query moved: ${before} → ${after}`);
  await page.close();

  const scaling = await openLesson(session, 'scaling', { viewport: phone });
  const scalingHand = await finger(scaling);
  for (const selector of ['figure[data-figure="histogram"] svg', 'figure[data-measure="entropy"] svg', 'figure[data-figure="row"] svg']) {
    const figure = scaling.locator(`scaling-experiment ${selector}`);
    await settled(scaling);
    await figure.evaluate((svg) => svg.scrollIntoView({ block: 'center' }));
    const top = await scrollY(scaling);
    const { x: fx, y: fy } = centre(await figure.boundingBox());
    await scalingHand.swipe(fx, fy, 0, -200);
    await scaling.waitForFunction((y) => window.scrollY > y + 80, top);
  }
  await scaling.close();
});

test('every value of the temperature slider can be reached by touch at 360 px', async () => {
  const page = await openLesson(session, 'library', { viewport: phone });
  const hand = await finger(page);
  const explorer = page.locator('attention-explorer');
  const slider = explorer.getByRole('slider', { name: 'Temperature' });
  await slider.evaluate((element) => element.scrollIntoView({ block: 'center' }));
  const { min, max, step } = await slider.evaluate((element) => ({ min: Number(element.min), max: Number(element.max), step: Number(element.step) }));
  const values = Array.from({ length: Math.round((max - min) / step) + 1 }, (_, index) => Number((min + index * step).toFixed(2)));
  const track = await slider.boundingBox();
  const lower = centre(await explorer.getByRole('button', { name: /^Lower temperature/ }).boundingBox());
  const raise = centre(await explorer.getByRole('button', { name: /^Raise temperature/ }).boundingBox());
  const current = async () => Number(await explorer.getAttribute('data-temperature'));
  let mostButtonTaps = 0;
  for (const value of values) {
    const fraction = (value - min) / (max - min);
    await hand.tap(track.x + 8 + fraction * (track.width - 16), track.y + track.height / 2);
    let taps = 0;
    while (Math.abs(await current() - value) > 1e-9 && taps < 20) {
      const at = await current() < value ? raise : lower;
      await hand.tap(at.x, at.y);
      taps += 1;
    }
    assert.ok(Math.abs(await current() - value) < 1e-9, `temperature ${value} reached by touch`);
    mostButtonTaps = Math.max(mostButtonTaps, taps);
  }
  assert.ok(mostButtonTaps <= 3, `a tap on the track lands within 3 steps of any value (${mostButtonTaps})`);
  await page.close();
});

test('every d_k is one tap away at 360 px', async () => {
  const page = await openLesson(session, 'scaling', { viewport: phone });
  const hand = await finger(page);
  const widget = page.locator('scaling-experiment');
  for (const dk of [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024].reverse()) {
    const button = widget.getByRole('radio', { name: String(dk), exact: true });
    await button.evaluate((element) => element.scrollIntoView({ block: 'center' }));
    const { x, y } = centre(await button.boundingBox());
    await hand.tap(x, y);
    await page.waitForFunction((expected) => document.querySelector('scaling-experiment').dataset.dk === expected, String(dk));
  }
  await page.close();
});

test('every control is a touch target of at least 44 × 44 px at 360 px', async () => {
  for (const slug of ['library', 'scaling']) {
    const page = await openLesson(session, slug, { viewport: phone });
    await page.evaluate(() => {
      const open = (root) => root.querySelectorAll('details').forEach((details) => { details.open = true; });
      const walk = (root) => {
        open(root);
        for (const element of root.querySelectorAll('*')) if (element.shadowRoot) walk(element.shadowRoot);
      };
      walk(document);
    });
    const small = await page.evaluate(() => {
      const found = [];
      const inProse = (element) => Boolean(element.closest('p, li, td, th, blockquote, sup')) && element.localName === 'a';
      const walk = (root) => {
        for (const element of root.querySelectorAll('a[href], button, input, select, summary, [role="slider"], [role="switch"]')) {
          if (inProse(element)) continue;
          const target = ['radio', 'checkbox'].includes(element.type) && element.closest('label') ? element.closest('label') : element;
          const { width, height } = target.getBoundingClientRect();
          if (width === 0 && height === 0) continue;
          if (width < 43.9 || height < 43.9) {
            found.push(`${element.localName}${element.type ? `[${element.type}]` : ''} "${(element.getAttribute('aria-label') ?? element.textContent).trim().slice(0, 30)}" ${width.toFixed(0)}×${height.toFixed(0)}`);
          }
        }
        for (const element of root.querySelectorAll('*')) if (element.shadowRoot) walk(element.shadowRoot);
      };
      walk(document);
      return found;
    });
    assert.deepEqual(small, [], slug);
    await page.close();
  }
});

test('the numbers being changed stay in view while a finger drags the query', async () => {
  const page = await openLesson(session, 'library', { viewport: phone });
  const hand = await finger(page);
  const explorer = page.locator('attention-explorer');
  const handle = explorer.locator('[role="slider"]');
  await handle.evaluate((element) => element.scrollIntoView({ block: 'end' }));
  const { x, y } = centre(await handle.boundingBox());
  const readout = explorer.locator('.readout');
  await hand.swipe(x, y, 40, -40, {
    during: async () => {
      const box = await readout.boundingBox();
      assert.ok(box.y >= 0 && box.y + box.height <= phone.height, `the readout is on screen (${box.y.toFixed(0)} px)`);
      const q = [await explorer.getAttribute('data-qx'), await explorer.getAttribute('data-qy')].map(Number);
      assert.match(await readout.textContent(), new RegExp(`^q = \\(${q[0].toFixed(2)}, ${q[1].toFixed(2)}\\)`), 'and shows the query as it moves');
    },
  });
  await page.close();
});
