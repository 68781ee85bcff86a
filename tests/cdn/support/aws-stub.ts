/**
 * @module
 * A test double for the AWS CLI: nothing here can reach AWS. `createAwsStub()`
 * writes an executable `aws` into a temporary bin folder that records each
 * call (its arguments and the contents of every `file://`/`fileb://` argument)
 * as one JSON line, and answers with the canned reply the test set for that
 * `<service> <command>`. A call with no reply fails (exit 255), so an
 * unexpected call fails the test instead of passing unnoticed.
 *
 * The bin folder also links the few tools the scripts use (bash, jq, ...),
 * found on the test's PATH, so a test can run a script with `PATH=<bin>` only:
 * no real `aws` can leak in, and leaving `aws` or `jq` out is one option.
 */
import { spawnSync } from 'node:child_process'
import {
  accessSync,
  chmodSync,
  constants,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join, resolve } from 'node:path'

/** The repository root. */
export const REPO_ROOT = resolve(import.meta.dirname, '../../..')

/** What the stub prints and returns for one `<service> <command>`. */
export interface AwsReply {
  stdout?: string
  stderr?: string
  /** @defaultValue 0 */
  status?: number
}

/** One recorded call. */
export interface AwsCall {
  /** The arguments, as the script passed them. */
  args: string[]
  /** `file://` and `fileb://` arguments by their path: what the script sent. */
  files: Record<string, string>
}

/** Options of {@link createAwsStub}. */
export interface AwsStubOptions {
  /** Replies by `"<service> <command>"`, e.g. `'sts get-caller-identity'`. */
  replies?: Record<string, AwsReply>
  /** Put the stub `aws` in the bin folder. @defaultValue true */
  withAws?: boolean
  /** Link jq into the bin folder (when the machine has it). @defaultValue true */
  withJq?: boolean
}

/** A prepared bin folder; `cleanup()` removes it. */
export interface AwsStub {
  /** PATH for the script under test: the bin folder only. */
  path: string
  /** Whether jq was linked in (asked for and installed). */
  hasJq: boolean
  /** The calls recorded so far, in order. */
  calls(): AwsCall[]
  /** The one call of `<service> <command>`; throws when there is not exactly one. */
  call(name: string): AwsCall
  /** The contents of the one `file://` argument of that call, parsed as JSON. */
  sentJson(name: string): unknown
  cleanup(): void
}

// Everything the two scripts run besides aws and jq.
const TOOLS = ['bash', 'cat', 'date', 'grep', 'mktemp', 'rm', 'sed', 'tr']

/** Absolute path of a command on the current PATH, or undefined. */
export function which(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue
    const candidate = join(dir, command)
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {
      // not in this folder
    }
  }
  return undefined
}

// Bash, not node: a node start costs 100+ ms per call on a busy machine.
// Each call gets a folder calls/<n>/ (n counts up; mkdir is the atomic
// counter) with its arguments NUL-separated and a copy of each file:// or
// fileb:// argument. Replies live in replies/<service>.<command>.{out,err,status}.
// Tools are called by absolute path: the script under test sets PATH.
const stubSource = (bin: string, bash: string, cat: string, mkdir: string) => `#!${bash}
set -u
dir='${bin}'
i=0
while ! '${mkdir}' "$dir/calls/$i" 2>/dev/null; do i=$((i + 1)); done
call="$dir/calls/$i"
printf '%s\\0' "$@" >"$call/args"
k=0
for arg in "$@"; do
  case $arg in
  file://* | fileb://*)
    printf '%s' "\${arg#*://}" >"$call/path$k"
    '${cat}' "\${arg#*://}" >"$call/file$k"
    k=$((k + 1))
    ;;
  esac
done
reply="$dir/replies/\${1:-}.\${2:-}"
if [[ ! -f $reply.status ]]; then
  echo "aws stub: no reply for \${1:-} \${2:-}" >&2
  exit 255
fi
'${cat}' "$reply.out"
'${cat}' "$reply.err" >&2
exit "$(<"$reply.status")"
`

/** Writes the bin folder with the stub `aws` and links to the tools. */
export function createAwsStub(options: AwsStubOptions = {}): AwsStub {
  const bin = mkdtempSync(join(tmpdir(), 'aws-stub-'))
  for (const tool of TOOLS) {
    const found = which(tool)
    if (!found) throw new Error(`${tool} is not on PATH: the CDN script tests need it`)
    symlinkSync(found, join(bin, tool))
  }
  const jq = options.withJq === false ? undefined : which('jq')
  if (jq) symlinkSync(jq, join(bin, 'jq'))
  mkdirSync(join(bin, 'calls'))
  mkdirSync(join(bin, 'replies'))
  for (const [name, reply] of Object.entries(options.replies ?? {})) {
    const base = join(bin, 'replies', name.replace(' ', '.'))
    writeFileSync(`${base}.out`, reply.stdout ?? '')
    writeFileSync(`${base}.err`, reply.stderr ?? '')
    writeFileSync(`${base}.status`, String(reply.status ?? 0))
  }
  if (options.withAws !== false) {
    writeFileSync(join(bin, 'aws'), stubSource(bin, which('bash')!, which('cat')!, which('mkdir')!))
    chmodSync(join(bin, 'aws'), 0o755)
  }

  const calls = (): AwsCall[] =>
    readdirSync(join(bin, 'calls'))
      .map(Number)
      .sort((a, b) => a - b)
      .map((n) => readCall(join(bin, 'calls', String(n))))
  const call = (name: string): AwsCall => {
    const [service, command] = name.split(' ')
    const found = calls().filter((c) => c.args[0] === service && c.args[1] === command)
    if (found.length !== 1) throw new Error(`expected one 'aws ${name}' call, got ${found.length}`)
    return found[0]!
  }
  return {
    path: bin,
    hasJq: jq !== undefined,
    calls,
    call,
    sentJson(name) {
      const sent = Object.values(call(name).files)
      if (sent.length !== 1) throw new Error(`'aws ${name}' sent ${sent.length} files`)
      return JSON.parse(sent[0]!) as unknown
    },
    cleanup: () => rmSync(bin, { recursive: true, force: true }),
  }
}

function readCall(dir: string): AwsCall {
  const args = readFileSync(join(dir, 'args'), 'utf8').split('\0').slice(0, -1)
  const files: Record<string, string> = {}
  for (const name of readdirSync(dir).filter((f) => f.startsWith('path'))) {
    const k = name.slice('path'.length)
    files[readFileSync(join(dir, name), 'utf8')] = readFileSync(join(dir, `file${k}`), 'utf8')
  }
  return { args, files }
}

/** The result of one script run. */
export interface ScriptResult {
  status: number | null
  stdout: string
  stderr: string
}

/** Runs `scripts/<name>` with `PATH` set to the stub's bin folder only. */
export function runScript(name: string, args: string[], stub: AwsStub): ScriptResult {
  const result = spawnSync(join(REPO_ROOT, 'scripts', name), args, {
    encoding: 'utf8',
    // HOME and TMPDIR only: no AWS_* variable of the machine reaches the script.
    env: { PATH: stub.path, HOME: stub.path, TMPDIR: tmpdir() },
    timeout: 20_000,
  })
  if (result.error) throw result.error
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}
