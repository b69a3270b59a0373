// What the browser tests share: the cachet.jar just built, started on a fresh data directory and a free port, and
// headless Debian Chromium driven by playwright-core. Not a test file (node --test runs *.test.mjs only).
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, existsSync, rmSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir, homedir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';
import { chromium } from 'playwright-core';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const jar = join(root, 'distribution', 'target', 'cachet.jar');
export const shots = join(root, 'test', 'browser', 'target', 'screenshots');
export const sizes = { phone: { width: 390, height: 844 }, desktop: { width: 1366, height: 900 } };

export function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

/** Polls a condition (no fixed sleeps) until it holds or the time is up. */
export async function until(what, condition, seconds = 180) {
  const end = Date.now() + seconds * 1000;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Starts cachet.jar on a fresh data directory; resolves once /health answers 200. `prepare(data)`, when given, runs
 * (and is awaited) before the start (e.g. to put bundles and configuration in DATA/deploy).
 */
export async function startCachet(prefix, prepare) {
  assert.ok(existsSync(jar), `${jar} is missing: build first`);
  mkdirSync(shots, { recursive: true });
  const data = mkdtempSync(join(tmpdir(), prefix));
  if (prepare) await prepare(data);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const run = async () => {
    const process = spawn('java', ['-jar', jar, '--data', data, '--port', String(port)], { stdio: 'ignore' });
    const exited = new Promise((resolve) => process.on('exit', resolve));
    try {
      await until('/health 200', async () => {
        try { return (await fetch(`${base}/health`)).status === 200; } catch { return false; }
      });
    } catch (e) {
      // a Cachet that never became healthy must not outlive the test (it would keep this test file's process, and
      // the run, waiting), and its log is what says why
      process.kill('SIGKILL');
      await exited;
      const log = join(data, 'logs', 'cachet.0.log');
      const tail = existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-40).join('\n') : '(no log)';
      throw new Error(`${e.message}; the last lines of ${log}:\n${tail}`);
    }
    return { process, exited };
  };
  let server = await run();
  return {
    data, base,
    stop() { server.process.kill('SIGKILL'); rmSync(data, { recursive: true, force: true }); },
    /**
     * kill -9, as a power cut would, then a start on the same data directory and port; resolves once healthy.
     * `whileDown`, when given, runs between the two (e.g. to read what the database held at the kill).
     */
    async crashAndRestart(whileDown) {
      server.process.kill('SIGKILL');
      await server.exited;
      if (whileDown) await whileDown();
      server = await run();
    },
  };
}

export function launchChromium() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Errors the page logs (a content security policy violation among them) and scripts that fail. */
export function collectErrors(page) {
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}

/** The first administrator as DATA/initial-admin.txt names it: `{ login, password, 'api-key' }`. */
export function initialAdmin(data) {
  const lines = readFileSync(join(data, 'initial-admin.txt'), 'utf8').split('\n');
  return Object.fromEntries(lines.filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1).trim()]));
}

/**
 * The first administrator's API key, usable: logs in on the console in a browser page, replaces the initial
 * password (the key is refused until then), and returns the key of DATA/initial-admin.txt.
 */
export async function adminApiKey(browser, base, data, chosen = 'violet tractor harbour 77') {
  const admin = initialAdmin(data);
  const page = await browser.newPage({ locale: 'en-GB' });
  await page.goto(`${base}/console/login`);
  await page.getByLabel('Login').fill(admin.login);
  await page.getByLabel('Password').fill(admin.password);
  await page.getByRole('button').click();
  await page.waitForURL(/\/console\/password/);
  const loginField = page.locator('input[name=login]');
  if (await loginField.count() && await loginField.isEditable()) await loginField.fill(admin.login);
  await page.locator('input[name=current]').fill(admin.password);
  await page.locator('input[name=new]').fill(chosen);
  await page.locator('input[name=confirm]').fill(chosen);
  await page.getByRole('button').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/console/password'));
  await page.close();
  return admin['api-key'];
}

/**
 * Logs the first administrator in on the console (after adminApiKey replaced their password with `password`) and waits
 * for the console page `path` they asked for.
 */
export async function adminLogIn(page, cachet, path, password = 'violet tractor harbour 77') {
  await page.goto(`${cachet.base}/console/login?next=${path}`);
  await page.getByLabel('Login').fill(initialAdmin(cachet.data).login);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL((u) => u.pathname === path);
}

/**
 * A client of the REST API at `base` with the API key `key`: `api(path, init)` resolves to fetch's Response (JSON
 * content type, the key as bearer token); `json(path, init)` to the parsed body of a 2xx answer, and fails the test
 * with the path, status and body of any other.
 */
