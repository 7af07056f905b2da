/**
 * `npm run docs:figures`: re-runs every figure the README and scenarios/README.md quote and writes it
 * between its markers; `-- --check` writes nothing and fails (exit 1) when a file's block differs
 * from what its command produces now, or when a marker has no figure or a figure no marker (CI runs
 * the check). `--only a,b` runs some figures; `--list` lists them with their cost.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { findBlocks, firstDifference, replaceBlock } from './blocks.js';
import { FIGURES } from './figures.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const { values: opt } = parseArgs({
  options: {
    check: { type: 'boolean', default: false },
    only: { type: 'string' },
    list: { type: 'boolean', default: false },
    workers: { type: 'string', default: String(availableParallelism()) },
  },
});

if (opt.list) {
  for (const f of FIGURES) console.log(`${f.id.padEnd(20)} ${f.file.padEnd(22)} ${f.cost}`);
  process.exit(0);
}

const only = opt.only?.split(',').map((s) => s.trim());
const unknown = only?.filter((id) => !FIGURES.some((f) => f.id === id)) ?? [];
if (unknown.length) {
  console.error(
    `docs:figures: --only: no figure ${unknown.map((u) => `'${u}'`).join(', ')}; figures: ${FIGURES.map((f) => f.id).join(', ')}`,
  );
  process.exit(2);
}

// Every marker must have a figure and every figure a marker, whichever figures run.
const problems: string[] = [];
const files = [...new Set(FIGURES.map((f) => f.file))];
const texts = new Map(files.map((f) => [f, readFileSync(join(root, f), 'utf8')]));
for (const [file, text] of texts) {
  const ids = findBlocks(text, file).map((b) => b.id);
  for (const id of ids)
    if (!FIGURES.some((f) => f.id === id && f.file === file))
      problems.push(`${file}: figure '${id}' has no command in bench/docs-figures/figures.ts`);
  for (const f of FIGURES.filter((x) => x.file === file))
    if (!ids.includes(f.id))
      problems.push(`${file}: no block for figure '${f.id}' (add <!-- figure: ${f.id} --> … <!-- /figure: ${f.id} -->)`);
}

mkdirSync(join(root, 'out/docs-figures'), { recursive: true });
const ctx = { root, workers: Number(opt.workers), log: (l: string) => console.error(`    ${l}`) };
for (const f of FIGURES.filter((x) => !only || only.includes(x.id))) {
  const t0 = performance.now();
  console.error(`figure ${f.id} (${f.file}, ${f.cost}) …`);
  const body = await f.produce(ctx);
  writeFileSync(join(root, 'out/docs-figures', `${f.id}.md`), `${body}\n`);
  // Re-read: the file may have been edited while the figure ran; write each figure as it is done.
  const text = readFileSync(join(root, f.file), 'utf8');
  const block = findBlocks(text, f.file).find((b) => b.id === f.id);
  console.error(`  done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  if (!block) continue;
  const diff = firstDifference(body, block.body);
  if (!diff) continue;
  if (opt.check) {
    problems.push(
      `${f.file}:${block.line + diff.line}: figure '${f.id}' differs from its command's output:\n    README: ${diff.found}\n    now:    ${diff.expected}`,
    );
  } else {
    writeFileSync(join(root, f.file), replaceBlock(text, f.file, f.id, body));
    console.error(`  updated ${f.file}`);
  }
}
if (problems.length) {
  console.error(`\n${problems.join('\n')}\n\nRun \`npm run docs:figures\` to rewrite the blocks, then read the text around them.`);
  process.exit(1);
}
console.error(opt.check ? 'docs:figures: every block matches its command' : 'docs:figures: done');
