/**
 * Data files lessons share (lessons/data/*.json, e.g. the sentence vocabulary), loaded
 * once per page. On the site each file is fetched from the lessons folder beside the
 * web folder (the path is relative, like lab.mjs's, so it works whether web/ is mounted
 * at the root or served as is); a bundle that carries the files itself (the embed
 * script, the offline page) hands them over with `provideLessonData`.
 */
let readFile = async (name) => {
  const response = await fetch(new URL(`../../lessons/data/${name}`, import.meta.url));
  if (!response.ok) throw new Error(`the lesson data file "${name}" could not be loaded (${response.status})`);
  return response.json();
};

const loaded = new Map();

/** Replaces where the files come from: `files` maps file names to their parsed contents. */
export function provideLessonData(files) {
  readFile = async (name) => {
    if (!Object.hasOwn(files, name)) throw new Error(`there is no lesson data file "${name}"`);
    return structuredClone(files[name]);
  };
}

/** Resolves to the parsed contents of lessons/data/<name>. */
export function loadLessonData(name) {
  if (!loaded.has(name)) loaded.set(name, readFile(name));
  return loaded.get(name);
}
