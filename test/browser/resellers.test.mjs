// The reseller console page in headless Chromium at phone and desktop sizes: an administrator creates a reseller,
// reads its first API key once (and the key works), then disables it. Starts the real cachet.jar on a fresh data
// directory. Run: node --test test/browser/ (after the Maven build).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCachet, launchChromium, collectErrors, shots, sizes, initialAdmin } from './cachet.mjs';

let cachet, base, data, browser;
const chosen = 'amber lighthouse kettle 58';
const english = { locale: 'en-GB' };

function admin() {
  return initialAdmin(data);
}

describe('reseller console page in Chromium', () => {
  before(async () => {
    cachet = await startCachet('cachet-browser-resellers-');
    ({ base, data } = cachet);
    browser = await launchChromium();
    // the initial password replaced as the password page's form does
    const { login, password } = admin();
    const form = new URLSearchParams({ login, current: password, new: chosen, confirm: chosen });
    const r = await fetch(`${base}/console/password`, { method: 'POST', body: form, redirect: 'manual',
      headers: { Origin: base } });
    assert.equal(r.status, 303, 'initial password replaced');
  });

  after(async () => {
    if (browser) await browser.close();
    if (cachet) cachet.stop();
  });

  test('an administrator creates a reseller, sees its key once, and disables it', async () => {
    const { login } = admin();
    for (const [name, viewport] of Object.entries(sizes)) {
      const page = await browser.newPage({ viewport, ...english });
      const errors = collectErrors(page);
      await page.goto(`${base}/console/login?next=/console/resellers`);
      await page.getByLabel('Login').fill(login);
      await page.getByLabel('Password').fill(chosen);
      await page.getByRole('button').click();
      await page.waitForURL((u) => !u.pathname.startsWith('/console/login'));
      await page.goto(`${base}/console/resellers`);
      assert.match(await page.title(), /^Resellers - /);
      // the console's navigation (a row of links on a desktop, folded into a menu on a phone), this page marked
      const nav = page.getByRole('navigation', { name: 'Console' });
      assert.equal(await nav.count(), 1, 'the console navigation landmark');
      const current = nav.locator('a[aria-current=page]');
      assert.deepEqual(await current.evaluateAll((as) => [...new Set(as.map((a) => a.pathname))]), ['/console/resellers']);
      const shown = name === 'phone' ? nav.locator('.console-menu summary') : nav.locator('.console-tabs [aria-current=page]');
      assert.ok(await shown.isVisible(), `the navigation is shown (${name})`);
      const reseller = `Distributor ${name}`;
      await page.getByLabel('Name', { exact: true }).fill(reseller);
      await page.getByRole('button', { name: 'Create' }).click();
      const key = (await page.locator('#secret').innerText()).trim();
      assert.match(key, /^ck_/);
      const works = await fetch(`${base}/api/v1/operators/me/api-keys`, { headers: { Authorization: `Bearer ${key}` } });
      assert.equal(works.status, 200, 'the key shown works');
      await page.screenshot({ path: join(shots, `resellers-${name}.png`), fullPage: true });

      await page.goto(`${base}/console/resellers`);
      assert.ok(!(await page.locator('body').innerText()).includes(key), 'shown once, never again');
      const row = page.locator('tbody tr').filter({ hasText: reseller });
      await row.getByRole('button', { name: `Disable ${reseller}` }).click();
      assert.ok((await page.locator('tbody tr').filter({ hasText: reseller }).innerText()).includes('disabled'));
      const refused = await fetch(`${base}/api/v1/operators/me/api-keys`, { headers: { Authorization: `Bearer ${key}` } });
      assert.equal(refused.status, 401, 'a disabled reseller\'s key is refused');
      assert.deepEqual(errors, [], 'no script error nor content security policy violation');
      await page.close();
    }
  });

  test('a refused name is explained in the page\'s language, and nothing is created', async () => {
    const { login } = admin();
    const cases = [
      { locale: 'fr-FR', said: /Rien n'a changé : le nom ne peut contenir de caractères de contrôle/, not: /Field 'name'/ },
      { locale: 'en-GB', said: /Nothing changed: the name may not contain control or formatting characters/, not: /Rien/ },
    ];
    for (const { locale, said, not } of cases) {
      const page = await browser.newPage({ viewport: sizes.phone, locale });
      const errors = collectErrors(page);
      await page.goto(`${base}/console/login?next=/console/resellers`);
      await page.locator('#login').fill(login);
      await page.locator('#password').fill(chosen);
      await page.locator('#password').press('Enter');
      await page.waitForURL((u) => !u.pathname.startsWith('/console/login'));
      await page.goto(`${base}/console/resellers`);
      const before = await page.locator('tbody tr').count();
      // a right-to-left override inside the name, as pasted from elsewhere
      const name = `Evil\u202eCorp ${locale}`;
      await page.locator('#name').fill(name);
      await page.locator('#name').press('Enter');
      await page.waitForLoadState('load');
      const alert = await page.locator('body').innerText();
      assert.match(alert, said);
      assert.doesNotMatch(alert, not);
      assert.equal(await page.locator('tbody tr').count(), before, 'nothing created');
      // the refusal's own 400 is expected; nothing else
      assert.deepEqual(errors.filter((e) => !e.includes('status of 400')), [], 'no script error nor CSP violation');
      await page.close();
    }
  });
});
