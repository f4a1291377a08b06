import { describe, expect, it } from 'vitest';
import { EtcdStatusSchema, prefixRangeEnd } from './etcd-gateway.ts';

describe('etcd gateway helpers', () => {
  it('computes the range end of a prefix like etcdctl --prefix', () => {
    expect(prefixRangeEnd('lab/frag/').toString()).toBe('lab/frag0');
    expect([...prefixRangeEnd('a\xff')]).toEqual([0x61, 0xc3, 0xc0]);
    expect([...prefixRangeEnd('')]).toEqual([0]);
  });

  it('reads a 3.4 status answer with 64-bit integers as strings', () => {
    const s = EtcdStatusSchema.parse({ header: { cluster_id: '1', member_id: '17227010664766480024', revision: '2', raft_term: '2' }, version: '3.4.23', dbSize: '20480', leader: '17227010664766480024', raftIndex: '4', raftTerm: '2', dbSizeInUse: '16384' });
    expect(s).toMatchObject({ dbSize: 20480, dbSizeInUse: 16384, raftTerm: 2, leader: '17227010664766480024' });
  });
});
