/**
 * Wire types of the instrument registry: the server's schemas (import type; z.infer) and, for the
 * definitions they leave open, core's own types (core/instrument.ts).
 */
import type { z } from 'zod';
import type { DomainT, InstrumentDefinition, Scale as ScaleSchema } from '../../../core/instrument';
import type { Cert, Summary, Visible, WordingRequest } from '../../../server/modules/instruments/schema';

export type { InstrumentDefinition };
export type Scale = z.infer<typeof ScaleSchema>;
export type ScaleOption = Scale['options'][number];
/** One item to rate; wording and guidance only when the reader is certified. */
export type InstrumentQuestion = DomainT['items'][number];
export type InstrumentDomain = DomainT;

/** One version in the list (GET /instruments); `certified` says whether the reader holds what it needs. */
export type InstrumentItem = z.infer<typeof Summary>;
/** GET /instruments/{key}/versions/{version}: the definition as the reader may see it. */
export type InstrumentVersion = Omit<z.infer<typeof Visible>, 'definition'> & { definition: InstrumentDefinition };
/** A user's certification (GET /users/{id}/certifications). */
export type CertificationRow = z.infer<typeof Cert>;
/** Item code → licensed text per language, as PUT …/wording takes it. */
export type WordingItems = z.input<typeof WordingRequest>['items'];
