/**
 * The encrypted container of a Sanad backup (`.sbk`): plaintext header, header MAC, and an
 * AES-256-GCM chunk stream. The byte layout is documented at the top of `backup.ts`.
 */
import crypto from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { z } from 'zod';

/** First bytes of every archive. */
export const MAGIC = Buffer.from('SANADBK1', 'ascii');
/** Version of the archive layout (bumped on any incompatible change). */
export const FORMAT_VERSION = 1;
/** Plaintext bytes per encrypted chunk. */
export const CHUNK_SIZE = 64 * 1024;
const TAG = 16;
const MAX_HEADER = 4 * 1024 * 1024;
/** scrypt cost: N=2^17, r=8 needs 128 MiB and ~0.3–0.5 s on a server core, per attempt. */
export const KDF_DEFAULTS = { N: 2 ** 17, r: 8, p: 1 } as const;

const kdfSchema = z.object({
  name: z.literal('scrypt'),
  // Bounds stop a crafted header from making restore allocate gigabytes or spin for minutes.
  N: z
    .number()
    .int()
    .min(2 ** 14)
    .max(2 ** 18)
    .refine((n) => (n & (n - 1)) === 0, 'N must be a power of two'),
  r: z.number().int().min(8).max(16),
  p: z.number().int().min(1).max(4),
  salt: z.string().regex(/^[A-Za-z0-9+/]{22}==$/),
});

/** The plaintext header: enough to plan and check a restore, nothing about people. */
export const headerSchema = z.object({
  format: z.literal(FORMAT_VERSION),
  app: z.literal('sanad'),
  createdAt: z.string(),
  serverVersion: z.string(),
  kdf: kdfSchema,
  cipher: z.object({
    name: z.literal('aes-256-gcm'),
    chunkSize: z.literal(CHUNK_SIZE),
    noncePrefix: z.string().regex(/^[A-Za-z0-9+/]{11}=$/),
  }),
  keyCheck: z.string().regex(/^[0-9a-f]{32}$/),
  compression: z.literal('gzip'),
  copyFormat: z.literal('binary'),
  migrations: z.array(z.string()),
  masterKeyIds: z.array(z.string()),
  tables: z.array(
    z.object({
      name: z.string().regex(/^[a-z_][a-z0-9_]*$/),
      rows: z.number().int().min(0),
      columns: z.array(z.object({ name: z.string(), type: z.string() })),
    }),
  ),
});
/** A parsed archive header. */
export type ArchiveHeader = z.infer<typeof headerSchema>;
/** The header fields the backup fills in (the crypto fields are added here). */
export type HeaderContent = Omit<
  ArchiveHeader,
  'format' | 'app' | 'kdf' | 'cipher' | 'keyCheck' | 'compression' | 'copyFormat'
>;

/** The two keys derived from the passphrase: one encrypts chunks, one authenticates the header. */
interface Keys {
  enc: Buffer;
  mac: Buffer;
}

/** An error about the archive itself (wrong passphrase, damage, truncation, wrong kind of file). */
export class ArchiveError extends Error {
  override name = 'ArchiveError';
}

async function deriveKeys(passphrase: string, kdf: { N: number; r: number; p: number; salt: string }): Promise<Keys> {
  const out = await new Promise<Buffer>((resolve, reject) =>
    crypto.scrypt(
      passphrase.normalize('NFC'),
      Buffer.from(kdf.salt, 'base64'),
      64,
      { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r + 16 * 1024 * 1024 },
      (err, key) => (err ? reject(err) : resolve(key)),
    ),
  );
  return { enc: out.subarray(0, 32), mac: out.subarray(32, 64) };
}

function keyCheckOf(k: Keys): string {
  return crypto.createHmac('sha256', k.mac).update('sanad-backup key check').digest().subarray(0, 16).toString('hex');
}

