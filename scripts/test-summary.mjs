#!/usr/bin/env node
// Prints the closing lines of npm test from the Vitest and Playwright JSON reports:
// "tests: N run — P passed, F failed[, K skipped]" (conformance runs are reported by their own
// lines) and, on a clone without the corpora, one line naming the suites skipped for lack of
// them and how to get them.
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { CORPORA_HINT, HAS_SHARED, REPO } from './corpora.mjs';

let passed = 0, failed = 0, skipped = 0;
const skippedSuites = new Set();
/** Playwright: every test of a suite tree, with its spec file. */
function* pwTests(suite) {
  for (const spec of suite.specs ?? []) for (const t of spec.tests ?? []) yield { file: spec.file ?? suite.file, title: spec.title, t };
  for (const s of suite.suites ?? []) yield* pwTests(s);
}
for (const file of process.argv.slice(2)) {
  if (!existsSync(file)) continue;
  const r = JSON.parse(readFileSync(file, 'utf8'));
  if ('numPassedTests' in r) {
    // Vitest (Jest-compatible JSON)
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    for (const f of r.testResults ?? [])
      for (const a of f.assertionResults ?? [])
        if (a.status === 'pending' || a.status === 'skipped') skippedSuites.add(`${relative(REPO, f.name)} (${a.ancestorTitles?.[0] ?? a.title})`);
  } else if (r.stats) {
    // Playwright
    passed += (r.stats.expected ?? 0) + (r.stats.flaky ?? 0);
    failed += r.stats.unexpected ?? 0;
    skipped += r.stats.skipped ?? 0;
    for (const s of r.suites ?? []) for (const { file: f, title, t } of pwTests(s)) if (t.status === 'skipped') skippedSuites.add(`e2e/${f} (${title})`);
  }
}
console.log(`tests: ${passed + failed} run — ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
if (!HAS_SHARED)
  console.log(`skipped without the corpora: ${[...skippedSuites, 'conformance (compare.mjs over captures/ and real/ppa3, the diagnosis checker, the tcpdump corpus)'].join('; ')} — to run them, ${CORPORA_HINT}`);
process.exit(failed ? 1 : 0);
