/**
 * Lessons written to attack the page that shows them: every trick a lesson author could
 * try to run script, load something from another site, or send the learner off-site
 * (issue 13, "Lessons may not run script"). Each payload, if it ever ran, would push its
 * number onto `window.pwned`; each off-site address names evil.example or another port.
 *
 * - `widgetAttacks`: lessons whose widget block sets a parameter the widget does not
 *   declare (or names a widget that is not one); each must stop the page with a message
 *   naming the line, and render no widget.
 * - `proseAttack`: one lesson whose prose, title, summary, footnotes and exercises hold
 *   every other trick; it must render, inert.
 */

const front = (title = 'Hostile', summary = 'A lesson that attacks its page.') => ['---', `title: ${title}`, `summary: ${summary}`, '---'];

/** Widget blocks with a hostile line; `line` is the line the message must name. */
export const widgetAttacks = [
  { name: 'onmouseover', line: 10, text: [...front(), 'Hover me.', '', '```widget', 'type: attention-explorer', 'id: w', 'onmouseover: window.pwned.push(41)', '```'] },
  { name: 'onfocus', line: 10, text: [...front(), 'Focus me.', '', '```widget', 'type: attention-explorer', 'id: w', 'onfocus: window.pwned.push(42)', 'autofocus: true', '```'] },
  { name: 'style', line: 10, text: [...front(), 'Style me.', '', '```widget', 'type: attention-explorer', 'id: w', 'style: background: url(https://evil.example/43.png)', '```'] },
  { name: 'onload', line: 11, text: [...front(), 'Load me.', '', '```widget', 'type: scaling-experiment', 'id: w', 'dk: 4', 'onload: window.pwned.push(44)', '```'] },
  { name: 'not-a-widget', line: 5, text: [...front(), '```widget', 'type: img', 'id: w', 'src: https://evil.example/45.png', 'onerror: window.pwned.push(45)', '```'] },
  { name: 'id-injection', line: 7, text: [...front(), 'Id me.', '', '```widget', 'type: attention-explorer', 'id: x" onmouseover="window.pwned.push(46)', '```'] },
  { name: 'slot', line: 10, text: [...front(), 'Slot me.', '', '```widget', 'type: attention-explorer', 'id: w', 'is: script', '```'] },
].map((attack) => ({ ...attack, text: attack.text.join('\n') }));

const proseLines = [
  ...front('Hostile <img src=x onerror="window.pwned.push(38)"> $x$', 'Summary [x](javascript:window.pwned.push(39)) and <script>window.pwned.push(39)</script>'),
  '## Links',
  '',
  '[1](javascript:window.pwned.push(1)) [2](JaVaScRiPt:window.pwned.push(2)) [3](<\u0001javascript:window.pwned.push(3)>)',
  '[3b](<\u0000javascript:window.pwned.push(3)>) [3c](< javascript:window.pwned.push(3)>)',
  '[4](&#106;avascript:window.pwned.push(4)) [5](java&#x09;script:window.pwned.push(5))',
  '[6](/\\evil.example/6) [7](\\\\evil.example/7) [8](//evil.example/8) [9](https://evil.example/9)',
  '<javascript:window.pwned.push(10)> <https://evil.example/11> [12][ref12]',
  '[13](data:text/html;base64,PHNjcmlwdD53aW5kb3cucHdu) [14](vbscript:msgbox(14)) https://evil.example/15',
  '[16](http://127.0.0.1:1/16) [48](lesson.html?lesson=x"onmouseover="window.pwned.push(48))',
  '[49](lesson.html "a\\" onmouseover=\\"window.pwned.push(49)") [kept](lesson.html?lesson=library)',
  '',
  '[ref12]: javascript:window.pwned.push(12)',
  '',
  '## Raw HTML',
  '',
  '<script>window.pwned.push(17)</script>',
  '',
  '<img src=x onerror="window.pwned.push(18)">',
  '',
  '<iframe src="https://evil.example/19"></iframe>',
  '',
  'Inline <a href="javascript:window.pwned.push(20)">x</a> and <b onmouseover="window.pwned.push(23)">bold</b>.',
  '',
  '<style>body { background: url(https://evil.example/21.png) }</style>',
  '',
  '<svg onload="window.pwned.push(22)"></svg>',
  '',
  '## Images',
  '',
  '![24](https://evil.example/24.png) ![25](javascript:window.pwned.push(25))',
  '![26](data:image/svg+xml,%3Csvg%20onload=window.pwned.push(26)%3E) ![27](../web/favicon.svg) ![28](/\\evil.example/28.png)',
  '',
  '## Math',
  '',
  '$\\href{javascript:window.pwned.push(29)}{x}$ and $\\url{https://evil.example/30}$ and $\\includegraphics{https://evil.example/31.png}$',
  '',
  '$\\htmlStyle{background: url(https://evil.example/32.png)}{y}$ $\\htmlData{onclick=window.pwned.push(33)}{z}$ $\\htmlId{fn-hostile-1-1}{w}$',
  '',
  '## Footnotes and fences',
  '',
  'A footnote.[^a]',
  '',
  '```lesson-block-1',
  '0',
  '```',
  '',
  '[^a]: [34](javascript:window.pwned.push(34)) <img src=x onerror=window.pwned.push(34)>',
  '',
  '```widget',
  'type: attention-explorer',
  'id: w',
  '```',
  '',
  '```exercise',
  'id: hostile-prompt',
  'kind: choice',
  'prompt: <img src=x onerror="window.pwned.push(35)"> [35](javascript:window.pwned.push(35)) $\\href{javascript:window.pwned.push(35)}{m}$',
  'choices: <script>window.pwned.push(36)</script> | [36](//evil.example/36)',
  'answer: [36](//evil.example/36)',
  'explanation: <iframe src="https://evil.example/37"></iframe> [37](https://evil.example/37)',
  '```',
  '',
  '```exercise',
  'id: hostile-quantity',
  'kind: number',
  'prompt: What is @w.constructor?',
  'answer: @w.constructor.constructor',
  'tolerance: 1',
  'explanation: Nothing.',
  '```',
];

export const proseAttack = proseLines.join('\n');

/** How many injection attempts the fixtures make: every numbered payload, and each widget attack. */
export const injectionCount = new Set([proseAttack, ...widgetAttacks.map((attack) => attack.text)].flatMap((text) =>
  [...text.matchAll(/pwned\.push\((\d+)\)|evil\.example\/(\d+)/g)].map((match) => match[1] ?? match[2]))).size
  + widgetAttacks.filter((attack) => !/pwned\.push\(|evil\.example\//.test(attack.text)).length;
