// The console shell in headless Chromium: the navigation at desktop size (a row of links, reachable by keyboard) and
// at phone size (folded into a menu), the current page marked, the operator accounts page (an administrator creates
// an account; its owner must replace the first password, then sees only the entries of their roles, and a page of
// another bundle meant for other roles answers with the console's 403 page naming them), and the logout button. No content security policy violation anywhere. Screenshots: target/screenshots/shell-*.png.
// Starts the real cachet.jar on a fresh data directory. Run: node --test test/browser/ (after the Maven build).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCachet, launchChromium, collectErrors, shots, sizes, initialAdmin } from './cachet.mjs';

let cachet, base, data, browser;
const chosen = 'copper lantern meadow 58';
const english = { locale: 'en-GB' };

function admin() {
  return initialAdmin(data);
}

/** Logs in on the form; the login page must lead to `expected` (a path). */
async function logIn(page, login, password, expected = '/console') {
  await page.goto(`${base}/console/login`);
  await page.getByLabel('Login').fill(login);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL((u) => u.pathname === expected);
}

/** Replaces a password on the password page the console sent the browser to. */
async function replacePassword(page, current, next) {
  await page.locator('input[name=current]').fill(current);
  await page.locator('input[name=new]').fill(next);
  await page.locator('input[name=confirm]').fill(next);
  await page.getByRole('button').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/console/password'));
}

