// The console's identity review in headless Chromium. The real cachet.jar starts with a proofing provider of this
// test in DATA/deploy (fixtures/identity-provider, compiled and packed here: it plays a vendor that has finished,
// handing the identity service drawn images and its verdict) and, by configuration, that provider and a required
// second approval. An order is made through POST /api/v1/orders; its identity link, read from the outbox, is opened:
// the case waits for review. A registration officer finds it in the queue (desktop), looks at the evidence side by
// side and approves; the page says a second approval is awaited; another officer, on a phone, gives it: the order's
// identity check has passed. Another case is rejected: without a reason the browser refuses; with a reason of the list
// and a comment, the person may try again and receives both with a new link. No content security policy violation. Screenshots: target/screenshots/identity-*.png.
// Run: node --test test/browser/ (after the Maven build).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir, homedir } from 'node:os';
import { join } from 'node:path';
import { startCachet, launchChromium, collectErrors, adminApiKey, outbox, until, shots, sizes, root, fixtureBundle, initialAdmin } from './cachet.mjs';

// The identity service's configuration (PID of io.cachet.identity's component) and the provider the fixture registers.
const IDENTITY_PID = 'io.cachet.identity';
const english = { locale: 'en-GB' };
const adminPassword = 'violet tractor harbour 77';
const officers = { olga: 'copper willow lantern 58', rita: 'granite heron meadow 61' };
const firstPassword = 'first umber passphrase 64';
let cachet, base, browser, key, orderId, caseId, secondOrderId;

/** The first administrator's login, from DATA/initial-admin.txt. */
function adminLogin() {
  return initialAdmin(cachet.data).login;
}

