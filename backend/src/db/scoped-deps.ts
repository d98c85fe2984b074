import type { RunInScope } from './tenant-scope.js';

/** What the account use cases need from the outside: a way to run work in a row-level security scope. */
export type ScopedDeps = { runInScope: RunInScope };
