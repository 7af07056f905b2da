/** `npm run bench`: every benchmark named in the issues, with the sizes they name. */
import { benchCalibrate } from './calibrate.js';
import { benchClusterOutcomes } from './cluster-outcomes.js';
import { benchEngine } from './engine.js';
import { benchEstimator } from './estimator.js';
import { benchExplorer } from './explorer.js';
import { benchGenerator } from './generator.js';
import { benchResample } from './resample.js';
import { benchNegativeEffect } from './negative-effect.js';
import { benchClusters } from './clusters.js';
import { benchExternal } from './external.js';
import { benchPeers } from './peers.js';

const only = process.argv[2];
if (!only || only === 'estimator') benchEstimator();
if (!only || only === 'generator') benchGenerator();
if (!only || only === 'cluster-outcomes') benchClusterOutcomes();
if (!only || only === 'calibrate') benchCalibrate();
if (!only || only === 'resample') benchResample();
if (!only || only === 'negative-effect') benchNegativeEffect();
if (!only || only === 'peers') benchPeers();
if (!only || only === 'engine') await benchEngine(Object.fromEntries(process.argv.slice(3).map((a) => a.split('=') as [string, string])));
if (!only || only === 'clusters') benchClusters(Object.fromEntries(process.argv.slice(3).map((a) => a.split('=') as [string, string])));
if (!only || only === 'explorer')
  await benchExplorer(Object.fromEntries(process.argv.slice(3).map((a) => a.split('=') as [string, string])));
if (!only || only === 'external')
  await benchExternal(Object.fromEntries(process.argv.slice(3).map((a) => a.split('=') as [string, string])));
