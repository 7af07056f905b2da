// The README's generated blocks: what counts as a block, how it is replaced, and the errors that keep
// a malformed marker from silently hiding a figure (bench/docs-figures/blocks.ts).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { findBlocks, firstDifference, replaceBlock } from '../../bench/docs-figures/blocks.js';
import { FIGURES, shellLine, withoutTimings } from '../../bench/docs-figures/figures.js';

const doc = [
  '# T',
  '<!-- figure: a -->',
  'old 1',
  'old 2',
  '<!-- /figure: a -->',
  'text',
  '<!-- figure: b -->',
  '<!-- /figure: b -->',
  '',
].join('\n');

test('blocks are found with their bodies and lines', () => {
  const b = findBlocks(doc, 'T.md');
  assert.deepEqual(
    b.map((x) => [x.id, x.body, x.line]),
    [
      ['a', 'old 1\nold 2', 2],
      ['b', '', 7],
    ],
  );
});

test('replacing a block keeps the text around it and the other blocks', () => {
  const out = replaceBlock(doc, 'T.md', 'b', 'new\n');
  assert.equal(out, doc.replace('<!-- figure: b -->\n', '<!-- figure: b -->\nnew\n'));
  assert.equal(replaceBlock(out, 'T.md', 'a', ''), out.replace('old 1\nold 2\n', ''));
});

test('malformed markers are errors naming file and line', () => {
  assert.throws(() => findBlocks('<!-- figure: a -->\nx\n', 'T.md'), /T\.md:1: figure 'a' is never closed/);
  assert.throws(() => findBlocks('<!-- figure: a -->\n<!-- figure: b -->\n', 'T.md'), /T\.md:2: figure 'b' opens inside figure 'a'/);
  assert.throws(() => findBlocks('<!-- /figure: a -->\n', 'T.md'), /T\.md:1: '\/figure: a' closes nothing/);
  assert.throws(() => findBlocks(`${doc}<!-- figure: a -->\n<!-- /figure: a -->\n`, 'T.md'), /figure 'a' appears twice/);
});

test('the first difference names the line, and equal bodies have none', () => {
  assert.deepEqual(firstDifference('a\nb\nc', 'a\nB\nc'), { line: 2, expected: 'b', found: 'B' });
  assert.deepEqual(firstDifference('a\nb', 'a'), { line: 2, expected: 'b', found: '(end of block)' });
  assert.equal(firstDifference('a\n', 'a'), undefined);
});

test('timings are taken out of a block and shell lines quote what a shell would split', () => {
  assert.equal(withoutTimings('2 evaluations, 15.4 s; fitted in 0.1 s, 3 min'), '2 evaluations, … s; fitted in … s, … s');
  assert.equal(shellLine(['run', 'a.yaml', '--set', 'analysis.subgroups=[]']), "stagger run a.yaml --set 'analysis.subgroups=[]'");
  assert.equal(shellLine(['run', 'a.yaml', '--draws', '10', '--seed', '1'], 24), 'stagger run a.yaml \\\n  --draws 10 --seed 1');
});

test('every figure has exactly one block in its file, and every block a figure', () => {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  for (const file of new Set(FIGURES.map((f) => f.file))) {
    const ids = findBlocks(readFileSync(`${root}${file}`, 'utf8'), file)
      .map((b) => b.id)
      .sort();
    assert.deepEqual(
      ids,
      FIGURES.filter((f) => f.file === file)
        .map((f) => f.id)
        .sort(),
      file,
    );
  }
});
