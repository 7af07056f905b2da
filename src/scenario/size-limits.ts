/**
 * Sizes checked before memory is taken: input files (regular files only, capped in bytes), design
 * grids (points counted from the axis lengths before any point is built) and the memory a draw or a
 * panel's id × period index would need (estimated from the shape, refused above a budget). One place
 * for the limits, so the messages and the README's "Input limits" say the same numbers.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { totalmem } from 'node:os';

/** Scenario files are a few KB; 4 MB leaves room for long comments and generated grids. */
export const SCENARIO_MAX_BYTES = 4_000_000;
/** CSV panels: 1 GB by default (a long panel of ~20 million rows); STAGGER_MAX_INPUT_BYTES raises it. */
export const PANEL_MAX_BYTES_DEFAULT = 1_000_000_000;
/** Design points of one scenario's grid; STAGGER_MAX_GRID_POINTS raises it. */
export const GRID_MAX_POINTS_DEFAULT = 10_000;
/** Share of the machine's memory one draw (or one panel read) may need; STAGGER_MAX_MEMORY sets an absolute budget. */
export const MEMORY_FRACTION = 0.5;

/** A problem with an input file, in the scenario-problem shape: what was expected, what was found. */
export class InputFileError extends Error {
  override name = 'InputFileError';
  constructor(
    readonly file: string,
    readonly expected: string,
    readonly found: string,
  ) {
    super(`${file}: expected ${expected}, found ${found}`);
  }
}

/** "1.5 GB", "320 MB", "12 KB": decimal units, two significant digits at most. */
export function formatBytes(n: number): string {
  const units: [number, string][] = [
    [1e12, 'TB'],
    [1e9, 'GB'],
    [1e6, 'MB'],
    [1e3, 'KB'],
  ];
  for (const [u, name] of units) if (n >= u) return `${+(n / u).toPrecision(n / u >= 100 ? 3 : 2)} ${name}`;
  return `${n} bytes`;
}

/** 1234567 → "1,234,567" (the error messages' numbers, whatever the locale). */
export function formatCount(n: number): string {
  if (!Number.isFinite(n) || n >= 1e21) return n.toExponential(2);
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A byte count from the environment: "2000000000", "2GB", "512MiB", "1.5g"; undefined when unset. */
export function bytesFromEnv(name: string, env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b?)\s*$/i.exec(raw);
  if (!m)
    throw new InputFileError(`environment variable ${name}`, 'a size in bytes such as 2000000000, 2GB or 512MiB', JSON.stringify(raw));
  const power = ' kmgt'.indexOf(m[2].toLowerCase() || ' ');
  const base = m[3].toLowerCase().startsWith('i') ? 1024 : 1000;
  return Math.floor(Number(m[1]) * base ** power);
}

function countFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < 1) throw new InputFileError(`environment variable ${name}`, 'a whole number ≥ 1', JSON.stringify(raw));
  return v;
}

/** The byte cap of CSV panels (STAGGER_MAX_INPUT_BYTES or the default). */
export function panelMaxBytes(): number {
  return bytesFromEnv('STAGGER_MAX_INPUT_BYTES') ?? PANEL_MAX_BYTES_DEFAULT;
}

/** The most design points a grid may have (STAGGER_MAX_GRID_POINTS or the default). */
export function gridMaxPoints(): number {
  return countFromEnv('STAGGER_MAX_GRID_POINTS', GRID_MAX_POINTS_DEFAULT);
}

/** The memory one draw or one panel read may need: STAGGER_MAX_MEMORY, else half the machine's memory. */
export function memoryBudget(): { bytes: number; why: string } {
  const set = bytesFromEnv('STAGGER_MAX_MEMORY');
  if (set !== undefined) return { bytes: set, why: 'STAGGER_MAX_MEMORY' };
  return {
    bytes: Math.floor(totalmem() * MEMORY_FRACTION),
    why: `half of this machine's ${formatBytes(totalmem())} of memory; STAGGER_MAX_MEMORY sets another budget`,
  };
}

/** What a file is, in words, when it is not a regular file. */
function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a named pipe (FIFO), which may never end';
  if (st.isCharacterDevice()) return 'a character device (such as /dev/zero), which may never end';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** The reason a file could not be opened, without the errno noise: "no such file", "permission denied". */
