/** Wire types and hooks of the instrument registry administration (import, retire, wording) and certifications. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { InstrumentDefinition, InstrumentItem } from './assessments';
import { api, ApiError } from './client';

const P = '/api/v1';

/** GET /instruments/{key}/versions/{version}, as the admin screen reads it. */
export interface InstrumentVersionDetail {
  definition: InstrumentDefinition & { certification?: string | null; reassessEveryDays?: number };
  wordingHidden: boolean;
  shipped: boolean;
  status: 'active' | 'retired';
}

/** An error detail of an uploaded file: field path, code, and (for file text) line and column. */
export interface SourceDetail {
  path: string;
  code: string;
  message?: string;
  line?: number;
  column?: number;
}

/** A user's certification (GET /users/{id}/certifications). */
export interface CertificationRow {
  id: string;
  userId: string;
  certification: string;
  grantedAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  source: string;
  valid: boolean;
}

/** Item code → licensed text per language, as PUT …/wording takes it. */
export type WordingItems = Record<string, { wording?: Record<string, string>; guidance?: Record<string, string> }>;

/** The largest file text the import takes (characters) and the largest request body (bytes). */
export const MAX_SOURCE_CHARS = 200_000;
export const MAX_BODY_BYTES = 256 * 1024;

export const instrumentKeys = {
  list: ['instruments'] as const,
  one: (key: string, version: string) => ['instrument', key, version] as const,
  certifications: (userId: string) => ['users', userId, 'certifications'] as const,
};

const versionPath = (key: string, version: string) =>
  `${P}/instruments/${encodeURIComponent(key)}/versions/${encodeURIComponent(version)}`;

/** Every version the tenant can use: shipped and imported, active and retired. */
export const useInstrumentList = () =>
  useQuery({
    queryKey: instrumentKeys.list,
    queryFn: ({ signal }) => api<{ items: InstrumentItem[] }>('GET', `${P}/instruments`, { signal }),
  });

/** One version with its domains and items (wording only when the reader is certified). */
export const useInstrumentDetail = (key: string, version: string) =>
  useQuery({
    queryKey: [...instrumentKeys.one(key, version), 'admin'],
    queryFn: ({ signal }) => api<InstrumentVersionDetail>('GET', versionPath(key, version), { signal }),
    enabled: Boolean(key && version),
  });

/** The details of a validation error answered by the API (with line/column for file text). */
export function sourceDetails(error: unknown): SourceDetail[] {
  return error instanceof ApiError ? (error.details as SourceDetail[]) : [];
}

function useRefreshInstruments() {
  const qc = useQueryClient();
  return (key?: string, version?: string) => {
    void qc.invalidateQueries({ queryKey: instrumentKeys.list });
    if (key && version) void qc.invalidateQueries({ queryKey: instrumentKeys.one(key, version) });
  };
}

/** POST /instruments { source }: imports a version from the file's text. */
export function useImportInstrument() {
  const refresh = useRefreshInstruments();
  return useMutation({
    mutationFn: (source: string) => api<InstrumentItem>('POST', `${P}/instruments`, { body: { source } }),
    onSuccess: () => refresh(),
  });
}

/** POST …/retire: new assessments can no longer use the version. */
export function useRetireInstrument() {
  const refresh = useRefreshInstruments();
  return useMutation({
    mutationFn: (v: { key: string; version: string }) => api<void>('POST', `${versionPath(v.key, v.version)}/retire`),
    // Refreshed on failure too: a 404 usually means someone retired it meanwhile.
    onSettled: (_d, _e, v) => refresh(v.key, v.version),
  });
}

/** PUT …/wording { items }: the licensee's item wording for this tenant (replaces earlier uploads). */
export function useUploadWording() {
  const refresh = useRefreshInstruments();
  return useMutation({
    mutationFn: (v: { key: string; version: string; items: WordingItems }) =>
      api<void>('PUT', `${versionPath(v.key, v.version)}/wording`, { body: { items: v.items } }),
    onSuccess: (_d, v) => refresh(v.key, v.version),
  });
}

/** GET /users/{id}/certifications. */
export const useCertifications = (userId: string | undefined) =>
  useQuery({
    queryKey: instrumentKeys.certifications(userId ?? ''),
    queryFn: ({ signal }) =>
      api<{ items: CertificationRow[] }>('GET', `${P}/users/${encodeURIComponent(userId!)}/certifications`, { signal }),
    enabled: Boolean(userId),
  });

/** POST /users/{id}/certifications { certification, expiresAt }. */
export function useGrantCertification(userId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (b: { certification: string; expiresAt: string }) =>
      api<CertificationRow>('POST', `${P}/users/${encodeURIComponent(userId)}/certifications`, { body: b }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: instrumentKeys.certifications(userId) }),
  });
}

/** POST /certifications/{id}/revoke. */
export function useRevokeCertification(userId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<CertificationRow>('POST', `${P}/certifications/${encodeURIComponent(id)}/revoke`),
    onSettled: () => void qc.invalidateQueries({ queryKey: instrumentKeys.certifications(userId) }),
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
