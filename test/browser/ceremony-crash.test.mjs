// The first start's key ceremony killed with SIGKILL, for real: cachet.jar is started on a new data directory and
// killed as soon as the ceremony's mark (DATA/secrets/key-ceremony.unfinished) appears, then again, on the same
// directory, as soon as the root token's PIN file appears (the root token made, its keys not yet certified). The
// next start must finish the ceremony: /health 200, openssl verifying the issuing CA under the root that /pki
// serves, the root PIN file opening the root token, the mark gone. KeyCeremonyCrashTest (io.cachet.ca) kills at
// every token-changing step in process; this is the same with the operating system's kill.
// Run: node --test test/browser/ (after the Maven build).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jar, freePort, startCachet } from './cachet.mjs';

/** Starts cachet.jar on `data` and kills it with SIGKILL the moment `file` exists; resolves once it is dead. */
async function killWhenExists(data, file) {
  const port = await freePort();
  const child = spawn('java', ['-jar', jar, '--data', data, '--port', String(port)], { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  let alive = true;
  exited.then(() => { alive = false; });
  const end = Date.now() + 120_000;
  // polled every millisecond: the ceremony's steps take longer than that, so the kill lands inside the one watched
  while (alive && !existsSync(file)) {
    if (Date.now() > end) {
      child.kill('SIGKILL');
      await exited;
      throw new Error(`${file} never appeared`);
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  assert.ok(alive, `cachet.jar ended by itself before ${file} appeared`);
  child.kill('SIGKILL');
  await exited;
}

test('a first start killed twice during its key ceremony is finished by the next start', async () => {
  let marker;
  const cachet = await startCachet('cachet-ceremony-crash-', async (data) => {
    marker = join(data, 'secrets', 'key-ceremony.unfinished');
    await killWhenExists(data, marker);
    assert.ok(existsSync(marker), 'killed while the ceremony ran');
    await killWhenExists(data, join(data, 'secrets', 'root-token.pin'));
    assert.ok(existsSync(marker), 'killed again while the ceremony ran');
  });
  const work = mkdtempSync(join(tmpdir(), 'cachet-ceremony-crash-check-'));
  try {
    assert.ok(!existsSync(marker), 'the finished ceremony removed its mark');
    const secrets = readdirSync(join(cachet.data, 'secrets'));
    assert.deepEqual(secrets.filter((n) => n.endsWith('.pending')), [], `no pending PIN file left: ${secrets}`);

    // openssl: the issuing CA that /pki serves is signed by the root that /pki serves
    for (const [name, path] of [['root.der', '/pki/root-ca.cer'], ['issuing.der', '/pki/issuing-ca.cer']]) {
      const r = await fetch(`${cachet.base}${path}`);
      assert.equal(r.status, 200, path);
      writeFileSync(join(work, name), Buffer.from(await r.arrayBuffer()));
    }
    for (const name of ['root', 'issuing']) {
      const pem = spawnSync('openssl', ['x509', '-inform', 'DER', '-in', `${name}.der`, '-out', `${name}.pem`], { cwd: work, encoding: 'utf8' });
      assert.equal(pem.status, 0, pem.stderr);
    }
    const verified = spawnSync('openssl', ['verify', '-CAfile', 'root.pem', 'issuing.pem'], { cwd: work, encoding: 'utf8' });
    assert.equal(verified.status, 0, verified.stdout + verified.stderr);

    // the root PIN file written for the operator opens the root token, which holds the root key and no other
    const tokens = readdirSync(join(cachet.data, 'tokens')).filter((n) => n.endsWith('.p12'));
    const opened = tokens.map((t) => spawnSync('openssl', ['pkcs12', '-in', join(cachet.data, 'tokens', t), '-passin',
      `file:${join(cachet.data, 'secrets', 'root-token.pin')}`, '-nokeys', '-info'], { encoding: 'utf8' }))
      .filter((r) => r.status === 0);
    assert.equal(opened.length, 1, `one token opens with the root PIN: ${tokens}`);
    assert.match(opened[0].stdout + opened[0].stderr, /friendlyName: ca-root/);
    assert.doesNotMatch(opened[0].stdout + opened[0].stderr, /ca-issuing/);
  } finally {
    rmSync(work, { recursive: true, force: true });
    cachet.stop();
  }
});