function openFailure(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'a file this user may not read (permission denied)';
    case 'EISDIR':
      return 'a directory';
    case 'ENOTDIR':
      return 'a path through something that is not a directory';
    default:
      return err.message;
  }
}

/**
 * Read a whole input file, refusing what is not a regular file (a directory, a FIFO, /dev/zero) and
 * anything larger than `maxBytes`, before reading it: the size is taken from the open descriptor, and
 * at most maxBytes + 1 bytes are ever read (a file that grows while read is refused too).
 * @param what the file's role in messages, e.g. "a scenario file (YAML)"
 * @param raise how to allow a larger file, named in the message
 * @throws {InputFileError} with what was expected and what was found
 */
export function readInputFile(file: string, what: string, maxBytes: number, raise: string): Buffer {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO nobody writes to would otherwise wait for ever, before fstat can tell.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw new InputFileError(file, `a file that exists and can be read (${what})`, openFailure(err as NodeJS.ErrnoException));
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new InputFileError(file, `a regular file (${what})`, kindOf(st));
    const limit = `a file of at most ${formatBytes(maxBytes)} (${what}${raise ? `; ${raise}` : ''})`;
    if (st.size > maxBytes) throw new InputFileError(file, limit, `${formatBytes(st.size)}`);
    // Sized from fstat; a file that holds more than it reports (under /proc) or grows is read on, to the cap.
    let buf = Buffer.allocUnsafe(Math.min(maxBytes + 1, st.size + 1));
    let got = 0;
    for (;;) {
      if (got === buf.length) {
        if (got > maxBytes) throw new InputFileError(file, limit, `more than ${formatBytes(maxBytes)}`);
        const bigger = Buffer.allocUnsafe(Math.min(maxBytes + 1, Math.max(65536, buf.length * 2)));
        buf.copy(bigger, 0, 0, got);
        buf = bigger;
      }
      const n = readSync(fd, buf, got, buf.length - got, null);
      if (n === 0) return buf.subarray(0, got);
      got += n;
    }
  } finally {
    closeSync(fd);
  }
}

/** A scenario file's bytes (at most SCENARIO_MAX_BYTES). @throws {InputFileError} */
export function readScenarioFile(file: string): Buffer {
  return readInputFile(file, 'a scenario, YAML', SCENARIO_MAX_BYTES, '');
}

/** A CSV panel's bytes (at most panelMaxBytes()). @throws {InputFileError} */
export function readPanelFile(file: string): Buffer {
  return readInputFile(
    file,
    'a CSV panel',
    panelMaxBytes(),
    'set STAGGER_MAX_INPUT_BYTES, e.g. STAGGER_MAX_INPUT_BYTES=4GB, to read a larger one',
  );
}

/**
 * The number of design points of a grid: the product of its axis lengths, computed without building
 * any point (a 1,000 × 1,000 × 1,000 grid is 1e9, said at once).
 */
export function gridPointCount(axes: readonly { values: readonly unknown[] }[]): number {
  return axes.reduce((n, a) => n * a.values.length, 1);
}

/** Why a grid is too large, or null: "1,000 × 1,000 × 1,000 = 1,000,000,000 design points". */
export function gridTooLarge(axes: readonly { path: string; values: readonly unknown[] }[]): { expected: string; found: string } | null {
  const n = gridPointCount(axes);
  const max = gridMaxPoints();
  if (n <= max) return null;
  return {
    expected: `a design grid of at most ${formatCount(max)} points (give fewer values per axis, split the grid into several scenario files or --set runs, or set STAGGER_MAX_GRID_POINTS)`,
    found: `${axes.map((a) => `${a.path} (${formatCount(a.values.length)})`).join(' × ')} = ${formatCount(n)} design points`,
  };
}

/** Why an allocation of `bytes` is refused, or null: "would need about 24 GB, more than the 12 GB budget (…)". */
export function memoryTooLarge(bytes: number, what: string): string | null {
  const budget = memoryBudget();
  if (bytes <= budget.bytes) return null;
  return `${what}: would need about ${formatBytes(bytes)} of memory, more than the ${formatBytes(budget.bytes)} allowed (${budget.why})`;
}
