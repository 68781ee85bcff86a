/**
 * @module
 * `npm run rehearse:edge`: the edge as deployed, rehearsed on one machine and
 * offline (scripts/rehearse-edge/stack.ts), then every check of checks.ts;
 * ends with `edge rehearsal: N/M checks hold` and exits 1 unless all hold.
 * DATABASE_URL and REDIS_URL pick the servers (default: the local ones);
 * the rehearsal keeps to its own schema and key prefix and removes them.
 */
import { CHECKS } from './checks.ts'
import { startEdgeRehearsal } from './stack.ts'

const say = (line: string) => process.stdout.write(`${line}\n`)
const started = performance.now()
const output: string[] = []

async function main(): Promise<number> {
  const rehearsal = await startEdgeRehearsal({
    databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    onOutput: (line) => output.push(line),
  })
  say(
    `stack up in ${((performance.now() - started) / 1000).toFixed(1)} s (CDN ${rehearsal.cdnUrl})`,
  )
  let held = 0
  try {
    for (const check of CHECKS) {
      try {
        say(`✓ ${check.name}: ${await check.run(rehearsal)}`)
        held++
      } catch (err) {
        say(`✗ ${check.name}: ${(err as Error).message}`)
      }
    }
  } finally {
    await rehearsal.close()
  }
  if (held < CHECKS.length && output.length) say(`process output:\n${output.slice(-40).join('\n')}`)
  say(
    `edge rehearsal: ${held}/${CHECKS.length} checks hold (${((performance.now() - started) / 1000).toFixed(1)} s)`,
  )
  return held === CHECKS.length ? 0 : 1
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    say(`edge rehearsal could not start: ${(err as Error).stack ?? err}`)
    if (output.length) say(output.slice(-40).join('\n'))
    say(`edge rehearsal: 0/${CHECKS.length} checks hold`)
    process.exit(1)
  },
)
