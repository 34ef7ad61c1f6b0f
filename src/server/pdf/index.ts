/** PDF engine entry point: renderDocument(PdfDoc) → PDF bytes. */
import { Renderer } from './document.ts';
import type { PdfDoc } from './types.ts';

export type { Block, PdfDoc, PdfLocale } from './types.ts';

/** Renders a document (en/fr/ar/ur; shaped with HarfBuzz, ordered with UAX #9) to a PDF buffer. */
export function renderDocument(doc: PdfDoc): Promise<Buffer> {
  // A throw inside the executor rejects the promise with what was thrown.
  return new Promise((resolve, reject) => {
    const r = new Renderer(doc);
    const chunks: Buffer[] = [];
    r.doc.on('data', (c: Buffer) => chunks.push(c));
    r.doc.on('end', () => resolve(Buffer.concat(chunks)));
    r.doc.on('error', reject);
    r.render();
    r.doc.end();
  });
}
