/** Content shipped with Sanad (framework templates, labels), loaded and validated once. */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { FRAMEWORKS, Label, ProgramDefinition, type Framework } from '../core/program.ts';
import { InstrumentDefinition } from '../core/instrument.ts';
import MarkdownIt from 'markdown-it';
import { Bank, checkCourse, CourseSettings, LOCALES, Module, type Course, type Locale } from '../core/academy.ts';

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
      if (!parsed.success)
        throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
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
        if (!parsed.success)
          throw new Error(`${f}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
        return parsed.data;
      });
  }
  return instruments;
}

/** A lesson's text per language, rendered to HTML once (restricted Markdown: no raw HTML, links or images). */
export interface LessonText {
  html: Partial<Record<Locale, string>>;
  words: Partial<Record<Locale, number>>;
}

let course: { course: Course; lessons: Map<string, LessonText> } | undefined;

function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function validated<T>(schema: z.ZodType<T>, file: string): T {
  const parsed = schema.safeParse(readJson(file));
  if (!parsed.success)
    throw new Error(
      `${file}: ${parsed.error.issues
        .slice(0, 5)
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .join('; ')}`,
    );
  return parsed.data;
}

/** Markdown → HTML for lessons: paragraphs, headings, lists, emphasis, quotes; everything else off. */
const markdown = new MarkdownIt({ html: false, linkify: false, typographer: false }).disable([
  'image',
  'link',
  'autolink',
  'html_inline',
  'html_block',
  'table',
  'code',
  'fence',
]);

/** The academy course (content/academy), validated and with lessons rendered; a bad file stops the server. */
export function academy(): { course: Course; lessons: Map<string, LessonText> } {
  if (course) return course;
  const dir = path.join(CONTENT_DIR, 'academy');
  const settings = validated(CourseSettings, path.join(dir, 'course.json'));
  const lessons = new Map<string, LessonText>();
  const modules = settings.modules.map((id) => {
    const m = validated(Module, path.join(dir, 'modules', id, 'module.json'));
    if (m.id !== id) throw new Error(`module ${id}: its module.json says ${m.id}`);
    const bank = validated(Bank, path.join(dir, 'modules', id, 'bank.json'));
    if (bank.module !== id) throw new Error(`module ${id}: its bank says ${bank.module}`);
    for (const l of m.lessons) {
      const t: LessonText = { html: {}, words: {} };
      for (const loc of LOCALES) {
        const file = path.join(dir, 'modules', id, 'lessons', `${l.id}.${loc}.md`);
        if (!fs.existsSync(file)) {
          if (loc !== 'fr') throw new Error(`${file} is missing (en, ar and ur are required)`);
          continue;
        }
        const src = fs.readFileSync(file, 'utf8');
        t.html[loc] = markdown.render(src);
        t.words[loc] = src.split(/\s+/).filter(Boolean).length;
      }
      lessons.set(l.id, t);
    }
    return { ...m, bank: bank.items };
  });
  const c: Course = { settings, modules };
  const problems = checkCourse(c);
  if (problems.length) throw new Error(`academy content: ${problems.slice(0, 5).join('; ')}`);
  course = { course: c, lessons };
  return course;
}
