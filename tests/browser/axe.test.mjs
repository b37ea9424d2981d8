// axe-core on every kind of page: no violation of WCAG 2.0, 2.1 or 2.2, levels A and AA.
//
// The pages' Content-Security-Policy forbids scripts, so axe cannot come in as a <script> tag. It is
// injected with page.evaluate instead, which runs through the DevTools protocol and is not subject
// to the page's CSP: no bypassCSP context is needed (the test checks the page still has its CSP).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PAGES, axeViolations, formatViolations, useKindred, visit } from './helpers.mjs';

describe('axe-core (wcag2a, wcag2aa, wcag21a, wcag21aa, wcag22aa)', () => {
  const kindred = useKindred();

  for (const [name, path] of Object.entries(PAGES)) {
    test(`${name}: ${path}`, async () => {
      const page = await kindred.newPage();
      const response = await visit(page, kindred.url + path, { status: name === 'notFound' ? 404 : 200 });
      assert.match(response.headers()['content-security-policy'] ?? '', /default-src 'none'/, 'the page is served with its CSP');
      if (name === 'askEmergency') assert.equal(await page.getByRole('alert').count(), 1, 'the emergency notice is shown');
      if (name === 'askAbstained') await page.getByRole('heading', { name: 'Kindred does not answer this' }).waitFor();
      // Checked once with every <details> closed, and again with them open.
      const closed = await axeViolations(page);
      await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
      const open = await axeViolations(page);
      const all = [...closed, ...open.filter((v) => !closed.some((c) => c.id === v.id))];
      if (all.length) console.log(`axe violations on ${path}:\n${formatViolations(all)}`);
      assert.equal(all.length, 0, `axe found ${all.length} violated rule(s) on ${path}:\n${formatViolations(all)}`);
      await page.context().close();
    });
  }
});
