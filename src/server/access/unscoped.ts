/**
 * The one named way past the Scope's need-to-know predicates. Code outside the access layer that must
 * name a case table (the synthetic demo seed, a duplicate search over the whole tenant) wraps that
 * query in `unscoped('why, in words', …)`. Row-level security still applies to the app role, so the
 * transaction must be bound to a tenant (`Scope.run` or `bindTenant`). `test/chokepoint.test.ts`
 * finds every use and lists it with its reason; a case table named anywhere else fails the build.
 */
export function unscoped<R>(reason: string, fn: () => R): R {
  if (reason.trim().length < 10) throw new Error('unscoped: say why, in words');
  return fn();
}
