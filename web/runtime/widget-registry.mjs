/**
 * The widgets a lesson may place, by the `type` it names, and how to load the module
 * that defines each custom element. A new widget is one new file and one line here; a
 * page imports only the modules its lessons use. The imports are written out literally
 * so that a bundler (scripts/build-web.mjs) can follow them into one file.
 */
export const widgetModules = Object.freeze({
  'attention-explorer': () => import('../widgets/attention-explorer.mjs'),
  'pointer-chase': () => import('../widgets/pointer-chase.mjs'),
  'dropout-experiment': () => import('../widgets/dropout-experiment.mjs'),
  'noise-experiment': () => import('../widgets/noise-experiment.mjs'),
  'task-weighting': () => import('../widgets/task-weighting.mjs'),
  'scaling-experiment': () => import('../widgets/scaling-experiment.mjs'),
  'self-attention': () => import('../widgets/self-attention.mjs'),
  'context-readers': () => import('../widgets/context-readers.mjs'),
  'word-order': () => import('../widgets/word-order.mjs'),
  'learned-alignment': () => import('../widgets/learned-alignment.mjs'),
  'multi-head': () => import('../widgets/multi-head.mjs'),
});

/** Loads the module that defines `type`, or throws naming the widgets there are. */
export async function defineWidget(type) {
  const load = Object.hasOwn(widgetModules, type) ? widgetModules[type] : null;
  if (!load) throw new Error(`there is no widget "${type}"; the widgets are ${Object.keys(widgetModules).join(', ')}`);
  await load();
}
