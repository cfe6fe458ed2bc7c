/**
 * The attention playground (web/playground.html): the `<self-attention>` widget with
 * every control, its whole view kept in the page's address (url-state.mjs; a copied
 * link reproduces it), and the view with its inputs and the core's outputs saved to and
 * read from a JSON file (playground-json.mjs) that round-trips bit for bit. Importing
 * a file recomputes its outputs and says whether they equal the file's, bit for bit.
 */
import '../widgets/self-attention.mjs';
import { syncStateWithUrl } from '../runtime/url-state.mjs';
import { registerOfflineSupport } from '../runtime/offline-support.mjs';
import { viewTexts } from '../widgets/self-attention-state.mjs';
import { firstDifference, playgroundDocument, readPlaygroundDocument, toJsonText } from './playground-json.mjs';

const widget = document.querySelector('#playground');
const link = document.querySelector('#link');
const message = document.querySelector('#share-message');

const say = (text) => { message.textContent = text; };

/** The file of what the widget shows now, as text. */
function currentFile() {
  const { view, problem, labels, result } = widget.snapshot;
  return toJsonText(playgroundDocument({ viewTexts: viewTexts(view), labels, problem, result }));
}

function download(text, fileName) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const anchor = Object.assign(document.createElement('a'), { href: url, download: fileName, hidden: true });
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Waits until the widget shows the numbers of its current state. */
function whenReady() {
  return new Promise((resolve) => {
    const check = () => (widget.hasAttribute('data-ready') ? resolve() : requestAnimationFrame(check));
    check();
  });
}

async function importFile(file) {
  let read;
  try {
    read = readPlaygroundDocument(await file.text());
  } catch (error) {
    say(`Could not import ${file.name}: ${error.message}. The view is unchanged.`);
    return;
  }
  widget.state = read.view;
  widget.dispatchEvent(new CustomEvent('statechange', { detail: { transient: false } }));
  await whenReady();
  const { problem, result } = widget.snapshot;
  const inputs = Object.fromEntries(Object.keys(read.inputs).map((name) => [name, problem?.[name]]));
  const difference = firstDifference(read.inputs, inputs) ?? firstDifference(read.outputs, result);
  say(difference
    ? `Imported ${file.name}, but ${difference.index < 0 ? `its ${difference.name} has another shape` : `${difference.name}[${difference.index}] is ${difference.now} now and ${difference.file} in the file`}: it was made with other numbers or another build of the core.`
    : `Imported ${file.name}: its inputs and the outputs computed now equal the file's, bit for bit.`);
  widget.dataset.imported = difference ? 'different' : 'identical';
}

document.querySelector('#copy-link').addEventListener('click', async () => {
  link.value = location.href;
  try {
    await navigator.clipboard.writeText(location.href);
    say('The link is copied: it opens this exact view.');
  } catch {
    link.select();
    say('Copying is not allowed here: the link is selected in the field, press Ctrl+C (or ⌘C) to copy it.');
  }
});

document.querySelector('#download-json').addEventListener('click', async () => {
  await whenReady();
  download(currentFile(), 'attention-playground.json');
  say('Downloaded attention-playground.json: the view, its inputs and the core\'s outputs.');
});

document.querySelector('#import-json').addEventListener('change', (event) => {
  const [file] = event.target.files;
  if (file) importFile(file);
  event.target.value = '';
});

const showLink = () => { link.value = location.href; };
widget.addEventListener('statechange', () => queueMicrotask(showLink));
window.addEventListener('hashchange', showLink);

customElements.whenDefined('self-attention').then(() => {
  syncStateWithUrl(new Map([['attention', widget]]));
  showLink();
});
registerOfflineSupport();
