// The care tracker as a member with shaky hands would use it: keyboard only (Tab, Shift+Tab,
// arrows, Space, Enter and typing), large targets, undo instead of "are you sure?", the chart with
// its title and data table, the due window and distribution, the appointment report printed and as
// the server's PDF (its text read back with pdftotext, its first page rendered with pdftoppm), and
// axe-core on every tracker page. Screenshots go to artifacts/screenshots/tracker-*.png.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, writeFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ARTIFACTS_DIR, LIMITS, axeViolations, formatViolations, useKindred, visit } from './helpers.mjs';

const HANDLE = 'steady-wren';
const PASSWORD = 'a long passphrase 1';
const MAX_TABS = 120;
const SHOTS = path.join(ARTIFACTS_DIR, 'screenshots');

/** Every tracker page, as a member with data sees it. */
const TRACKER_PAGES = [
  '/tracker',
  '/tracker/diary',
  '/tracker/injections',
  '/tracker/medicines',
  '/tracker/charts?days=all',
  '/tracker/report',
  '/tracker/settings',
  '/tracker/export',
];

function run(file, args) {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: LIMITS.navigation, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} ${args.join(' ')} failed (${error.code === 'ENOENT' ? `${file} is not installed: apt-get install poppler-utils` : error.message})\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/** `YYYY-MM-DD` of `days` before today (UTC, as the server counts). */
function daysAgo(days) {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

/** What has focus: its tag, name, value, and whether it (or, for a chip, its face) shows focus. */
function focusInfo(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { tag: 'body' };
    const face = el.closest('.chip') ? el.nextElementSibling : el;
    // Inside a date field, Tab also stops on the browser's own calendar button (in the field's
    // closed shadow tree): the field is then active without matching :focus.
    const pickerButton = el.type === 'date' && !el.matches(':focus');
    const style = getComputedStyle(face);
    const r = face.getBoundingClientRect();
    return {
      tag: el.tagName.toLowerCase(),
      type: el.getAttribute('type') || '',
      id: el.id,
      name: el.getAttribute('name') || '',
      value: el.value ?? '',
      checked: !!el.checked,
      text: (el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 80),
      label: (el.getAttribute('aria-label') || '').trim(),
      pickerButton,
      indicator: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none',
      style: `outline: ${style.outlineStyle} ${style.outlineWidth}; box-shadow: ${style.boxShadow}; focus: ${el.matches(":focus")}`,
      size: [r.width, r.height],
    };
  });
}

const describeFocus = (f) => `<${f.tag}${f.id ? '#' + f.id : ''} name=${f.name} value=${f.value}> "${f.text}" (${f.style})`;

/** Presses a key; after Tab or Shift+Tab, checks the focused control shows its focus. */
async function press(page, key) {
  await page.keyboard.press(key);
  const f = await focusInfo(page);
  if (key === 'Tab' || key === 'Shift+Tab') {
    assert.notEqual(f.tag, 'body', `${key} left focus nowhere`);
    if (!f.pickerButton) assert.ok(f.indicator, `no visible focus on ${describeFocus(f)}`);
  }
  return f;
}

/** Tabs forward until `matches(focus)`. */
async function tabTo(page, what, matches) {
  for (let i = 0; i < MAX_TABS; i++) {
    const f = await press(page, 'Tab');
    if (matches(f)) return f;
  }
  throw new Error(`${what} not reached in ${MAX_TABS} presses of Tab`);
}

/** Types a date into the focused date field, segment by segment as the en-US field shows it. */
async function typeDate(page, iso) {
  const [y, m, d] = iso.split('-');
  await page.keyboard.type(`${m}${d}${y}`);
  assert.equal(await page.evaluate(() => document.activeElement.value), iso, `the date field holds ${iso}`);
}

/** Presses Enter on the focused button and waits for the page it leads to. */
async function submit(page) {
  await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
}

/** Moves along a radio group with the arrow keys until the value `value` is checked. */
async function chooseRadio(page, value) {
  for (let i = 0; i < 14; i++) {
    const f = await focusInfo(page);
    if (f.value === value && f.checked) return f;
    await page.keyboard.press('ArrowRight');
  }
  throw new Error(`could not reach ${value} with the arrow keys`);
}

/**
 * Targets under 44 × 44 CSS px among visible links, buttons, form fields and summaries (links inside
 * running text are exempt, WCAG 2.5.8).
 */
