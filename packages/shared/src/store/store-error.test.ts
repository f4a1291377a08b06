import { describe, expect, it } from 'vitest';
import { redact, StoreError, toStoreError } from './store-error.ts';

const where = { operation: 'writeBatch', target: 'http://ch:8123', secrets: ['p@ss word'] };

/** The shape @clickhouse/client's ClickHouseError has (chDB's connection throws its own copy of the class). */
function clickhouseError(message: string, code: string, type: string, cause?: Error): Error {
  return Object.assign(new Error(message, cause ? { cause } : undefined), { code, type });
}

describe('toStoreError', () => {
  it('keeps ClickHouse code and type, the operation and the target', () => {
    const e = toStoreError(clickhouseError('default: Authentication failed', '516', 'AUTHENTICATION_FAILED'), where);
    expect(e).toBeInstanceOf(StoreError);
    expect(e).toMatchObject({ code: 'STORE', clickhouseCode: '516', clickhouseType: 'AUTHENTICATION_FAILED', operation: 'writeBatch', target: 'http://ch:8123' });
    expect(e.message).toBe('http://ch:8123: writeBatch failed: ClickHouse error 516 AUTHENTICATION_FAILED: default: Authentication failed');
  });

  it('takes the type from the end of the full text when the client picked an earlier word', () => {
    const full = new Error('Code: 62. DB::Exception: Syntax error: failed at position 4 (COMMENT) (line 1, col 4): x. Expected one of: TTL. (SYNTAX_ERROR)');
    expect(toStoreError(clickhouseError('Syntax error: failed at position 4 ', '62', 'COMMENT', full), where).clickhouseType).toBe('SYNTAX_ERROR');
  });

  it('says a server cannot be reached', () => {
    const e = toStoreError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), where);
    expect(e.message).toBe('cannot reach ClickHouse at http://ch:8123 (writeBatch): ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1');
  });

  it('never carries a secret: redacted message, no cause that mentions it', () => {
    const e = toStoreError(new Error('bad auth for p@ss word and p%40ss%20word'), where);
    expect(e.message).not.toContain('p@ss');
    expect(e.message).toContain('*** and ***');
    expect(e.cause).toBeUndefined();
    expect(toStoreError(new Error('plain'), where).cause).toBeInstanceOf(Error);
  });

  it('leaves a StoreError as it is', () => {
    const s = new StoreError('x', { operation: 'o', target: 't' });
    expect(toStoreError(s, where)).toBe(s);
  });
});

describe('redact', () => {
  it('ignores empty secrets', () => {
    expect(redact('abc', ['', 'b'])).toBe('a***c');
  });
});
