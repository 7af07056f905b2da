// The multiplier bootstrap's draws × estimates matrix is sized before it is allocated (issue 16):
// 2e8 draws of R did's 20 ATT(g,t) of the boot fixture would need 32 GB; refused with exit 2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

const main = new URL('../../../src/cli/main.js', import.meta.url).pathname;
const data = new URL('../../../../test/fixtures/did/boot.csv', import.meta.url).pathname;

test('a bootstrap too large for memory is refused with what it would need', () => {
  const r = spawnSync(
    process.execPath,
    ['--max-old-space-size=256', main, 'estimate', '--data', data, '--bootstrap', '200000000', '--seed', '1'],
    {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, STAGGER_MAX_MEMORY: '1GB' },
    },
  );
  assert.equal(r.status, 2, r.stderr);
  // 2e8 × 20 × 8 bytes = 3.2e10 bytes.
  assert.equal(
    r.stderr,
    'stagger: estimate: the multiplier bootstrap (200,000,000 draws × 20 estimates): would need about 32 GB of memory, more than the 1 GB allowed (STAGGER_MAX_MEMORY): ask for fewer bootstrap draws\n',
  );
});
