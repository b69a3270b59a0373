// Issuance across kill -9: the real cachet.jar on a fresh PostgreSQL database (so that psql, a tool we did not write,
// can count what the CA holds). Cloud orders pass into ISSUANCE in a burst (the order-checks fixture in DATA/deploy
// passes the steps before) and the process is killed with SIGKILL while the background issuance makes their keys and
// certificates — twice: while the first one also makes the cloud key token, then once it exists; token orders' requests are posted at once and the process is killed as soon as the first one is
// answered 201. After a start on the same data directory: every cloud order gets its certificate and moves on to
// DELIVERY, a token certificate answered before the kill is still there with the same serial and its request answers
// it again, the others are issued when asked again, and the CA holds exactly one certificate per order — none lost,
// none twice. The issuance lease is shortened by configuration (DATA/deploy/io.cachet.issuance.cfg) so that a
// cloud issuance taken by the killed process is taken over within seconds. Chromium only logs the administrator in
// for an API key. Run: node --test test/browser/ (after the Maven build).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCachet, launchChromium, adminApiKey, until, fixtureBundle, advance, apiClient } from './cachet.mjs';

const pg = { ...process.env, PGHOST: process.env.PGHOST || '127.0.0.1', PGUSER: process.env.PGUSER || 'postgres' };
const database = `cachet_issuance_crash_${process.pid}`;
const CLOUD = 16;
const TOKEN = 4;
let api, json, cachet, base, browser, key, work;

/** psql's one value for `sql` on the test's database. */
function psql(sql) {
  return execFileSync('psql', ['-d', database, '-tAc', sql], { env: pg, encoding: 'utf8' }).trim();
}

const organisation = (kind, i) => `Crash ${kind} ${String(i).padStart(2, '0')} SAS`;

/** Submits an order of `medium` for `name` and passes its checks until it is in `state` (ACCEPTANCE or ISSUANCE). */
async function submitted(medium, name, state) {
  const address = { lines: ['1 rue de la Paix'], postalCode: '75002', city: 'Paris', country: 'FR' };
  const person = (given, mail, mobile) => ({ givenNames: given, surname: 'Martin', birthDate: '1980-01-01', email: mail, mobile });
  const made = await json('/api/v1/orders', { method: 'POST', body: JSON.stringify({
    product: 'enterprise-plus', validityYears: 1, medium, language: 'en',
    certificateManager: person('Claire', `claire.${name.split(' ')[2]}.${medium}@crash.example`, '+33612345611'),
    legalRepresentative: person('Jean', `jean.${name.split(' ')[2]}.${medium}@crash.example`, '+33612345612'),
    organisation: { name, country: 'FR', identifier: '552100554', vat: 'FR96552100554', address },
    ...(medium === 'cloud' ? {} : { delivery: { beneficiary: 'Claire Martin', address } }),
  }) });
  await advance(base, key, made.id, state, 60);
  return made.id;
}

/**
 * Cloud orders numbered `first`.. brought to ACCEPTANCE, then all moved into ISSUANCE at once and the process killed
 * while they are issued; after the restart each has one certificate and is in DELIVERY.
 */
async function cloudBurst(t, first) {
  const orders = [];
  for (let i = first; i < first + CLOUD; i++) orders.push(await submitted('cloud', organisation('Cloud', i), 'ACCEPTANCE'));
  // each move answered once committed, then the kill while they are issued
  const moved = await Promise.all(orders.map((id) => fetch(`${base}/browser-test-checks/${id}`, { method: 'POST' })));
  assert.deepEqual(moved.map((r) => r.status), orders.map(() => 200));
  let issuedBefore;
  await cachet.crashAndRestart(() => {
    issuedBefore = Number(psql(`SELECT COUNT(*) FROM ca_certificate WHERE subject SIMILAR TO '%Crash Cloud (${orders.map((_, k) => String(first + k).padStart(2, '0')).join('|')}) SAS%'`));
  });
  t.diagnostic(`${issuedBefore} of ${CLOUD} cloud certificates were issued when the process was killed`);
  assert.ok(issuedBefore < CLOUD, `the kill came while issuances were due (${issuedBefore} of ${CLOUD} issued before it)`);
  for (const id of orders) assert.notEqual((await json(`/api/v1/orders/${id}`)).state, 'ACCEPTANCE', `${id}: its move was acknowledged`);

  for (const [k, id] of orders.entries()) {
    const name = organisation('Cloud', first + k);
    try {
      await until(`the certificate of ${id}`, async () => (await json(`/api/v1/orders/${id}/certificate`)).status === 'ISSUED', 120);
    } catch (e) {
      const log = readFileSync(join(cachet.data, 'logs', 'cachet.0.log'), 'utf8').split('\n').filter((l) => /WARN|ERROR|SEVERE/.test(l)).slice(-15).join('\n');
      throw new Error(`${e.message}: ${JSON.stringify(await json(`/api/v1/orders/${id}/certificate`))}; the log's last warnings:\n${log}`);
    }
    const certificate = await json(`/api/v1/orders/${id}/certificate`);
    assert.equal(certificate.organisation.name, name);
    assert.equal((await json(`/api/v1/certificates/${certificate.serial}`)).status, 'good');
    await until(`${id} in DELIVERY`, async () => ['DELIVERY', 'ACTIVE'].includes((await json(`/api/v1/orders/${id}`)).state), 60);
    assert.equal(psql(`SELECT COUNT(*) FROM ca_certificate WHERE subject LIKE '%${name}%'`), '1', `one certificate for ${name}`);
  }
  const serials = new Set();
  for (const id of orders) serials.add((await json(`/api/v1/orders/${id}/certificate`)).serial);
  assert.equal(serials.size, CLOUD, 'a serial per order');
}

