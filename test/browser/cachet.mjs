// What the browser tests share: the cachet.jar just built, started on a fresh data directory and a free port, and
// headless Debian Chromium driven by playwright-core. Not a test file (node --test runs *.test.mjs only).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, existsSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';
import { chromium } from 'playwright-core';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const jar = join(root, 'distribution', 'target', 'cachet.jar');
export const shots = join(root, 'test', 'browser', 'target', 'screenshots');
export const sizes = { phone: { width: 390, height: 844 }, desktop: { width: 1366, height: 900 } };

function freePort() {
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

/** Starts cachet.jar on a fresh data directory; resolves once /health answers 200. */
export async function startCachet(prefix) {
  assert.ok(existsSync(jar), `${jar} is missing: build first`);
  mkdirSync(shots, { recursive: true });
  const data = mkdtempSync(join(tmpdir(), prefix));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn('java', ['-jar', jar, '--data', data, '--port', String(port)], { stdio: 'ignore' });
  await until('/health 200', async () => {
    try { return (await fetch(`${base}/health`)).status === 200; } catch { return false; }
  });
  return {
    data, base,
    stop() { server.kill('SIGKILL'); rmSync(data, { recursive: true, force: true }); },
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
