/**
 * Exporting a widget's figure as a file: SVG (the drawing itself, with its styles
 * inlined so it looks the same outside the page) and PNG (that SVG drawn into a canvas
 * at twice its size). Both are made in the page and offered as downloads; nothing is
 * sent anywhere.
 */

/** The figure as a standalone SVG document: a copy of `svg` with `styles` inlined. */
export function standaloneSvg(svg, styles) {
  const copy = svg.cloneNode(true);
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  const [, , width, height] = (copy.getAttribute('viewBox') ?? '0 0 600 400').split(/\s+/).map(Number);
  copy.setAttribute('width', String(width));
  copy.setAttribute('height', String(height));
  const style = document.createElementNS('http://www.w3.org/2000/svg', 'style');
  style.textContent = styles;
  const background = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  for (const [name, value] of Object.entries({ width: '100%', height: '100%', fill: '#ffffff' })) {
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
 * Two buttons, "SVG" and "PNG", that download the figure. `getSvg()` returns the live
 * SVG element; `styles` is the CSS it needs; `fileName` has no extension; `label`
 * names the figure for screen readers.
 */
export function figureExportControls({ getSvg, styles, fileName, label }) {
  const group = document.createElement('div');
  group.className = 'figure-export';
  group.setAttribute('role', 'group');
  group.setAttribute('aria-label', `Download ${label}`);
  const makeButton = (format, onClick) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = `Download ${format}`;
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
  return group;
}

/** Styles for the export buttons, for a widget's shadow root. */
export const figureExportStyles = `
  .figure-export { display: flex; flex-wrap: wrap; gap: 0.5rem; }
  .figure-export button { font: inherit; font-size: 0.9rem; min-height: 2.75rem; padding: 0.3rem 0.8rem;
    border: 1px solid #4a4a55; border-radius: 0.4rem; background: #ffffff; color: #1b1b1f; cursor: pointer; }
  .figure-export button:focus-visible { outline: 3px solid #0b57d0; outline-offset: 2px; }
`;
