// The organisation check in headless Chromium, on the real cachet.jar. An order is made through POST /api/v1/orders;
// its status link (read from the outbox) is opened on a phone: the status page links to the upload page. The person
// sends an extract older than three months (refused, with the reason, nothing kept), then a recent one (received). A
// registration officer reviews it in the console on a desktop (queue, checks, the PDF's pages shown as images) and
// rejects it with a reason; the person sees the reason on the phone and sends a new extract; the officer approves:
// the order's organisation check has passed. No content security policy violation.
// Screenshots: target/screenshots/organisation-*.png. Run: node --test test/browser/ (after the Maven build).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCachet, launchChromium, collectErrors, adminApiKey, outbox, until, shots, sizes, initialAdmin, onePagePdf } from './cachet.mjs';

const english = { locale: 'en-GB' };
const adminPassword = 'violet tractor harbour 77';
const officerPassword = 'amber kestrel orchard 39';
const firstPassword = 'first umber passphrase 64';
const email = 'anna@organisation.example';
let cachet, base, browser, key, orderId, statusPath;

function kbis(daysAgo, file) {
  const d = new Date(Date.now() - daysAgo * 86400000);
  const date = `${String(d.getUTCDate()).padStart(2, '0')}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${d.getUTCFullYear()}`;
  const path = join(mkdtempSync(join(tmpdir(), 'cachet-kbis-')), file);
  writeFileSync(path, onePagePdf(['Greffe du Tribunal de Commerce de Paris', 'Extrait Kbis', `a jour au ${date}`,
    'Immatriculation au RCS, numero 552 100 554 R.C.S. Paris', 'Date d\'immatriculation 01/03/1998',
    'Denomination ou raison sociale ACME Browser SAS', 'President Anna Maria ERIKSSON']));
  return path;
}

function adminLogin() {
  return cachet.adminLogin;
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
  assert.match(await page.locator('[role=status]').innerText(), new RegExp(`Account ${login} created`));
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.waitForURL((u) => u.pathname === '/console/login');
  await logIn(page, login, firstPassword, '/console/organisation');
  await page.locator('input[name=login]').fill(login);
  await page.locator('input[name=current]').fill(firstPassword);
  await page.locator('input[name=new]').fill(officerPassword);
  await page.locator('input[name=confirm]').fill(officerPassword);
  await page.getByRole('button').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/console/password'));
  await page.close();
}

async function organisationCheck() {
  const r = await fetch(`${base}/api/v1/orders/${orderId}`, { headers: { Authorization: `Bearer ${key}` } });
  return (await r.json()).checks.find((c) => c.kind === 'organisation');
}

/** The status page's link to the upload page (beside the identity module's own action). */
const UPLOAD = 'ul.actions a.action[href*="/organisation/upload/"]';

