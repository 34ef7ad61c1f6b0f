/** Wire types of the instrument registry: the versions a tenant can use and their definitions as a reader may see them. */
import type { Label } from '../../../core/program';
import type { LocalLabel } from '../../i18n/labels';

/** One version in the list (GET /instruments). */
export interface InstrumentItem {
  key: string;
  version: string;
  title: Label;
  notice: Label | null;
  certification: string | null;
  status: string;
  shipped: boolean;
  /** Whether the reader holds the certification the version needs (or it needs none). */
  certified: boolean;
}
export interface ScaleOption {
  value: string;
  label: Label;
  description?: LocalLabel;
}
export interface Scale {
  key: string;
  label: Label;
  options: ScaleOption[];
}
/** One item to rate; wording and guidance only when the reader is certified. */
export interface InstrumentQuestion {
  code: string;
  kind: string;
  tags: string[];
  title: Label;
  wording?: LocalLabel | null;
  guidance?: LocalLabel | null;
  scales: string[];
  evidenceRequired: boolean;
}
export interface InstrumentDomain {
  key: string;
  title: Label;
  items: InstrumentQuestion[];
  subdomains: InstrumentDomain[];
}
export interface InstrumentDefinition {
  key: string;
  version: string;
  title: Label;
  summary?: Label;
  notice?: Label | null;
  certification?: string | null;
  reassessEveryDays?: number;
  scales: Scale[];
  judgements: Scale[];
  domains: InstrumentDomain[];
}
/** GET /instruments/{key}/versions/{version}. */
export interface InstrumentVersion {
  definition: InstrumentDefinition;
  wordingHidden: boolean;
  shipped: boolean;
  status: 'active' | 'retired';
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
