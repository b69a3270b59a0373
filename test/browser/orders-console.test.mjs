// The console's order pages in headless Chromium: orders made through POST /api/v1/orders with the first
// administrator's API key, then the order list searched and filtered (desktop; cards on a phone), an order's
// timeline, a cancellation with its reason, and a rejection sent from a page gone stale (the order was cancelled
// meanwhile) refused with a clear message, nothing changed; from an order's page, the portal's "send the status link
// again" (an action another bundle adds), at phone and desktop sizes; for a registration officer, the links to an open
// order's identity case and organisation case (added by those bundles), followed. No content security policy violation.
// Screenshots: target/screenshots/orders-*.png. Starts the real cachet.jar on a fresh data directory.
// Run: node --test test/browser/ (after the Maven build).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCachet, launchChromium, collectErrors, shots, sizes, initialAdmin, outbox, until, adminLogIn } from './cachet.mjs';

let cachet, base, data, browser, key;
const chosen = 'saffron kettle orchard 19';
const english = { locale: 'en-GB' };
const ids = {};

function admin() {
  return initialAdmin(data);
}

function order(organisation, medium) {
  const body = {
    product: 'enterprise-plus', validityYears: 1, medium,
    certificateManager: { givenNames: 'Anna Maria', surname: 'Eriksson', birthDate: '1974-08-12', email: `anna@${organisation.split(' ')[0].toLowerCase()}.example`, mobile: '+33612345678' },
    legalRepresentative: { sameAsCertificateManager: true },
    organisation: { name: organisation, country: 'FR', identifier: '552100554', vat: 'FR96552100554',
      address: { lines: ['1 rue de la Paix'], postalCode: '75002', city: 'Paris', country: 'FR' } },
  };
  if (medium !== 'cloud') body.delivery = { beneficiary: 'Anna Maria Eriksson', address: { lines: ['8 rue des Lilas'], postalCode: '69003', city: 'Lyon', country: 'FR' } };
  return body;
}

