// Compiles the server and CLI to plain JavaScript in dist/server (no tsx at run time), for `npm start`.
// `--if-stale`: only when dist/server is missing or older than its sources (as ensure-web.mjs does).
//
// One ES module bundle, dist/server/main.js, with the packages in node_modules left as imports; the
// migrations as separate modules in dist/server/migrations (they are loaded by file name at run time).
// Source files that find their data next to themselves (import.meta.dirname: migrations, content,
// catalogues, dist/web) get that expression rewritten to point at their source directory.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, 'dist/server');
const entry = path.join(out, 'main.js');

function newest(p) {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(0, ...fs.readdirSync(p).map((e) => newest(path.join(p, e))));
}

if (process.argv.includes('--if-stale')) {
  const sources = Math.max(
    newest(path.join(root, 'src/server')),
    newest(path.join(root, 'src/core')),
    newest(path.join(root, 'src/cli')),
    newest(path.join(root, 'package-lock.json')),
    newest(import.meta.filename),
  );
  if (fs.existsSync(entry) && fs.statSync(entry).mtimeMs >= sources) process.exit(0);
  process.stdout.write('Building the server (first start or sources changed)…\n');
}

const esbuild = await import('esbuild');
const migrationsSrc = path.join(root, 'src/server/db/migrations');

/** Rewrites import.meta.dirname in src/**.ts to the file's source directory, relative to the bundle. */
const sourceDirs = {
  name: 'source-dirs',
  setup(build) {
    build.onLoad({ filter: /\/src\/.*\.tsx?$/ }, (args) => {
      let text = fs.readFileSync(args.path, 'utf8');
      const rel = path.relative(out, path.dirname(args.path)).split(path.sep).join('/');
      if (args.path === path.join(root, 'src/server/db/migrate.ts')) {
        // The compiled migrations sit next to the bundle, as .js files.
        const before = text;
        text = text
          .replace("path.join(import.meta.dirname, 'migrations')", "path.join(import.meta.dirname, 'migrations')")
          .replace('/^(\\d{4}-[a-z0-9-]+)\\.ts$/', '/^(\\d{4}-[a-z0-9-]+)\\.js$/');
        if (text === before || !text.includes("path.join(import.meta.dirname, 'migrations')"))
          throw new Error('build-server: src/server/db/migrate.ts changed shape; update scripts/build-server.mjs');
        return { contents: text, loader: 'ts' };
      }
      text = text.replaceAll('import.meta.dirname', `(import.meta.dirname + ${JSON.stringify('/' + rel)})`);
      return { contents: text, loader: args.path.endsWith('x') ? 'tsx' : 'ts' };
    });
  },
};

fs.rmSync(out, { recursive: true, force: true });
const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
  plugins: [sourceDirs],
};
await esbuild.build({ ...common, entryPoints: [path.join(root, 'src/cli/main.ts')], outfile: entry });
await esbuild.build({
  ...common,
  entryPoints: fs
    .readdirSync(migrationsSrc)
    .filter((f) => /^\d{4}-[a-z0-9-]+\.ts$/.test(f))
    .map((f) => path.join(migrationsSrc, f)),
  outdir: path.join(out, 'migrations'),
});
fs.writeFileSync(path.join(out, 'package.json'), JSON.stringify({ type: 'module' }) + '\n');
