// The action's entry, as `runs.main` of action.yml: dist/index.js is this file bundled by ncc.
import { run } from './main.js';

await run();
// The report is written and the exit code set. Whatever is still in flight (a request abandoned
// at the deadline or by a cancel) must not hold the step open: an unref'd timer fires only when
// something else keeps the process alive.
setTimeout(() => process.exit(), 1000).unref();