async function api(method, path, body) {
  const r = await fetch(`${base}${path}`, {
    method, headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, json: await r.json() };
}

async function logIn(page) {
  await adminLogIn(page, cachet, '/console/orders', chosen);
}

/** A registration officer's account, created by the administrator; its owner replaces the first password. */
async function officer(login, password) {
  const first = 'first umber passphrase 64';
  const page = await browser.newPage({ viewport: sizes.desktop, ...english });
  await page.goto(`${base}/console/login?next=/console/operators`);
  await page.getByLabel('Login').fill(admin().login);
  await page.getByLabel('Password').fill(chosen);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL((u) => u.pathname === '/console/operators');
  const create = page.locator('#create-operator');
  await create.locator('#login').fill(login);
  await create.getByLabel('RA officer (ra-officer)').check();
  await create.getByLabel(/^First password/).fill(first);
  await create.getByRole('button', { name: 'Create account' }).click();
  assert.match(await page.locator('[role=status]').innerText(), new RegExp(`Account ${login} created`));
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.waitForURL((u) => u.pathname === '/console/login');
  await page.getByLabel('Login').fill(login);
  await page.getByLabel('Password').fill(first);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(/\/console\/password/);
  await page.locator('input[name=login]').fill(login);
  await page.locator('input[name=current]').fill(first);
  await page.locator('input[name=new]').fill(password);
  await page.locator('input[name=confirm]').fill(password);
  await page.getByRole('button').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/console/password'));
  await page.close();
}

async function rows(page) {
  return page.locator('table.orders tbody tr:not(.empty)').allInnerTexts();
}

describe('order console pages in Chromium', () => {
  before(async () => {
    cachet = await startCachet('cachet-orders-');
    ({ base, data } = cachet);
    browser = await launchChromium();
    // the first administrator takes the account over (the API key works from then on)
    const { login, password, 'api-key': apiKey } = admin();
    key = apiKey;
    const page = await browser.newPage({ viewport: sizes.desktop, ...english });
    await page.goto(`${base}/console/login`);
    await page.getByLabel('Login').fill(login);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/console\/password/);
    await page.locator('input[name=login]').fill(login);
    await page.locator('input[name=current]').fill(password);
    await page.locator('input[name=new]').fill(chosen);
    await page.locator('input[name=confirm]').fill(chosen);
    await page.getByRole('button').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/console/password'));
    await page.close();
    for (const [name, medium] of [['Alpha SAS', 'cloud'], ['Beta SARL', 'usb-c'], ['Gamma SA', 'cloud']]) {
      const created = await api('POST', '/api/v1/orders', order(name, medium));
      assert.equal(created.status, 201, JSON.stringify(created.json));
      ids[name.split(' ')[0].toLowerCase()] = created.json.id;
    }
    const rejected = await api('POST', `/api/v1/orders/${ids.gamma}/rejection`, { reason: 'Registry extract older than 3 months' });
    assert.equal(rejected.status, 200, JSON.stringify(rejected.json));
  });

  after(async () => {
    if (browser) await browser.close();
    if (cachet) cachet.stop();
  });

  test('the list: every order, a search, a state filter, a bad date named', async () => {
    const page = await browser.newPage({ viewport: sizes.desktop, ...english });
    const errors = collectErrors(page);
    await logIn(page);
    assert.match(await page.title(), /^Orders - /);
    assert.equal(await page.locator('.console-tabs [aria-current=page]').innerText(), 'Orders');
    let listed = await rows(page);
    assert.equal(listed.length, 3, listed.join('\n'));
    assert.match(listed[0], /Gamma SA/, 'newest first');

    await page.locator('#q').fill('beta');
    await page.getByRole('button', { name: 'Search' }).click();
    listed = await rows(page);
    assert.equal(listed.length, 1);
    assert.match(listed[0], /Beta SARL/);
    assert.match(listed[0], /USB-C token/);

    await page.locator('#q').fill('');
    await page.locator('#state').selectOption('REJECTED');
    await page.getByRole('button', { name: 'Search' }).click();
    listed = await rows(page);
    assert.equal(listed.length, 1);
    assert.match(listed[0], /Gamma SA/);
    assert.match(listed[0], /Rejected/);
    assert.equal(new URL(page.url()).searchParams.get('state'), 'REJECTED', 'a filtered list has its own address');
    await page.screenshot({ path: join(shots, 'orders-list-filtered-desktop.png'), fullPage: true });

    const bad = await page.goto(`${base}/console/orders?from=31/12/2026`);
    assert.equal(bad.status(), 400);
    assert.match(await page.locator('[role=alert]').innerText(), /Dates: use the form year-month-day/);
    assert.equal((await rows(page)).length, 3, 'the list without the unreadable filter');
    assert.deepEqual(errors.filter((e) => !e.includes('400')), []);
    await page.close();
  });

  test('phone: the list as cards, without scrolling sideways', async () => {
    const page = await browser.newPage({ viewport: sizes.phone, ...english });
    const errors = collectErrors(page);
    await logIn(page);
    const card = page.locator('table.orders tbody tr').first();
    assert.equal(await card.locator('td').first().evaluate((e) => getComputedStyle(e).display), 'block',
      'on a phone a row is a card: its cells one under the other');
    assert.equal(await card.locator('td').nth(1).getAttribute('data-label'), 'State', 'each value named by its column');
    assert.match(await card.locator('td').nth(1).evaluate((e) => getComputedStyle(e, '::before').content), /State|attr/);
    const box = await card.boundingBox();
    assert.ok(box.width <= sizes.phone.width, 'a row is a card as wide as the screen at most');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= sizes.phone.width, `no horizontal scrolling (${width})`);
    await page.screenshot({ path: join(shots, 'orders-list-phone.png'), fullPage: true });
    await page.goto(`${base}/console/orders/${ids.alpha}`);
    const orderWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(orderWidth <= sizes.phone.width, `the order page neither (${orderWidth})`);
    await page.screenshot({ path: join(shots, 'orders-order-phone.png'), fullPage: true });
    assert.deepEqual(errors, []);
    await page.close();
  });

  // before alpha is cancelled (next test): its identity and organisation cases are open
  test('an open order: a registration officer goes on to its identity case and organisation case', async () => {
    // the administrator (role admin only) may not see a person's evidence: no link to the cases
    const adminPage = await browser.newPage({ viewport: sizes.desktop, ...english });
    await logIn(adminPage);
    await adminPage.goto(`${base}/console/orders/${ids.alpha}`);
    const adminMore = await adminPage.locator('section[aria-labelledby=more]').innerText();
    assert.doesNotMatch(adminMore, /Identity of|Organisation documents/);
    await adminPage.close();

    const password = 'amber falcon quarry 42';
    await officer('oscar', password);
    const page = await browser.newPage({ viewport: sizes.desktop, ...english });
    const errors = collectErrors(page);
    await page.goto(`${base}/console/login?next=/console/orders/${ids.alpha}`);
    await page.getByLabel('Login').fill('oscar');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL((u) => u.pathname === `/console/orders/${ids.alpha}`);
    assert.equal(await page.locator('#order-state').innerText(), 'Verification');
    const more = page.locator('section[aria-labelledby=more]');
    const text = await more.innerText();
    assert.match(text, /Identity of Anna Maria Eriksson: Waiting for the person\s+Certificate Manager and Legal Representative, no attempt yet \(\d+ allowed\)\./);
    assert.match(text, /Organisation documents: Waiting for the customer's documents\s+No document uploaded yet\./);
    assert.equal(await more.getByRole('link', { name: /^Identity of / }).count(), 1, 'one person, one identity case');
    const organisationHref = await more.getByRole('link', { name: /^Organisation documents: / }).getAttribute('href');
    assert.match(organisationHref, /^\/console\/organisation\/[A-Za-z0-9_-]+$/);
    await page.screenshot({ path: join(shots, 'orders-case-links-desktop.png'), fullPage: true });

    const identity = more.getByRole('link', { name: 'Identity of Anna Maria Eriksson: Waiting for the person' });
    const caseId = /^\/console\/identity\/([A-Za-z0-9_-]+)$/.exec(await identity.getAttribute('href'))?.[1];
    assert.ok(caseId, await identity.getAttribute('href'));
    await identity.click();
    await page.waitForURL((u) => u.pathname === `/console/identity/${caseId}`);
    assert.match(await page.locator('h1').innerText(), /^Identity of the Certificate Manager/);
    assert.match(await page.locator('main').innerText(), new RegExp(ids.alpha));
    await page.screenshot({ path: join(shots, 'orders-identity-case-desktop.png'), fullPage: true });

    await page.goto(`${base}${organisationHref}`);
    assert.equal(await page.locator('h1').innerText(), 'Organisation: Alpha SAS');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('an order: its timeline, then cancelled with a reason', async () => {
    const page = await browser.newPage({ viewport: sizes.desktop, ...english });
    const errors = collectErrors(page);
    await logIn(page);
    await page.getByRole('link', { name: ids.alpha }).click();
    await page.waitForURL((u) => u.pathname === `/console/orders/${ids.alpha}`);
    assert.equal(await page.locator('#order-state').innerText(), 'Verification');
    const timeline = page.locator('ol.timeline li');
    assert.equal(await timeline.count(), 2, 'submitted, then verification');
    assert.match(await timeline.nth(0).innerText(), /Submitted/);
    assert.match(await timeline.nth(1).innerText(), /Verification[\s\S]*from Submitted/);
    assert.match(await page.locator('section[aria-labelledby=summary]').innerText(), /Alpha SAS[\s\S]*552100554/);

    const cancel = page.locator('#cancel-form');
    await cancel.getByLabel(/Reason for cancelling/).fill('The customer ordered twice by mistake');
    await cancel.getByRole('button', { name: 'Cancel the order' }).click();
    assert.match(await page.locator('[role=status]').innerText(), /The order is cancelled/);
    assert.equal(await page.locator('#order-state').innerText(), 'Cancelled');
    assert.equal(await timeline.count(), 3);
    const last = await timeline.nth(2).innerText();
    assert.match(last, /Cancelled/);
    assert.match(last, /by operator:admin/);
    assert.match(last, /The customer ordered twice by mistake/);
    assert.equal(await page.locator('#cancel-form, #reject-form').count(), 0, 'nothing more to do on a cancelled order');
    await page.screenshot({ path: join(shots, 'orders-timeline-cancelled-desktop.png'), fullPage: true });
    const events = await api('GET', `/api/v1/orders/${ids.alpha}/events`);
    assert.equal(events.json.events.at(-1).reason, 'The customer ordered twice by mistake');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('an order: another bundle\'s action sends a person a fresh status link, never shown', async () => {
    const body = order('Delta SAS', 'cloud');
    body.legalRepresentative = { givenNames: 'Bruno', surname: 'Martin', birthDate: '1968-02-03', email: 'bruno@delta.example', mobile: '+33698765432' };
    const created = await api('POST', '/api/v1/orders', body);
    assert.equal(created.status, 201, JSON.stringify(created.json));
    const id = created.json.id;
    for (const [size, viewport] of Object.entries(sizes)) {
      const page = await browser.newPage({ viewport, ...english });
      const errors = collectErrors(page);
      await logIn(page);
      await page.goto(`${base}/console/orders/${id}`);
      const more = page.locator('section[aria-labelledby=more]');
      assert.match(await more.innerText(), /Send the status link again[\s\S]*a fresh link goes to the address in the order/);
      await more.getByRole('link', { name: 'Send the status link again' }).click();
      await page.waitForURL((u) => u.pathname === `/console/status-links/${id}`);
      assert.match(await page.locator('h1').innerText(), new RegExp(`Status links of order ${id}`));
      assert.equal(await page.locator('.console-tabs [aria-current=page]').textContent(), 'Orders',
        'an order action\'s page is marked as part of the orders, not the home page');
      const forms = page.locator('ul.status-links form');
      assert.equal(await forms.count(), 2, 'one button per person');
      assert.match(await forms.nth(1).innerText(), /Bruno Martin, legal representative\s+bruno@delta\.example/);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= viewport.width, `no sideways scrolling (${width})`);
      const before = (await outbox(base, key, 'bruno@delta.example')).filter((m) => m.template === 'portal.order.link').length;
      await page.getByRole('button', { name: 'Send a fresh link to Bruno Martin' }).click();
      assert.match(await page.locator('[role=status]').innerText(), /A fresh link was sent to bruno@delta\.example; it opens until \d{4}-\d{2}-\d{2}\./);
      assert.doesNotMatch(await page.content(), /\/order\/status\//, 'the page never shows the link');
      // the e-mail is queued with the link; the outbox shows it once the sending job has rendered it
      await until('the fresh link to Bruno in the outbox', async () => (await outbox(base, key, 'bruno@delta.example'))
        .filter((m) => m.template === 'portal.order.link').length === before + 1, 30);
      assert.equal((await outbox(base, key, 'anna@delta.example')).filter((m) => m.template === 'portal.order.link').length,
        0, 'none to Anna');
      await page.screenshot({ path: join(shots, `orders-status-links-${size}.png`), fullPage: true });
      assert.deepEqual(errors, []);
      await page.close();
    }
    // an ended order offers nothing of the kind
    const page = await browser.newPage({ viewport: sizes.desktop, ...english });
    await logIn(page);
    await page.goto(`${base}/console/orders/${ids.gamma}`);
    assert.equal(await page.locator('section[aria-labelledby=more]').count(), 0, 'the rejected order has no status page');
    await page.close();
  });

  test('a rejection from a stale page is refused: the order was cancelled meanwhile, nothing changed', async () => {
    const page = await browser.newPage({ viewport: sizes.desktop, ...english });
    const errors = collectErrors(page);
    await logIn(page);
    await page.goto(`${base}/console/orders/${ids.beta}`);
    const cancelled = await api('POST', `/api/v1/orders/${ids.beta}/cancellation`, { reason: 'Asked by phone' });
    assert.equal(cancelled.status, 200);
    const reject = page.locator('#reject-form');
    await reject.getByLabel(/Reason for rejecting/).fill('Identity document expired');
    const [answer] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'),
      reject.getByRole('button', { name: 'Reject the order' }).click()]);
    assert.equal(answer.status(), 409);
    assert.match(await page.locator('[role=alert]').innerText(), /can no longer be rejected[\s\S]*nothing was changed/);
    assert.equal(await page.locator('#order-state').innerText(), 'Cancelled');
    const events = await api('GET', `/api/v1/orders/${ids.beta}/events`);
    assert.equal(events.json.events.at(-1).to, 'CANCELLED');
    assert.ok(!events.json.events.some((e) => e.to === 'REJECTED'));
    await page.screenshot({ path: join(shots, 'orders-conflict-desktop.png'), fullPage: true });
    assert.deepEqual(errors.filter((e) => !e.includes('409')), []);
    await page.close();
  });
});