describe('console shell in Chromium', () => {
  before(async () => {
    cachet = await startCachet('cachet-shell-');
    ({ base, data } = cachet);
    browser = await launchChromium();
    // the first administrator takes the account over
    const page = await browser.newPage({ viewport: sizes.desktop, ...english });
    const { login, password } = admin();
    await logIn(page, login, password, '/console/password');
    await page.locator('input[name=login]').fill(login);
    await replacePassword(page, password, chosen);
    await page.close();
  });

  after(async () => {
    if (browser) await browser.close();
    if (cachet) cachet.stop();
  });

  test('desktop: a row of links, the current one marked, reachable by keyboard', async () => {
    const page = await browser.newPage({ viewport: sizes.desktop, ...english });
    const errors = collectErrors(page);
    await logIn(page, admin().login, chosen);
    assert.match(await page.title(), /^Console - /);
    const tabs = page.locator('.console-tabs');
    assert.ok(await tabs.isVisible(), 'the links are shown on a wide screen');
    assert.ok(!(await page.locator('.console-menu').isVisible()), 'no menu button on a wide screen');
    const names = await tabs.getByRole('link').allInnerTexts();
    for (const n of ['Home', 'Outbox', 'Operators', 'API keys', 'Password']) assert.ok(names.includes(n), `${n} in ${names}`);
    assert.equal(await tabs.locator('[aria-current=page]').innerText(), 'Home');
    await page.screenshot({ path: join(shots, 'shell-home-desktop.png'), fullPage: true });

    // keyboard only: tab to "Operators", press Enter
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.textContent === 'Operators');
    }
    assert.ok(reached, 'the Operators link takes the keyboard focus');
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === '/console/operators');
    assert.equal(await page.locator('.console-tabs [aria-current=page]').innerText(), 'Operators');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('phone: the navigation folds into a menu that opens', async () => {
    const page = await browser.newPage({ viewport: sizes.phone, ...english });
    const errors = collectErrors(page);
    await logIn(page, admin().login, chosen);
    assert.ok(!(await page.locator('.console-tabs').isVisible()), 'no row of links on a phone');
    const menu = page.locator('.console-menu');
    assert.ok(await menu.isVisible());
    const keys = menu.getByRole('link', { name: 'API keys' });
    assert.ok(!(await keys.isVisible()), 'folded');
    await page.screenshot({ path: join(shots, 'shell-menu-closed-phone.png'), fullPage: true });
    await menu.locator('summary').focus();
    await page.keyboard.press('Enter');
    assert.ok(await keys.isVisible(), 'the menu opens from the keyboard');
    await page.screenshot({ path: join(shots, 'shell-menu-open-phone.png'), fullPage: true });
    await keys.click();
    await page.waitForURL((u) => u.pathname === '/console/api-keys');
    await menu.locator('summary').click();
    assert.equal(await menu.locator('[aria-current=page]').innerText(), 'API keys');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= sizes.phone.width, `no horizontal scrolling of the page (${width})`);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('an administrator creates an account; its owner replaces the first password and sees their entries only', async () => {
    const page = await browser.newPage({ viewport: sizes.desktop, ...english });
    const errors = collectErrors(page);
    await logIn(page, admin().login, chosen);
    await page.goto(`${base}/console/operators`);
    assert.match(await page.title(), /^Operators - /);
    const create = page.locator('#create-operator');
    await create.locator('#login').fill('rita');
    await create.getByLabel('RA officer (ra-officer)').check();
    await create.getByLabel(/^First password/).fill('123456789012');
    await create.getByRole('button', { name: 'Create account' }).click();
    assert.match(await page.locator('[role=alert]').innerText(), /./, 'a weak first password is refused, saying why');
    assert.equal(await page.locator('#create-operator #login').inputValue(), 'rita', 'what was typed is kept');
    await page.locator('#create-operator').getByLabel(/^First password/).fill('first umber passphrase 64');
    await page.locator('#create-operator').getByRole('button', { name: 'Create account' }).click();
    assert.match(await page.locator('[role=status]').innerText(), /Account rita created/);
    const row = page.locator('tbody tr').filter({ hasText: 'rita' });
    assert.match(await row.innerText(), /ra-officer/);
    assert.match(await row.innerText(), /first password not yet replaced/);
    await page.screenshot({ path: join(shots, 'shell-operators-desktop.png'), fullPage: true });
    await page.setViewportSize(sizes.phone);
    await page.screenshot({ path: join(shots, 'shell-operators-phone.png'), fullPage: true });
    await page.setViewportSize(sizes.desktop);

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL((u) => u.pathname === '/console/login');
    await page.goto(`${base}/console`);
    assert.equal(new URL(page.url()).pathname, '/console/login', 'the session is over');

    await logIn(page, 'rita', 'first umber passphrase 64', '/console/password');
    await page.locator('input[name=login]').fill('rita');
    await replacePassword(page, 'first umber passphrase 64', 'own umber passphrase 77');
    await logIn(page, 'rita', 'own umber passphrase 77');
    const names = await page.locator('.console-tabs').getByRole('link').allInnerTexts();
    assert.ok(!names.includes('Operators') && !names.includes('Outbox'), `an RA officer's entries: ${names}`);
    assert.ok(names.includes('API keys'));
    const refused = await page.goto(`${base}/console/operators`);
    assert.equal(refused.status(), 403);
    // a page of another bundle open to other roles answers with the console's own 403 page: in the console's frame,
    // naming the roles it needs and those the account holds, with the way home
    const shipments = await page.goto(`${base}/console/shipments`);
    assert.equal(shipments.status(), 403);
    assert.match(await page.title(), /^Not for your roles - /);
    assert.equal(await page.locator('[role=alert]').innerText(), 'This page needs one of the roles admin, operator.');
    assert.match(await page.locator('main').innerText(), /Your account holds ra-officer\. An administrator can give you a role/);
    assert.deepEqual(await page.locator('.console-tabs').getByRole('link').allInnerTexts(), names, 'the same navigation');
    await page.setViewportSize(sizes.phone);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= sizes.phone.width, `no sideways scrolling on a phone (${width})`);
    await page.screenshot({ path: join(shots, 'shell-forbidden-phone.png'), fullPage: true });
    await page.setViewportSize(sizes.desktop);
    await page.getByRole('link', { name: "Back to the console's home page" }).click();
    await page.waitForURL((u) => u.pathname === '/console');
    // the refusals the test provokes (400 weak password, 403 pages) are the only errors
    assert.deepEqual(errors.filter((e) => !e.includes('status of 403') && !e.includes('status of 400')), []);
    await page.close();
  });
});
