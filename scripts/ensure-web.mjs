// Builds the web app before `npm start` when dist/web is missing or older than its sources.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, 'dist/web/index.html');

function newest(p) {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(0, ...fs.readdirSync(p).map((e) => newest(path.join(p, e))));
}

const sources = Math.max(
  newest(path.join(root, 'src/web')),
  newest(path.join(root, 'src/core')),
  newest(path.join(root, 'index.html')),
  newest(path.join(root, 'vite.config.ts')),
);
if (fs.existsSync(out) && fs.statSync(out).mtimeMs >= sources) process.exit(0);
process.stdout.write('Building the web app (first start or sources changed)…\n');
const r = spawnSync(
  process.execPath,
  [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'],
  { stdio: 'inherit', cwd: root },
);
process.exit(r.status ?? 1);
