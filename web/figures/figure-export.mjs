/**
 * Exporting a widget's figure as a file, from one small "Download" menu: SVG (the
 * drawing itself, with its styles and the theme's colours as they are on screen
 * inlined, so it looks the same outside the page) and PNG (that SVG drawn into a canvas
 * at twice its size). Both are made in the page and offered as downloads; nothing is
 * sent anywhere.
 */
import { colour, resolvedColoursCss } from '../runtime/theme-colours.mjs';

/** The figure as a standalone SVG document: a copy of `svg` with `styles` and the colours in force on it inlined. */
export function standaloneSvg(svg, styles) {
  const copy = svg.cloneNode(true);
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  const [, , width, height] = (copy.getAttribute('viewBox') ?? '0 0 600 400').split(/\s+/).map(Number);
  copy.setAttribute('width', String(width));
  copy.setAttribute('height', String(height));
  const style = document.createElementNS('http://www.w3.org/2000/svg', 'style');
  style.textContent = `svg { ${svg.isConnected ? resolvedColoursCss(svg) : ''} }\n.export-background { fill: ${colour('background')}; }\n${styles}`;
  const background = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  for (const [name, value] of Object.entries({ width: '100%', height: '100%', class: 'export-background' })) {
    background.setAttribute(name, value);
  }
  copy.prepend(style, background);
  return { text: new XMLSerializer().serializeToString(copy), width, height };
}

function download(blob, fileName) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Draws an SVG document into a canvas, `scale` times its size, and resolves to a PNG blob. */
function svgToPng({ text, width, height }, scale = 2) {
  return new Promise((resolve, reject) => {
    const image = new Image();
    const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
    image.onload = () => {
      const canvas = document.createElement('canvas');
      canvas.width = Math.round(width * scale);
      canvas.height = Math.round(height * scale);
      canvas.getContext('2d').drawImage(image, 0, 0, canvas.width, canvas.height);
      URL.revokeObjectURL(url);
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the PNG could not be made'))), 'image/png');
    };
    image.onerror = () => {
      URL.revokeObjectURL(url);
      reject(new Error('the SVG could not be drawn'));
    };
    image.src = url;
  });
}

/**
 * The "Download" menu of a figure: a disclosure that opens onto two buttons, SVG and
 * PNG. `getSvg()` returns the live SVG element; `styles` is the CSS it needs;
 * `fileName` has no extension; `label` names the figure for screen readers.
 */
export function figureExportControls({ getSvg, styles, fileName, label }) {
  const menu = document.createElement('details');
  menu.className = 'figure-export';
  menu.setAttribute('part', 'download');
  const summary = document.createElement('summary');
  summary.textContent = 'Download';
  summary.setAttribute('aria-label', `Download ${label}`);
  const group = document.createElement('div');
  group.className = 'figure-export-choices';
  group.setAttribute('role', 'group');
  group.setAttribute('aria-label', `Download ${label}`);
  const makeButton = (format, onClick) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = format;
    button.setAttribute('aria-label', `Download ${format} of ${label}`);
    button.addEventListener('click', onClick);
    return button;
  };
  group.append(
    makeButton('SVG', () => {
      const { text } = standaloneSvg(getSvg(), styles);
      download(new Blob([text], { type: 'image/svg+xml' }), `${fileName}.svg`);
    }),
    makeButton('PNG', () => {
      svgToPng(standaloneSvg(getSvg(), styles))
        .then((blob) => download(blob, `${fileName}.png`))
        .catch((error) => console.warn(error.message));
    }),
  );
  menu.append(summary, group);
  return menu;
}

/** Styles for the menu, for a widget's shadow root. */
export const figureExportStyles = `
  .figure-export { justify-self: start; font-size: 0.9rem; }
  .figure-export summary { display: list-item; cursor: pointer; min-height: 2.75rem; padding: 0.6rem 0.5rem 0 0.25rem;
    color: ${colour('accent')}; }
  .figure-export summary:focus-visible { outline: 3px solid ${colour('focus')}; outline-offset: 2px; }
  .figure-export-choices { display: flex; flex-wrap: wrap; gap: 0.5rem; padding: 0.25rem 0 0.25rem 1rem; }
  .figure-export button { font: inherit; min-height: 2.75rem; min-width: 3.5rem; padding: 0.3rem 0.8rem; cursor: pointer;
    border: 1px solid ${colour('muted-text')}; border-radius: 0.4rem; background: ${colour('background')}; color: ${colour('text')}; }
  .figure-export button:focus-visible { outline: 3px solid ${colour('focus')}; outline-offset: 2px; }
`;
