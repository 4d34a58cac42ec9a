#!/usr/bin/env node
// `npm run report`: runs the benchmarks, the load with its fault step and the hostile-input suite, and writes
// what they printed, with the machine and the date, to docs/report.md (linked from the README).
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, freemem, totalmem } from 'node:os';
import { join } from 'node:path';
import { ROOT, bin, offlineEnv } from './lib/env.mjs';

// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal colour codes are control characters
const plain = (text) => text.replace(/\u001b\[[0-9;]*m/g, '');

/** Runs a command, showing its output as it goes and keeping it for the report. */
function run(label, command, args, env = {}) {
  console.log(`\n== ${label}: ${command.replace(ROOT, '')} ${args.join(' ')}`);
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(command, args, { cwd: ROOT, env: { ...offlineEnv(), ...env } });
    let out = '';
    const keep = (chunk) => {
      process.stdout.write(chunk);
      out += chunk;
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('close', (code) => resolve({ label, code, seconds: (Date.now() - started) / 1000, out: plain(out) }));
  });
}

/** The part of a run's output a reader needs: from the figures' title on, without vitest's own chatter. */
function figures(out, from) {
  const start = out.indexOf(from);
  const text = start >= 0 ? out.slice(start) : out;
  const kept = [];
  for (const line of text.split('\n')) {
    // vitest's "stdout | file > test" markers come with a blank line before them: drop both.
    if (/^\s*stdout \|/.test(line)) {
      if (kept.at(-1)?.trim() === '') kept.pop();
      continue;
    }
    if (/^\s*(Test Files|Tests|Start at|Duration|RUN|·)/.test(line) || /^\s*[✓❯×↓]/.test(line)) continue;
    kept.push(line);
  }
  return kept
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const wranglerVersion = (await run('wrangler version', bin('wrangler'), ['--version'])).out.trim().split('\n').pop();
const runs = [
  await run('npm run bench', 'npm', ['run', '--silent', 'bench']),
  await run('npm run bench:worker', 'npm', ['run', '--silent', 'bench:worker']),
  await run('npm run load', 'npm', ['run', '--silent', 'load']),
  await run('hostile-input suite', bin('vitest'), ['run', '--project=e2e', 'test/hostile', '--reporter=default', '--silent=false']),
];
const [bench, benchWorker, load, hostile] = runs;
const tally = /hostile suite: .*/.exec(hostile.out)?.[0] ?? 'the hostile suite printed no tally (see its output above)';

const cpu = cpus();
const date = new Date().toISOString().replace('T', ' ').slice(0, 16);
const report = `# Flagline: measured figures

Written by \`npm run report\` on ${date} UTC. Every figure below was measured in that one run on this machine;
rerun the command to measure yours. Ratios compare figures taken in the same run (the machine is shared).

## Machine

- ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB memory (${(freemem() / 2 ** 30).toFixed(0)} GiB free at the start)
- Node ${process.version}, wrangler ${wranglerVersion} (workerd and a local D1 under \`wrangler dev\`)

## Summary

| Run | Exit | Took |
| --- | --- | --- |
${runs.map((r) => `| ${r.label} | ${r.code === 0 ? 'passed' : `failed (${r.code})`} | ${r.seconds.toFixed(0)} s |`).join('\n')}

- Hostile input: ${tally.replace(/^hostile suite: /, '')}

## Distribution (\`npm run bench\`)

\`\`\`text
${figures(bench.out, 'Flagline distribution benchmark')}
\`\`\`

## The worker at a million entries (\`npm run bench:worker\`)

Cold is the first download of a version (streamed from D1 while it is cached), warm the next one (from the
cache). Peak heap is the worker isolate's JS heap with ArrayBuffer backing stores, sampled every few
milliseconds over wrangler's inspector while the request runs; it includes garbage not yet collected.

\`\`\`text
${figures(benchWorker.out, 'Flagline worker benchmark')}
\`\`\`

## Many analysts at once, and a crash (\`npm run load\`)

The fault step kills wrangler and workerd with SIGKILL halfway through a 10-client step and starts them again;
clients retry with their Idempotency-Keys. The checks after it cover the whole run.

\`\`\`text
${figures(load.out, 'Flagline load')}
\`\`\`

## Hostile input (\`test/hostile\`, also part of \`npm test\`)

Generated hostile requests over HTTP to the real worker: every route, method, header, query parameter and
body shape. A run that passes had no answer at or above 500 and every refusal in the documented error shape.

\`\`\`text
${tally}
\`\`\`
`;
mkdirSync(join(ROOT, 'docs'), { recursive: true });
writeFileSync(join(ROOT, 'docs', 'report.md'), report);
console.log(`\nWrote docs/report.md (${runs.filter((r) => r.code === 0).length} of ${runs.length} runs passed).`);
process.exit(runs.every((r) => r.code === 0) ? 0 : 1);
