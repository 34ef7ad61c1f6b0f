/** The programs feature's reads and writes: the tenant's programs, the framework templates, creating and editing a program. */
import type { z } from 'zod';
import type { Framework, ProgramDefinition } from '../../../core/program';
import type { Program as ProgramSchema, Template } from '../../../server/modules/programs/schema';
import { useGet, useReload, useWrite } from '../../api/hooks';

const V = '/api/v1';

/** A program as GET /programs answers (its definition, which the schema leaves open, as core types it). */
export type Program = Omit<z.infer<typeof ProgramSchema>, 'definition'> & { definition: ProgramDefinition };
export type FrameworkTemplate = Omit<z.infer<typeof Template>, 'definition'> & { definition: ProgramDefinition };

export const programKeys = {
  list: ['programs'] as const,
  one: (id: string) => ['programs', id] as const,
  templates: ['framework-templates'] as const,
};

/** GET /programs. */
export const usePrograms = () => useGet<{ items: Program[] }>(programKeys.list, `${V}/programs`);
/** GET /framework-templates. */
export const useTemplates = () =>
  useGet<{ items: FrameworkTemplate[] }>(programKeys.templates, `${V}/framework-templates`);
/** GET /programs/{id}. */
export const useProgram = (id: string) => useGet<Program>(programKeys.one(id), `${V}/programs/${id}`);

/** POST /programs { framework }: a new program from a template. */
export function useCreateProgram(options?: { onSuccess?: (p: Program) => unknown }) {
  return useWrite<Framework, Program>(
    {
      method: 'POST',
      path: () => `${V}/programs`,
      body: (framework) => ({ framework }),
      invalidates: () => [programKeys.list],
    },
    options,
  );
}

/** PUT /programs/{id} { definition, status } with If-Match. */
export function useSaveProgram(id: string, options?: { onSuccess?: (p: Program) => unknown }) {
  return useWrite<{ definition: ProgramDefinition; status: Program['status']; version: number }, Program>(
    {
      method: 'PUT',
      path: () => `${V}/programs/${id}`,
      body: (v) => ({ definition: v.definition, status: v.status }),
      version: (v) => v.version,
      updates: (p) => [[programKeys.one(id), p]],
      invalidates: () => [programKeys.list],
    },
    options,
  );
}

/** Reads the program again after a version conflict. */
export function useReloadProgram(id: string, options?: { onSuccess?: (p: Program) => unknown }) {
  return useReload<Program>(programKeys.one(id), `${V}/programs/${id}`, options);
}
