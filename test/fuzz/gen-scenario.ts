/**
 * Mutated scenario files: a bundled scenario's YAML with one or a few damaging edits (wrong types,
 * out-of-range and non-finite values, missing and unknown keys, anchors, aliases, tags, huge files and
 * grids). Pure: the same rng and base give the same text.
 */
import { isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import { chance, int, pick, type Rng } from './rng.js';

export interface ScenarioCase {
  /** The mutation's name, e.g. "non-finite" (the case's input kind is "scenario/<mutation>"). */
  mutation: string;
  /** What was done, for the case file. */
  detail: string;
  text: string;
  /**
   * True when no valid scenario can result (a key no block knows, NaN where a number goes, a prototype
   * key): `validate` exiting 0 on it is SILENT-CORRUPTION (accepted as valid).
   */
  mustRefuse: boolean;
}

type Path = (string | number)[];

/** Blocks with a fixed set of keys: a key added there is unknown for sure (not a new covariate name). */
const FIXED_BLOCKS = /^(|periods|outcome|effect|design|analysis|outcomes\.\d+|outcomes\.\d+\.effect)$/;

/** Every scalar leaf and every map of the document, by path. */
function nodes(doc: Document): { leaves: Path[]; numeric: Path[]; maps: Path[] } {
  const leaves: Path[] = [];
  const numeric: Path[] = [];
  const maps: Path[] = [[]];
  const walk = (node: unknown, path: Path): void => {
    if (isMap(node)) {
      if (path.length) maps.push(path);
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        walk(pair.value, [...path, key]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => walk(item, [...path, i]));
    } else if (isScalar(node)) {
      leaves.push(path);
      if (typeof node.value === 'number') numeric.push(path);
    }
  };
  walk(doc.contents, []);
  return { leaves, numeric, maps };
}

const WRONG_TYPES: unknown[] = ['abc', '', true, null, [1, 2], { a: 1 }, '12abc', '1,5', '0x1F'];
const OUT_OF_RANGE = [-1, 0, 1.5, -0.5, 2, 1e9, -1e9, 1e308, -1e308, 5e-324, 2 ** 53 + 1, 1e15, 100000];
const NON_FINITE = ['.nan', '.inf', '-.inf'];
const PROTO_KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'prototype', 'valueOf'];
const TAGS = ['!!str', '!!binary', '!!timestamp', '!!float', '!!int', '!!set', '!!omap', '!custom', '!!js/function', '!!python/object'];

const pathText = (p: Path) => p.join('.');

/** Swap two adjacent letters or drop/double one: a key that looks like a typo of `key`. */
function typo(rng: Rng, key: string): string {
  if (key.length < 2) return `${key}x`;
  const i = int(rng, 0, key.length - 2);
  const t = pick(rng, ['swap', 'drop', 'double', 'suffix']);
  if (t === 'swap') {
    const s = key.slice(0, i) + key[i + 1] + key[i] + key.slice(i + 2);
    return s === key ? `${key}_x` : s;
  }
  if (t === 'drop') return key.slice(0, i) + key.slice(i + 1);
  if (t === 'double') return key.slice(0, i) + key[i] + key.slice(i);
  return `${key}_typo`;
}

/** An alias bomb (billion laughs) `depth` levels deep, `width` aliases a level. */
export function aliasBomb(depth: number, width: number): string {
  const lines = ['a0: &a0 [lol, lol]'];
  for (let d = 1; d <= depth; d++) lines.push(`a${d}: &a${d} [${Array.from({ length: width }, () => `*a${d - 1}`).join(', ')}]`);
  return lines.join('\n');
}

