/** Starts Sanad: database, migrations, optional demo seed, HTTP server, jobs; stops cleanly on signals. */
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { createServices, type Services } from './services.ts';
import { startJobs } from './jobs.ts';
import { ensureDemo } from './demo/seed.ts';
import { log } from './log.ts';
import type { Config } from './config.ts';

/** A running server with its address and a stop function. */
export interface Running {
  services: Services;
  url: string;
  stop(): Promise<void>;
}

/** Starts the whole server; resolves once it listens. */
export async function startServer(config: Config, opts: { quiet?: boolean } = {}): Promise<Running> {
  const t0 = Date.now();
  const services = await createServices(config);
  let demoInfo: string | null = null;
  if (config.demo) {
    demoInfo = await ensureDemo(services, { quiet: opts.quiet }).catch((e: unknown) => {
      log('warn', 'demo data not added', { reason: e instanceof Error ? e.message : String(e) });
      return null;
    });
  }
  const app = createApp(services);
  const stopJobs = startJobs(services);
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s));
    s.on('error', reject);
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
  if (!opts.quiet) {
    process.stdout.write(
      `\nSanad ${config.version} is running at ${url}  (database: ${services.database.mode}, started in ${Date.now() - t0} ms)\n`,
    );
    if (demoInfo) process.stdout.write(demoInfo);
  }
  let stopping = false;
  return {
    services,
    url,
    stop: async () => {
      if (stopping) return;
      stopping = true;
      stopJobs();
      await new Promise<void>((r) => {
        server.close(() => r());
        setTimeout(r, 5000).unref();
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      await services.close();
      log('info', 'stopped');
    },
  };
}