export function apiClient(base, key) {
  const api = (path, init = {}) => fetch(`${base}${path}`, { ...init, headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json', ...(init.headers || {}) } });
  const json = async (path, init) => {
    const r = await api(path, init);
    const text = await r.text();
    assert.ok(r.ok, `${path}: ${r.status} ${text}`);
    return JSON.parse(text);
  };
  return { api, json };
}

/** The outbox's messages to `to` (newest first), read over REST with an administrator's key. */
export async function outbox(base, key, to) {
  const answer = await fetch(`${base}/api/v1/outbox?channel=email&limit=500`, { headers: { Authorization: `Bearer ${key}` } });
  assert.equal(answer.status, 200, 'GET /api/v1/outbox');
  return (await answer.json()).messages.filter((m) => m.to === to);
}

/**
 * Brings order `orderId` to `state` (or beyond) with the order-checks fixture (fixtures/order-checks in DATA/deploy):
 * its checks are passed while the order is before ISSUANCE, never at ISSUANCE, whose check is the certificate's (the
 * fixture would pass it without one); from there the order moves on by itself. `key` reads the order.
 */
export async function advance(base, key, orderId, state, seconds = 120) {
  const steps = ['SUBMITTED', 'VERIFICATION', 'ACCEPTANCE', 'ISSUANCE', 'DELIVERY', 'ACTIVE'];
  await until(`order ${orderId} in ${state}`, async () => {
    const r = await fetch(`${base}/api/v1/orders/${orderId}`, { headers: { Authorization: `Bearer ${key}` } });
    assert.ok(r.ok, `order ${orderId}: ${r.status}`);
    const now = steps.indexOf((await r.json()).state);
    if (now >= steps.indexOf(state)) return true;
    if (now >= 0 && now < steps.indexOf('ISSUANCE')) await fetch(`${base}/browser-test-checks/${orderId}`, { method: 'POST' });
    return false;
  }, seconds);
}

/**
 * Compiles a test fixture (test/browser/fixtures/<name>: one Activator and its MANIFEST.MF) against the
 * distribution's own bundles and packs it as a bundle to put in DATA/deploy; returns the jar's path. `activator` is
 * the Activator's source path below the fixture's directory.
 */
export function fixtureBundle(name, activator) {
  const exported = join(root, 'distribution', 'target', 'export', 'cachet');
  const jarOf = (prefix) => {
    const found = readdirSync(exported).find((f) => f.startsWith(prefix));
    assert.ok(found, `${prefix}* in ${exported}`);
    return join(exported, found);
  };
  // the OSGi core API of the build (root pom's dependencyManagement), from the local Maven repository
  const version = /<artifactId>osgi\.core<\/artifactId><version>([^<]+)<\/version>/.exec(readFileSync(join(root, 'pom.xml'), 'utf8'))[1];
  const osgiCore = join(homedir(), '.m2', 'repository', 'org', 'osgi', 'osgi.core', version, `osgi.core-${version}.jar`);
  assert.ok(existsSync(osgiCore), `${osgiCore} (the Maven build fetches it)`);
  const src = join(root, 'test', 'browser', 'fixtures', name);
  const out = mkdtempSync(join(tmpdir(), 'cachet-fixture-'));
  const classes = join(out, 'classes');
  execFileSync('javac', ['--release', '17', '-d', classes, '-cp',
    [jarOf('io.cachet.api-'), jarOf('org.apache.felix.http.servlet-api-'), osgiCore].join(':'), join(src, activator)]);
  const jar = join(out, `${name}.jar`);
  execFileSync('jar', ['--create', '--file', jar, '--manifest', join(src, 'MANIFEST.MF'), '-C', classes, '.']);
  return jar;
}

/**
 * A one-page PDF with text in Helvetica, as a register's download has (PDF 1.4, objects and cross-reference table
 * written here byte for byte: the server reads it with PDFBox, a tool we did not write).
 */
export function onePagePdf(lines) {
  const esc = (s) => s.replace(/\\/g, '\\\\').replace(/\(/g, '\\(').replace(/\)/g, '\\)');
  const content = ['BT', '/F1 11 Tf', '60 780 Td', ...lines.flatMap((l) => [`(${esc(l)}) Tj`, '0 -16 Td']), 'ET'].join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
  ];
  let out = '%PDF-1.4\n';
  const offsets = [];
  objects.forEach((o, i) => { offsets.push(Buffer.byteLength(out, 'latin1')); out += `${i + 1} 0 obj\n${o}\nendobj\n`; });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}
