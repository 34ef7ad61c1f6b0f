/**
 * The academy's HTTP routes: learners (routes-learner.ts), coordinators and facilitators
 * (routes-staff.ts), certificates as documents and the public checks (routes-certificates.ts), and the
 * two server-rendered pages (pages.ts).
 */
import { router } from '../../http/openapi.ts';
import { certificateRoutes } from './routes-certificates.ts';
import { learnerRoutes } from './routes-learner.ts';
import { staffRoutes } from './routes-staff.ts';

export { publicRoutes } from './routes-certificates.ts';
export { academyPages } from './pages.ts';

/** Routes under /api/v1/academy, in the order the OpenAPI document lists them. */
export function academyRoutes() {
  const app = router();
  app.route('/', learnerRoutes());
  app.route('/', staffRoutes());
  app.route('/', certificateRoutes());
  return app;
}
