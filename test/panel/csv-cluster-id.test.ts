// Clustering on the id column itself (`stagger estimate --cluster id`): each unit is its own cluster.
// The reader once gave the id column's cell to the cluster slot only and lost the ids ("unit undefined
// has start group …"); now the clusters are the units' codes and the panel is the unclustered one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePanelCsv } from '../../src/panel/csv.js';

const text = ['id,period,first_treat,y', 'a,1,2,1.5', 'a,2,2,2.5', 'b,1,0,0.5', 'b,2,0,1', 'c,1,0,0.25', 'c,2,0,0.75'].join('\n');
const cols = { id: 'id', time: 'period', group: 'first_treat', outcome: 'y' };

test('--cluster on the id column: one cluster per unit, ids and groups intact', () => {
  const { panel } = parsePanelCsv(text, 'p.csv', { ...cols, cluster: 'id' });
  const plain = parsePanelCsv(text, 'p.csv', cols).panel;
  assert.deepEqual(panel.ids, ['a', 'b', 'c']);
  assert.deepEqual([...panel.group], [...plain.group]);
  assert.deepEqual([...panel.y], [...plain.y]);
  assert.deepEqual([...panel.cluster!], [1, 2, 3]);
});
