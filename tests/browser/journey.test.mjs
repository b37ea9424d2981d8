// A reader's journey: ask on the home page, read the cited answer, check a citation, read the
// condition page and open one of its sources. Then the first two steps again with JavaScript off.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useKindred, visit } from './helpers.mjs';

const QUESTION = 'how often do I need botox shots?';

const text = (locator) => locator.innerText();

/** Home → type the question → Enter → the answer page. Shared by both journeys. */
async function askFromHome(page, url) {
  await visit(page, url + '/');
  assert.equal(await text(page.locator('h1')), 'Health answers you can check');
  assert.equal(await page.locator('h1').count(), 1);
  const box = page.getByLabel('Ask a health question');
  await box.click();
  await page.keyboard.type(QUESTION);
  await Promise.all([page.waitForURL(/\/ask\?q=/), page.keyboard.press('Enter')]);
  assert.equal(new URL(page.url()).searchParams.get('q'), QUESTION);
}

async function checkAnswerPage(page) {
  assert.equal(await page.locator('h1').count(), 1);
  assert.equal(await text(page.locator('h1')), 'Your question');
  assert.equal(await page.getByLabel('Ask a health question').inputValue(), QUESTION, 'the ask box keeps the question');
  await page.getByRole('heading', { level: 2, name: 'Short answer' }).waitFor();
  const short = await text(page.locator('.answer blockquote'));
  assert.match(short, /every 3 to 4 months/, `short answer: ${short}`);
  await page.getByRole('heading', { level: 2, name: 'Cited passages' }).waitFor();
  const passages = page.locator('ol.passages > li');
  assert.ok((await passages.count()) >= 1, 'at least one cited passage');
  // Every passage shown carries its citation.
  for (const li of await passages.all()) {
    assert.equal(await li.locator('a[href^="/sources/"]').count() >= 1, true, `passage without a source link: ${(await text(li)).slice(0, 120)}`);
  }
  assert.match(await text(passages.first()), /every 3 to 4 months/);
  assert.equal(await page.getByRole('alert').count(), 0, 'no emergency notice for this question');
}

