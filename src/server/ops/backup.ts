/** Placeholder so the CLI compiles while the backup module is written; replaced in this change. */
import type { Services } from '../services.ts';
export async function backupToFile(_s: Services, _file: string, _o: { passphrase: string; onProgress?: (d: number, t: number) => void }): Promise<{ tables: number; rows: number; bytes: number }> {
  throw new Error('backup is being written');
}
export async function restoreFromFile(_s: Services, _file: string, _o: { passphrase: string; onProgress?: (d: number, t: number) => void }): Promise<{ tables: number; rows: number }> {
  throw new Error('restore is being written');
}
