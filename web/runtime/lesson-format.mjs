/**
 * The lesson format (documented for authors in lessons/README.md), read into plain data.
 *
 * A lesson is one Markdown-like text file: a front matter of `key: value` lines between
 * `---` fences (title, summary), then prose, with fenced blocks that place a widget
 * (```widget) or pose an exercise (```exercise). Inside those blocks each line is
 * `key: value`. The parser knows no widget and computes nothing; it turns the text into
 *
 *   { title, summary, blocks: [
 *       { kind: 'prose', text, line },
 *       { kind: 'widget', type, id, params: { name: 'text', ... }, line, paramLines: { name: line } },
 *       { kind: 'exercise', id, type: 'number' | 'choice', prompt, answer, choices,
 *         tolerance, exact, withholds: [{ widget, evidence, line }], explanation, line } ] }
 *
 * (`line` is the line a block starts on, for messages that name it.)
 * and throws an Error naming the line of anything it cannot read. It has no DOM in it,
 * so the same code checks lessons in Node.
 */

/** A value that starts with `@` names a quantity a widget publishes: `@widgetId.path.to.it`. */
export const quantityPrefix = '@';

/**
 * Splits `key: value` lines (blank lines skipped) into an object, and records the line
 * of each key in `lineOf`; `where` is the first line's number.
 */
function readFields(lines, where, lineOf = {}) {
  const fields = {};
  lines.forEach((line, offset) => {
    if (!line.trim()) return;
    const match = line.match(/^\s*([a-z][a-z0-9-]*)\s*:\s?(.*)$/i);
    if (!match) throw new Error(`line ${where + offset}: expected "name: value", got "${line.trim()}"`);
    const [, key, value] = match;
    if (Object.hasOwn(fields, key)) throw new Error(`line ${where + offset}: "${key}" is given twice`);
    fields[key] = value.trim();
    lineOf[key] = where + offset;
  });
  return fields;
}

/** Requires `names` in `fields`, naming the block that lacks one. */
function requireFields(fields, names, blockName, line) {
  for (const name of names) {
    if (!fields[name]) throw new Error(`line ${line}: the ${blockName} needs "${name}: ..."`);
  }
}

const identifier = /^[a-z][a-z0-9-]*$/;

function widgetBlock(fields, line, lineOf) {
  requireFields(fields, ['type', 'id'], 'widget', line);
  const { type, id, ...params } = fields;
  if (!identifier.test(id)) throw new Error(`line ${line}: widget id "${id}" must be lower-case letters, digits and dashes`);
  if (!identifier.test(type)) throw new Error(`line ${line}: widget type "${type}" must be lower-case letters, digits and dashes`);
  const paramLines = Object.fromEntries(Object.keys(params).map((name) => [name, lineOf[name]]));
  return { kind: 'widget', type, id, params, line, paramLines };
}

/** The fields an exercise block may have. */
export const exerciseFields = Object.freeze(['id', 'kind', 'prompt', 'answer', 'tolerance', 'exact', 'choices', 'withholds', 'explanation']);

/** `withholds: library.weights, plots.summary` → [{ widget, evidence, line }]. */
function readWithholds(text, line) {
  return text.split(',').map((item) => item.trim()).filter(Boolean).map((item) => {
    const match = item.match(/^([a-z][a-z0-9-]*)\.([A-Za-z][A-Za-z0-9-]*)$/);
    if (!match) throw new Error(`line ${line}: "${item}" in withholds must be <widget id>.<evidence name>, such as library.weights`);
    return { widget: match[1], evidence: match[2], line };
  });
}

/**
 * A tolerance as data: "5%" is relative to the right answer, "0.05" absolute.
 * Returns { relative } or { absolute }.
 */
export function parseTolerance(text, line) {
  const percent = text.match(/^(\d+(?:\.\d+)?)\s*%$/);
  if (percent) return { relative: Number(percent[1]) / 100 };
  const absolute = Number(text);
  if (text !== '' && Number.isFinite(absolute) && absolute >= 0) return { absolute };
  throw new Error(`line ${line}: tolerance "${text}" must be a number (absolute) or a percentage such as 5%`);
}