function smallTargets(page) {
  return page.evaluate(() => {
    const inRunningText = (el) => {
      if (el.tagName !== 'A') return false;
      const parent = el.parentElement;
      if (!parent || !['P', 'LI', 'SPAN'].includes(parent.tagName)) return false;
      const isText = (n) => n && n.nodeType === Node.TEXT_NODE && n.textContent.trim() !== '';
      return isText(el.previousSibling) || isText(el.nextSibling);
    };
    const small = [];
    for (const el of document.querySelectorAll('a, button, input, select, textarea, summary')) {
      if (el.type === 'hidden') continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
      if (el.classList.contains('skip-link') && r.right <= 0) continue;
      if (inRunningText(el)) continue;
      if (r.width < 44 - 0.01 || r.height < 44 - 0.01) {
        small.push(`${el.tagName.toLowerCase()} "${(el.textContent || el.value || el.name || '').trim().slice(0, 40)}" ${r.width.toFixed(1)}×${r.height.toFixed(1)}`);
      }
    }
    return small;
  });
}

describe('care tracker', () => {
  const kindred = useKindred();

  /** A page signed in as the test member (registered on first use). */
  async function memberPage(options = {}) {
    const page = await kindred.newPage({ locale: 'en-US', ...options });
    let res = await page.request.post(kindred.url + '/api/v1/session', { data: { handle: HANDLE, password: PASSWORD } });
    if (res.status() === 401) {
      res = await page.request.post(kindred.url + '/api/v1/accounts', { data: { handle: HANDLE, password: PASSWORD } });
    }
    assert.ok(res.ok(), `sign in: ${res.status()} ${await res.text()}`);
    return page;
  }

  test('a visitor who is not signed in is asked to sign in', async () => {
    const page = await kindred.newPage();
    const response = await page.goto(kindred.url + '/tracker/diary');
    assert.equal(response.status(), 401);
    assert.equal(await page.locator('h1').innerText(), 'Sign in to use your tracker');
    assert.deepEqual(await axeViolations(page), []);
    await page.context().close();
  });

  test('diary entries and an injection by keyboard only; the chart, due window and distribution', async () => {
    const page = await memberPage();
    await visit(page, kindred.url + '/tracker/diary');

    // First entry, today (the default date): neck 6, stress, a note.
    await tabTo(page, 'the date field', (f) => f.id === 'date');
    await tabTo(page, 'the neck scale', (f) => f.name === 'sev-neck');
    const neck = await chooseRadio(page, '6');
    assert.ok(neck.size[0] >= 44 && neck.size[1] >= 44, `the chip is ${neck.size}`);
    await tabTo(page, 'the Stress trigger', (f) => f.name === 'trigger' && f.value === 'stress');
    await page.keyboard.press('Space');
    assert.equal((await focusInfo(page)).checked, true, 'Space ticks Stress');
    await tabTo(page, 'the note', (f) => f.id === 'note');
    await page.keyboard.type('Worse after a long drive');
    await tabTo(page, 'the Save button', (f) => f.tag === 'button' && f.text === 'Save entry');
    await submit(page);
    assert.match(await page.locator('.tracker-notice').innerText(), /Diary entry saved/);

    // Second entry, ten days ago: neck 3, and the upper face (under "Other body regions") 4.
    await tabTo(page, 'the date field', (f) => f.id === 'date');
    await typeDate(page, daysAgo(10));
    await tabTo(page, 'the neck scale', (f) => f.name === 'sev-neck');
    await chooseRadio(page, '3');
    await tabTo(page, 'Other body regions', (f) => f.tag === 'summary');
    await page.keyboard.press('Enter');
    await tabTo(page, 'the upper face scale', (f) => f.name === 'sev-upper-face');
    await chooseRadio(page, '4');
    await tabTo(page, 'the Save button', (f) => f.tag === 'button' && f.text === 'Save entry');
    await submit(page);
    const entries = await page.locator('.records .record').allInnerTexts();
    assert.equal(entries.length, 2, entries.join('\n---\n'));
    assert.match(entries[0], /Neck: 6/);
    assert.match(entries[1], /Upper face: 4/);

    // An injection three weeks ago, as the clinician recorded it.
    await visit(page, kindred.url + '/tracker/injections');
    assert.match(await page.locator('.clinician-record').innerText(), /never suggests, converts or checks a dose/);
    await tabTo(page, 'the date field', (f) => f.id === 'date');
    await typeDate(page, daysAgo(21));
    const product = await tabTo(page, 'the product choices', (f) => f.name === 'product');
    if (!product.checked) await page.keyboard.press('Space');
    await page.keyboard.press('ArrowDown'); // abobotulinumtoxinA
    assert.equal((await focusInfo(page)).value, 'abobotulinumtoxin-a');
    await tabTo(page, 'muscle 1', (f) => f.id === 'muscle-1');
    await page.keyboard.type('Left splenius capitis');
    await press(page, 'Tab');
    await page.keyboard.type('250');
    await press(page, 'Tab');
    await page.keyboard.type('Right sternocleidomastoid');
    await tabTo(page, 'the side effects', (f) => f.id === 'side_effects');
    await page.keyboard.type('Neck weakness');
    await tabTo(page, 'the Save button', (f) => f.tag === 'button' && f.text === 'Save injection');
    await submit(page);
    const injection = await page.locator('.records .record').first().innerText();
    assert.match(injection, /abobotulinumtoxinA \(Dysport\)/);
    assert.match(injection, /Left splenius capitis: 250 units/);
    assert.match(injection, /Right sternocleidomastoid: units not recorded/);
    assert.match(await page.locator('.due-window').innerText(), /12–16 weeks after your injection/);

    // The overview: due window, distribution with its notice, and the chart with its table.
    await visit(page, kindred.url + '/tracker');
    assert.match(await page.locator('.due-status').innerText(), /The window opens in 6\d days/);
    assert.equal(await page.locator('.distribution-class').innerText(), 'Multifocal');
    assert.match(await page.locator('.clinician-notice').innerText(), /it is not a diagnosis/);
    const svg = page.locator('.chart-svg svg');
    assert.equal(await svg.getAttribute('role'), 'img');
    assert.match(await svg.locator('title').first().textContent(), /^Severity by body region/);
    assert.match(await svg.locator('desc').first().textContent(), /A vertical line marks the injection/);
    await tabTo(page, "the chart's table", (f) => f.tag === 'summary');
    await page.keyboard.press('Enter');
    const rows = await page.locator('.chart-data tbody tr').allInnerTexts();
    assert.equal(rows.length, 3, rows.join('\n'));
    assert.ok(rows.some((row) => /Neck\s+6/.test(row)), rows.join('\n'));
    await page.context().close();
  });

  test('deleting shows "Deleted" with Undo, and Undo puts the entry back (keyboard only)', async () => {
    const page = await memberPage();
    await visit(page, kindred.url + '/tracker/diary');
    const before = await page.locator('.records .record').allInnerTexts();
    const del = await tabTo(page, 'the first Delete button', (f) => f.tag === 'button' && f.label.startsWith('Delete the entry of'));
    await Promise.all([page.waitForURL(/\/delete$/), page.keyboard.press('Enter')]);
    assert.match(await page.locator('.tracker-notice').innerText(), /Deleted the diary entry of/);
    assert.equal(await page.locator('.records .record').count(), before.length - 1);
    await page.screenshot({ path: path.join(SHOTS, 'tracker-undo-1280.png'), fullPage: false });
    assert.deepEqual(await axeViolations(page), [], 'the page after a delete');
    const undo = await tabTo(page, 'Undo', (f) => f.tag === 'button' && f.text.startsWith('Undo'));
    assert.equal(undo.label, del.label.replace('Delete the entry of', 'Undo: put back the diary entry of'));
    await submit(page);
    assert.match(await page.locator('.tracker-notice').innerText(), /Put back/);
    assert.deepEqual(await page.locator('.records .record').allInnerTexts(), before);
    await page.context().close();
  });

  test('the appointment report prints, and the server PDF reads back', async () => {
    await mkdir(SHOTS, { recursive: true });
    const page = await memberPage();
    // The member's own questions and family history, from the settings form.
    await visit(page, kindred.url + '/tracker/settings');
    await page.locator('#family_history').fill('My aunt had writer’s cramp.');
    await page.locator('#questions').fill('Can I drive after the injection?\nShould I keep the diary daily?');
    await Promise.all([page.waitForURL(/saved=settings/), page.getByRole('button', { name: 'Save settings' }).click()]);

    await visit(page, kindred.url + '/tracker/report');
    const headings = await page.locator('main h2').allInnerTexts();
    for (const heading of [
      'Symptoms and when they began',
      'What makes symptoms worse',
      'Treatments and how they went',
      'Side effects',
      'Family history',
      'My questions',
      'From the library: preparing for your appointment',
    ]) {
      assert.ok(headings.includes(heading), `no section ${heading}: ${headings.join(' | ')}`);
    }
    const library = page.locator('.library-questions li');
    assert.ok((await library.count()) > 0, 'the library questions are shown');
    assert.match(await library.first().locator('.citation a').getAttribute('href'), /^\/sources\//);
    await page.screenshot({ path: path.join(SHOTS, 'tracker-report-1280.png'), fullPage: true });

    // Printed by the browser (the print stylesheet): no navigation, every section.
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: path.join(SHOTS, 'tracker-report-print.png'), fullPage: true });
    const printed = path.join(ARTIFACTS_DIR, 'tracker-report-printed.pdf');
    await page.pdf({ path: printed, format: 'A4', printBackground: true });
    const printedText = await run('pdftotext', ['-layout', printed, '-']);
    assert.match(printedText, /Appointment report/);
    assert.match(printedText, /Can I drive after the injection\?/);
    assert.doesNotMatch(printedText, /Export and import/, 'the tracker navigation is not printed');
    await page.emulateMedia({ media: 'screen' });

    // The server's PDF: fetched as the member, its text read back, its first page rendered.
    const res = await page.request.get(kindred.url + '/tracker/report.pdf');
    assert.equal(res.status(), 200);
    assert.equal(res.headers()['content-type'], 'application/pdf');
    const pdfFile = path.join(ARTIFACTS_DIR, 'tracker-report.pdf');
    await writeFile(pdfFile, await res.body());
    const text = await run('pdftotext', ['-layout', pdfFile, '-']);
    for (const expected of [
      /Appointment report/,
      /For steady-wren/,
      /Symptoms and when they began/,
      /Neck: first rated/,
      /Multifocal/,
      /it is not a diagnosis/,
      /abobotulinumtoxinA \(Dysport\)/,
      /Left splenius capitis: 250 units/,
      /My aunt had writer’s cramp\./,
      /Can I drive after the injection\?/,
      /From the library: preparing for your appointment/,
      /Source: Dystonia \(Mayo Clinic\)/,
      /Not medical advice/,
    ]) {
      assert.match(text, expected, `the PDF's text has ${expected}`);
    }
    const firstLibraryQuestion = (await library.first().locator('p').first().innerText()).trim();
    assert.ok(text.replace(/\s+/g, ' ').includes(firstLibraryQuestion.split(' ').slice(0, 6).join(' ')), 'the library question is in the PDF');
    await run('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '1', pdfFile, path.join(SHOTS, 'tracker-report-pdf')]);
    const rendered = (await stat(path.join(SHOTS, 'tracker-report-pdf-1.png')).catch(() => stat(path.join(SHOTS, 'tracker-report-pdf-01.png')))).size;
    assert.ok(rendered > 10_000, 'the PDF renders');
    await page.context().close();
  });

  test('axe-core finds nothing on any tracker page, and every target is at least 44 × 44 px', async () => {
    for (const width of [1280, 390]) {
      const page = await memberPage({ viewport: { width, height: 900 } });
      const problems = [];
      for (const pagePath of TRACKER_PAGES) {
        await visit(page, kindred.url + pagePath);
        await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
        const violations = await axeViolations(page);
        if (violations.length) problems.push(`${pagePath} at ${width} px:\n${formatViolations(violations)}`);
        for (const small of await smallTargets(page)) problems.push(`${pagePath} at ${width} px: ${small}`);
      }
      // A form sent back with a mistake.
      await visit(page, kindred.url + '/tracker/medicines');
      await page.locator('#name').fill('Baclofen');
      await page.locator('#started').fill('2024-05-01');
      await page.locator('#stopped').fill('2024-04-01');
      await page.getByRole('button', { name: 'Save medicine' }).click();
      await page.waitForLoadState('load');
      assert.match(await page.locator('.tracker-error').innerText(), /stopped 2024-04-01 is before started 2024-05-01/);
      const violations = await axeViolations(page);
      if (violations.length) problems.push(`medicine form with a mistake:\n${formatViolations(violations)}`);
      assert.deepEqual(problems, [], problems.join('\n'));
      // The form sent back with a mistake is a 400; nothing else may fail.
      assert.deepEqual(page.consoleErrors.filter((e) => !/^400 |status of 400/.test(e)), []);
      await page.context().close();
    }
  });

  test('screenshots of the tracker at 1280 and 390 px', async () => {
    await mkdir(SHOTS, { recursive: true });
    for (const width of [1280, 390]) {
      const page = await memberPage({ viewport: { width, height: 900 } });
      for (const [name, pagePath] of [
        ['overview', '/tracker'],
        ['diary', '/tracker/diary'],
        ['injections', '/tracker/injections'],
        ['charts', '/tracker/charts?days=all'],
        ['report', '/tracker/report'],
      ]) {
        await visit(page, kindred.url + pagePath);
        const file = path.join(SHOTS, `tracker-${name}-${width}.png`);
        await page.screenshot({ path: file, fullPage: true });
        assert.ok((await stat(file)).size > 1000, `${file} was written`);
      }
      await page.context().close();
    }
  });
});
