/** What the case-summary API accepts and returns (the source for OpenAPI and the web's types). */
import { z } from '@hono/zod-openapi';

export const SummaryQuery = z.object({ locale: z.enum(['en', 'ar', 'ur', 'fr']).optional() });
export type SummaryQuery = z.infer<typeof SummaryQuery>;

/** The PDF itself. */
export const SummaryPdf = z.string().openapi({ format: 'binary' });
