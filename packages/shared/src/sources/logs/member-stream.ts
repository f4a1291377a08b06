import { isSignal, type Classified, type Detail, type Reading } from './reading.ts';

/**
 * What one member's stream of lines means across lines. A line alone cannot tell a reconnection
 * from the first connection after start, a lost peer from one this member stopped itself, a
 * second "inactive" for the same outage from a new one, or where a defragmentation began; the
 * lines before it can. State is kept per peer and per raft id, both few, so it stays small
 * whatever the length of the log.
 */
export interface Emitted {
  readonly c: Classified;
  /** Epoch milliseconds: the line's time, or an earlier one (an unfinished defrag is reported when it began). */
  readonly ts: number;
  /** Set when the event is not the current line's (an unfinished defrag reported later). */
  readonly message?: string;
}

export interface MemberStream {
  /** The events a reading amounts to given the lines before it: usually none or one. */
  accept(reading: Reading, ts: number): readonly Emitted[];
  /** Operations left open at the end of the input. */
  flush(): readonly Emitted[];
}

interface StreamState {
  up: boolean;
  lostAt?: number;
}

interface PeerState {
  /** Started in this log: its first activation and each stream's first connection are not news. */
  fresh: boolean;
  stopping: boolean;
  active?: boolean;
  inactiveSince?: number;
  readonly streams: Map<string, StreamState>;
}

interface OpenDefrag {
  startTs?: number;
  before: Detail;
  emitted: boolean;
}

const NONE: readonly Emitted[] = [];
const MAX_KEYS = 64;
/** The "lost leader" after "stepped down" is logged within the same second (raft logger) or millisecond. */
const STEP_DOWN_ECHO_MS = 2000;
/** Errors that mean this member cancelled the stream itself (peer stop, shutdown). */
const LOCAL_STOP = /context canceled|stream reader is stopped/;

/** Map.set that forgets the oldest key past a cap; ids are few, but a log is untrusted input. */
function bounded<V>(m: Map<string, V>, key: string, value: V): V {
  if (!m.has(key) && m.size >= MAX_KEYS) m.delete(m.keys().next().value as string);
  m.set(key, value);
  return value;
}

/** Time between two log times; journald's microsecond clock makes fractions of a millisecond. */
const since = (from: number, to: number): number => Math.round((to - from) * 1000) / 1000;

const withDetail = (c: Classified, d: Detail | undefined): Classified => ({ ...c, ...(d && Object.keys(d).length ? { detail: d } : {}) });
const without = (d: Detail | undefined, key: string): Detail => {
  const out: Detail = { ...d };
  delete out[key];
  return out;
};

