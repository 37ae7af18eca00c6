import { describe, expect, it } from 'vitest';
import { type NodeGoneReason, NodeTable } from './node-table.js';

function table(maxNodes = 4) {
  const gone: Array<[string, NodeGoneReason]> = [];
  const t = new NodeTable(maxNodes, 30_000, (rec, why) => gone.push([rec.id, why]));
  return { t, gone };
}

describe('NodeTable', () => {
  const wall = 1_700_000_000_000;

  it('admits a node, refuses replays and messages off the clock', () => {
    const { t } = table();
    expect(t.admit('n1', 100, 1, wall, wall, 0)).toMatchObject({ ok: true });
    expect(t.admit('n1', 100, 1, wall, wall, 1)).toEqual({ ok: false, reason: 'replay' });
    expect(t.admit('n1', 100, 2, wall - 60_000, wall, 1)).toEqual({ ok: false, reason: 'stale' });
    expect(t.admit('n1', 0, 3, wall, wall, 1)).toEqual({ ok: false, reason: 'malformed' });
    expect(t.size).toBe(1);
  });

  it('replaces an incarnation with a later one and refuses the earlier afterwards', () => {
    const { t, gone } = table();
    t.admit('n1', 100, 1, wall, wall, 0);
    expect(t.admit('n1', 200, 1, wall, wall, 1)).toMatchObject({ ok: true });
    expect(gone).toEqual([['n1', 'restart']]);
    expect(t.admit('n1', 100, 2, wall, wall, 2)).toEqual({ ok: false, reason: 'stale_incarnation' });
  });

  it('expires silent nodes; replays cannot revive them, new messages of the same incarnation do', () => {
    const { t, gone } = table();
    t.admit('n1', 100, 1, wall, wall, 0);
    t.admit('n2', 100, 1, wall, wall, 0);
    t.admit('n2', 100, 2, wall, wall, 900);
    t.expire(1_000, wall, 500);
    expect(gone).toEqual([['n1', 'timeout']]);
    expect(t.admit('n1', 100, 1, wall, wall, 1_001)).toEqual({ ok: false, reason: 'replay' });
    expect(t.admit('n1', 99, 7, wall, wall, 1_001)).toEqual({ ok: false, reason: 'stale_incarnation' });
    expect(t.admit('n1', 100, 5, wall, wall, 1_001)).toMatchObject({ ok: true, revived: true });
    t.expire(2_000, wall, 500);
    expect(t.admit('n1', 101, 1, wall, wall, 2_001)).toMatchObject({ ok: true, revived: false });
    // refreshAll: after this node's own outage nobody times out at once.
    t.refreshAll(5_000);
    t.expire(5_100, wall, 500);
    expect(gone).toHaveLength(3);
  });

  it('caps the number of nodes', () => {
    const { t } = table(2);
    t.admit('a', 1, 1, wall, wall, 0);
    t.admit('b', 1, 1, wall, wall, 0);
    expect(t.admit('c', 1, 1, wall, wall, 0)).toEqual({ ok: false, reason: 'too_many_nodes' });
  });
});
