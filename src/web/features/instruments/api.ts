/** The instruments feature's reads and writes: the registry (import, retire, licensed wording) and users' certifications. */
import { useGet, useWrite } from '../../api/hooks';
import type { CertificationRow, InstrumentItem, InstrumentVersion, WordingItems } from './types';

const V = '/api/v1';

/** The largest file text the import takes (characters) and the largest request body (bytes). */
export const MAX_SOURCE_CHARS = 200_000;
export const MAX_BODY_BYTES = 256 * 1024;

export const instrumentKeys = {
  list: ['instruments'] as const,
  one: (key: string, version: string) => ['instrument', key, version] as const,
  certifications: (userId: string) => ['users', userId, 'certifications'] as const,
};

const versionPath = (key: string, version: string) =>
  `${V}/instruments/${encodeURIComponent(key)}/versions/${encodeURIComponent(version)}`;

/** Every version the tenant can use: shipped and imported, active and retired. */
export const useInstruments = () => useGet<{ items: InstrumentItem[] }>(instrumentKeys.list, `${V}/instruments`);

/** One version with its domains and items (wording only when the reader is certified). */
export const useInstrumentVersion = (key: string | undefined, version: string | undefined) =>
  useGet<InstrumentVersion>(instrumentKeys.one(key ?? '', version ?? ''), versionPath(key ?? '', version ?? ''), {
    enabled: Boolean(key && version),
    staleTime: 5 * 60_000,
  });

/** POST /instruments { source }: imports a version from the file's text. */
export function useImportInstrument() {
  return useWrite<string, InstrumentItem>({
    method: 'POST',
    path: () => `${V}/instruments`,
    body: (source) => ({ source }),
    invalidates: () => [instrumentKeys.list],
  });
}

/** POST …/retire: new assessments can no longer use the version. */
export function useRetireInstrument() {
  return useWrite<{ key: string; version: string }, void>({
    method: 'POST',
    path: (v) => `${versionPath(v.key, v.version)}/retire`,
    // Refreshed on failure too: a 404 usually means someone retired it meanwhile.
    refreshOnError: true,
    invalidates: (v) => [instrumentKeys.list, instrumentKeys.one(v.key, v.version)],
  });
}

/** PUT …/wording { items }: the licensee's item wording for this tenant (replaces earlier uploads). */
export function useUploadWording() {
  return useWrite<{ key: string; version: string; items: WordingItems }, void>({
    method: 'PUT',
    path: (v) => `${versionPath(v.key, v.version)}/wording`,
    body: (v) => ({ items: v.items }),
    invalidates: (v) => [instrumentKeys.list, instrumentKeys.one(v.key, v.version)],
  });
}

/** GET /users/{id}/certifications. */
export const useCertifications = (userId: string | undefined) =>
  useGet<{ items: CertificationRow[] }>(
    instrumentKeys.certifications(userId ?? ''),
    `${V}/users/${encodeURIComponent(userId ?? '')}/certifications`,
    { enabled: Boolean(userId) },
  );

/** POST /users/{id}/certifications { certification, expiresAt }. */
export function useGrantCertification(userId: string) {
  return useWrite<{ certification: string; expiresAt: string }, CertificationRow>({
    method: 'POST',
    path: () => `${V}/users/${encodeURIComponent(userId)}/certifications`,
    body: (v) => v,
    invalidates: () => [instrumentKeys.certifications(userId)],
  });
}

/** POST /certifications/{id}/revoke. */
export function useRevokeCertification(userId: string) {
  return useWrite<string, CertificationRow>({
    method: 'POST',
    path: (id) => `${V}/certifications/${encodeURIComponent(id)}/revoke`,
    refreshOnError: true,
    invalidates: () => [instrumentKeys.certifications(userId)],
  });
}

/** Compares version strings such as 1.2 and 1.10 numerically, part by part. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return a.localeCompare(b);
}
