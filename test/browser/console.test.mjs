// The operator's first visit, in headless Chromium at phone and desktop sizes: the console sends the browser to the
// login form, the initial password must be replaced, then the API-keys page makes a key and shows its secret once.
// Starts the real cachet.jar on a fresh data directory. Run: node --test test/browser/ (after the Maven build).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const jar = join(root, 'distribution', 'target', 'cachet.jar');
const shots = join(root, 'test', 'browser', 'target', 'screenshots');
const data = mkdtempSync(join(tmpdir(), 'cachet-browser-'));
let server, base, browser;

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

async function until(what, condition, seconds = 180) {
  const end = Date.now() + seconds * 1000;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function admin() {
  const lines = readFileSync(join(data, 'initial-admin.txt'), 'utf8').split('\n');
  return Object.fromEntries(lines.filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1).trim()]));
}

// one suite, so that the JUnit report has a <testsuite> that .ci/run's summary counts
describe('console pages in Chromium', () => {
  before(async () => {
    assert.ok(existsSync(jar), `${jar} is missing: build first`);
    mkdirSync(shots, { recursive: true });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = spawn('java', ['-jar', jar, '--data', data, '--port', String(port)], { stdio: 'ignore' });
    await until('/health 200', async () => {
      try { return (await fetch(`${base}/health`)).status === 200; } catch { return false; }
    });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  after(async () => {
    if (browser) await browser.close();
    if (server) server.kill('SIGKILL');
    rmSync(data, { recursive: true, force: true });
  });

  const sizes = { phone: { width: 390, height: 844 }, desktop: { width: 1366, height: 900 } };

  test('the console sends a browser to the login form, never to an HTTP Basic prompt', async () => {
    for (const [name, viewport] of Object.entries(sizes)) {
      const page = await browser.newPage({ viewport });
      const answer = await page.goto(`${base}/system/console/bundles`);
      assert.equal(answer.status(), 200);
      assert.match(page.url(), /\/console\/login/);
      assert.equal(await page.getByLabel('Login').count(), 1);
      assert.equal(await page.getByLabel('Password').count(), 1);
      await page.screenshot({ path: join(shots, `login-${name}.png`), fullPage: true });
      await page.getByLabel('Login').fill('admin');
      await page.getByLabel('Password').fill('admin');
      await page.getByRole('button').click();
      assert.match(await page.locator('[role=alert]').innerText(), /./, 'the stock admin/admin is refused with a message');
      await page.close();
    }
  });

  test('the first administrator replaces the initial password, then makes an API key shown once', async () => {
    const { login, password } = admin();
    const page = await browser.newPage({ viewport: sizes.phone });
    await page.goto(`${base}/console/login`);
    await page.getByLabel('Login').fill(login);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button').click();
    await page.waitForURL(/\/console\/password/);

    const chosen = 'violet tractor harbour 77';
    const fields = page.locator('input[type=password]');
    assert.ok(await fields.count() >= 3, 'current, new and confirmation fields');
    const loginField = page.locator('input[name=login]');
    if (await loginField.count() && await loginField.isEditable()) await loginField.fill(login);
    await page.locator('input[name=current]').fill(password);
    await page.locator('input[name=new]').fill('123456789012');
    await page.locator('input[name=confirm]').fill('123456789012');
    await page.getByRole('button').click();
    assert.match(await page.locator('[role=alert]').innerText(), /./, 'a trivial password is refused, saying why');
    await page.screenshot({ path: join(shots, 'password-refused-phone.png'), fullPage: true });

    if (await loginField.count() && await loginField.isEditable()) await loginField.fill(login);
    await page.locator('input[name=current]').fill(password);
    await page.locator('input[name=new]').fill(chosen);
    await page.locator('input[name=confirm]').fill(chosen);
    await page.getByRole('button').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/console/password'));

    await page.setViewportSize(sizes.desktop);
    await page.goto(`${base}/console/login?next=/console/api-keys`);
    if (page.url().includes('/console/login')) {
      await page.getByLabel('Login').fill(login);
      await page.getByLabel('Password').fill(chosen);
      await page.getByRole('button').click();
    }
    await page.goto(`${base}/console/api-keys`);
    assert.equal(await page.title(), 'API keys - Cachet');
    const rowsBefore = await page.locator('table tbody tr').count();
    const create = page.locator('form').filter({ has: page.locator('select[name=scope]') });
    await create.locator('select[name=scope]').selectOption('read');
    await create.getByRole('button').click();
    const shown = await page.locator('body').innerText();
    const key = shown.match(/ck_[A-Za-z0-9_-]+/);
    assert.ok(key, 'the new key is shown');
    await page.screenshot({ path: join(shots, 'api-keys-desktop.png'), fullPage: true });
    const works = await fetch(`${base}/api/v1/operators/me/api-keys`, { headers: { Authorization: `Bearer ${key[0]}` } });
    assert.equal(works.status, 200, 'the key shown works');
    await page.goto(`${base}/console/api-keys`);
    assert.ok(!(await page.locator('body').innerText()).includes(key[0]), 'shown once, never again');
    assert.ok(await page.locator('table tbody tr').count() > rowsBefore, 'listed');
    await page.close();
  });
});
