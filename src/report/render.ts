/**
 * Charts to PNG with chart.js through chartjs-node-canvas, loaded lazily: `canvas` is a native module
 * built from source against Cairo and is an optional dependency, so when it is missing or broken the
 * report is still written (tables), and says why the charts are not there.
 */
import type { ChartSpec } from './chart-style.js';
import { HEIGHT, WIDTH } from './chart-style.js';

export interface Renderer {
  render(spec: ChartSpec, width?: number, height?: number): Promise<Buffer>;
}

interface NodeCanvasModule {
  ChartJSNodeCanvas: new (o: {
    width: number;
    height: number;
    backgroundColour?: string;
  }) => { renderToBuffer(config: unknown, mime?: string): Promise<Buffer> };
}

let cached: Promise<Renderer | { error: string }> | null = null;

/** The renderer, or why there is none (the module or its native `canvas` could not be loaded). */
export function loadRenderer(): Promise<Renderer | { error: string }> {
  cached ??= (async () => {
    let mod: NodeCanvasModule;
    try {
      // A variable specifier keeps TypeScript from requiring the optional module's types at build time.
      const name = 'chartjs-node-canvas';
      mod = (await import(name)) as NodeCanvasModule;
    } catch (err) {
      return {
        error:
          `charts need the optional packages chartjs-node-canvas and canvas, which could not be loaded (${firstLine(err)}). ` +
          'Install the system libraries (bash scripts/setup.sh, or apt-get install build-essential pkg-config libcairo2-dev libpango1.0-dev libjpeg-dev libgif-dev librsvg2-dev), then npm install.',
      };
    }
    const canvases = new Map<string, InstanceType<NodeCanvasModule['ChartJSNodeCanvas']>>();
    return {
      async render(spec: ChartSpec, width = WIDTH, height = HEIGHT): Promise<Buffer> {
        const key = `${width}x${height}`;
        let c = canvases.get(key);
        if (!c) {
          c = new mod.ChartJSNodeCanvas({ width, height, backgroundColour: 'white' });
          canvases.set(key, c);
        }
        return c.renderToBuffer(spec, 'image/png');
      },
    };
  })();
  return cached;
}

export function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0];
}

/** True when the bytes start with the PNG signature. */
export function isPng(b: Buffer): boolean {
  return b.length > 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
}

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(b: Buffer): { width: number; height: number } {
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}