async function logIn(page, login, password, next) {
  await page.goto(`${base}/console/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Login').fill(login);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL((u) => u.pathname === next || u.pathname.startsWith('/console/password'));
}

/** An RA officer's account, created by the administrator, its first password replaced by its owner. */
async function officer(login) {
  const page = await browser.newPage({ viewport: sizes.desktop, ...english });
  await logIn(page, adminLogin(), adminPassword, '/console/operators');
  const create = page.locator('#create-operator');
  await create.locator('#login').fill(login);
  await create.getByLabel('RA officer (ra-officer)').check();
  await create.getByLabel(/^First password/).fill(firstPassword);
  await create.getByRole('button', { name: 'Create account' }).click();
  assert.equal(await page.locator('[role=alert]').count(), 0, await page.locator('main').innerText());
  assert.match(await page.locator('[role=status]').innerText(), new RegExp(`Account ${login} created`));
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.waitForURL((u) => u.pathname === '/console/login');
  await logIn(page, login, firstPassword, '/console/identity');
  await page.locator('input[name=login]').fill(login);
  await page.locator('input[name=current]').fill(firstPassword);
  await page.locator('input[name=new]').fill(officers[login]);
  await page.locator('input[name=confirm]').fill(officers[login]);
  await page.getByRole('button').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/console/password'));
  await page.close();
}

async function api(method, path, body) {
  const r = await fetch(`${base}${path}`, {
    method, headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, json: await r.json() };
}

/**
 * An order made through the API whose person opens the e-mailed identity link on a phone: the fixture provider
 * submits the evidence and its verdict, the case waits for review. Returns the order's id.
 */
async function orderInReview(organisation, email) {
  const created = await api('POST', '/api/v1/orders', {
    product: 'enterprise-plus', validityYears: 1, medium: 'cloud',
    certificateManager: { givenNames: 'Anna Maria', surname: 'Eriksson', birthDate: '1974-08-12', email, mobile: '+33612345678' },
    legalRepresentative: { sameAsCertificateManager: true },
    organisation: { name: organisation, country: 'FR', identifier: '552100554', vat: 'FR96552100554',
      address: { lines: ['1 rue de la Paix'], postalCode: '75002', city: 'Paris', country: 'FR' } },
  });
  assert.equal(created.status, 201, JSON.stringify(created.json));
  let link;
  await until(`the identity link to ${email} in the outbox`, async () => {
    const messages = await outbox(base, key, email);
    link = messages.map((m) => /https?:\/\/[^\s"<>]*\/identity\/start\/[A-Za-z0-9_-]+/.exec(m.body)).find((m) => m)?.[0];
    return Boolean(link);
  }, 60);
  const person = await browser.newPage({ viewport: sizes.phone, ...english });
  await person.goto(`${base}${new URL(link).pathname}`);
  assert.match(await person.locator('body').innerText(), /submitted for review/);
  await person.close();
  return created.json.id;
}

/** Whether every image of the page was loaded and decoded (the servlet served real JPEG and PNG). */
async function imagesShown(page) {
  return page.locator('.evidence img').evaluateAll((imgs) => imgs.length > 0 && imgs.every((i) => i.complete && i.naturalWidth > 0));
}

describe('identity review in the console, in Chromium', () => {
  before(async () => {
    const jar = fixtureBundle('identity-provider', 'io/cachet/browsertest/identity/Activator.java');
    cachet = await startCachet('cachet-identity-console-', (data) => {
      const deploy = join(data, 'deploy');
      mkdirSync(deploy, { recursive: true });
      execFileSync('cp', [jar, join(deploy, 'identity-provider.jar')]);
      writeFileSync(join(deploy, `${IDENTITY_PID}.cfg`), 'defaultProvider=browser-test\nsecondApproval=true\n');
    });
    ({ base } = cachet);
    browser = await launchChromium();
    key = await adminApiKey(browser, base, cachet.data, adminPassword);
    await officer('olga');
    await officer('rita');

    orderId = await orderInReview('Identite Console SAS', 'anna@identity.example');
    secondOrderId = await orderInReview('Identite Refus SARL', 'bruno@identity.example');
  });

  after(async () => {
    if (browser) await browser.close();
    if (cachet) cachet.stop();
  });

  test('desktop: the queue, the evidence side by side, a first approval', async () => {
    const page = await browser.newPage({ viewport: sizes.desktop, ...english });
    const errors = collectErrors(page);
    await logIn(page, 'olga', officers.olga, '/console/identity');
    assert.match(await page.title(), /^Identity review - /);
    assert.equal(await page.locator('.console-tabs [aria-current=page]').innerText(), 'Identity review');
    const rows = page.locator('table.identity-queue tbody tr');
    assert.equal(await rows.count(), 2);
    assert.match(await rows.first().innerText(), new RegExp(orderId), 'oldest first');
    const row = await rows.first().innerText();
    assert.match(row, new RegExp(orderId));
    assert.match(row, /Certificate Manager/);
    assert.match(row, /browser-test/);
    assert.match(row, /1 of \d/);
    assert.match(row, /none yet/);
    assert.equal(await rows.first().getByRole('link', { name: orderId, exact: true }).getAttribute('href'), `/console/orders/${orderId}`);
    await page.screenshot({ path: join(shots, 'identity-queue-desktop.png'), fullPage: true });

    await rows.first().getByRole('link', { name: /Review/ }).click();
    await page.waitForURL((u) => u.pathname.startsWith('/console/identity/'));
    caseId = new URL(page.url()).pathname.split('/').pop();
    assert.equal(await page.locator('#case-status').innerText(), 'Awaiting review');
    await until('the evidence images shown', () => imagesShown(page), 30);
    const figures = page.locator('.evidence figure');
    assert.equal(await figures.count(), 3, 'front, back, selfie');
    const boxes = await figures.evaluateAll((fs) => fs.map((f) => f.getBoundingClientRect().top));
    assert.ok(boxes.every((t) => Math.abs(t - boxes[0]) < 2), `side by side on a desktop (${boxes})`);
    const compare = await page.locator('#compare').innerText();
    assert.match(compare, /Eriksson/);
    assert.match(compare, /Anna Maria/);
    assert.match(compare, /1974-08-12/);
    const checks = await page.locator('table.check-table').allInnerTexts();
    assert.match(checks.join('\n'), /score 0\.97/);
    await page.screenshot({ path: join(shots, 'identity-case-desktop.png'), fullPage: true });

    // an image opens on its own, never cached
    const image = await page.request.get(`${base}/console/identity/${caseId}/image/1/selfie`);
    assert.equal(image.status(), 200);
    assert.equal(image.headers()['content-type'], 'image/png');
    assert.equal(image.headers()['cache-control'], 'no-store');

    const approve = page.locator('#approve-form');
    await approve.getByRole('button', { name: 'Approve the identity' }).click();
    assert.equal(new URL(page.url()).pathname, `/console/identity/${caseId}`, 'the browser refuses without the confirmation');
    await approve.getByLabel(/I compared the document and the selfie/).check();
    await approve.getByRole('button', { name: 'Approve the identity' }).click();
    await page.waitForURL((u) => u.searchParams.get('done') === 'first-approval');
    assert.match(await page.locator('[role=status]').first().innerText(), /awaits a second approval/);
    assert.match(await page.locator('#awaiting-second').innerText(), /You approved this identity/);
    assert.equal(await page.locator('#approve-form').count(), 0, 'no second approval by the same operator');
    assert.equal(await page.locator('#case-status').innerText(), 'Awaiting review');
    await page.screenshot({ path: join(shots, 'identity-first-approval-desktop.png'), fullPage: true });
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('phone: the queue as cards, the evidence stacked, the second approval passes the order\'s check', async () => {
    assert.ok(caseId, 'the desktop test ran first');
    const page = await browser.newPage({ viewport: sizes.phone, ...english });
    const errors = collectErrors(page);
    await logIn(page, 'rita', officers.rita, '/console/identity');
    const card = page.locator('table.identity-queue tbody tr').first();
    assert.equal(await card.locator('td').first().evaluate((e) => getComputedStyle(e).display), 'block');
    assert.match(await card.innerText(), /1, awaiting a second approval/);
    let width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= sizes.phone.width, `no horizontal scrolling (${width})`);
    await page.screenshot({ path: join(shots, 'identity-queue-phone.png'), fullPage: true });

    await card.getByRole('link', { name: /Review/ }).click();
    await page.waitForURL((u) => u.pathname === `/console/identity/${caseId}`);
    await until('the evidence images shown', () => imagesShown(page), 30);
    const tops = await page.locator('.evidence figure').evaluateAll((fs) => fs.map((f) => f.getBoundingClientRect().top));
    assert.ok(tops[0] < tops[1] && tops[1] < tops[2], `one under the other on a phone (${tops})`);
    assert.match(await page.locator('#awaiting-second').innerText(), /Approved by olga/);
    width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= sizes.phone.width, `the case page neither (${width})`);
    await page.screenshot({ path: join(shots, 'identity-case-phone.png'), fullPage: true });

    const approve = page.locator('#approve-form');
    await approve.getByLabel(/I compared the document and the selfie/).check();
    await approve.getByRole('button', { name: 'Give the second approval' }).click();
    await page.waitForURL((u) => u.searchParams.get('done') === 'approved');
    assert.match(await page.locator('[role=status]').first().innerText(), /Identity approved/);
    assert.equal(await page.locator('#case-status').innerText(), 'Approved');
    assert.equal(await page.locator('#approve-form, #reject-form').count(), 0, 'nothing more to decide');
    assert.equal(await page.locator('table.decision-table tbody tr').count(), 2, 'both approvals recorded');
    await page.screenshot({ path: join(shots, 'identity-approved-phone.png'), fullPage: true });

    await until('the order\'s identity check passed', async () => {
      const order = await api('GET', `/api/v1/orders/${orderId}`);
      return (order.json.checks ?? []).some((c) => c.kind.startsWith('identity') && c.status === 'PASSED');
    }, 30);
    await page.goto(`${base}/console/identity`);
    assert.ok(!(await page.locator('table.identity-queue').innerText()).includes(orderId), 'out of the queue');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('desktop: a rejection needs a reason of the list; with its comment, the person may try again', async () => {
    const page = await browser.newPage({ viewport: sizes.desktop, ...english });
    const errors = collectErrors(page);
    await logIn(page, 'olga', officers.olga, '/console/identity');
    const row = page.locator('table.identity-queue tbody tr').filter({ hasText: secondOrderId });
    await row.getByRole('link', { name: /Review/ }).click();
    await page.waitForURL((u) => u.pathname.startsWith('/console/identity/idc'));
    const reject = page.locator('#reject-form');
    await reject.getByLabel('Comment for the person').fill('The photo of the passport is blurred: hold it still.');
    await reject.getByRole('button', { name: 'Reject the identity' }).click();
    assert.ok(new URL(page.url()).searchParams.get('done') === null, 'the browser asks for a reason first');
    const options = await reject.locator('#reject-reason option').allInnerTexts();
    assert.ok(options.length > 2, `the reasons of the list, by their texts: ${options}`);
    await reject.locator('#reject-reason').selectOption('image-quality');
    assert.ok(await reject.getByLabel(/Allow another attempt \(2 left\)/).isChecked(), 'another attempt by default');
    await reject.getByRole('button', { name: 'Reject the identity' }).click();
    await page.waitForURL((u) => u.searchParams.get('done') === 'rejected-retry');
    assert.match(await page.locator('[role=status]').first().innerText(), /the person receives the reason and a link to try again/);
    assert.equal(await page.locator('#case-status').innerText(), 'Waiting for the person');
    const decision = await page.locator('table.decision-table tbody tr').first().innerText();
    assert.match(decision, /Rejected/);
    assert.match(decision, /olga/);
    assert.match(decision, /The photo of the passport is blurred/);
    await page.screenshot({ path: join(shots, 'identity-rejected-desktop.png'), fullPage: true });
    await until('the e-mail with the reason and a new link', async () =>
      (await outbox(base, key, 'bruno@identity.example')).some((m) => m.body.includes('The photo of the passport is blurred')), 30);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
