// The action's entry, as `runs.main` of action.yml: dist/index.js is this file bundled by ncc.
import { run } from './main.js';

await run();