function nonce(prefix: Buffer, index: number): Buffer {
  const n = Buffer.alloc(12);
  prefix.copy(n, 0, 0, 8);
  n.writeUInt32BE(index, 8);
  return n;
}

/** Chunk AAD: binds each chunk to this archive's header (via its MAC), its position, and finality. */
function chunkAad(headerMac: Buffer, index: number, final: boolean): Buffer {
  const a = Buffer.alloc(32 + 8 + 1);
  headerMac.copy(a, 0);
  a.writeBigUInt64BE(BigInt(index), 32);
  a.writeUInt8(final ? 1 : 0, 40);
  return a;
}

/** Builds the header bytes (magic, length, JSON, MAC) and the chunk encryptor for a new archive. */
export async function openForWriting(
  passphrase: string,
  content: HeaderContent,
): Promise<{ headerBytes: Buffer; encryptor: Transform }> {
  const salt = crypto.randomBytes(16).toString('base64');
  const prefix = crypto.randomBytes(8);
  const kdf = { name: 'scrypt' as const, ...KDF_DEFAULTS, salt };
  const keys = await deriveKeys(passphrase, kdf);
  const header: ArchiveHeader = {
    format: FORMAT_VERSION,
    app: 'sanad',
    createdAt: content.createdAt,
    serverVersion: content.serverVersion,
    kdf,
    cipher: { name: 'aes-256-gcm', chunkSize: CHUNK_SIZE, noncePrefix: prefix.toString('base64') },
    keyCheck: keyCheckOf(keys),
    compression: 'gzip',
    copyFormat: 'binary',
    migrations: content.migrations,
    masterKeyIds: content.masterKeyIds,
    tables: content.tables,
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(json.length);
  const signed = Buffer.concat([MAGIC, len, json]);
  const mac = crypto.createHmac('sha256', keys.mac).update(signed).digest();
  return { headerBytes: Buffer.concat([signed, mac]), encryptor: new ChunkEncryptor(keys.enc, prefix, mac) };
}

class ChunkEncryptor extends Transform {
  private parts: Buffer[] = [];
  private size = 0;
  private index = 0;

  constructor(
    private key: Buffer,
    private prefix: Buffer,
    private headerMac: Buffer,
  ) {
    super();
  }

  private seal(plain: Buffer, final: boolean): Buffer {
    if (this.index >= 2 ** 32 - 1) throw new Error('archive too large for one nonce prefix');
    const c = crypto.createCipheriv('aes-256-gcm', this.key, nonce(this.prefix, this.index));
    c.setAAD(chunkAad(this.headerMac, this.index, final));
    const out = Buffer.concat([c.update(plain), c.final(), c.getAuthTag()]);
    this.index++;
    return out;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.parts.push(chunk);
    this.size += chunk.length;
    // Strictly more than one chunk buffered: what is left at the end is always the (non-empty) final chunk.
    if (this.size > CHUNK_SIZE) {
      let buf = Buffer.concat(this.parts, this.size);
      while (buf.length > CHUNK_SIZE) {
        this.push(this.seal(buf.subarray(0, CHUNK_SIZE), false));
        buf = buf.subarray(CHUNK_SIZE);
      }
      this.parts = [buf];
      this.size = buf.length;
    }
    cb();
  }

  override _flush(cb: TransformCallback): void {
    this.push(this.seal(Buffer.concat(this.parts, this.size), true));
    cb();
  }
}

/**
 * Reads and authenticates the header from the start of an archive; returns it with the decryptor for
 * the rest. Fails with a clear message on a wrong passphrase or a modified header, before any other work.
 */
export async function readHeader(
  fd: { read: (n: number, at: number) => Promise<Buffer> },
  passphrase: string,
): Promise<{ header: ArchiveHeader; payloadOffset: number; decryptor: () => Transform }> {
  const start = await fd.read(12, 0);
  if (start.length < 12 || !start.subarray(0, 8).equals(MAGIC))
    throw new ArchiveError('not a Sanad backup archive (bad magic)');
  const len = start.readUInt32BE(8);
  if (len > MAX_HEADER) throw new ArchiveError('archive header is implausibly large; the file is damaged');
  const rest = await fd.read(len + 32, 12);
  if (rest.length < len + 32) throw new ArchiveError('archive is truncated inside its header');
  const json = rest.subarray(0, len);
  const mac = rest.subarray(len);
  let raw: unknown;
  try {
    raw = JSON.parse(json.toString('utf8'));
  } catch {
    throw new ArchiveError('archive header is damaged (not JSON)');
  }
  const parsed = headerSchema.safeParse(raw);
  if (!parsed.success) {
    const where = parsed.error.issues[0]?.path.join('.') ?? '?';
    throw new ArchiveError(`archive header is damaged or from an unsupported version (at ${where || 'top level'})`);
  }
  const header = parsed.data;
  const keys = await deriveKeys(passphrase, header.kdf);
  if (!crypto.timingSafeEqual(Buffer.from(keyCheckOf(keys), 'hex'), Buffer.from(header.keyCheck, 'hex'))) {
    throw new ArchiveError('wrong passphrase for this backup archive (or its header is damaged)');
  }
  const expect = crypto
    .createHmac('sha256', keys.mac)
    .update(Buffer.concat([start, json]))
    .digest();
  if (!crypto.timingSafeEqual(expect, mac))
    throw new ArchiveError('archive header has been modified or damaged (MAC mismatch)');
  const prefix = Buffer.from(header.cipher.noncePrefix, 'base64');
  return { header, payloadOffset: 12 + len + 32, decryptor: () => new ChunkDecryptor(keys.enc, prefix, expect) };
}

/** Decrypts the chunk stream; only ever emits plaintext whose tag has verified. */
class ChunkDecryptor extends Transform {
  private parts: Buffer[] = [];
  private size = 0;
  private index = 0;
  private sawFinal = false;

  constructor(
    private key: Buffer,
    private prefix: Buffer,
    private headerMac: Buffer,
  ) {
    super();
  }

  private open(sealed: Buffer, final: boolean): Buffer {
    const d = crypto.createDecipheriv('aes-256-gcm', this.key, nonce(this.prefix, this.index));
    d.setAAD(chunkAad(this.headerMac, this.index, final));
    d.setAuthTag(sealed.subarray(sealed.length - TAG));
    try {
      const out = Buffer.concat([d.update(sealed.subarray(0, sealed.length - TAG)), d.final()]);
      this.index++;
      return out;
    } catch {
      throw new ArchiveError(
        final
          ? `archive is damaged or truncated: its last chunk (#${this.index}) failed authentication`
          : `archive is damaged: chunk #${this.index} failed authentication`,
      );
    }
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.parts.push(chunk);
    this.size += chunk.length;
    const whole = CHUNK_SIZE + TAG;
    if (this.size > whole) {
      let buf = Buffer.concat(this.parts, this.size);
      try {
        while (buf.length > whole) {
          this.push(this.open(buf.subarray(0, whole), false));
          buf = buf.subarray(whole);
        }
      } catch (e) {
        cb(e as Error);
        return;
      }
      this.parts = [buf];
      this.size = buf.length;
    }
    cb();
  }

  override _flush(cb: TransformCallback): void {
    if (this.size < TAG + 1) {
      cb(new ArchiveError('archive is truncated: the encrypted payload ends early'));
      return;
    }
    try {
      this.push(this.open(Buffer.concat(this.parts, this.size), true));
      this.sawFinal = true;
      cb();
    } catch (e) {
      cb(e as Error);
    }
  }

  /** Whether the authenticated final chunk was reached. */
  get complete(): boolean {
    return this.sawFinal;
  }
}

/** Refuses a passphrase too short to protect an archive. */
export function checkPassphrase(p: string): void {
  if (typeof p !== 'string' || p.length < 12) throw new Error('the backup passphrase must be at least 12 characters');
}