export function createMemberStream(): MemberStream {
  const peers = new Map<string, PeerState>();
  const lastElectedTerm = new Map<string, number>();
  const terms = new Map<string, number>();
  const steppedDownAt = new Map<string, number>();
  let processStarted = false;
  let defrag: OpenDefrag | undefined;

  const peer = (id: string): PeerState => peers.get(id) ?? bounded(peers, id, { fresh: processStarted, stopping: false, streams: new Map() });
  const one = (c: Classified, ts: number): readonly Emitted[] => [{ c, ts }];

  function unfinishedDefrag(): readonly Emitted[] {
    const open = defrag;
    defrag = undefined;
    if (!open || open.emitted || open.startTs === undefined) return NONE;
    return [{ c: { kind: 'defrag', detail: { ...open.before, finished: false }, level: 'warn' }, ts: open.startTs, message: 'defragmentation started; the log shows no end' }];
  }

  function onDefrag(c: Classified, ts: number): readonly Emitted[] {
    const phase = c.detail?.phase;
    const d = without(c.detail, 'phase');
    if (phase === 'start') {
      if (!defrag || defrag.emitted) defrag = { startTs: ts, before: {}, emitted: false };
      Object.assign(defrag.before, d);
      return NONE;
    }
    const open = defrag;
    const sinceStart = open?.startTs !== undefined ? since(open.startTs, ts) : undefined;
    if (phase === 'backend-end') {
      defrag = { ...(open ?? { before: {} }), emitted: true };
      return one(withDetail({ ...c, ...(c.durationMs === undefined && sinceStart !== undefined ? { durationMs: sinceStart } : {}) }, { ...open?.before, ...d, finished: true }), ts);
    }
    defrag = undefined;
    if (open?.emitted) return NONE;
    const failed = phase === 'failed';
    return one(withDetail({ ...c, ...(sinceStart !== undefined ? { durationMs: sinceStart } : {}) }, { ...open?.before, ...d, finished: !failed }), ts);
  }

  function onLeader(c: Classified, ts: number): readonly Emitted[] {
    const d = c.detail ?? {};
    const localId = typeof d.localId === 'string' ? d.localId : '';
    const term = typeof d.term === 'number' ? d.term : undefined;
    if (c.kind === 'leader-elected' && term !== undefined) {
      // The winner logs "became leader" and then "elected leader" for the same term: one election.
      if (lastElectedTerm.get(localId) === term) return NONE;
      bounded(lastElectedTerm, localId, term);
    }
    if (term !== undefined) bounded(terms, localId, term);
    if (c.kind !== 'leader-lost') return one(c, ts);
    if (d.reason === 'quorum-inactive') {
      bounded(steppedDownAt, localId, ts);
      const known = terms.get(localId);
      return one(known !== undefined ? withDetail(c, { ...d, term: known }) : c, ts);
    }
    // raft.node's "lost leader <self>" right after "stepped down" is the same loss.
    const stepped = steppedDownAt.get(localId);
    if (stepped !== undefined && d.previousLeaderId === localId && ts - stepped <= STEP_DOWN_ECHO_MS) {
      steppedDownAt.delete(localId);
      return NONE;
    }
    return one(c, ts);
  }

  function onPeer(c: Classified, ts: number): readonly Emitted[] {
    if (!c.peer) return one(c, ts);
    const p = peer(c.peer);
    const error = typeof c.detail?.error === 'string' ? c.detail.error : '';
    const streamKey = typeof c.detail?.stream === 'string' ? c.detail.stream : '';
    switch (c.kind) {
      case 'peer-inactive': {
        if (p.stopping || LOCAL_STOP.test(error) || p.active === false) return NONE;
        p.active = false;
        p.inactiveSince = ts;
        return one(c, ts);
      }
      case 'peer-active': {
        const was = p.active;
        const inactiveSince = p.inactiveSince;
        p.active = true;
        p.inactiveSince = undefined;
        if (was === true || (was === undefined && p.fresh)) return NONE;
        return one(inactiveSince !== undefined ? withDetail(c, { ...c.detail, downMs: since(inactiveSince, ts) }) : c, ts);
      }
      case 'peer-connection-lost': {
        if (p.stopping || LOCAL_STOP.test(error)) return NONE;
        const s = p.streams.get(streamKey) ?? bounded(p.streams, streamKey, { up: false });
        s.up = false;
        s.lostAt ??= ts;
        return one(c, ts);
      }
      case 'peer-connection-restored': {
        const s = p.streams.get(streamKey);
        bounded(p.streams, streamKey, { up: true });
        if (!s) return p.fresh ? NONE : one(c, ts);
        return one(s.lostAt !== undefined ? withDetail(c, { ...c.detail, downMs: since(s.lostAt, ts) }) : c, ts);
      }
      default:
        return one(c, ts);
    }
  }

  return {
    accept(reading, ts) {
      if (isSignal(reading)) {
        switch (reading.signal) {
          case 'process-start': {
            const open = unfinishedDefrag();
            peers.clear();
            steppedDownAt.clear();
            processStarted = true;
            return open;
          }
          case 'peer-start':
            bounded(peers, reading.peer, { fresh: true, stopping: false, streams: new Map() });
            return NONE;
          case 'peer-stop':
            peer(reading.peer).stopping = true;
            return NONE;
          case 'raft-term':
            bounded(terms, reading.localId, reading.term);
            return NONE;
        }
      }
      switch (reading.kind) {
        case 'defrag':
          return onDefrag(reading, ts);
        case 'leader-elected':
        case 'leader-lost':
        case 'leader-changed':
          return onLeader(reading, ts);
        case 'peer-inactive':
        case 'peer-active':
        case 'peer-connection-lost':
        case 'peer-connection-restored':
          return onPeer(reading, ts);
        default:
          return one(reading, ts);
      }
    },
    flush: unfinishedDefrag,
  };
}
