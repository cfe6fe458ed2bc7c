/**
 * The widgets a lesson may place, by the `type` it names, and the module that defines
 * each custom element. A new widget is one new file here; the runtime imports only the
 * modules a lesson uses.
 */
export const widgetModules = Object.freeze({
  'attention-explorer': './widgets/attention-explorer.mjs',
  'scaling-experiment': './widgets/scaling-experiment.mjs',
});

/** Loads the module that defines `type`, or throws naming the widgets there are. */
export async function defineWidget(type) {
  const path = widgetModules[type];
  if (!path) throw new Error(`there is no widget "${type}"; the widgets are ${Object.keys(widgetModules).join(', ')}`);
  await import(new URL(path, import.meta.url).href);
}
