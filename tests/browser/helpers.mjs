// Shared helpers of the browser tests: one `kindred serve` and one chromium per test file, a
// library built once per run, and a teardown that leaves no process behind.
//
// Environment:
//   KINDRED_BIN       the kindred binary (default: target/release/kindred under the repo root)
//   CHROMIUM          the chromium executable (default: /usr/bin/chromium)
//   KINDRED_TEST_DATA_DIR  a data dir shared by every test file of a run (run.sh makes one and
//                     removes it); the first file builds the library there, the others reuse it.
//                     Without it each file builds its own library in a temp dir it removes.
//   ARTIFACTS_DIR     where screenshots go (default: artifacts/ under the repo root)

import { spawn, execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm, stat } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const KINDRED_BIN = path.resolve(REPO_ROOT, process.env.KINDRED_BIN || 'target/release/kindred');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const ARTIFACTS_DIR = path.resolve(REPO_ROOT, process.env.ARTIFACTS_DIR || 'artifacts');

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Time limits (ms). Every wait in these tests is bounded by one of them; run.sh bounds each test too. */
export const LIMITS = {
  build: 120_000, // building the bundled library (about 2 s here; generous for a loaded CI machine)
  start: 30_000, // the server printing its address and answering /healthz
  stop: 10_000, // the server exiting after SIGTERM, before SIGKILL
  browser: 30_000, // launching or closing chromium
  navigation: 20_000, // one page load or action in the page
};

/** The WCAG tags axe-core checks: WCAG 2.0, 2.1 and 2.2, levels A and AA. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no result after ${ms} ms`)), ms);
    }),
  ]);
}

function run(file, args, ms) {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: ms, killSignal: 'SIGKILL', maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} ${args.join(' ')} failed: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/**
 * Makes sure `dataDir` holds a built library. With several test files sharing one data dir, the
 * first to take the lock (an exclusive mkdir) builds it and the others wait for it.
 */
async function ensureLibrary(dataDir) {
  const built = path.join(dataDir, 'library', 'CURRENT');
  if (existsSync(built)) return;
  await mkdir(dataDir, { recursive: true });
  const lock = path.join(dataDir, '.browser-tests-build.lock');
  const deadline = Date.now() + LIMITS.build;
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      if (existsSync(built)) return;
      if (Date.now() > deadline) throw new Error(`waited ${LIMITS.build} ms for another test file to build the library in ${dataDir}`);
      await sleep(200);
    }
  }
  try {
    if (!existsSync(built)) await run(KINDRED_BIN, ['--data-dir', dataDir, 'ingest'], LIMITS.build);
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

/** Starts `kindred serve` on a free port (the OS picks it; the server prints it). */
export async function startServer() {
  await stat(KINDRED_BIN).catch(() => {
    throw new Error(`no kindred binary at ${KINDRED_BIN}: build it with \`cargo build --release -p kindred-cli\` or set KINDRED_BIN`);
  });
  const shared = process.env.KINDRED_TEST_DATA_DIR;
  const ownDir = shared ? null : await mkdtemp(path.join(tmpdir(), 'kindred-browser-'));
  const dataDir = shared ? path.resolve(shared) : path.join(ownDir, 'data');
  await ensureLibrary(dataDir);

  const child = spawn(KINDRED_BIN, ['serve', '--addr', '127.0.0.1:0', '--data-dir', dataDir], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, KINDRED_LOG: process.env.KINDRED_LOG || 'warn' },
  });
  // If this process dies without its teardown, do not leave the server behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);

  let log = '';
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const address = new Promise((resolve, reject) => {
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      log += chunk;
      const m = log.match(/ready at (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) resolve(m[1]);
    });
    child.once('error', reject);
    exited.then(({ code, signal }) => reject(new Error(`kindred serve exited (${code ?? signal}) before it was ready:\n${log}`)));
  });

  const server = {
    url: null,
    dataDir,
    get log() {
      return log;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const stopped = await withTimeout(exited, LIMITS.stop, 'kindred serve after SIGTERM').then(
          () => true,
          () => false,
        );
        if (!stopped) {
          child.kill('SIGKILL');
          await withTimeout(exited, LIMITS.stop, 'kindred serve after SIGKILL');
        }
      }
      process.off('exit', killOnExit);
      if (ownDir) await rm(ownDir, { recursive: true, force: true });
    },
  };
  try {
    server.url = await withTimeout(address, LIMITS.start, 'kindred serve printing its address');
    await waitForHealth(server.url);
  } catch (e) {
    await server.stop();
    throw e;
  }
  return server;
}

