// The operator's first visit, in headless Chromium at phone and desktop sizes: the console sends the browser to the
// login form, the initial password must be replaced, then the API-keys page makes a key and shows its secret once.
// Starts the real cachet.jar on a fresh data directory. Run: node --test test/browser/ (after the Maven build).
// The pages speak French unless the browser asks otherwise: this browser asks for English (locale en-GB).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCachet, launchChromium, shots, sizes, initialAdmin } from './cachet.mjs';

let cachet, base, data, browser;
const chosen = 'violet tractor harbour 77'; // the first administrator's password once replaced
const english = { locale: 'en-GB' };

function admin() {
  return initialAdmin(data);
}

// one suite, so that the JUnit report has a <testsuite> that .ci/run's summary counts
describe('console pages in Chromium', () => {
  before(async () => {
    cachet = await startCachet('cachet-browser-');
    ({ base, data } = cachet);
    browser = await launchChromium();
  });

  after(async () => {
    if (browser) await browser.close();
    if (cachet) cachet.stop();
  });

  test('the console sends a browser to the login form, never to an HTTP Basic prompt', async () => {
    for (const [name, viewport] of Object.entries(sizes)) {
      const page = await browser.newPage({ viewport, ...english });
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
    const page = await browser.newPage({ viewport: sizes.phone, ...english });
    await page.goto(`${base}/console/login`);
    await page.getByLabel('Login').fill(login);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button').click();
    await page.waitForURL(/\/console\/password/);

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

  test('an administrator sends the test message and reads it in the outbox (the embedded default)', async () => {
    const { login } = admin();
    for (const [name, viewport] of Object.entries(sizes)) {
      const page = await browser.newPage({ viewport, ...english });
      await page.goto(`${base}/console/login?next=/console/outbox`);
      await page.getByLabel('Login').fill(login);
      await page.getByLabel('Password').fill(chosen);
      await page.getByRole('button').click();
      await page.waitForURL((u) => !u.pathname.startsWith('/console/login'));
      await page.goto(`${base}/console/outbox`);
      assert.match(await page.title(), /^Outbox - /);
      const to = `ops-${name}@example.org`;
      const form = page.locator('form').filter({ has: page.locator('#to') });
      assert.equal(await page.locator('label[for=to]').count(), 1, 'the address field has its label');
      await form.locator('#to').fill(to);
      await form.locator('button[type=submit]').click();
      // the sender keeps it in the outbox at its next turn: reload until it is listed
      const deadline = Date.now() + 30_000;
      let listed = false;
      while (!listed && Date.now() < deadline) {
        await page.goto(`${base}/console/outbox`);
        listed = (await page.locator('table tbody').innerText()).includes(to);
        if (!listed) await page.waitForTimeout(250);
      }
      assert.ok(listed, `${to} listed in the outbox`);
      await page.screenshot({ path: join(shots, `outbox-${name}.png`), fullPage: true });
      await page.close();
    }
  });
});
