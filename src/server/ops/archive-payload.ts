/**
 * The plaintext payload of a backup (before gzip and encryption): table sections framed so restore can
 * hand each table's COPY bytes to the server as they stream, plus a counter of binary-COPY rows.
 */
import { ArchiveError } from './archive-crypto.ts';

// Frame types. T <u16 len><name> starts a table; D <u32 len><bytes> carries COPY data; E <u64 rows>
// ends the table with the row count the dump saw; Z ends the payload.
const T = 0x54;
const D = 0x44;
const E = 0x45;
const Z = 0x5a;

/** Frame that opens a table section. */
export function tableStart(name: string): Buffer {
  const n = Buffer.from(name, 'utf8');
  const b = Buffer.alloc(3 + n.length);
  b.writeUInt8(T, 0);
  b.writeUInt16BE(n.length, 1);
  n.copy(b, 3);
  return b;
}

/** Frame header for a piece of COPY data (the data itself follows). */
export function dataHead(len: number): Buffer {
  const b = Buffer.alloc(5);
  b.writeUInt8(D, 0);
  b.writeUInt32BE(len, 1);
  return b;
}

/** Frame that closes a table section with its row count. */
export function tableEnd(rows: number): Buffer {
  const b = Buffer.alloc(9);
  b.writeUInt8(E, 0);
  b.writeBigUInt64BE(BigInt(rows), 1);
  return b;
}

/** Frame that ends the payload. */
export const payloadEnd = Buffer.from([Z]);

/** Pulls exact byte counts out of a stream of buffers without holding more than one piece. */
export class ByteReader {
  private buf: Buffer = Buffer.alloc(0);
  private it: AsyncIterator<Buffer>;
  private ended = false;

  constructor(src: AsyncIterable<Buffer>) {
    this.it = src[Symbol.asyncIterator]();
  }

  private async fill(n: number): Promise<void> {
    while (this.buf.length < n && !this.ended) {
      const r = await this.it.next();
      if (r.done) this.ended = true;
      else this.buf = this.buf.length ? Buffer.concat([this.buf, r.value]) : r.value;
    }
    if (this.buf.length < n) throw new ArchiveError('archive payload ends in the middle of a record');
  }

  /** Exactly n bytes. */
  async take(n: number): Promise<Buffer> {
    await this.fill(n);
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }

  /** Up to n bytes (at least one), for streaming large frames through in pieces. */
  async some(n: number): Promise<Buffer> {
    await this.fill(1);
    const k = Math.min(n, this.buf.length);
    const out = this.buf.subarray(0, k);
    this.buf = this.buf.subarray(k);
    return out;
  }

  /** Fails unless the stream has nothing left. */
  async expectEnd(): Promise<void> {
    if (this.buf.length === 0 && !this.ended) {
      const r = await this.it.next();
      if (r.done) this.ended = true;
      else this.buf = r.value;
    }
    if (this.buf.length > 0 || !this.ended) throw new ArchiveError('archive payload has data after its end marker');
  }
}

/** One table section as it is read back. */
export interface TableSection {
  name: string;
  /** The COPY bytes, in pieces; must be consumed fully before `rows()` is called. */
  data: AsyncGenerator<Buffer>;
  /** The row count written after the data. */
  rows: () => Promise<number>;
}

/** Iterates the table sections of a payload; checks the end marker and that nothing follows it. */
export async function* readSections(r: ByteReader): AsyncGenerator<TableSection> {
  for (;;) {
    const t = (await r.take(1)).readUInt8(0);
    if (t === Z) {
      await r.expectEnd();
      return;
    }
    if (t !== T) throw new ArchiveError('archive payload is malformed (expected a table section)');
    const name = (await r.take((await r.take(2)).readUInt16BE(0))).toString('utf8');
    let rows: number | undefined;
    const data = (async function* () {
      for (;;) {
        const f = (await r.take(1)).readUInt8(0);
        if (f === E) {
          rows = Number((await r.take(8)).readBigUInt64BE(0));
          return;
        }
        if (f !== D) throw new ArchiveError(`archive payload is malformed in table ${name}`);
        let left = (await r.take(4)).readUInt32BE(0);
        while (left > 0) {
          const piece = await r.some(left);
          left -= piece.length;
          yield piece;
        }
      }
    })();
    yield {
      name,
      data,
      rows: async () => {
        if (rows === undefined) throw new Error('table data not consumed');
        return rows;
      },
    };
    if (rows === undefined) throw new Error(`table ${name} was not consumed`);
  }
}

/**
 * Counts tuples in a PostgreSQL binary COPY stream as it passes, keeping only the few bytes of a
 * length field split across pieces (field values are skipped, never buffered).
 */
export class BinaryCopyCounter {
  rows = 0;
  done = false;
  private headerLeft = 19; // 11-byte signature + flags(4) + extension length(4); extension added below
  private stage: 'header' | 'extlen' | 'tuple' | 'field' | 'skip' = 'header';
  private pending: Buffer = Buffer.alloc(0);
  private fieldsLeft = 0;
  private skip = 0;

  /** Feeds the next piece of COPY output. */
  feed(chunk: Buffer): void {
    let i = 0;
    const need = (n: number): Buffer | null => {
      const have = this.pending.length + (chunk.length - i);
      if (have < n) {
        this.pending = Buffer.concat([this.pending, chunk.subarray(i)]);
        i = chunk.length;
        return null;
      }
      const fromChunk = n - this.pending.length;
      const out = this.pending.length
        ? Buffer.concat([this.pending, chunk.subarray(i, i + fromChunk)])
        : chunk.subarray(i, i + n);
      i += fromChunk;
      this.pending = Buffer.alloc(0);
      return out;
    };
    while (i < chunk.length && !this.done) {
      if (this.stage === 'header') {
        // Signature and flags: skip 15 bytes, then read the extension length.
        const k = Math.min(this.headerLeft - 4, chunk.length - i);
        if (this.headerLeft > 4) {
          i += k;
          this.headerLeft -= k;
          continue;
        }
        this.stage = 'extlen';
      }
      if (this.stage === 'extlen') {
        const b = need(4);
        if (!b) break;
        this.skip = b.readUInt32BE(0);
        this.stage = 'skip';
        this.fieldsLeft = 0;
        continue;
      }
      if (this.stage === 'skip') {
        const k = Math.min(this.skip, chunk.length - i);
        i += k;
        this.skip -= k;
        if (this.skip === 0) this.stage = this.fieldsLeft > 0 ? 'field' : 'tuple';
        continue;
      }
      if (this.stage === 'tuple') {
        const b = need(2);
        if (!b) break;
        const n = b.readInt16BE(0);
        if (n === -1) {
          this.done = true;
          break;
        }
        this.rows++;
        this.fieldsLeft = n;
        this.stage = n > 0 ? 'field' : 'tuple';
        continue;
      }
      if (this.stage === 'field') {
        const b = need(4);
        if (!b) break;
        const len = b.readInt32BE(0);
        this.fieldsLeft--;
        this.skip = len > 0 ? len : 0;
        this.stage = this.skip > 0 ? 'skip' : this.fieldsLeft > 0 ? 'field' : 'tuple';
      }
    }
  }
}
