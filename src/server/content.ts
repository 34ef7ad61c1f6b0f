/** Content shipped with Sanad (framework templates, labels), loaded and validated once. */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { FRAMEWORKS, Label, ProgramDefinition, type Framework } from '../core/program.ts';
import { InstrumentDefinition } from '../core/instrument.ts';

/** Where the content files live. */
export const CONTENT_DIR = path.resolve(import.meta.dirname, '../../content');

let templates: Map<Framework, ProgramDefinition> | undefined;

/** The four model-framework templates, validated (a malformed file stops the server at start). */
export function frameworkTemplates(): Map<Framework, ProgramDefinition> {
  if (!templates) {
    const m = new Map<Framework, ProgramDefinition>();
    for (const f of FRAMEWORKS) {
      const file = path.join(CONTENT_DIR, 'frameworks', `${f}.json`);
      const parsed = ProgramDefinition.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
      if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      m.set(f, parsed.data);
    }
    templates = m;
  }
  return templates;
}

const LabelMap = z.record(z.string(), Label);
const labelCache = new Map<string, Record<string, Label>>();

/** A content label file such as domains.json: key → label in every locale. */
export function labels(name: 'domains' | 'legal-statuses' | 'consent-purposes'): Record<string, Label> {
  let v = labelCache.get(name);
  if (!v) {
    v = LabelMap.parse(JSON.parse(fs.readFileSync(path.join(CONTENT_DIR, `${name}.json`), 'utf8')));
    labelCache.set(name, v);
  }
  return v;
}

let instruments: InstrumentDefinition[] | undefined;

/** The instruments Sanad ships (illustrative, not validated), validated once. */
export function shippedInstruments(): InstrumentDefinition[] {
  if (!instruments) {
    const dir = path.join(CONTENT_DIR, 'instruments');
    instruments = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => {
        const parsed = InstrumentDefinition.safeParse(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
        if (!parsed.success) throw new Error(`${f}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
        return parsed.data;
      });
  }
  return instruments;
}