/** One mutation of the scenario text `base`. */
export function mutateScenario(rng: Rng, base: string): ScenarioCase {
  const doc = parseDocument(base);
  const { leaves, numeric, maps } = nodes(doc);
  const kind = pick(rng, [
    'wrong-type',
    'out-of-range',
    'non-finite',
    'missing-key',
    'unknown-key',
    'prototype-key',
    'anchor-alias',
    'alias-bomb',
    'tag',
    'huge-file',
    'huge-grid',
    'grid',
    'number-format',
    'garbage',
    'multi',
  ] as const);
  const set = (p: Path, v: unknown) => doc.setIn(p, doc.createNode(v));
  const emit = (mutation: string, detail: string, mustRefuse = false, text?: string): ScenarioCase => {
    if (text !== undefined) return { mutation, detail, text, mustRefuse };
    try {
      return { mutation, detail, text: doc.toString(), mustRefuse };
    } catch {
      // an alias before its anchor (document order): the edit cannot be written; use a merge key instead
      return {
        mutation: 'anchor-alias',
        detail: 'merge key <<: *p',
        text: `${base}\nextra: &p { first: 1 }\nmerged:\n  <<: *p\n`,
        mustRefuse: false,
      };
    }
  };
  switch (kind) {
    case 'wrong-type': {
      const p = pick(rng, leaves);
      const v = pick(rng, WRONG_TYPES);
      set(p, v);
      return emit(kind, `${pathText(p)} = ${JSON.stringify(v)}`);
    }
    case 'out-of-range': {
      const p = pick(rng, numeric.length ? numeric : leaves);
      const v = pick(rng, OUT_OF_RANGE);
      set(p, v);
      return emit(kind, `${pathText(p)} = ${v}`);
    }
    case 'non-finite': {
      const p = pick(rng, numeric.length ? numeric : leaves);
      const v = pick(rng, NON_FINITE);
      doc.setIn(p, doc.createNode('PLACEHOLDER_NF'));
      return emit(kind, `${pathText(p)} = ${v}`, numeric.length > 0, doc.toString().replace('PLACEHOLDER_NF', v));
    }
    case 'missing-key': {
      const n = int(rng, 1, 3);
      const gone: string[] = [];
      for (let i = 0; i < n; i++) {
        const p = pick(rng, [...leaves, ...maps.filter((m) => m.length)]);
        doc.deleteIn(p);
        gone.push(pathText(p));
      }
      return emit(kind, `deleted ${gone.join(', ')}`);
    }
    case 'unknown-key': {
      const fixed = maps.filter((m) => FIXED_BLOCKS.test(pathText(m)));
      const m = pick(rng, fixed);
      const node = m.length ? doc.getIn(m) : doc.contents;
      const keys = isMap(node) ? node.items.map((it) => String(isScalar(it.key) ? it.key.value : it.key)) : ['name'];
      let k = typo(rng, pick(rng, keys));
      if (keys.includes(k)) k = `${k}_unknown`;
      doc.setIn([...m, k], doc.createNode(pick(rng, [1, 'x', true])));
      return emit(kind, `added ${pathText([...m, k])}`, true);
    }
    case 'prototype-key': {
      const k = pick(rng, PROTO_KEYS);
      const where = pick(rng, [['population', 'covariates', k], ['population', 'subgroups', k], [k], ['analysis', k], ['effect', k]]);
      const value = where[1] === 'covariates' ? { type: 'binary', p: 0.5 } : where[1] === 'subgroups' ? { woman: 1 } : { polluted: 1 };
      set(where, value);
      return emit(kind, `added ${pathText(where)}`, true);
    }
    case 'anchor-alias': {
      const src = pick(rng, [...maps.filter((m) => m.length), ...leaves]);
      const dst = pick(rng, [...maps.filter((m) => m.length), ...leaves]);
      const node = doc.getIn(src, true) as Parameters<Document['createAlias']>[0] | undefined;
      if (!node || pathText(src) === pathText(dst) || pathText(dst).startsWith(pathText(src))) {
        // a merge key pulling a block into the top level
        return emit(kind, 'merge key <<: *p of periods', false, `${base}\nextra: &p { first: 1 }\nmerged:\n  <<: *p\n`);
      }
      doc.setIn(dst, doc.createAlias(node, 'fz'));
      return emit(kind, `${pathText(dst)} = *alias of ${pathText(src)}`);
    }
    case 'alias-bomb': {
      const depth = int(rng, 4, 12);
      const width = int(rng, 5, 10);
      return emit(kind, `${depth} levels × ${width} aliases`, true, `${base}\n${aliasBomb(depth, width)}\n`);
    }
    case 'tag': {
      const p = pick(rng, leaves);
      const tag = pick(rng, TAGS);
      const node = doc.getIn(p, true);
      const text = String(isScalar(node) ? node.value : 'x');
      doc.setIn(p, doc.createNode('PLACEHOLDER_TAG'));
      return emit(
        kind,
        `${pathText(p)} = ${tag} ${text}`,
        false,
        doc.toString().replace(/PLACEHOLDER_TAG/, `${tag} ${JSON.stringify(text)}`),
      );
    }
    case 'huge-file': {
      const how = pick(rng, ['long-string', 'many-keys', 'long-list', 'deep-nesting', 'comments']);
      const n = pick(rng, [1e4, 1e5, 1e6]);
      if (how === 'long-string')
        return emit(kind, `description of ${n * 10} characters`, false, `${base}\nnotes: "${'0123456789'.repeat(n)}"\n`);
      if (how === 'comments') return emit(kind, `${n} comment lines`, false, base + '# padding\n'.repeat(n));
      if (how === 'many-keys')
        return emit(
          kind,
          `${n / 100} covariates`,
          false,
          `${base.replace(/^population:.*$/m, 'population_x:')}\npopulation:\n  size: 50\n  covariates:\n${Array.from({ length: n / 100 }, (_, i) => `    c${i}: { type: binary, p: 0.5 }`).join('\n')}\n`,
        );
      if (how === 'long-list') {
        const p = pick(rng, numeric.length ? numeric : leaves);
        set(
          p,
          Array.from({ length: n / 10 }, (_, i) => i + 1),
        );
        return emit(kind, `${pathText(p)} = list of ${n / 10}`);
      }
      return emit(kind, `nesting ${n / 100} deep`, false, `${base}\ndeep: ${'['.repeat(n / 100)}${']'.repeat(n / 100)}\n`);
    }
    case 'huge-grid':
    case 'grid': {
      const axes = int(rng, 1, 3);
      const done: string[] = [];
      for (let a = 0; a < axes && numeric.length; a++) {
        const p = pick(rng, numeric);
        const v = Number(doc.getIn(p));
        const k = kind === 'grid' ? int(rng, 2, 4) : pick(rng, [100, 1000, 10000]);
        set(
          p,
          Array.from({ length: k }, (_, i) => (Number.isInteger(v) ? v + i : v * (1 + i / k))),
        );
        done.push(`${pathText(p)} × ${k}`);
      }
      return emit(kind, done.join(', '));
    }
    case 'number-format': {
      const p = pick(rng, numeric.length ? numeric : leaves);
      const v = pick(rng, ['1_000', '0x1F', '0o17', '+.5', '1e3', '1,5', '-0', '00012', '1e-400', '1e400']);
      doc.setIn(p, doc.createNode('PLACEHOLDER_NUM'));
      return emit(kind, `${pathText(p)} = ${v}`, v === '1e400', doc.toString().replace('PLACEHOLDER_NUM', v));
    }
    case 'garbage': {
      const g = pick(rng, [
        '',
        '---\n',
        '- a\n- b\n',
        '42\n',
        'null\n',
        '\u0000\u0001\u0002binary',
        'name: a\nname: b\n',
        ': :\n  - [\n',
        '{{{{',
        `${base}\n...\n---\nname: second\n`,
        base.slice(0, int(rng, 0, base.length)),
        `\uFEFF${base}`,
        base.replace(/\n/g, '\r\n'),
        base.replace(/ {2}/g, '\t'),
      ]);
      return emit(kind, `text ${JSON.stringify(g.slice(0, 40))}…`, false, g);
    }
    default: {
      // several edits at once
      const edits: string[] = [];
      for (let i = int(rng, 2, 4); i > 0; i--) {
        const p = pick(rng, leaves);
        if (chance(rng, 0.5)) {
          const v = pick(rng, OUT_OF_RANGE);
          set(p, v);
          edits.push(`${pathText(p)} = ${v}`);
        } else {
          doc.deleteIn(p);
          edits.push(`deleted ${pathText(p)}`);
        }
      }
      return emit('multi', edits.join('; '));
    }
  }
}
