/**
 * The master keyring: one or more 256-bit master keys, one of them current. Master keys only wrap
 * other keys (tenant data keys, signing keys); they never encrypt data directly.
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { log } from '../log.ts';

interface KeyringFile {
  current: string;
  keys: Record<string, string>;
}

/** Master keys held in memory, with the id of the one used for new wrapping. */
export class Keyring {
  constructor(
    private file: string | null,
    private data: KeyringFile,
  ) {}

  /** Id of the master key that wraps new keys. */
  get currentId(): string {
    return this.data.current;
  }

  /** The key bytes for an id, re-reading the file once if another process rotated it meanwhile. */
  get(id: string): Buffer {
    let b64 = this.data.keys[id];
    if (!b64 && this.file) {
      this.data = readFile(this.file);
      b64 = this.data.keys[id];
    }
    if (!b64) throw new Error(`master key ${id} is not in the keyring`);
    return Buffer.from(b64, 'base64');
  }

  /** Adds a new master key, makes it current and saves the file atomically; returns its id. */
  addNew(): string {
    if (!this.file) throw new Error('the master key comes from SANAD_MASTER_KEY; rotate it in your secret store');
    const id = newKeyId();
    this.data = { current: id, keys: { ...this.data.keys, [id]: crypto.randomBytes(32).toString('base64') } };
    writeFileAtomic(this.file, this.data);
    return id;
  }

  /** Removes master keys that no longer wrap anything; saves the file. */
  retire(keep: Set<string>): string[] {
    if (!this.file) return [];
    const removed = Object.keys(this.data.keys).filter((k) => k !== this.data.current && !keep.has(k));
    if (removed.length === 0) return [];
    const keys = { ...this.data.keys };
    for (const k of removed) delete keys[k];
    this.data = { current: this.data.current, keys };
    writeFileAtomic(this.file, this.data);
    return removed;
  }
}

function newKeyId(): string {
  return `mk-${new Date().toISOString().slice(0, 10).replaceAll('-', '')}-${crypto.randomBytes(4).toString('hex')}`;
}

function readFile(file: string): KeyringFile {
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as KeyringFile;
  if (!parsed.current || !parsed.keys?.[parsed.current]) throw new Error(`master key file ${file} is malformed`);
  for (const v of Object.values(parsed.keys)) {
    if (Buffer.from(v, 'base64').length !== 32)
      throw new Error(`master key file ${file} holds a key that is not 256 bits`);
  }
  return parsed;
}

function writeFileAtomic(file: string, data: KeyringFile): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(data, null, 2) + '\n', { mode: 0o600 });
  fs.renameSync(tmp, file);
}

/**
 * Loads the keyring from SANAD_MASTER_KEY (base64, one key) or from the key file. When the file does
 * not exist and `allowGenerate` is set (embedded/dev mode) a new one is generated with mode 0600.
 */
export function loadKeyring(file: string, opts: { allowGenerate: boolean; env?: NodeJS.ProcessEnv }): Keyring {
  const envKey = (opts.env ?? process.env).SANAD_MASTER_KEY;
  if (envKey) {
    if (Buffer.from(envKey, 'base64').length !== 32) throw new Error('SANAD_MASTER_KEY must be 32 bytes, base64');
    return new Keyring(null, { current: 'mk-env', keys: { 'mk-env': envKey } });
  }
  if (!fs.existsSync(file)) {
    if (!opts.allowGenerate) {
      throw new Error(`master key file ${file} not found; set SANAD_MASTER_KEY_FILE (see docs/OPERATIONS.md)`);
    }
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const id = newKeyId();
    writeFileAtomic(file, { current: id, keys: { [id]: crypto.randomBytes(32).toString('base64') } });
    log(
      'warn',
      'generated a new master key file for local use; in production keep the master key outside the data directory',
      { file },
    );
  } else {
    const mode = fs.statSync(file).mode & 0o077;
    if (mode !== 0) log('warn', 'master key file is readable by group or others; chmod 600 it', { file });
  }
  return new Keyring(file, readFile(file));
}
