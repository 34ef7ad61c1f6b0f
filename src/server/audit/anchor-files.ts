/**
 * The anchor files on disk: opened without following symbolic links, permissions checked on every run,
 * read backwards from the end, a torn last line repaired, and records appended durably. The record
 * format and what the lines mean are in anchors.ts.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { log } from '../log.ts';

/** A tenant's anchor file name: `<tenant id>.jsonl`. */
export const ANCHOR_FILE_NAME = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl$/;

const { O_RDONLY, O_RDWR, O_WRONLY, O_APPEND, O_CREAT } = fs.constants;
/** Where the platform has it: open never follows a symbolic link in the last component of the path. */
const O_NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;

/**
 * Opens a tenant's anchor file without following a symbolic link: someone who can write the directory
 * but not the target must not make the job append to (or truncate) another file. A link or anything but
 * a regular file is refused with an error (the tenant's run fails and is logged). Returns null for a
 * missing file unless `flags` creates it.
 */
export async function openAnchorFile(file: string, flags: number, mode?: number): Promise<fsp.FileHandle | null> {
  const refuse = (what: string) =>
    new Error(`the anchor file ${file} is ${what}; refusing to use it (move it aside and check who put it there)`);
  // Checked first too: where O_NOFOLLOW is missing, and so that a FIFO is never opened (open would block).
  let st: fs.Stats | null = null;
  try {
    st = await fsp.lstat(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    if (!(flags & O_CREAT)) return null;
  }
  if (st?.isSymbolicLink()) throw refuse('a symbolic link');
  if (st && !st.isFile()) throw refuse('not a regular file');
  let fh: fsp.FileHandle;
  try {
    fh = await fsp.open(file, flags | O_NOFOLLOW, mode);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !(flags & O_CREAT)) return null;
    if (code === 'ELOOP' || code === 'EMLINK') throw refuse('a symbolic link');
    throw e;
  }
  if (!(await fh.stat()).isFile()) {
    await fh.close();
    throw refuse('not a regular file');
  }
  return fh;
}

