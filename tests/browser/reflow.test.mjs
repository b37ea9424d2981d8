// Reflow (WCAG 1.4.10): at 320 CSS px wide no page scrolls sideways.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PAGES, useKindred, visit } from './helpers.mjs';

describe('reflow at 320 CSS px', () => {
  const kindred = useKindred();

  for (const [name, path] of Object.entries(PAGES)) {
    test(`${name}: ${path}`, async () => {
      const page = await kindred.newPage({ viewport: { width: 320, height: 640 } });
      await visit(page, kindred.url + path, { status: name === 'notFound' ? 404 : 200 });
      await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
      const { scrollWidth, innerWidth, wide } = await page.evaluate(() => ({
        scrollWidth: document.scrollingElement.scrollWidth,
        innerWidth: window.innerWidth,
        // What sticks out, to say what to fix.
        wide: [...document.querySelectorAll('body *')]
          .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
          .slice(0, 5)
          .map((el) => `<${el.tagName.toLowerCase()} class="${el.className}"> right=${el.getBoundingClientRect().right.toFixed(0)}`),
      }));
      assert.ok(scrollWidth <= innerWidth + 1, `${path} is ${scrollWidth} px wide in a ${innerWidth} px window:\n${wide.join('\n')}`);
      await page.context().close();
    });
  }
});
