/**
 * `stagger explore`: the live explorer, one self-contained HTML file (src/explore/page.ts) that runs the
 * scenario's simulation in the browser; `--serve` serves the same page on 127.0.0.1. Wiring only.
 */
import { createServer } from 'node:http';
import { writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { applySettingsToText, parseSetting, scenarioWithSettings } from '../engine/settings.js';
import { explorerConfig, explorerHtml } from '../explore/page.js';
import { readScenarioText } from '../scenario/load.js';
import { InputError } from './errors.js';
import { numberOption } from './options.js';
import { scenarioFile, writableFile } from './preflight.js';

interface ExploreArgs {
  scenario: string;
  out?: string;
  serve: boolean;
  port: number;
  set?: string[];
}

const PORT = { expected: 'a port number from 0 to 65535 (0: any free port)', integer: true, min: 0, max: 65535 };

export const exploreCommand: CommandModule<object, ExploreArgs> = {
  command: 'explore <scenario>',
  describe: 'Write the live explorer: one HTML file that runs the simulation in the browser, with a control for every setting',
  builder: (y) =>
    y
      .positional('scenario', {
        type: 'string',
        demandOption: true,
        describe: "Scenario file (YAML), or a bundled scenario's name, e.g. teach-twfe-bias",
      })
      .option('out', { type: 'string', describe: 'The HTML file to write (default out/<scenario>-explore.html)' })
      .option('serve', { type: 'boolean', default: false, describe: 'Also serve the page on http://127.0.0.1:PORT/ until interrupted' })
      .option('port', numberOption('port', PORT, { default: 8737, describe: 'Port for --serve (0: any free port)' }))
      .option('set', {
        type: 'string',
        array: true,
        describe: 'Change a setting of the scenario before exploring it, PATH=VALUE (as stagger run --set); repeatable',
      })
      .example('$0 explore teach-twfe-bias', 'Write out/teach-twfe-bias-explore.html; open it in a browser (no server, no network)')
      .example(
        '$0 explore scenarios/r1-isf-waitlist.yaml --serve',
        'Serve the explorer of R1 on http://127.0.0.1:8737/',
      ) as Argv<ExploreArgs>,
  handler: async (a: ArgumentsCamelCase<ExploreArgs>) => {
    const file = scenarioFile(a.scenario);
    const set = (a.set ?? []).map(parseSetting);
    const scenario = scenarioWithSettings(file, set); // every problem of the file, said as `stagger validate` says it
    if ((scenario.population as { from_panel?: unknown }).from_panel) {
      throw new InputError(
        `${file}: population.from_panel: the explorer runs in the browser, which cannot read the panel file the scenario resamples; expected a scenario of a synthetic world (stagger run and stagger report work with this one)`,
      );
    }
    const text = set.length ? applySettingsToText(readScenarioText(file), file, set).text : readScenarioText(file);
    const label = basename(file);
    const html = explorerHtml(explorerConfig(text, label));
    const out = a.out ?? join('out', `${basename(file, extname(file))}-explore.html`);
    writableFile('--out', out);
    writeFileSync(out, html);
    process.stdout.write(`${out}: the explorer of ${label} (${(html.length / 1e6).toFixed(1)} MB, self-contained); open it in a browser\n`);
    if (!a.serve) return;
    await new Promise<void>((resolve, reject) => {
      const server = createServer((req, res) => {
        if (req.method !== 'GET' || (req.url !== '/' && !req.url?.startsWith('/#') && !req.url?.startsWith('/?'))) {
          res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: the explorer is at /\n');
          return;
        }
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html);
      });
      server.on('error', (err: NodeJS.ErrnoException) =>
        reject(
          new InputError(
            `--port ${a.port}: cannot serve on 127.0.0.1:${a.port} (${err.code ?? err.message}); choose another --port, or 0 for any free one`,
          ),
        ),
      );
      server.listen(a.port, '127.0.0.1', () => {
        const addr = server.address();
        const port = addr && typeof addr === 'object' ? addr.port : a.port;
        process.stdout.write(`serving the explorer on http://127.0.0.1:${port}/ (Ctrl-C stops)\n`);
      });
      const stop = () => server.close(() => resolve());
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  },
};