/** Whether the anchor file exists (a symbolic link counts: it is refused when opened). */
export async function anchorFileExists(file: string): Promise<boolean> {
  try {
    await fsp.lstat(file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

function octal(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

/**
 * Checks the anchor directory and its files on every anchoring run (their modes are only set when they
 * are created, and an administrator may change them later). Creates the directory 0700 if missing; logs
 * an error when it or a file can be written by group or others, or a file is a symbolic link or not a
 * regular file; logs a warning when they can be read by group or others or belong to another user.
 * Nothing is changed: the operator decides (a backup agent may have been given access on purpose).
 */
export async function checkAnchorDir(dir: string): Promise<void> {
  await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
  const uid = process.getuid?.();
  const st = await fsp.stat(dir);
  if (!st.isDirectory()) throw new Error(`the anchor directory ${dir} is not a directory`);
  if (st.mode & 0o077) {
    const writable = (st.mode & 0o022) !== 0;
    log(
      writable ? 'error' : 'warn',
      `audit anchor directory is ${writable ? 'WRITABLE' : 'readable'} by group or others: anyone in them can ${writable ? 'delete or replace the anchor files' : 'read the anchors'}; run chmod 700 on it`,
      { dir, mode: octal(st.mode) },
    );
  }
  if (uid !== undefined && st.uid !== uid)
    log('warn', 'audit anchor directory belongs to another user than the one running Sanad', {
      dir,
      ownerUid: st.uid,
      uid,
    });
  const open: string[] = [];
  const writable: string[] = [];
  const foreign: string[] = [];
  const refused: string[] = [];
  for (const f of await fsp.readdir(dir)) {
    if (!ANCHOR_FILE_NAME.test(f)) continue;
    let fst: fs.Stats;
    try {
      fst = await fsp.lstat(path.join(dir, f));
    } catch {
      continue; // removed meanwhile
    }
    if (fst.isSymbolicLink() || !fst.isFile())
      refused.push(`${f} (${fst.isSymbolicLink() ? 'symbolic link' : 'not a regular file'})`);
    else if (fst.mode & 0o022) writable.push(`${f} ${octal(fst.mode)}`);
    else if (fst.mode & 0o044) open.push(`${f} ${octal(fst.mode)}`);
    if (uid !== undefined && fst.uid !== uid && !fst.isSymbolicLink()) foreign.push(f);
  }
  const some = (list: string[]) => ({ count: list.length, files: list.slice(0, 10) });
  if (refused.length)
    log(
      'error',
      'audit anchor directory holds anchor files that are symbolic links or not regular files; they are not followed and their tenants are not anchored',
      { dir, ...some(refused) },
    );
  if (writable.length)
    log(
      'error',
      'audit anchor files are WRITABLE by group or others: anyone in them can change or cut the anchors; run chmod 600 on them',
      { dir, ...some(writable) },
    );
  if (open.length)
    log('warn', 'audit anchor files are readable by group or others; run chmod 600 on them', { dir, ...some(open) });
  if (foreign.length)
    log('warn', 'audit anchor files belong to another user than the one running Sanad', { dir, ...some(foreign) });
}

/** Yields the lines of a file from the last to the first (empty lines skipped), reading it backwards in chunks. */
export async function* linesFromEnd(file: string): AsyncGenerator<string> {
  const fh = await openAnchorFile(file, O_RDONLY);
  if (!fh) return;
  try {
    let pos = (await fh.stat()).size;
    let tail = Buffer.alloc(0);
    while (pos > 0) {
      const n = Math.min(256 * 1024, pos);
      pos -= n;
      const chunk = Buffer.alloc(n);
      await fh.read(chunk, 0, n, pos);
      tail = Buffer.concat([chunk, tail]);
      for (let i = tail.lastIndexOf(0x0a); i >= 0; i = tail.lastIndexOf(0x0a)) {
        const line = tail.subarray(i + 1).toString('utf8');
        tail = tail.subarray(0, i);
        if (line) yield line;
      }
    }
    if (tail.length) yield tail.toString('utf8');
  } finally {
    await fh.close();
  }
}

/** Removes an incomplete last line (a write interrupted by a crash); every record the job writes ends with a newline. */
export async function repairTornTail(file: string, tenantId: string): Promise<void> {
  const fh = await openAnchorFile(file, O_RDWR);
  if (!fh) return;
  try {
    const size = (await fh.stat()).size;
    if (size === 0) return;
    const last = Buffer.alloc(1);
    await fh.read(last, 0, 1, size - 1);
    if (last[0] === 0x0a) return;
    let end = 0;
    for (let pos = size; pos > 0 && end === 0;) {
      const n = Math.min(256 * 1024, pos);
      pos -= n;
      const chunk = Buffer.alloc(n);
      await fh.read(chunk, 0, n, pos);
      const i = chunk.lastIndexOf(0x0a);
      if (i >= 0) end = pos + i + 1;
    }
    await fh.truncate(end);
    await fh.sync();
    log('warn', 'audit anchor file ended with an incomplete record (interrupted write); removed it', {
      tenantId,
      bytes: size - end,
    });
  } finally {
    await fh.close();
  }
}

/** Appends one record line to a tenant's anchor file (created 0600 in a 0700 directory), fsync'd with its directory entry. */
export async function appendLine(dir: string, file: string, line: string): Promise<void> {
  await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
  const created = !(await anchorFileExists(file));
  const fh = (await openAnchorFile(file, O_WRONLY | O_APPEND | O_CREAT, 0o600))!;
  try {
    await fh.write(`${line}\n`);
    await fh.sync();
  } finally {
    await fh.close();
  }
  if (created) {
    // Make the new directory entry durable too.
    const d = await fsp.open(dir, 'r');
    try {
      await d.sync();
    } catch {
      // Not every file system lets a directory be fsync'd.
    } finally {
      await d.close();
    }
  }
}
