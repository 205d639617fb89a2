import { describe, expect, it } from 'vitest';
import type { InstanceKernelObjects } from '@praxis/sandbox';
import { findOffences, NODE_KERNEL_LIMITS } from './kernel-watchdog';

const instance = (id: string, nodes: Partial<InstanceKernelObjects['nodes'][number]>[]): InstanceKernelObjects => ({
  instanceId: id,
  scope: 's',
  fabricFdb: 0,
  nodes: nodes.map((n, i) => ({ node: `n${i}`, netns: 1, conntrack: 0, neighbours: 0, fdb: 0, ...n })),
  totals: { netns: 0, conntrack: 0, neighbours: 0, fdb: 0 },
});

describe('findOffences', () => {
  it('leaves instances within every limit alone', () => {
    const busy = instance('px0000000001', [{ netns: 32, conntrack: 60_000, neighbours: 2_000, fdb: 8_000 }]);
    expect(findOffences([busy], NODE_KERNEL_LIMITS)).toEqual([]);
  });

  it('names the worst node of an offending instance once, with a sentence for its learner', () => {
    const flood = instance('px0000000002', [{ neighbours: 3_000 }, { neighbours: 70_312, conntrack: 70_000 }]);
    const quiet = instance('px0000000003', [{ neighbours: 10 }]);
    const offences = findOffences([flood, quiet], NODE_KERNEL_LIMITS);
    expect(offences).toHaveLength(1);
    expect(offences[0]).toMatchObject({ instanceId: 'px0000000002', node: 'n1', kind: 'neighbours', count: 70_312, limit: 2_048 });
    expect(offences[0]!.reason).toBe('node "n1" held 70,312 neighbour (ARP/NDP) entries (the limit is 2,048), which fills kernel memory every learner shares');
  });

  it('counts namespaces whatever uid made them', () => {
    const uids = instance('px0000000004', [{ netns: 41 }]);
    expect(findOffences([uids], NODE_KERNEL_LIMITS)[0]).toMatchObject({ kind: 'netns', count: 41 });
  });
});
