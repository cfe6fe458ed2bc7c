/**
 * The learner's answers, kept in the browser (localStorage) per lesson, so a lesson
 * remembers what was answered and the lesson list can show what is done. Storage may be
 * missing or refuse (a sandboxed iframe, a page opened from a file, private modes, a
 * full quota): then nothing is remembered and everything else works as before.
 *
 * One entry per lesson, under `attention-lab:progress:<lesson>`:
 *   { exercises: ['id', …],                     every exercise the lesson has
 *     answers: { id: { given, verdict, expected } } }   the last check of each
 *
 * A lesson is done when every one of its exercises has been answered right (its last
 * check was right).
 */

const keyPrefix = 'attention-lab:progress:';

/** The page's localStorage, or null where it cannot be used. */
function storage() {
  try {
    const store = globalThis.localStorage;
    return store && typeof store.getItem === 'function' ? store : null;
  } catch {
    return null;
  }
}

const empty = () => ({ exercises: [], answers: {} });

/** What is remembered of `lesson` (never throws). */
export function readProgress(lesson) {
  try {
    const text = storage()?.getItem(keyPrefix + lesson);
    if (!text) return empty();
    const data = JSON.parse(text);
    const exercises = Array.isArray(data?.exercises) ? data.exercises.filter((id) => typeof id === 'string') : [];
    const answers = data?.answers && typeof data.answers === 'object' ? data.answers : {};
    return { exercises, answers: Object.fromEntries(Object.entries(answers).filter(([, answer]) => answer && typeof answer === 'object')) };
  } catch {
    return empty();
  }
}

function write(lesson, progress) {
  try {
    storage()?.setItem(keyPrefix + lesson, JSON.stringify(progress));
  } catch {
    // Storage refused (quota, policy): the answer is simply not remembered.
  }
}

/** Records which exercises `lesson` has (so the list can tell when all are right). */
export function recordExercises(lesson, exerciseIds) {
  const progress = readProgress(lesson);
  if (JSON.stringify(progress.exercises) === JSON.stringify(exerciseIds)) return;
  write(lesson, { ...progress, exercises: [...exerciseIds] });
}

/** Remembers the last check of one exercise: { given, verdict, expected }. */
export function saveAnswer(lesson, exerciseId, { given, verdict, expected }) {
  const progress = readProgress(lesson);
  progress.answers[exerciseId] = { given, verdict, expected };
  write(lesson, progress);
}

/** How far the learner is: { total, right, done }. */
export function lessonProgress(lesson) {
  const { exercises, answers } = readProgress(lesson);
  const right = exercises.filter((id) => answers[id]?.verdict === 'right').length;
  return { total: exercises.length, right, done: exercises.length > 0 && right === exercises.length };
}
