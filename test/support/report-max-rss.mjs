// Loaded with `node --import` into a CLI child by tests and bench/cli.ts: reports the process's
// own peak resident memory and CPU time (user + system, all threads) on exit, so a test can bound
// memory without a wall-clock limit or an external `time`, and a benchmark on a busy machine can
// report what the process itself spent beside the wall time it waited.
process.on('exit', () => {
  const u = process.resourceUsage();
  process.stderr.write(`\nMAX_RSS_KB=${u.maxRSS}\nCPU_US=${u.userCPUTime + u.systemCPUTime}\n`);
});
