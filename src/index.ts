import { run } from './main.js';
import { exitWhenFlushed } from './deadline.js';

await run();
await exitWhenFlushed();
