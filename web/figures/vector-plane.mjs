/**
 * A 2-D vector plane in SVG, the drawing surface for widgets about vectors: a square
 * grid from -extent to +extent on both axes, vectors drawn as arrows from the origin,
 * and one movable point (the query) that follows a mouse, pen or finger, and the arrow
 * keys when focused (Shift for bigger steps). It knows geometry only; what the vectors
 * mean is the widget's business.
 *
 * On a touch screen a swipe over the plane scrolls the page, unless it starts on the
 * point's handle (only the handle has `touch-action: none`); a tap elsewhere moves the
 * point there. Arrow labels are placed so that they overlap neither one another nor the
 * point and its label (label-layout.mjs).
 */
import { colour } from '../runtime/theme-colours.mjs';
import { placeLabels } from './label-layout.mjs';

const svgNamespace = 'http://www.w3.org/2000/svg';
const arrowheadLength = 16;
const arrowheadHalfWidth = 7;
const labelFontSize = 18;
const pointRadius = 10;

/** Creates an SVG element with the given attributes. */
export function svgElement(tag, attributes = {}) {
  const element = document.createElementNS(svgNamespace, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  return element;
}

/** The point `distance` screen units before `to` on the segment from `from`. */
function pointBefore(from, to, distance) {
  const [dx, dy] = [to[0] - from[0], to[1] - from[1]];
  const fraction = distance / (Math.hypot(dx, dy) || 1);
  return [to[0] - dx * fraction, to[1] - dy * fraction];
}

/** The triangle at the tip of an arrow from `from` to `to`, as an SVG points list. */
function arrowheadPoints(from, to) {
  const base = pointBefore(from, to, arrowheadLength);
  const [ux, uy] = [(to[0] - base[0]) / arrowheadLength, (to[1] - base[1]) / arrowheadLength];
  const [px, py] = [-uy * arrowheadHalfWidth, ux * arrowheadHalfWidth];
  return [to, [base[0] + px, base[1] + py], [base[0] - px, base[1] - py]].map(([x, y]) => `${x},${y}`).join(' ');
}

/** Styles for the plane; a widget puts them in its shadow root (and an exported figure carries them). */
export const vectorPlaneStyles = `
  .vector-plane { width: 100%; height: auto; max-width: 30rem; display: block; user-select: none; -webkit-user-select: none;
    background: ${colour('panel')}; border: 1px solid ${colour('rule')}; border-radius: 0.5rem;
    font-family: system-ui, sans-serif; }
  .vector-plane .grid-line { stroke: ${colour('grid')}; stroke-width: 1; }
  .vector-plane .axis { stroke: ${colour('axis')}; stroke-width: 1.5; }
  .vector-plane .arrow-label, .vector-plane .point-label { font-size: ${labelFontSize}px; fill: ${colour('text')};
    paint-order: stroke; stroke: ${colour('panel')}; stroke-width: 4px; stroke-linejoin: round; pointer-events: none; }
  .vector-plane .arrow-label { font-weight: 600; }
  .vector-plane .point-label { font-style: italic; }
  .vector-plane .point-vector { stroke: ${colour('text')}; stroke-width: 2; stroke-dasharray: 6 5; }
  .vector-plane .point { cursor: grab; outline: none; touch-action: none; }
  .vector-plane .point:active { cursor: grabbing; }
  .vector-plane .point-dot { fill: ${colour('text')}; stroke: ${colour('panel')}; stroke-width: 3; }
  .vector-plane .point-hit { fill: transparent; }
  .vector-plane .focus-ring { fill: none; stroke: ${colour('focus')}; stroke-width: 4; visibility: hidden; }
  .vector-plane .point:focus-visible .focus-ring { visibility: visible; }
`;

/**
 * The plane. `extent`: the largest coordinate shown; `pixelsPerUnit`: the drawing scale
 * (in SVG units, the element itself scales to its box); `label`: what the figure is,
 * for assistive technology.
 */
export class VectorPlane {
  #arrowLabels = [];

  constructor({ extent = 3, pixelsPerUnit = 60, label }) {
    this.extent = extent;
    this.pixelsPerUnit = pixelsPerUnit;
    this.size = 2 * (extent + 0.4) * pixelsPerUnit;
    this.svg = svgElement('svg', {
      class: 'vector-plane', viewBox: `0 0 ${this.size} ${this.size}`, role: 'group', 'aria-label': label,
    });
    this.arrows = svgElement('g', { 'aria-hidden': 'true' });
    this.labels = svgElement('g', { 'aria-hidden': 'true' });
    this.svg.append(this.#grid(), this.arrows, this.labels);
  }

  /** Plane coordinates [x, y] (y up) to SVG coordinates (y down). */
  toScreen([x, y]) {
    return [this.size / 2 + x * this.pixelsPerUnit, this.size / 2 - y * this.pixelsPerUnit];
  }

  /** The plane coordinates under a pointer event, clamped to the plane. */
  fromPointer(event) {
    const point = new DOMPoint(event.clientX, event.clientY).matrixTransform(this.svg.getScreenCTM().inverse());
    return [(point.x - this.size / 2) / this.pixelsPerUnit, (this.size / 2 - point.y) / this.pixelsPerUnit]
      .map((coordinate) => this.clamp(coordinate));
  }

  clamp(coordinate) {
    return Math.min(this.extent, Math.max(-this.extent, coordinate));
  }

  #grid() {
    const grid = svgElement('g', { 'aria-hidden': 'true' });
    for (let unit = -this.extent; unit <= this.extent; unit += 1) {
      const lineClass = unit === 0 ? 'axis' : 'grid-line';
      for (const [from, to] of [[[unit, -this.extent], [unit, this.extent]], [[-this.extent, unit], [this.extent, unit]]]) {
        const [x1, y1] = this.toScreen(from);
        const [x2, y2] = this.toScreen(to);
        grid.append(svgElement('line', { x1, y1, x2, y2, class: lineClass }));
      }
    }
    return grid;
  }

  /** Removes every arrow and its label (to redraw a changed set of vectors). */
  clearArrows() {
    this.arrows.replaceChildren();
    this.labels.replaceChildren();
    this.#arrowLabels = [];
  }

  /**
   * Draws the vector `to` as an arrow from the origin in `colour` (any CSS colour),
   * labelled near its tip. Returns the shaft, whose stroke width a widget may vary to
   * show emphasis.
   */
  addArrow({ to, colour: arrowColour, label }) {
    const origin = this.toScreen([0, 0]);
    const tip = this.toScreen(to);
    const shaftEnd = pointBefore(origin, tip, arrowheadLength - 2);
    const shaft = svgElement('line', { x1: origin[0], y1: origin[1], x2: shaftEnd[0], y2: shaftEnd[1] });
    shaft.style.stroke = arrowColour;
    const head = svgElement('polygon', { points: arrowheadPoints(origin, tip) });
    head.style.fill = arrowColour;
    this.arrows.append(shaft, head);
    const text = svgElement('text', { class: 'arrow-label', 'text-anchor': 'middle', 'dominant-baseline': 'central' });
    text.textContent = label;
    this.labels.append(text);
    this.#arrowLabels.push({ text, tip, direction: Math.atan2(tip[1] - origin[1], tip[0] - origin[0]) });
    this.#layoutLabels();
    return shaft;
  }

  /** Estimated width of a label in SVG units (measured once the figure is on screen). */
  #labelWidth(text) {
    const measured = text.isConnected ? text.getComputedTextLength() : 0;
    return (measured > 0 ? measured : 0.62 * labelFontSize * text.textContent.length) + 6;
  }

  /** Places every label where it overlaps no other label, the point, its label, or the plane's edge. */
  #layoutLabels() {
    const obstacles = [];
    if (this.position) {
      const [sx, sy] = this.toScreen(this.position);
      obstacles.push({ x: sx - pointRadius - 4, y: sy - pointRadius - 4, width: 2 * pointRadius + 8, height: 2 * pointRadius + 8 });
      if (this.pointLabelBox) obstacles.push(this.pointLabelBox);
    }
    const tips = this.#arrowLabels.map(({ tip }) => ({ x: tip[0] - 8, y: tip[1] - 8, width: 16, height: 16 }));
    const placed = placeLabels(this.#arrowLabels.map(({ text, tip, direction }) => ({
      anchor: tip, direction, width: this.#labelWidth(text), height: labelFontSize + 6,
    })), { obstacles, soft: tips, bounds: { x: 2, y: 2, width: this.size - 4, height: this.size - 4 } });
    placed.forEach(({ x, y }, index) => {
      this.#arrowLabels[index].text.setAttribute('x', x);
      this.#arrowLabels[index].text.setAttribute('y', y);
    });
  }

  /** Measures labels again once the figure is on screen (real text widths) and re-places them. */
  refreshLayout() {
    this.#layoutLabels();
  }

  /**
   * Adds the movable point, drawn as a dot with a dashed vector from the origin.
   * `onMove([x, y], { transient })` is called with the requested position (clamped to
   * the plane, not yet placed); the widget decides and calls `placePoint`. Arrow keys
   * request a move by `step`, or `bigStep` with Shift; a press or drag with a mouse or
   * pen anywhere on the plane, a drag from the handle, or a tap by finger requests the
   * position under the pointer. `transient` is true while a drag goes on; `onRelease()`
   * is called when it ends.
   */
  addMovablePoint({ label, ariaLabel, step = 0.1, bigStep = 0.5, onMove, onRelease = () => {} }) {
    this.pointVector = svgElement('line', { class: 'point-vector', 'aria-hidden': 'true' });
    this.pointLabel = svgElement('text', { class: 'point-label', 'aria-hidden': 'true' });
    this.pointLabel.textContent = label;
    this.point = svgElement('g', {
      class: 'point',
      tabindex: '0',
      role: 'slider',
      'aria-roledescription': '2-D slider',
      'aria-label': ariaLabel,
      'aria-valuemin': String(-this.extent),
      'aria-valuemax': String(this.extent),
    });
    this.point.append(
      svgElement('circle', { class: 'focus-ring', r: 17 }),
      svgElement('circle', { class: 'point-hit', r: 30 }),
      svgElement('circle', { class: 'point-dot', r: pointRadius }),
    );
    this.svg.append(this.pointVector, this.pointLabel, this.point);
    // `touch-action: none` is not honoured on an element inside an SVG, so a touch that
    // starts on the handle is kept from panning the page here (a swipe elsewhere still scrolls).
    this.point.addEventListener('touchstart', (event) => event.preventDefault(), { passive: false });
    this.#followPointer(onMove, onRelease);
    this.#followKeys({ step, bigStep, onMove });
    return this.point;
  }

  /** Draws the movable point at plane coordinates [x, y]; its label sits where no arrow label is. */
  placePoint([x, y]) {
    const [sx, sy] = this.toScreen([x, y]);
    const [ox, oy] = this.toScreen([0, 0]);
    this.point.setAttribute('transform', `translate(${sx} ${sy})`);
    this.point.setAttribute('aria-valuenow', String(x));
    this.point.setAttribute('aria-valuetext', `x ${x.toFixed(2)}, y ${y.toFixed(2)}`);
    for (const [name, value] of Object.entries({ x1: ox, y1: oy, x2: sx, y2: sy })) {
      this.pointVector.setAttribute(name, value);
    }
    this.position = [x, y];
    const width = this.#labelWidth(this.pointLabel);
    const height = labelFontSize + 6;
    const [place] = placeLabels([{ anchor: [sx, sy], direction: -Math.PI / 4, width, height, gap: pointRadius + 4 }],
      { obstacles: [], bounds: { x: 2, y: 2, width: this.size - 4, height: this.size - 4 } });
    this.pointLabel.setAttribute('x', place.x);
    this.pointLabel.setAttribute('y', place.y);
    this.pointLabel.setAttribute('text-anchor', 'middle');
    this.pointLabel.setAttribute('dominant-baseline', 'central');
    this.pointLabelBox = { x: place.x - width / 2, y: place.y - height / 2, width, height };
    this.#layoutLabels();
  }

  #followPointer(onMove, onRelease) {
    let draggingPointer = null;
    let tap = null;
    this.svg.addEventListener('pointerdown', (event) => {
      if (event.button !== 0) return;
      const onHandle = this.point.contains(event.target);
      if (event.pointerType === 'touch' && !onHandle) {
        tap = { id: event.pointerId, x: event.clientX, y: event.clientY };
        return;
      }
      draggingPointer = event.pointerId;
      this.svg.setPointerCapture(event.pointerId);
      this.point.focus({ preventScroll: true });
      if (!onHandle || event.pointerType !== 'touch') onMove(this.fromPointer(event), { transient: true });
      event.preventDefault();
    });
    this.svg.addEventListener('pointermove', (event) => {
      if (event.pointerId === draggingPointer) onMove(this.fromPointer(event), { transient: true });
    });
    const stop = (event) => {
      if (event.pointerId !== draggingPointer) return;
      draggingPointer = null;
      onRelease();
    };
    this.svg.addEventListener('pointerup', (event) => {
      if (tap && event.pointerId === tap.id && Math.hypot(event.clientX - tap.x, event.clientY - tap.y) < 10) {
        onMove(this.fromPointer(event), { transient: false });
      }
      tap = null;
      stop(event);
    });
    this.svg.addEventListener('pointercancel', (event) => {
      tap = null;
      stop(event);
    });
  }

  #followKeys({ step, bigStep, onMove }) {
    const directions = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
    this.point.addEventListener('keydown', (event) => {
      const direction = directions[event.key];
      if (!direction || event.altKey || event.ctrlKey || event.metaKey) return;
      event.preventDefault();
      const distance = event.shiftKey ? bigStep : step;
      onMove(this.position.map((coordinate, axis) => this.clamp(coordinate + distance * direction[axis])),
        { transient: false });
    });
  }
}