async function waitForHealth(url) {
  const deadline = Date.now() + LIMITS.start;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
      last = `status ${res.status}`;
    } catch (e) {
      last = e.message;
    }
    await sleep(100);
  }
  throw new Error(`${url}/healthz did not answer within ${LIMITS.start} ms (${last})`);
}

/** Launches the system chromium. */
export async function launchBrowser() {
  return withTimeout(
    chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: LIMITS.browser }),
    LIMITS.browser + 1_000,
    'launching chromium',
  );
}

/**
 * Registers `before`/`after` hooks for a test file: one server and one browser, shared by its
 * tests. Returns an object whose `url`, `browser` and `newPage()` work once `before` has run.
 */
export function useKindred() {
  const env = {
    server: null,
    browser: null,
    get url() {
      return this.server.url;
    },
    /** A page in a fresh context (1280 px wide unless told), with bounded timeouts. */
    async newPage(options = {}) {
      const context = await this.browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
      context.setDefaultTimeout(LIMITS.navigation);
      context.setDefaultNavigationTimeout(LIMITS.navigation);
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      // Console errors do not say which address failed: note failed responses with their URL.
      page.on('response', (r) => {
        if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`);
      });
      page.consoleErrors = errors;
      return page;
    },
  };
  before(
    async () => {
      env.server = await startServer();
      env.browser = await launchBrowser();
    },
    { timeout: LIMITS.build + LIMITS.start + LIMITS.browser + 10_000 },
  );
  after(async () => {
    const problems = [];
    if (env.browser) {
      await withTimeout(env.browser.close(), LIMITS.browser, 'closing chromium').catch((e) => problems.push(e));
    }
    if (env.server) await env.server.stop().catch((e) => problems.push(e));
    if (problems.length) throw problems[0];
  }, { timeout: LIMITS.browser + 2 * LIMITS.stop + 10_000 });
  return env;
}

/** Loads a page and checks its status. */
export async function visit(page, url, { status = 200 } = {}) {
  const response = await page.goto(url, { waitUntil: 'load' });
  if (response.status() !== status) {
    throw new Error(`GET ${url}: status ${response.status()}, expected ${status}`);
  }
  return response;
}

let axeSource;
/** axe-core's source, injected with page.evaluate (the CSP forbids script tags; evaluate is not a script tag). */
export function axeScript() {
  axeSource ??= readFileSync(path.join(REPO_ROOT, 'tests/browser/node_modules/axe-core/axe.min.js'), 'utf8');
  return axeSource;
}

/** Runs axe-core on the page (WCAG 2.0/2.1/2.2 A and AA) and returns its violations. */
export async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.evaluate(axeScript());
  }
  const results = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    AXE_TAGS,
  );
  return results.violations;
}

/** Violations, readable: rule, impact, help, and each node's selector and failure summary. */
export function formatViolations(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .map((n) => `    - ${n.target.join(' ')}\n      ${n.html.slice(0, 300)}\n      ${(n.failureSummary || '').replace(/\n/g, '\n      ')}`)
        .join('\n');
      return `  ${v.id} (${v.impact}): ${v.help}\n  ${v.helpUrl}\n${nodes}`;
    })
    .join('\n');
}

/** The pages most tests look at. */
export const PAGES = {
  home: '/',
  condition: '/conditions/dystonia',
  askAnswered: '/ask?q=' + encodeURIComponent('is there a cure for dystonia?'),
  askAbstained: '/ask?q=' + encodeURIComponent('what is the capital of France?'),
  askEmergency: '/ask?q=' + encodeURIComponent('I have dystonia and now I have trouble breathing'),
  source: '/sources/seed-000',
  search: '/search?q=dystonia',
  conditionsAZ: '/conditions',
  notFound: '/no-such-page',
};