describe('order issuance across kill -9 (cachet.jar on PostgreSQL)', () => {
  before(async () => {
    execFileSync('createdb', [database], { env: pg });
    work = mkdtempSync(join(tmpdir(), 'cachet-issuance-crash-'));
    const checks = fixtureBundle('order-checks', 'io/cachet/browsertest/checks/Activator.java');
    cachet = await startCachet('cachet-issuance-crash-', (data) => {
      const deploy = join(data, 'deploy');
      mkdirSync(deploy, { recursive: true });
      execFileSync('cp', [checks, join(deploy, 'order-checks.jar')]);
      writeFileSync(join(deploy, 'io.cachet.store.cfg'), `url=jdbc:postgresql://${pg.PGHOST}:5432/${database}\nuser=${pg.PGUSER}\n`);
      writeFileSync(join(deploy, 'io.cachet.issuance.cfg'), 'leaseSeconds=5\njobSeconds=1\n');
    });
    ({ base } = cachet);
    browser = await launchChromium();
    key = await adminApiKey(browser, base, cachet.data, 'cobalt lantern meadow 31');
    ({ api, json } = apiClient(base, key));
  });

  after(async () => {
    if (browser) await browser.close();
    if (cachet) cachet.stop();
    if (work) rmSync(work, { recursive: true, force: true });
    spawnSync('dropdb', ['--if-exists', database], { env: pg });
  });

  test('cloud orders passing into ISSUANCE as the process dies each get one certificate after the restart', async (t) => {
    // the token orders too are brought to ISSUANCE now: the last test's kill is about their requests only
    const tokens = [];
    for (let i = 1; i <= TOKEN; i++) tokens.push(await submitted('usb-a', organisation('Token', i), 'ISSUANCE'));
    writeFileSync(join(work, 'tokens.json'), JSON.stringify(tokens));
    // the first cloud issuance also makes the cloud key token: the kill comes while it is made
    await cloudBurst(t, 1);
  });

  test('the same once the cloud key token exists: the kill comes while keys and certificates are made', async (t) => {
    await cloudBurst(t, CLOUD + 1);
  });

  test('a token certificate answered before the kill is the same after it, and every request answers once', async () => {
    const tokens = JSON.parse(readFileSync(join(work, 'tokens.json'), 'utf8'));
    const csrs = tokens.map((id, i) => {
      const keyFile = join(work, `token-${i}.key`);
      const csrFile = join(work, `token-${i}.csr`);
      execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
        '-subj', '/CN=Cachet token', '-keyout', keyFile, '-out', csrFile], { stdio: 'ignore' });
      return readFileSync(csrFile, 'utf8');
    });
    const post = (i) => api(`/api/v1/orders/${tokens[i]}/certificate`, { method: 'POST', body: JSON.stringify({ csr: csrs[i] }) })
      .then(async (r) => ({ i, status: r.status, body: await r.text() }), (e) => ({ i, status: 0, body: String(e) }));
    const answers = tokens.map((_, i) => post(i));
    const first = await Promise.race(answers);
    await cachet.crashAndRestart();
    const before = (await Promise.all(answers)).filter((a) => a.status === 201);
    assert.ok(before.some((a) => a.i === first.i), `the first answer was a 201: ${first.status} ${first.body}`);

    for (const a of before) {
      const serial = JSON.parse(a.body).serial;
      const kept = await json(`/api/v1/orders/${tokens[a.i]}/certificate`);
      assert.equal(kept.status, 'ISSUED', 'acknowledged before the kill: still there');
      assert.equal(kept.serial, serial);
      const again = await post(a.i);
      assert.equal(again.status, 200, again.body);
      assert.equal(JSON.parse(again.body).serial, serial, 'the same request answers the same certificate');
    }
    for (let i = 0; i < tokens.length; i++) {
      if (before.some((a) => a.i === i)) continue;
      const asked = await post(i); // not answered before the kill: issued now, or answered as issued then
      assert.ok([200, 201].includes(asked.status), asked.body);
    }
    for (let i = 1; i <= TOKEN; i++) {
      assert.equal(psql(`SELECT COUNT(*) FROM ca_certificate WHERE subject LIKE '%${organisation('Token', i)}%'`), '1',
        `one certificate for ${organisation('Token', i)}`);
    }
  });
});
