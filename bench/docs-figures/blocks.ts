/**
 * Generated blocks in Markdown files: `<!-- figure: ID -->` … `<!-- /figure: ID -->`. Everything
 * between the two markers is written by `npm run docs:figures` (bench/docs-figures/main.ts); the text
 * around them is the author's. Pure functions, so the checker and the writer agree on what a block is.
 */

export interface Block {
  id: string;
  /** Text between the markers, without the newline after the opening marker. */
  body: string;
  /** 1-based line of the opening marker, for messages. */
  line: number;
}

const OPEN = /^<!-- figure: ([a-z0-9-]+) -->$/;
const CLOSE = /^<!-- \/figure: ([a-z0-9-]+) -->$/;

/** The blocks of a Markdown text, in order; an unclosed, nested or duplicated block is an error naming its line. */
export function findBlocks(text: string, file: string): Block[] {
  const lines = text.split('\n');
  const blocks: Block[] = [];
  let open: { id: string; line: number; start: number } | undefined;
  const seen = new Set<string>();
  lines.forEach((l, i) => {
    const o = OPEN.exec(l);
    const c = CLOSE.exec(l);
    if (o) {
      if (open) throw new Error(`${file}:${i + 1}: figure '${o[1]}' opens inside figure '${open.id}' (line ${open.line})`);
      if (seen.has(o[1])) throw new Error(`${file}:${i + 1}: figure '${o[1]}' appears twice`);
      seen.add(o[1]);
      open = { id: o[1], line: i + 1, start: i + 1 };
    } else if (c) {
      if (!open || open.id !== c[1]) throw new Error(`${file}:${i + 1}: '/figure: ${c[1]}' closes ${open ? `'${open.id}'` : 'nothing'}`);
      blocks.push({ id: open.id, body: lines.slice(open.start, i).join('\n'), line: open.line });
      open = undefined;
    }
  });
  if (open) throw new Error(`${file}:${open.line}: figure '${open.id}' is never closed`);
  return blocks;
}

/** The text with block `id`'s body replaced (the markers stay). */
export function replaceBlock(text: string, file: string, id: string, body: string): string {
  const b = findBlocks(text, file).find((x) => x.id === id);
  if (!b) throw new Error(`${file}: no figure '${id}'`);
  const lines = text.split('\n');
  const end = lines.indexOf(`<!-- /figure: ${id} -->`, b.line);
  const trimmed = body.replace(/\n+$/, '');
  return [...lines.slice(0, b.line), ...(trimmed === '' ? [] : trimmed.split('\n')), ...lines.slice(end)].join('\n');
}

/** First differing line of two bodies, for a readable check failure. */
export function firstDifference(expected: string, found: string): { line: number; expected: string; found: string } | undefined {
  const a = expected.replace(/\n+$/, '').split('\n');
  const b = found.replace(/\n+$/, '').split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return { line: i + 1, expected: a[i] ?? '(end of block)', found: b[i] ?? '(end of block)' };
  }
  return undefined;
}