/** On a phone: the status page's link to the upload page, then one file sent. */
async function send(page, file) {
  await page.goto(`${base}${statusPath}`);
  await page.locator(UPLOAD).click();
  await page.waitForURL((u) => u.pathname.startsWith('/organisation/upload/'));
  await page.getByLabel(/Register's extract/).check();
  await page.locator('input[type=file]').setInputFiles(file);
  await page.getByRole('button', { name: 'Send' }).click();
  await page.waitForLoadState();
}

describe('organisation check: upload on a phone, review in the console, in Chromium', () => {
  before(async () => {
    cachet = await startCachet('cachet-organisation-');
    ({ base } = cachet);
    cachet.adminLogin = initialAdmin(cachet.data).login;
    browser = await launchChromium();
    key = await adminApiKey(browser, base, cachet.data, adminPassword);
    await officer('odile');
    const created = await fetch(`${base}/api/v1/orders`, {
      method: 'POST', headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        product: 'enterprise-plus', validityYears: 1, medium: 'cloud', language: 'en',
        certificateManager: { givenNames: 'Anna Maria', surname: 'Eriksson', birthDate: '1974-08-12', email, mobile: '+33612345678' },
        legalRepresentative: { sameAsCertificateManager: true },
        organisation: { name: 'ACME Browser SAS', country: 'FR', identifier: '552100554', vat: 'FR96552100554',
          address: { lines: ['1 rue de la Paix'], postalCode: '75002', city: 'Paris', country: 'FR' } },
      }),
    });
    assert.equal(created.status, 201);
    orderId = (await created.json()).id;
    await until('the status link in the outbox', async () => {
      const link = (await outbox(base, key, email)).map((m) => /https?:\/\/[^\s"<>]*(\/order\/status\/[A-Za-z0-9_-]+)/.exec(m.body)).find((m) => m);
      statusPath = link?.[1];
      return Boolean(statusPath);
    }, 60);
  });

  after(async () => {
    if (browser) await browser.close();
    if (cachet) cachet.stop();
  });

  test('phone: an old extract is refused with the reason, a recent one is received', async () => {
    const page = await browser.newPage({ viewport: sizes.phone, ...english });
    const errors = collectErrors(page);
    await page.goto(`${base}${statusPath}`);
    await until('the upload action on the status page', async () => {
      await page.reload();
      return (await page.locator(UPLOAD).count()) === 1;
    }, 30);
    assert.match(await page.locator('ul.actions').innerText(), /Upload the register's extract/);
    await page.screenshot({ path: join(shots, 'organisation-status-phone.png'), fullPage: true });

    await send(page, kbis(130, 'old-kbis.pdf'));
    assert.match(await page.locator('[role=alert]').innerText(), /more than 3 months ago/);
    await page.screenshot({ path: join(shots, 'organisation-refused-phone.png'), fullPage: true });
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= sizes.phone.width, `no horizontal scrolling on a phone (${width})`);

    await send(page, kbis(5, 'kbis.pdf'));
    assert.match(await page.locator('[role=status]').first().innerText(), /Your extract was received/);
    assert.match(await page.locator('ul.documents').innerText(), /kbis\.pdf/);
    assert.doesNotMatch(await page.locator('ul.documents').innerText(), /old-kbis/, 'the refused file was not kept');
    await page.screenshot({ path: join(shots, 'organisation-received-phone.png'), fullPage: true });
    // the refused upload's page is a 400, which Chromium logs; nothing else (a policy violation would be an error)
    assert.deepEqual(errors.filter((e) => !e.includes('status of 400')), []);
    await page.close();
  });

  test('desktop: the officer reads the checks and the pages, rejects; the person sends again; approved', async () => {
    const page = await browser.newPage({ viewport: sizes.desktop, ...english });
    const errors = collectErrors(page);
    await logIn(page, 'odile', officerPassword, '/console/organisation');
    const rows = page.locator('table.organisation-queue tbody tr');
    assert.equal(await rows.count(), 1);
    assert.match(await rows.first().innerText(), new RegExp(orderId));
    assert.match(await rows.first().innerText(), /ACME Browser SAS/);
    await page.screenshot({ path: join(shots, 'organisation-queue-desktop.png'), fullPage: true });
    await rows.first().getByRole('link', { name: 'Review' }).click();
    await page.waitForURL((u) => /^\/console\/organisation\/org_/.test(u.pathname));
    const casePath = new URL(page.url()).pathname;
    const checks = await page.locator('table.checks').innerText();
    assert.match(checks, /Registration number well formed\s+PASSED/);
    assert.match(checks, /Extract less than 3 months old\s+PASSED/);
    assert.match(checks, /Organisation name in the extract\s+PASSED/);
    await until('the PDF page rendered as an image', () => page.locator('.viewer img').first()
      .evaluate((i) => i.complete && i.naturalWidth > 0), 30);
    await page.screenshot({ path: join(shots, 'organisation-case-desktop.png'), fullPage: true });

    // the browser refuses an empty reason; with one, the case is rejected
    await page.getByRole('button', { name: 'Reject' }).click();
    assert.equal(new URL(page.url()).pathname, casePath);
    await page.getByLabel(/Reason/).fill('The extract shows a pending dissolution: send a current one.');
    await page.getByRole('button', { name: 'Reject' }).click();
    await page.waitForURL((u) => u.searchParams.get('done') === 'rejected');
    assert.equal((await organisationCheck()).status, 'FAILED');

    const phone = await browser.newPage({ viewport: sizes.phone, ...english });
    await phone.goto(`${base}${statusPath}`);
    assert.match(await phone.locator('body').innerText(), /pending dissolution/);
    await send(phone, kbis(2, 'kbis-current.pdf'));
    assert.match(await phone.locator('[role=status]').first().innerText(), /Your extract was received/);
    await phone.close();
    assert.equal((await organisationCheck()).status, 'PENDING');

    await page.goto(`${base}${casePath}`);
    await page.getByLabel(/in the extract: Anna Maria Eriksson/).check();
    await page.getByRole('button', { name: 'Approve the organisation' }).click();
    await page.waitForURL((u) => u.searchParams.get('done') === 'approved');
    assert.equal(await page.locator('#case-status').innerText(), 'Approved');
    await page.screenshot({ path: join(shots, 'organisation-approved-desktop.png'), fullPage: true });
    assert.equal((await organisationCheck()).status, 'PASSED');
    assert.deepEqual(errors, []);
    await page.close();
  });
});
