/**
 * Where to put labels so that none covers another: a small greedy placement for figures
 * that label points (arrow tips on a vector plane, marks on a plot). Each label tries
 * positions around its anchor — first straight out along its preferred direction, then
 * turning away from it step by step, then a little further out — and takes the first
 * that overlaps no label placed before it, no obstacle and stays inside the bounds.
 * When no position is free it takes the one that overlaps least, counting overlaps with
 * labels and hard obstacles far above soft ones. Coordinates are screen units (y down).
 */

const angleSteps = [0, 1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 6, -6, 7, -7, 8];
const turn = Math.PI / 8;
const extraDistances = [0, 10, 22, 38, 58];

const overlap = (a, b) => Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x))
  * Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));

function outside(box, bounds) {
  if (!bounds) return 0;
  const inside = overlap(box, bounds);
  return box.width * box.height - inside;
}

/** The box of a label of `width` × `height` centred at (x, y). */
export const labelBox = (x, y, width, height) => ({ x: x - width / 2, y: y - height / 2, width, height });

/** Whether two boxes overlap (touching edges do not). */
export const boxesOverlap = (a, b) => overlap(a, b) > 0;

/**
 * Places `items` ([{ anchor: [x, y], direction (radians, screen coordinates), width,
 * height, gap (clearance from the anchor, default 12) }]) in order, avoiding
 * `obstacles` (boxes that must stay clear), `soft` (boxes better left clear) and the
 * area outside `bounds`. Returns the centre { x, y } of each label.
 */
export function placeLabels(items, { obstacles = [], soft = [], bounds = null } = {}) {
  const placed = [];
  return items.map(({ anchor, direction, width, height, gap = 12 }) => {
    let best = null;
    search: for (const extra of extraDistances) {
      for (const step of angleSteps) {
        const angle = direction + step * turn;
        const [ux, uy] = [Math.cos(angle), Math.sin(angle)];
        const reach = gap + extra + Math.abs(ux) * width / 2 + Math.abs(uy) * height / 2;
        const x = anchor[0] + ux * reach;
        const y = anchor[1] + uy * reach;
        const box = labelBox(x, y, width, height);
        const cost = 1000 * [...placed, ...obstacles].reduce((sum, other) => sum + overlap(box, other), 0)
          + 100 * outside(box, bounds)
          + soft.reduce((sum, other) => sum + overlap(box, other), 0);
        if (!best || cost < best.cost) best = { x, y, box, cost };
        if (cost === 0) break search;
      }
    }
    placed.push(best.box);
    return { x: best.x, y: best.y };
  });
}
