/** Types of the per-request context every route sees. */
import type { Services } from '../services.ts';
import type { Principal } from '../access/principal.ts';

/** Hono environment: variables set by middleware, read by routes. */
export interface AppEnv {
  Variables: {
    requestId: string;
    services: Services;
    principal: Principal | null;
    /** The raw session token hash of this request, if any (for logout). */
    sessionTokenHash: Buffer | null;
    clientIp: string;
  };
}
