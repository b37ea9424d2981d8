// Full-page screenshots for people to look at (kept by CI as artifacts): artifacts/screenshots/.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ARTIFACTS_DIR, PAGES, useKindred, visit } from './helpers.mjs';

const SHOTS = ['home', 'condition', 'askAnswered', 'askAbstained', 'askEmergency', 'source', 'search'];
const WIDTHS = [1280, 390];

describe('screenshots', () => {
  const kindred = useKindred();
  const dir = path.join(ARTIFACTS_DIR, 'screenshots');

  for (const width of WIDTHS) {
    test(`${width} px wide`, async () => {
      await mkdir(dir, { recursive: true });
      const page = await kindred.newPage({ viewport: { width, height: 900 } });
      for (const name of SHOTS) {
        await visit(page, kindred.url + PAGES[name]);
        const file = path.join(dir, `${name}-${width}.png`);
        await page.screenshot({ path: file, fullPage: true });
        assert.ok((await stat(file)).size > 1000, `${file} was written`);
      }
      await page.context().close();
    });
  }
});
