// Loaded with `node --import` into a CLI child by tests: reports the process's own peak resident
// memory on exit, so a test can bound memory without a wall-clock limit or an external `time`.
process.on('exit', () => {
  process.stderr.write(`\nMAX_RSS_KB=${process.resourceUsage().maxRSS}\n`);
});
