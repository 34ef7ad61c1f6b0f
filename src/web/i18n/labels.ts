/** Localised labels that come as data: program, phase and course texts, domains, legal statuses, consent purposes. */
import { useCallback } from 'react';
import consentPurposes from '../../../content/consent-purposes.json';
import domains from '../../../content/domains.json';
import legalStatuses from '../../../content/legal-statuses.json';
import type { Label, Locale } from '../../core/program';
import { useI18n } from './i18n-provider';

type Table = Record<string, Label>;
const TABLES: Record<'domain' | 'legal' | 'consent', Table> = {
  domain: domains,
  legal: legalStatuses,
  consent: consentPurposes,
};

/** A text in the UI languages, as programs, instruments and the course carry it (English at least). */
export type LocalLabel = Partial<Record<Locale, string>>;

/** Picks the user's language out of a label, else English, else the fallback. */
export function useLabel(): (label: LocalLabel | undefined | null, fallback?: string) => string {
  const { locale } = useI18n();
  return useCallback((label, fallback = '') => (label ? label[locale] || label.en || fallback : fallback), [locale]);
}

/** The localised name of a domain, legal status or consent purpose code. */
export function useContentLabel(): (kind: keyof typeof TABLES, code: string | null | undefined) => string {
  const pick = useLabel();
  return useCallback((kind, code) => (code ? pick(TABLES[kind][code], code) : '—'), [pick]);
}