function exerciseBlock(fields, line, lineOf) {
  requireFields(fields, ['id', 'kind', 'prompt', 'answer', 'explanation'], 'exercise', line);
  for (const name of Object.keys(fields)) {
    if (!exerciseFields.includes(name)) {
      throw new Error(`line ${lineOf[name]}: an exercise has no field "${name}"; its fields are ${exerciseFields.join(', ')}`);
    }
  }
  const { id, kind, prompt, answer, explanation } = fields;
  if (!identifier.test(id)) throw new Error(`line ${line}: exercise id "${id}" must be lower-case letters, digits and dashes`);
  const withholds = fields.withholds ? readWithholds(fields.withholds, lineOf.withholds) : [];
  const exercise = { kind: 'exercise', id, type: kind, prompt, answer, explanation, withholds, line };
  if (kind === 'number') {
    requireFields(fields, ['tolerance'], 'number exercise', line);
    exercise.tolerance = parseTolerance(fields.tolerance, line);
    if (!answer.startsWith(quantityPrefix) && !Number.isFinite(Number(answer))) {
      throw new Error(`line ${line}: the answer "${answer}" is neither a number nor a ${quantityPrefix}quantity`);
    }
    if (fields.exact !== undefined) {
      const exact = Number(fields.exact);
      if (fields.exact === '' || !Number.isFinite(exact)) throw new Error(`line ${lineOf.exact}: exact "${fields.exact}" must be a number`);
      exercise.exact = exact;
    }
  } else if (kind === 'choice') {
    if (fields.exact !== undefined) throw new Error(`line ${lineOf.exact}: only a number exercise may state an exact value`);
    requireFields(fields, ['choices'], 'choice exercise', line);
    exercise.choices = fields.choices.startsWith(quantityPrefix)
      ? fields.choices
      : fields.choices.split('|').map((choice) => choice.trim()).filter(Boolean);
    if (Array.isArray(exercise.choices) && !answer.startsWith(quantityPrefix) && !exercise.choices.includes(answer)) {
      throw new Error(`line ${line}: the answer "${answer}" is not one of the choices`);
    }
  } else {
    throw new Error(`line ${line}: exercise kind "${kind}" must be "number" or "choice"`);
  }
  return exercise;
}

/** Reads a lesson's text into { title, summary, blocks }. */
export function parseLesson(text) {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (lines[0].trim() !== '---') throw new Error('line 1: a lesson starts with a front matter between "---" lines');
  const frontEnd = lines.indexOf('---', 1);
  if (frontEnd < 0) throw new Error('line 1: the front matter is not closed by a "---" line');
  const front = readFields(lines.slice(1, frontEnd), 2);
  requireFields(front, ['title', 'summary'], 'front matter', 1);

  const blocks = [];
  const ids = new Set();
  let prose = [];
  let proseLine = frontEnd + 2;
  const flushProse = () => {
    const textBlock = prose.join('\n').trim();
    if (textBlock) blocks.push({ kind: 'prose', text: textBlock, line: proseLine });
    prose = [];
  };
  for (let index = frontEnd + 1; index < lines.length; index += 1) {
    const fence = lines[index].match(/^```\s*(\S*)\s*$/);
    if (!fence || !['widget', 'exercise'].includes(fence[1])) {
      if (!prose.length) proseLine = index + 1;
      prose.push(lines[index]);
      continue;
    }
    const start = index + 1;
    const end = lines.findIndex((line, at) => at >= start && line.trim() === '```');
    if (end < 0) throw new Error(`line ${index + 1}: the ${fence[1]} block is not closed by a "\`\`\`" line`);
    flushProse();
    const lineOf = {};
    const fields = readFields(lines.slice(start, end), start + 1, lineOf);
    const block = fence[1] === 'widget' ? widgetBlock(fields, index + 1, lineOf) : exerciseBlock(fields, index + 1, lineOf);
    if (ids.has(block.id)) throw new Error(`line ${index + 1}: the id "${block.id}" is used twice`);
    ids.add(block.id);
    blocks.push(block);
    index = end;
  }
  flushProse();
  const widgetIds = new Set(blocks.filter((block) => block.kind === 'widget').map((block) => block.id));
  for (const block of blocks) {
    for (const { widget, line } of block.withholds ?? []) {
      if (!widgetIds.has(widget)) throw new Error(`line ${line}: withholds names "${widget}", which is not a widget of this lesson`);
    }
  }
  return { title: front.title, summary: front.summary, blocks };
}

/**
 * Finds a published quantity: `@library.topBook` reads `quantities.topBook` from the
 * widget with id `library`. `widgets` maps ids to objects with a `quantities` property.
 * Returns undefined when the widget or the path does not exist (yet).
 */
export function resolveQuantity(reference, widgets) {
  const [widgetId, ...path] = reference.slice(quantityPrefix.length).split('.');
  let value = widgets.get(widgetId)?.quantities;
  for (const step of path) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, step)) return undefined;
    value = value[step];
  }
  return value;
}
