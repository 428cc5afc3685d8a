/**
 * The widget's build cuts from Preact what the widget never uses (`widget/trim-preact.ts`). Every cut matches the
 * installed Preact once, and the widget's source uses none of what is cut: if it starts to, this fails before a page
 * does.
 */
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { PREACT_CUTS, trimPreact } from '../../../widget/trim-preact';

const WIDGET = new URL('../../../widget/', import.meta.url);

/** What the cuts take away, as the widget's source would ask for it. */
const CUT_FEATURES = [
  /<(svg|math)\b/, /\bstyle=/, /dangerouslySetInnerHTML/, /<(progress|template)\b/, /\bpopover\b/,
  /\b(getDerivedStateFromProps|shouldComponentUpdate|componentWillMount|componentWillReceiveProps|componentWillUpdate|getSnapshotBeforeUpdate|getChildContext|contextType|componentDidCatch|getDerivedStateFromError|forceUpdate)\b/,
  /\b(hydrate|createContext|createPortal|options)\b.*from 'preact'/, /from 'preact\/(hooks|compat|debug|devtools)'/,
  /\bon[A-Z]\w*Capture\b/, /\b(defaultValue|defaultChecked)\b/, /\s(width|height|list|form|download|rowSpan|colSpan)=/,
];

describe('Preact, trimmed for the widget', () => {
  it('every cut matches the installed Preact exactly once', async () => {
    const path = createRequire(import.meta.url).resolve('preact').replace(/preact\.[cm]?js$/, 'preact.mjs');
    const code = await readFile(path, 'utf8');
    const trimmed = trimPreact(code);
    expect(trimmed.length).toBeLessThan(code.length - 2_000);
    for (const [cut] of PREACT_CUTS) expect(trimmed).not.toContain(cut);
  });

  it('the widget uses nothing that is cut', async () => {
    const files = (await readdir(WIDGET)).filter((name) => /\.tsx?$/.test(name) && !['trim-preact.ts', 'vite.config.ts'].includes(name));
    expect(files.length).toBeGreaterThan(10);
    for (const name of files) {
      const source = await readFile(new URL(name, WIDGET), 'utf8');
      for (const feature of CUT_FEATURES) expect([name, feature.exec(source)?.[0]]).toEqual([name, undefined]);
    }
  });
});
