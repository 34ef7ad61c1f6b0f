/**
 * Builds the Hono app. Middleware order: request id → security headers → session → origin check →
 * sign-in gate → body guard → idempotency → route; one error handler maps AppError codes to HTTP.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { serveStatic } from '@hono/node-server/serve-static';
import { AppError } from '../core/errors.ts';
import type { AppEnv } from './http/context.ts';
import { onError, errorResponse } from './http/errors.ts';
import { authGate, bodyGuard, originCheck, requestContext, securityHeaders } from './http/middleware.ts';
import { idempotency } from './http/idempotency.ts';
import { errors, jsonResponse, router } from './http/openapi.ts';
import { loginSessionMiddleware } from './modules/auth/login-sessions.ts';
import { boardRoutes } from './modules/boards/routes.ts';
import { boardMinutesRoutes } from './modules/boards/minutes-routes.ts';
import { authRoutes, ROUTE_ACCESS } from './modules/auth/routes.ts';
import { userRoutes } from './modules/users/routes.ts';
import { auditRoutes } from './modules/audit/routes.ts';
import { participantRoutes } from './modules/participants/routes.ts';
import { programRoutes } from './modules/programs/routes.ts';
import { consentRoutes } from './modules/casework/consents/routes.ts';
import { planRoutes } from './modules/casework/plan/routes.ts';
import { caseSessionRoutes } from './modules/casework/case-sessions/routes.ts';
import { phaseRoutes } from './modules/casework/phases/routes.ts';
import { handoverRoutes } from './modules/casework/handovers/routes.ts';
import { timelineRoutes } from './modules/casework/timeline/routes.ts';
import { workRoutes } from './modules/casework/work/routes.ts';
import { summaryRoutes } from './modules/casework/summary/routes.ts';
import { instrumentRoutes } from './modules/instruments/routes.ts';
import { assessmentRoutes } from './modules/assessments/routes.ts';
import { assessmentPdfRoutes } from './modules/assessments/pdf.ts';
import { academyPages, academyRoutes, publicRoutes } from './modules/academy/routes.ts';
import type { Services } from './services.ts';

/** Where the built web app lives. */
export const WEB_DIST = path.resolve(import.meta.dirname, '../../dist/web');

const Health = z
  .object({
    status: z.literal('ok'),
    database: z.enum(['embedded', 'external']),
    version: z.string(),
    demo: z.boolean(),
  })
  .openapi('Health');

/** Creates the HTTP application for the given services. */
export function createApp(services: Services): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  app.use('*', requestContext(services));
  app.use('*', securityHeaders(services.config.secureCookies));
  app.onError(onError);

  // Public verification (no session, any origin): before the API's session and origin checks, but
  // with the same body limit and JSON rules (an anonymous caller must not stream gigabytes in).
  app.use('/api/v1/public/*', bodyGuard());
  app.route('/api/v1', publicRoutes());

  const api = router();
  api.use('*', loginSessionMiddleware());
  api.use('*', originCheck(services.config.publicOrigins));
  // Deny by default: 401 for routes not listed in ROUTE_ACCESS, before If-Match, params or body.
  api.use('*', authGate(ROUTE_ACCESS));
  api.use('*', bodyGuard());
  api.use('*', idempotency());
  api.route('/', authRoutes());
  api.route('/', userRoutes());
  api.route('/', auditRoutes());
  api.route('/', participantRoutes());
  api.route('/', programRoutes());
  api.route('/', consentRoutes());
  api.route('/', planRoutes());
  api.route('/', caseSessionRoutes());
  api.route('/', phaseRoutes());
  api.route('/', handoverRoutes());
  api.route('/', timelineRoutes());
  api.route('/', workRoutes());
  api.route('/', summaryRoutes());
  api.route('/', instrumentRoutes());
  api.route('/', assessmentRoutes());
  api.route('/', assessmentPdfRoutes());
  api.route('/', academyRoutes());
  api.route('/', boardRoutes());
  api.route('/', boardMinutesRoutes());
  api.all('*', () => {
    throw new AppError('NOT_FOUND', 'no such endpoint');
  });
  app.route('/api/v1', api);

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/health',
      tags: ['system'],
      summary: 'Liveness, database mode and version',
      responses: { 200: jsonResponse(Health), ...errors('UNAVAILABLE') },
    }),
    async (c) => {
      const up = await services.database.ping();
      if (!up) throw new AppError('UNAVAILABLE', 'the database is not reachable', { retryAfter: 5 });
      return c.json(
        { status: 'ok' as const, database: services.database.mode, version: services.config.version, demo: up.demo },
        200,
      );
    },
  );

  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Sanad API',
      version: services.config.version,
      description:
        'Errors: { error: { code, message, details?: [{ path, code }], requestId } }. Writes need an Origin header from the app, JSON bodies, and If-Match on versioned records.',
    },
  });
  app.all('/api/*', (c) => errorResponse(c, new AppError('NOT_FOUND', 'no such endpoint')));

  // Server-rendered academy pages: the lesson reader and the public certificate verification page.
  app.route('/', academyPages(services.config.publicOrigins));

  // The single-page app: hashed assets cached for a year, every other path gets index.html.
  app.use('/assets/*', async (c, next) => {
    await next();
    if (c.res.status === 200) c.header('Cache-Control', 'public, max-age=31536000, immutable');
  });
  app.use('/*', serveStatic({ root: path.relative(process.cwd(), WEB_DIST) || '.' }));
  app.get('*', (c) => {
    const index = path.join(WEB_DIST, 'index.html');
    if (!fs.existsSync(index)) return c.text('The web app is not built. Run `npm run build:web`.', 503);
    c.header('Cache-Control', 'no-cache');
    return c.html(fs.readFileSync(index, 'utf8'));
  });
  return app;
}
