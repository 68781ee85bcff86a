/**
 * @module
 * What the dashboard checks need: the dashboards' queries, Grafana's SQL
 * macros expanded to plain PostgreSQL, and the metric names the code exports.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { collectDefaultMetrics, Registry } from 'prom-client'

/** The repository root. */
export const REPO_ROOT = join(import.meta.dirname, '../..')
/** Where the dashboards and provisioning files live. */
export const GRAFANA_DIR = join(REPO_ROOT, 'deploy/grafana')

/** One query of a dashboard: a panel target or an annotation. */
export interface DashboardQuery {
  dashboard: string
  /** Panel title (or `annotation: <name>`) and refId. */
  where: string
  datasource: { type: string; uid: string }
  sql?: string
  expr?: string
}

interface Panel {
  title?: string
  datasource?: { type: string; uid: string }
  targets?: {
    refId: string
    datasource?: { type: string; uid: string }
    rawSql?: string
    expr?: string
  }[]
  panels?: Panel[]
}

/** Every query of every dashboard file, rows' nested panels included. */
export function dashboardQueries(): DashboardQuery[] {
  const dir = join(GRAFANA_DIR, 'dashboards')
  const queries: DashboardQuery[] = []
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const dashboard = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
      panels: Panel[]
      annotations?: {
        list: {
          name: string
          datasource?: { type: string; uid: string }
          expr?: string
          rawQuery?: string
        }[]
      }
    }
    const walk = (panels: Panel[]) => {
      for (const panel of panels) {
        for (const target of panel.targets ?? []) {
          const datasource = target.datasource ?? panel.datasource
          if (!datasource) throw new Error(`${file}: panel "${panel.title}" has no data source`)
          queries.push({
            dashboard: file,
            where: `${panel.title} ${target.refId}`,
            datasource,
            ...(target.rawSql ? { sql: target.rawSql } : {}),
            ...(target.expr ? { expr: target.expr } : {}),
          })
        }
        walk(panel.panels ?? [])
      }
    }
    walk(dashboard.panels)
    for (const a of dashboard.annotations?.list ?? []) {
      if (!a.datasource || a.datasource.type === 'grafana') continue
      queries.push({
        dashboard: file,
        where: `annotation: ${a.name}`,
        datasource: a.datasource,
        ...(a.rawQuery ? { sql: a.rawQuery } : {}),
        ...(a.expr ? { expr: a.expr } : {}),
      })
    }
  }
  return queries
}

/**
 * Expands the Grafana PostgreSQL macros the dashboards use into what Grafana
 * sends (a fixed range here); any other `$` left over is an error, so a
 * dashboard cannot depend on a macro or variable this check does not know.
 */
export function expandSqlMacros(
  sql: string,
  from = '2026-01-01T00:00:00Z',
  to = '2026-02-01T00:00:00Z',
): string {
  const expanded = sql
    .replace(/\$__timeFilter\(([^)]+)\)/g, `$1 BETWEEN '${from}' AND '${to}'`)
    .replace(/\$__timeFrom\(\)/g, `'${from}'`)
    .replace(/\$__timeTo\(\)/g, `'${to}'`)
    .replace(/\$__time\(([^)]+)\)/g, '$1 AS "time"')
  const left = /\$\S*/.exec(expanded)
  if (left) throw new Error(`unknown macro or variable ${left[0]}`)
  return expanded
}

/** Grafana's interval variables, replaced by a duration before PromQL parses. */
export const expandPromVariables = (expr: string): string =>
  expr.replace(/\$__(rate_interval|interval|range)\b/g, '5m')

/**
 * Metric names the code exports: the `name` of each prom-client constructor
 * (and of core's RequestHistogram)
 * under core/ and gpu-worker/, names passed to the small gauge-making helpers
 * (`gauge('db_pool_size', 'help', ...)`), and prom-client's default metrics.
 * Histograms bring their `_bucket`, `_sum` and `_count` series.
 */
export function exportedMetricNames(): Set<string> {
  const names = new Set<string>()
  const addHistogram = (name: string) => {
    for (const suffix of ['', '_bucket', '_sum', '_count']) names.add(`${name}${suffix}`)
  }
  for (const dir of ['core', 'gpu-worker']) {
    const files = readdirSync(join(REPO_ROOT, dir), { recursive: true, encoding: 'utf8' }).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'),
    )
    for (const file of files) {
      const text = readFileSync(join(REPO_ROOT, dir, file), 'utf8')
      if (!/from 'prom-client'/.test(text)) continue
      // name: 'literal', or name: CONSTANT declared in the same file.
      const constructors =
        /new (Gauge|Counter|\w*Histogram|Summary)(?:<[^>]*>)?\(\{\s*name: (?:'([a-z_:][a-z0-9_:]*)'|([A-Z_]+)\b)/g
      for (const [, kind, literal, constant] of text.matchAll(constructors)) {
        const name =
          literal ?? new RegExp(`const ${constant} = '([a-z_:][a-z0-9_:]*)'`).exec(text)?.[1]
        if (!name) throw new Error(`${dir}/${file}: cannot resolve metric name ${constant}`)
        if (kind?.endsWith('Histogram') || kind === 'Summary') addHistogram(name)
        else names.add(name)
      }
      // Helpers called as helper('metric_name', 'Help text', ...) next to a `name,` constructor.
      if (/new (Gauge|Counter)\(\{\s*name(: \w+)?,/.test(text)) {
        for (const m of text.matchAll(/\b\w+\(\s*'([a-z_:][a-z0-9_:]*)',\s*'[A-Z]/g))
          names.add(m[1]!)
      }
    }
  }
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  for (const metric of registry.getMetricsAsArray()) {
    const { name, type } = metric as unknown as { name: string; type: string }
    if (type === 'histogram') addHistogram(name)
    else names.add(name)
  }
  return names
}
