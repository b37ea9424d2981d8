// Keyboard only: Tab, Shift+Tab, Enter and Space get a reader from the home page to a cited
// source, every focused element shows where focus is, and every target is at least 44 × 44 px.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PAGES, useKindred, visit } from './helpers.mjs';

const MAX_TABS = 60;

/** What has focus, and whether it shows it (computed outline or box-shadow). */
function focusInfo(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { tag: 'body' };
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    const shadow = style.boxShadow !== 'none';
    const r = el.getBoundingClientRect();
    return {
      tag: el.tagName.toLowerCase(),
      id: el.id,
      cls: el.className,
      href: el.getAttribute('href'),
      text: (el.textContent || el.value || '').trim().slice(0, 60),
      inMain: !!el.closest('main'),
      isMain: el.tagName === 'MAIN',
      indicator: outline || shadow,
      style: `outline: ${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}; box-shadow: ${style.boxShadow}`,
      onScreen: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.left < innerWidth,
    };
  });
}

const describeFocus = (f) => `<${f.tag}${f.id ? '#' + f.id : ''}${f.cls ? '.' + f.cls : ''}${f.href ? ' href=' + f.href : ''}> "${f.text}"`;

/** Presses a key that moves focus, and checks the newly focused element shows its focus. */
async function press(page, key) {
  await page.keyboard.press(key);
  const f = await focusInfo(page);
  if (key === 'Tab' || key === 'Shift+Tab') {
    assert.notEqual(f.tag, 'body', `${key} left focus nowhere`);
    assert.ok(f.indicator, `no visible focus indicator on ${describeFocus(f)} (${f.style})`);
    assert.ok(f.onScreen, `focused element is off screen: ${describeFocus(f)}`);
  }
  return f;
}

/** Tabs forward until `matches(focus)`, at most MAX_TABS times. */
async function tabTo(page, what, matches) {
  for (let i = 0; i < MAX_TABS; i++) {
    const f = await press(page, 'Tab');
    if (matches(f)) return f;
  }
  throw new Error(`${what} not reached in ${MAX_TABS} presses of Tab`);
}

/**
 * Targets smaller than 44 × 44 CSS px among visible a, button, input and summary elements. An
 * inline link in running text is exempt (WCAG 2.5.8): an <a> whose parent is a <p> or <li> that has
 * non-blank text of its own beside the link.
 */
function smallTargets(page) {
  return page.evaluate(() => {
    const inRunningText = (el) => {
      if (el.tagName !== 'A') return false;
      const parent = el.parentElement;
      if (!parent || !['P', 'LI'].includes(parent.tagName)) return false;
      const isText = (n) => n && n.nodeType === Node.TEXT_NODE && n.textContent.trim() !== '';
      return isText(el.previousSibling) || isText(el.nextSibling);
    };
    const small = [];
    for (const el of document.querySelectorAll('a, button, input, summary')) {
      const style = getComputedStyle(el);
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || style.visibility === 'hidden') continue;
      if (el.classList.contains('skip-link') && r.right <= 0) continue; // off screen until focused
      if (inRunningText(el)) continue;
      if (r.width < 44 - 0.01 || r.height < 44 - 0.01) {
        small.push(`${el.tagName.toLowerCase()} "${(el.textContent || el.value || '').trim().slice(0, 50)}" ${r.width.toFixed(1)}×${r.height.toFixed(1)} in <${el.parentElement.tagName.toLowerCase()} class="${el.parentElement.className}">`);
      }
    }
    return small;
  });
}

describe('keyboard', () => {
  const kindred = useKindred();

  test('keyboard-only walk from home to a cited source', async () => {
    const page = await kindred.newPage();
    await visit(page, kindred.url + '/');

    // The skip link comes first, shows itself, and moves focus into main.
    const first = await press(page, 'Tab');
    assert.equal(first.cls, 'skip-link', `first Tab stop is ${describeFocus(first)}`);
    assert.equal(first.text, 'Skip to main content');
    const skipped = await press(page, 'Enter');
    assert.ok(skipped.isMain || skipped.inMain, `after the skip link focus is on ${describeFocus(skipped)}`);

    // The ask box is the first stop in main.
    const box = await press(page, 'Tab');
    assert.equal(box.id, 'q', `first stop after skipping is ${describeFocus(box)}`);
    // Shift+Tab leaves it and Tab returns to it.
    const back = await press(page, 'Shift+Tab');
    assert.notEqual(back.id, 'q');
    assert.equal((await press(page, 'Tab')).id, 'q');
    await page.keyboard.type('how often do I need botox shots?');
    await Promise.all([page.waitForURL(/\/ask\?q=/), page.keyboard.press('Enter')]);
    assert.match(await page.locator('.answer blockquote').innerText(), /every 3 to 4 months/);

    // Tab to the first citation of the answer and open it with Enter.
    const citation = await tabTo(page, 'a citation', (f) => f.inMain && f.tag === 'a' && (f.href || '').startsWith('/sources/'));
    await Promise.all([page.waitForURL(/\/sources\//), page.keyboard.press('Enter')]);
    assert.equal(new URL(page.url()).pathname, citation.href);
    assert.equal(await page.locator('h1').innerText(), 'Dystonia');

    // From the source to its condition page, then open a statement's citations with Space.
    await tabTo(page, 'the condition link', (f) => f.href === '/conditions/dystonia');
    await Promise.all([page.waitForURL(/\/conditions\/dystonia$/), page.keyboard.press('Enter')]);
    await tabTo(page, 'the first list of citations', (f) => f.tag === 'summary');
    const details = page.locator('details.citations').first();
    assert.equal(await details.getAttribute('open'), null);
    await page.keyboard.press('Space');
    assert.notEqual(await details.getAttribute('open'), null, 'Space opens the citations');
    const inside = await press(page, 'Tab');
    assert.ok((inside.href || '').startsWith('/sources/'), `after opening, Tab reaches a citation: ${describeFocus(inside)}`);
    await page.context().close();
  });

  test('no target is smaller than 44 × 44 CSS px at 1280 px', async () => {
    const page = await kindred.newPage();
    const problems = [];
    for (const [name, path] of Object.entries(PAGES)) {
      if (name === 'notFound') continue;
      await visit(page, kindred.url + path);
      // Open every <details> so the citations inside are measured too.
      await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
      for (const small of await smallTargets(page)) problems.push(`${name} (${path}): ${small}`);
    }
    assert.deepEqual(problems, [], `targets under 44 × 44 px:\n${problems.join('\n')}`);
    await page.context().close();
  });

  test('every Tab stop on the condition page shows focus', async () => {
    const page = await kindred.newPage();
    await visit(page, kindred.url + PAGES.condition);
    const seen = new Set();
    // Walk the first stops (header, table of contents, the first statements' citations).
    for (let i = 0; i < MAX_TABS; i++) {
      const f = await press(page, 'Tab');
      seen.add(f.tag);
    }
    assert.ok(seen.has('summary') && seen.has('a'), `walked: ${[...seen].join(', ')}`);
    await page.context().close();
  });
});