describe('journey', () => {
  const kindred = useKindred();

  test('home → ask → citation → condition page → one of its sources', async () => {
    const page = await kindred.newPage();

    // 1–2. Ask from the home page with the keyboard's Enter; the answer page.
    await askFromHome(page, kindred.url);
    await checkAnswerPage(page);
    const answerUrl = page.url();

    // 3. Follow the first cited passage's citation to its source page.
    const citation = page.locator('ol.passages > li').first().locator('.citation a[href^="/sources/"]').first();
    const citedTitle = await text(citation);
    await Promise.all([page.waitForURL(/\/sources\//), citation.click()]);
    assert.equal(new URL(page.url()).pathname, '/sources/seed-000');
    assert.equal(await page.locator('h1').count(), 1);
    assert.equal(await text(page.locator('h1')), 'Dystonia');
    assert.equal(citedTitle, 'Mayo Clinic: Dystonia');
    const provenance = await text(page.locator('dl.provenance'));
    assert.match(provenance, /Publisher\s+Mayo Clinic/);
    assert.match(provenance, /seed-003.*counted once/s, 'the source page names its copy');
    assert.match(await text(page.locator('main')), /every 3 to 4 months/, 'the cited sentence is on the source page');
    await page.getByRole('heading', { level: 2, name: 'Removed as boilerplate' }).waitFor();

    // 4. Back to the answer, then the Dystonia condition page via its "Read more" link.
    await visit(page, answerUrl);
    const readMore = page.locator('main a[href="/conditions/dystonia"]').first();
    await readMore.waitFor();
    await Promise.all([page.waitForURL(/\/conditions\/dystonia$/), readMore.click()]);
    assert.equal(await page.locator('h1').count(), 1);
    assert.equal(await text(page.locator('h1')), 'Dystonia');
    for (const name of ['Overview', 'Symptoms', 'Causes', 'Treatment', 'Sources']) {
      await page.getByRole('heading', { level: 2, name, exact: true }).waitFor();
    }

    const statements = page.locator('.statement');
    const nStatements = await statements.count();
    assert.ok(nStatements >= 10, `a merged article (${nStatements} statements)`);

    // Statements come from every publisher, named beside each statement.
    const publishers = new Set(await page.locator('.statement .sources-line a').allInnerTexts());
    for (const publisher of [
      'Mayo Clinic',
      'Alike',
      'Hospital health library',
      'Clinic health library',
      'MedlinePlus Health Topics',
      'National Institute of Neurological Disorders and Stroke (NINDS)',
    ]) {
      assert.ok(publishers.has(publisher), `no statement cites ${publisher}; cited: ${[...publishers].join(' | ')}`);
    }

    // Each statement shows its source(s) without expanding anything.
    for (const statement of await statements.all()) {
      const visible = statement.locator('.sources-line');
      assert.ok(await visible.isVisible(), `a statement without a visible source line: ${(await text(statement)).slice(0, 120)}`);
      const line = await text(visible);
      const links = await visible.locator('a[href^="/sources/"]').count();
      if (links === 1) assert.match(line, /^Source: \S/, line);
      else assert.match(line, new RegExp(`^${links} independent sources: \\S`), line);
    }

    // seed-003 is a copy of seed-000: it only ever appears marked as a copy, and it is never
    // counted as agreement.
    const counted = await statements.evaluateAll((divs) =>
      divs.map((d) => ({
        line: d.querySelector('.sources-line').textContent.replace(/\s+/g, ' ').trim(),
        shown: d.querySelectorAll('.sources-line a').length,
        all: [...d.querySelectorAll('details.citations li')].map((li) => ({
          href: li.querySelector('a').getAttribute('href'),
          publisher: li.querySelector('a').textContent.split(':')[0],
          text: li.textContent.replace(/\s+/g, ' ').trim(),
        })),
      })),
    );
    const copies = counted.flatMap((c) => c.all.filter((item) => item.href === '/sources/seed-003'));
    assert.ok(copies.length >= 1, 'the copy seed-003 is listed in the full citations');
    for (const item of copies) assert.match(item.text, /\(a copy; counted once\)$/, `seed-003 not marked as a copy: ${item.text}`);
    for (const { line, shown, all } of counted.filter((c) => c.all.length > 0)) {
      const independent = new Set(all.filter((item) => !/a copy; counted once/.test(item.text)).map((item) => item.publisher));
      assert.equal(shown, independent.size, `"${line}" but the full citations have ${independent.size} independent publisher(s)`);
    }
    assert.equal(await page.locator('.sources-line a[href="/sources/seed-003"]').count(), 0, 'the copy is never the visible source');

    // No scraping debris in the article.
    const article = await page.locator('.statement').evaluateAll((divs) =>
      divs.map((d) => ({
        text: [...d.querySelectorAll(':scope > p:not(.sources-line)')].map((p) => p.textContent.trim()).join(' '),
        items: [...d.querySelectorAll(':scope > ul > li')].map((li) => li.textContent.trim()),
      })),
    );
    assert.ok(article.every((s) => s.text || s.items.length), 'every statement has text');
    for (const { text: statementText, items } of article) {
      const all = [statementText, ...items].join('\n');
      assert.doesNotMatch(all, /Â/, `mojibake: ${all.slice(0, 200)}`);
      assert.doesNotMatch(all, /©/, `copyright line in the article: ${all.slice(0, 200)}`);
      assert.doesNotMatch(all, /\b(donat(e|ion)|newsletter|subscribe)\b/i, `donation or newsletter line: ${all.slice(0, 200)}`);
      assert.doesNotMatch(all, /Thank you! Your submission/);
      if (items.length === 0) assert.doesNotMatch(statementText, /:$/, `a statement ending with ':' (its list is lost): ${statementText}`);
    }

    // 5. Open a source from the Sources list: Alike's page.
    const sources = page.locator('#sources li');
    assert.equal(await sources.count(), 7, 'seven documents, the copy included');
    const copyItem = sources.filter({ has: page.locator('a[href="/sources/seed-003"]') });
    assert.match(await text(copyItem), /a copy of another source; counted once/);
    const alike = page.locator('#sources a[href="/sources/seed-004"]');
    assert.equal(await text(alike), 'Alike: Dystonia');
    await Promise.all([page.waitForURL(/\/sources\/seed-004$/), alike.click()]);
    assert.equal(await text(page.locator('h1')), 'Dystonia');
    assert.match(await text(page.locator('dl.provenance')), /Publisher\s+Alike/);
    const condition = page.locator('dl.provenance a[href="/conditions/dystonia"]');
    assert.equal(await text(condition), 'Dystonia');

    assert.deepEqual(page.consoleErrors, [], 'no console errors (a CSP violation would show here)');
    await page.context().close();
  });

  test('an emergency notice comes before the answer, on the first screen of a phone', async () => {
    const page = await kindred.newPage({ viewport: { width: 390, height: 844 } });
    await visit(page, kindred.url + '/ask?q=' + encodeURIComponent('I have dystonia and now I have trouble breathing'));
    const alert = page.getByRole('alert');
    assert.equal(await alert.count(), 1);
    assert.match(await alert.innerText(), /emergency/i);
    const first = await page.evaluate(() => {
      const alert = document.querySelector('[role="alert"]');
      const answer = document.querySelector('#answer-heading, #abstained-heading');
      return !!(alert.compareDocumentPosition(answer) & Node.DOCUMENT_POSITION_FOLLOWING);
    });
    assert.ok(first, 'the notice comes before the answer');
    const box = await alert.boundingBox();
    assert.ok(box.y + 100 < 844, `the notice is not on the first screen (it starts at y = ${box.y})`);
    await page.context().close();
  });

  test('asking works with JavaScript disabled', async () => {
    const page = await kindred.newPage({ javaScriptEnabled: false });
    await askFromHome(page, kindred.url);
    await checkAnswerPage(page);
    await page.context().close();
  });
});
