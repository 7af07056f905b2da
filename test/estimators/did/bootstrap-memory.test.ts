// The multiplier bootstrap's draws × estimates matrix is sized before it is allocated (issue 16):
// 100,000 draws (the cap on --bootstrap) of R did's 20 ATT(g,t) of the boot fixture need 16 MB; with a
// 1 MB budget (STAGGER_MAX_MEMORY) that is refused with exit 2, before anything is allocated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

const main = new URL('../../../src/cli/main.js', import.meta.url).pathname;
const data = new URL('../../../../test/fixtures/did/boot.csv', import.meta.url).pathname;

test('a bootstrap too large for memory is refused with what it would need', () => {
  const r = spawnSync(
    process.execPath,
    ['--max-old-space-size=256', main, 'estimate', '--data', data, '--bootstrap', '100000', '--seed', '1'],
    {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, STAGGER_MAX_MEMORY: '1MB' },
    },
  );
  assert.equal(r.status, 2, r.stderr);
  // 1e5 × 20 × 8 bytes = 1.6e7 bytes.
  assert.equal(
    r.stderr,
    'stagger: estimate: the multiplier bootstrap (100,000 draws × 20 estimates): would need about 16 MB of memory, more than the 1 MB allowed (STAGGER_MAX_MEMORY): ask for fewer bootstrap draws\n',
  );
});
