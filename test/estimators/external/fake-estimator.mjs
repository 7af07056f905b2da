#!/usr/bin/env node
// A deliberately unreliable external estimator for the protocol's tests. It answers `simple` with
// estimate = draw / 100 and se = 0.1 (and `dynamic:0` with 2·that), except on the draws its arguments
// name: `crash=D` exits with code 3 after a stderr line, `slow=D` never answers, `garbage=D` prints a
// line that is not JSON, `wrong=D` answers another draw's number, `nan=D` gives estimate "abc",
// `missing=D` leaves `simple` out, `stderr=D` writes a stderr line and answers normally. `dead`
// exits at once, before any draw; `pidfile=F` appends its pid to F on start (to count restarts).
// `avg` also answers `dynamic_avg` (estimate 3·draw / 100, se 0.3) and `group_avg` (4·, 0.4); `honour` lists every
// option of the request in "honoured", `stray` lists "bogus"; `echo=F` writes each request line to F.
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

const opts = Object.fromEntries(process.argv.slice(2).map((a) => a.split('=')));
const on = (k, d) => opts[k] !== undefined && opts[k].split(',').map(Number).includes(d);
if ('dead' in opts) {
  process.stderr.write('fake: cannot start (dead)\n');
  process.exit(2);
}
if (opts.pidfile) appendFileSync(opts.pidfile, `${process.pid}\n`);
const rl = createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const req = JSON.parse(line);
  const d = req.draw;
  if (opts.echo) writeFileSync(opts.echo, line);
  if (!existsSync(req.panel)) {
    process.stdout.write(`${JSON.stringify({ draw: d, rows: [] })}\n`);
    return;
  }
  if (on('crash', d)) {
    process.stderr.write(`fake: crashing on draw ${d}\n`);
    process.exit(3);
  }
  if (on('slow', d)) return;
  if (on('garbage', d)) return void process.stdout.write('this is not json\n');
  if (on('stderr', d)) process.stderr.write(`fake: a warning on draw ${d}\n`);
  const rows = [];
  for (const id of req.estimands) {
    if (id === 'simple' && !on('missing', d)) rows.push({ estimand: 'simple', estimate: on('nan', d) ? 'abc' : d / 100, se: 0.1 });
    if (id === 'dynamic:0') rows.push({ estimand: 'dynamic:0', estimate: d / 50, se: 0.2, p: 0.5, ci_low: -1, ci_high: 1 });
    if ('avg' in opts && id === 'dynamic_avg') rows.push({ estimand: id, estimate: (3 * d) / 100, se: 0.3, p: 0.5 });
    if ('avg' in opts && id === 'group_avg') rows.push({ estimand: id, estimate: (4 * d) / 100, se: 0.4 });
  }
  const honoured = 'honour' in opts ? Object.keys(req.options ?? {}) : 'stray' in opts ? ['bogus'] : undefined;
  process.stdout.write(`${JSON.stringify({ draw: on('wrong', d) ? d + 1 : d, rows, ...(honoured ? { honoured } : {}) })}\n`);
});
