/**
 * An incremental JSON tokenizer over byte chunks: it checks the grammar and hands each token to a
 * handler as it completes, so a large answer is read once, as it arrives, and only what the
 * handler keeps stays in memory (JSON.parse would need the whole text, then the whole tree).
 * A token cut by a chunk boundary is carried into the next chunk.
 */

export interface JsonHandler {
  openObject(): void;
  closeObject(): void;
  openArray(): void;
  closeArray(): void;
  key(name: string): void;
  value(v: string | number | boolean | null): void;
}

export class JsonSyntaxError extends Error {
  override name = 'JsonSyntaxError';
}

/** A string or number this long is not part of a Prometheus answer; carrying it would cost quadratic time. */
const MAX_TOKEN_BYTES = 1024 * 1024;
const NUMBER_RE = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

const OBJECT = 1;
const ARRAY = 2;
// What may come next.
const VALUE = 0;
const VALUE_OR_CLOSE = 1;
const KEY_OR_CLOSE = 2;
const KEY = 3;
const COLON = 4;
const COMMA_OR_CLOSE = 5;
const DONE = 6;

const EMPTY = Buffer.alloc(0);

export class JsonTokenizer {
  readonly #h: JsonHandler;
  readonly #stack: number[] = [];
  #expect = VALUE;
  #carry: Buffer = EMPTY;
  /** Bytes before the current buffer, for error positions. */
  #offset = 0;

  constructor(handler: JsonHandler) {
    this.#h = handler;
  }

  write(chunk: Uint8Array): void {
    const fresh = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const buf = this.#carry.length ? Buffer.concat([this.#carry, fresh]) : fresh;
    this.#carry = EMPTY;
    this.#run(buf, false);
  }

  end(): void {
    const buf = this.#carry;
    this.#carry = EMPTY;
    this.#run(buf, true);
    if (this.#expect !== DONE) throw new JsonSyntaxError(`unexpected end of JSON at byte ${this.#offset}`);
  }

  #fail(why: string, at: number): never {
    throw new JsonSyntaxError(`${why} at byte ${this.#offset + at}`);
  }

  #after(): void {
    this.#expect = this.#stack.length === 0 ? DONE : COMMA_OR_CLOSE;
  }

  #valueStart(at: number): void {
    if (this.#expect !== VALUE && this.#expect !== VALUE_OR_CLOSE) this.#fail(this.#expect === DONE ? 'data after the end of the JSON value' : 'unexpected value', at);
  }

  #run(b: Buffer, final: boolean): void {
    const n = b.length;
    const h = this.#h;
    let i = 0;
    while (i < n) {
      const c = b[i] as number;
      switch (c) {
        case 0x20:
        case 0x0a:
        case 0x0d:
        case 0x09:
          i++;
          continue;
        case 0x7b: // {
          this.#valueStart(i);
          this.#stack.push(OBJECT);
          this.#expect = KEY_OR_CLOSE;
          h.openObject();
          i++;
          continue;
        case 0x5b: // [
          this.#valueStart(i);
          this.#stack.push(ARRAY);
          this.#expect = VALUE_OR_CLOSE;
          h.openArray();
          i++;
          continue;
        case 0x7d: // }
          if ((this.#expect !== KEY_OR_CLOSE && this.#expect !== COMMA_OR_CLOSE) || this.#stack[this.#stack.length - 1] !== OBJECT) this.#fail('unexpected "}"', i);
          this.#stack.pop();
          h.closeObject();
          this.#after();
          i++;
          continue;
        case 0x5d: // ]
          if ((this.#expect !== VALUE_OR_CLOSE && this.#expect !== COMMA_OR_CLOSE) || this.#stack[this.#stack.length - 1] !== ARRAY) this.#fail('unexpected "]"', i);
          this.#stack.pop();
          h.closeArray();
          this.#after();
          i++;
          continue;
        case 0x3a: // :
          if (this.#expect !== COLON) this.#fail('unexpected ":"', i);
          this.#expect = VALUE;
          i++;
          continue;
        case 0x2c: // ,
          if (this.#expect !== COMMA_OR_CLOSE) this.#fail('unexpected ","', i);
          this.#expect = this.#stack[this.#stack.length - 1] === OBJECT ? KEY : VALUE;
          i++;
          continue;
        case 0x22: {
          // "
          let j = i + 1;
          let escaped = false;
          let ascii = true;
          while (j < n) {
            const d = b[j] as number;
            if (d === 0x22) break;
            if (d === 0x5c) {
              escaped = true;
              j += 2;
              continue;
            }
            if (d < 0x20) this.#fail('control character in a string', j);
            if (d >= 0x80) ascii = false;
            j++;
          }
          if (j >= n) return this.#carryFrom(b, i, final);
          let s: string;
          if (escaped) {
            try {
              s = JSON.parse(b.toString('utf8', i, j + 1)) as string;
            } catch {
              return this.#fail('invalid escape in a string', i);
            }
          } else s = b.toString(ascii ? 'latin1' : 'utf8', i + 1, j);
          if (this.#expect === KEY_OR_CLOSE || this.#expect === KEY) {
            h.key(s);
            this.#expect = COLON;
          } else {
            this.#valueStart(i);
            h.value(s);
            this.#after();
          }
          i = j + 1;
          continue;
        }
        default: {
          // A number or a literal: up to the next delimiter.
          let j = i;
          while (j < n) {
            const d = b[j] as number;
            if (d === 0x2c || d === 0x5d || d === 0x7d || d === 0x20 || d === 0x0a || d === 0x0d || d === 0x09 || d === 0x3a) break;
            j++;
          }
          if (j >= n && !final) return this.#carryFrom(b, i, final);
          const text = b.toString('latin1', i, j);
          this.#valueStart(i);
          if (text === 'true') h.value(true);
          else if (text === 'false') h.value(false);
          else if (text === 'null') h.value(null);
          else if (NUMBER_RE.test(text)) h.value(Number(text));
          else this.#fail(`unexpected ${JSON.stringify(text.slice(0, 20))}`, i);
          this.#after();
          i = j;
        }
      }
    }
    this.#offset += n;
  }

  /** Keeps an unfinished token for the next chunk. */
  #carryFrom(b: Buffer, from: number, final: boolean): void {
    if (final) this.#fail('unexpected end of JSON', b.length);
    if (b.length - from > MAX_TOKEN_BYTES) this.#fail(`a string or number longer than ${MAX_TOKEN_BYTES} bytes`, from);
    this.#carry = Buffer.from(b.subarray(from));
    this.#offset += from;
  }
}
