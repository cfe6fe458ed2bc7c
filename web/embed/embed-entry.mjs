/**
 * The embed script (built to dist/web/attention-lab-embed.js): one ES module that a page
 * loads with one script tag to get `<attention-lesson>` and `<attention-widget>`. It
 * carries the lessons (and their images), KaTeX, markdown-it, d3 and the runtime; the attention core comes from the
 * .wasm the build puts beside it (or inside it, for the offline page). KaTeX's fonts
 * are declared once on the host document, since @font-face does not apply from inside
 * a shadow root.
 */
import { createLab, fontFaceCss, lessonData, lessonImages } from 'attention-lab:assets';
import { provideLab } from '../runtime/lab.mjs';
import { provideTrainingWorker, startTrainingWorker } from '../runtime/trainer-client.mjs';
import { provideLessonImages } from '../runtime/lesson-prose.mjs';
import { provideLessonData } from '../runtime/lesson-data.mjs';
import { AttentionLesson } from './attention-lesson.mjs';
import { AttentionWidget } from './attention-widget.mjs';

provideLab(createLab);
// The bundled training worker is beside this script (scripts/build-web.mjs).
provideTrainingWorker(() => startTrainingWorker({ url: new URL('./attention-lab-training-worker.js', import.meta.url) }));
provideLessonImages(lessonImages);
provideLessonData(lessonData);

if (!document.querySelector('style[data-attention-lab-fonts]')) {
  const fonts = document.createElement('style');
  fonts.dataset.attentionLabFonts = '';
  fonts.textContent = fontFaceCss;
  document.head.append(fonts);
}

customElements.get('attention-lesson') ?? customElements.define('attention-lesson', AttentionLesson);
customElements.get('attention-widget') ?? customElements.define('attention-widget', AttentionWidget);
