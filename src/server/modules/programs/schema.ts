/** What the program routes accept and return. */
import { z } from '@hono/zod-openapi';
import { FRAMEWORKS } from '../../../core/program.ts';

export const Program = z
  .object({
    id: z.string().uuid(),
    framework: z.enum(FRAMEWORKS),
    status: z.enum(['active', 'archived']),
    definition: z.record(z.string(), z.unknown()),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Program');
export const ProgramList = z.object({ items: z.array(Program) }).openapi('ProgramList');
export const Template = z
  .object({ framework: z.enum(FRAMEWORKS), definition: z.record(z.string(), z.unknown()) })
  .openapi('FrameworkTemplate');
export const CreateProgramRequest = z.strictObject({ framework: z.enum(FRAMEWORKS) }).openapi('CreateProgramRequest');
export const UpdateProgramRequest = z
  .strictObject({ definition: z.record(z.string(), z.unknown()), status: z.enum(['active', 'archived']).optional() })
  .openapi('UpdateProgramRequest');
export const IdParam = z.object({ id: z.string().max(64) });
