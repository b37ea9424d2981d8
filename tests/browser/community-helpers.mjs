// Helpers of the community's browser tests: keyboard walking with visible-focus checks, target
// sizes, and members set up quickly through the JSON API (so that only the journey under test goes
// through the pages).

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { KINDRED_BIN, LIMITS } from './helpers.mjs';

export const PASSWORD = 'correct horse battery staple';

let next = 0;
/** A handle no other test of this run (or of an earlier run on the same data) uses. */
export function uniqueHandle(prefix) {
  next += 1;
  return `${prefix}-${process.pid % 100000}-${Date.now() % 1000000}-${next}`.slice(0, 30);
}

/** What has focus, and whether it shows it (a computed outline or box-shadow). */
export function focusInfo(page) {
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
      type: el.getAttribute('type'),
      cls: el.className,
      href: el.getAttribute('href'),
      text: (el.textContent || el.value || '').trim().slice(0, 60),
      indicator: outline || shadow,
      style: `outline: ${style.outlineStyle} ${style.outlineWidth}; box-shadow: ${style.boxShadow}`,
      onScreen: r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth,
    };
  });
}

export const describeFocus = (f) =>
  `<${f.tag}${f.id ? '#' + f.id : ''}${f.cls ? '.' + String(f.cls).replace(/ /g, '.') : ''}${f.href ? ' href=' + f.href : ''}> "${f.text}"`;

/** Presses a key; after Tab or Shift+Tab, checks the newly focused element shows its focus. */
export async function press(page, key) {
  await page.keyboard.press(key);
  const f = await focusInfo(page);
  if (key === 'Tab' || key === 'Shift+Tab') {
    assert.notEqual(f.tag, 'body', `${key} left focus nowhere`);
    assert.ok(f.indicator, `no visible focus indicator on ${describeFocus(f)} (${f.style})`);
    assert.ok(f.onScreen, `focused element is off screen: ${describeFocus(f)}`);
  }
  return f;
}

/** Tabs forward until `matches(focus)`, checking every stop on the way shows its focus. */
export async function tabTo(page, what, matches, maxTabs = 150) {
  for (let i = 0; i < maxTabs; i++) {
    const f = await press(page, 'Tab');
    if (matches(f)) return f;
  }
  throw new Error(`${what} not reached in ${maxTabs} presses of Tab`);
}

/** Tabs to the element with this id. */
export const tabToId = (page, id, maxTabs) => tabTo(page, `#${id}`, (f) => f.id === id, maxTabs);

/**
 * Targets smaller than 44 × 44 CSS px among visible a, button, input, select, textarea and summary
 * elements. As in keyboard.test.mjs, an inline link in running text is exempt (WCAG 2.5.8).
 */
export function smallTargets(page) {
  return page.evaluate(() => {
    const inRunningText = (el) => {
      if (el.tagName !== 'A') return false;
      const parent = el.parentElement;
      if (!parent || !['P', 'LI', 'H3'].includes(parent.tagName)) return false;
      const isText = (n) => n && n.nodeType === Node.TEXT_NODE && n.textContent.trim() !== '';
      return isText(el.previousSibling) || isText(el.nextSibling);
    };
    const small = [];
    for (const el of document.querySelectorAll('a, button, input, select, textarea, summary')) {
      const style = getComputedStyle(el);
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || style.visibility === 'hidden') continue;
      if (el.classList.contains('skip-link') && r.right <= 0) continue; // off screen until focused
      if (inRunningText(el)) continue;
      if (r.width < 44 - 0.01 || r.height < 44 - 0.01) {
        small.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} "${(el.textContent || el.value || '').trim().slice(0, 50)}" ${r.width.toFixed(1)}×${r.height.toFixed(1)} in <${el.parentElement.tagName.toLowerCase()} class="${el.parentElement.className}">`);
      }
    }
    return small;
  });
}

/** Whether the page scrolls sideways, and what sticks out. */
export function overflow(page) {
  return page.evaluate(() => ({
    scrollWidth: document.scrollingElement.scrollWidth,
    innerWidth: window.innerWidth,
    wide: [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
      .slice(0, 5)
      .map((el) => `<${el.tagName.toLowerCase()} class="${el.className}"> right=${el.getBoundingClientRect().right.toFixed(0)}`),
  }));
}

/** A member made through the JSON API: `{ handle, session, csrf }`. */
export async function apiRegister(url, handle, password = PASSWORD) {
  const res = await fetch(`${url}/api/v1/accounts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ handle, password }),
    signal: AbortSignal.timeout(LIMITS.navigation),
  });
  assert.equal(res.status, 201, `registering ${handle}: ${await res.clone().text()}`);
  return { handle, ...(await sessionOf(res)) };
}

/** Signs in through the JSON API: `{ handle, session, csrf }`. */
export async function apiLogin(url, handle, password = PASSWORD) {
  const res = await fetch(`${url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ handle, password }),
    signal: AbortSignal.timeout(LIMITS.navigation),
  });
  assert.equal(res.status, 200, `signing in ${handle}: ${await res.clone().text()}`);
  return { handle, ...(await sessionOf(res)) };
}

async function sessionOf(res) {
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('kindred_session='));
  assert.ok(cookie, 'a session cookie');
  const { csrf_token: csrf } = await res.json();
  return { session: cookie.split(';')[0].split('=')[1], csrf };
}

/** A JSON call as a member. */
export async function apiCall(url, member, method, path, body) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      cookie: `kindred_session=${member.session}`,
      'x-csrf-token': member.csrf,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(LIMITS.navigation),
  });
  assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${await res.clone().text()}`);
  return res.status === 204 ? null : res.json();
}

/** A profile shared with members (for Alikes and member reports). */
export function sharedProfile({ conditions = [{ condition: 'dystonia' }], regions = [], treatments = [], open = true } = {}) {
  return {
    conditions: { value: conditions, visibility: 'members' },
    regions: { value: regions, visibility: 'members' },
    treatments: { value: treatments, visibility: 'members' },
    open_to_matching: open,
  };
}

/** Signs a browser context in with a session made through the API. */
export async function signIn(context, url, member) {
  await context.addCookies([{ name: 'kindred_session', value: member.session, url }]);
}

/** Creates an administrator with the CLI (`kindred admin create`), on the server's database. */
export function createAdmin(dataDir, handle, password = PASSWORD) {
  return new Promise((resolve, reject) => {
    execFile(
      KINDRED_BIN,
      ['--data-dir', dataDir, 'admin', 'create', handle],
      { timeout: LIMITS.start, env: { ...process.env, KINDRED_ADMIN_PASSWORD: password, KINDRED_LOG: 'warn' } },
      (error, stdout, stderr) => (error ? reject(new Error(`kindred admin create: ${error.message}\n${stderr}`)) : resolve(stdout)),
    );
  });
}
