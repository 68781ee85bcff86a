/**
 * The PrometheusRule and the Alertmanager config: the rule object validates
 * with no unknown keys; every expression reads only metrics DESIGN.md's table
 * names (or the rule file records); the paging threshold is the chart's
 * autoscaling target; every severity reaches the receiver it should. Needs no
 * tools: promtool and amtool run in deploy/check.sh.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { IPrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule'
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule'
import { collectDefaultMetrics, Registry } from 'prom-client'
import { beforeAll, describe, expect, test } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { CHART_DIR, type Manifest, parseManifests, REPO_ROOT } from '../../scripts/deploy/helm.ts'
import { createKnownKeysChecker } from './support/known-keys.ts'
import { histogramSeries, metricNames, readDesignMetrics } from './support/promql.ts'

const RULES_FILE = join(REPO_ROOT, 'deploy/prometheus/mockup-platform.rules.yaml')
const ALERTMANAGER_FILE = join(REPO_ROOT, 'deploy/alertmanager/alertmanager.yml')

/**
 * Metrics the rules read that DESIGN.md's table does not list (yet), each with
 * where it comes from. Keep this short: a name here is a name no one checked.
 */
const NOT_IN_DESIGN_TABLE: Record<string, string> = {
  benchmark_regression:
    'issue #11: benchmark_regression{benchmark,figure}, 1 while a benchmark regressed',
}

const [manifest] = parseManifests(readFileSync(RULES_FILE, 'utf8'))
const rule = manifest as unknown as IPrometheusRule
const rules = (rule.spec.groups ?? []).flatMap((g) => g.rules ?? [])
const alerts = rules.filter((r) => r.alert)
const design = readDesignMetrics(REPO_ROOT)
if ('skip' in design) console.warn(`DESIGN.md metric check skipped: ${design.skip}`)

describe('PrometheusRule mockup-platform', () => {
  test('validates and has no unknown keys', () => {
    expect(manifest?.kind).toBe('PrometheusRule')
    expect(() => new PrometheusRule(rule).validate()).not.toThrow()
    expect(createKnownKeysChecker().unknownKeys(manifest as Manifest)).toEqual([])
  })

  test('the metric-name reader tells metrics from functions, labels, keywords and durations', () => {
    expect(
      metricNames(`histogram_quantile(0.99, sum by (service, le) (rate(http_request_duration_seconds_bucket{job="core"}[5m])))
        > 1 and on (service) sum by (service) (rate(http_request_duration_seconds_count[5m] offset 1h)) > 0.5`),
    ).toEqual(['http_request_duration_seconds_bucket', 'http_request_duration_seconds_count'])
    expect(
      metricNames(
        'bullmq_queue_lenght{state=~"wait|delayed"} / on (queue) group_left(pod) db_pool_size',
      ),
    ).toEqual(['bullmq_queue_lenght', 'db_pool_size'])
  })

  describe.skipIf('skip' in design)('every expression reads metrics DESIGN.md names', () => {
    let allowed: Set<string>
    beforeAll(async () => {
      if ('skip' in design) return
      allowed = new Set(
        [...design.names].flatMap((n) => (design.histograms.has(n) ? histogramSeries(n) : [n])),
      )
      if (design.promClientDefaults) {
        // "nodejs_eventloop_lag_seconds and the other prom-client defaults".
        const registry = new Registry()
        collectDefaultMetrics({ register: registry })
        for (const m of await registry.getMetricsAsJSON()) {
          for (const name of String(m.type) === 'histogram' ? histogramSeries(m.name) : [m.name])
            allowed.add(name)
        }
      }
      for (const r of rules) if (r.record) allowed.add(r.record)
      for (const name of Object.keys(NOT_IN_DESIGN_TABLE)) allowed.add(name)
    })

    test.each(rules.map((r) => [r.alert ?? r.record ?? '?', String(r.expr)]))('%s', (_, expr) => {
      const names = metricNames(expr)
      expect(names.length).toBeGreaterThan(0)
      for (const name of names)
        expect(allowed, `${name} is not in DESIGN.md's table`).toContain(name)
    })

    test('a misspelt metric would be caught', () => {
      expect(allowed.has('bullmq_queue_lenght')).toBe(false)
      expect(allowed.has('celery_queue_length')).toBe(false)
    })
  })

  test('pages when the backlog per replica passes the chart autoscaling target (30)', () => {
    const values = parseYaml(readFileSync(join(CHART_DIR, 'values.yaml'), 'utf8')) as {
      signalIngestion: { autoscaling: { queue: { targetBacklogPerReplica: number } } }
    }
    const target = values.signalIngestion.autoscaling.queue.targetBacklogPerReplica
    expect(target).toBe(30)
    const backlog = alerts.find((a) => a.alert === 'SignalIngestionBacklogHigh')
    expect(backlog?.labels?.severity).toBe('page')
    const expr = String(backlog?.expr)
    expect(expr.trim().endsWith(`> ${target}`)).toBe(true)
    expect(backlog?.for).toMatch(/^[1-9][0-9]*m$/)
    // It divides the de-duplicated backlog (max by state before the sum) by the replicas.
    const record = rules.find((r) => r.record === 'queue:bullmq_queue_backlog:max_sum')
    expect(String(record?.expr).replace(/\s+/g, ' ')).toContain(
      'sum by (namespace, queue) ( max by (namespace, queue, state) ( bullmq_queue_length{state=~"wait|prioritized|delayed"} ) )',
    )
  })

  test('pages on failed jobs of any queue, and the backlog never counts them', () => {
    const failed = alerts.find((a) => a.alert === 'QueueJobsFailed')
    expect(failed?.labels?.severity).toBe('page')
    expect(String(failed?.expr).trim()).toBe(
      'max by (namespace, queue) (bullmq_queue_length{state="failed"}) > 0',
    )
    expect(failed?.for).toMatch(/^[1-9][0-9]*m$/)
    expect(String(failed?.annotations?.description)).toContain(
      'npm run queue -- list {{ $labels.queue }} --state failed',
    )
    const record = rules.find((r) => r.record === 'queue:bullmq_queue_backlog:max_sum')
    expect(String(record?.expr)).not.toContain('failed')
  })

  test('covers benchmarks, GPU temperature, DB pool saturation and p99 latency', () => {
    const byMetric = (metric: string) =>
      alerts.filter((a) => metricNames(String(a.expr)).some((n) => n.startsWith(metric)))
    expect(byMetric('benchmark_regression').map((a) => a.alert)).toEqual(['BenchmarkRegression'])
    expect(
      byMetric('gpu_temperature_celsius')
        .map((a) => a.labels?.severity)
        .sort(),
    ).toEqual(['page', 'warning'])
    expect(byMetric('db_pool_waiting')).toHaveLength(1)
    expect(String(byMetric('http_request_duration_seconds')[0]?.expr)).toContain(
      'histogram_quantile(0.99',
    )
    for (const a of alerts) {
      expect(['page', 'warning', 'ticket'], `${a.alert} severity`).toContain(a.labels?.severity)
      expect(a.annotations?.summary, `${a.alert} summary`).toBeTruthy()
      expect(a.annotations?.description, `${a.alert} description`).toBeTruthy()
    }
  })
})

interface Route {
  receiver?: string
  matchers?: string[]
  continue?: boolean
  routes?: Route[]
}

/** The receivers Alertmanager picks for `labels` (equality and regex matchers). */
function route(tree: Route, labels: Record<string, string>, inherited = ''): string[] {
  const receiver = tree.receiver ?? inherited
  const picked: string[] = []
  for (const child of tree.routes ?? []) {
    const ok = (child.matchers ?? []).every((m) => {
      const [, name = '', op, value = ''] = /^(\w+)\s*(=~|!~|!=|=)\s*"?(.*?)"?$/.exec(m) ?? []
      const actual = labels[name] ?? ''
      const re = new RegExp(`^(?:${value})$`)
      return op === '='
        ? actual === value
        : op === '!='
          ? actual !== value
          : op === '=~'
            ? re.test(actual)
            : !re.test(actual)
    })
    if (!ok) continue
    picked.push(...route(child, labels, receiver))
    if (!child.continue) return picked
  }
  return picked.length > 0 ? picked : [receiver]
}

describe('Alertmanager config', () => {
  const config = parseYaml(readFileSync(ALERTMANAGER_FILE, 'utf8')) as {
    route: Route
    receivers: { name: string; pagerduty_configs?: Record<string, unknown>[] }[]
  }

  test('pages go to PagerDuty, with the routing key read from a file, everything else to default', () => {
    for (const a of alerts) {
      const want = a.labels?.severity === 'page' ? ['pagerduty'] : ['default']
      expect(route(config.route, { alertname: a.alert!, ...a.labels }), a.alert).toEqual(want)
    }
    expect(route(config.route, { alertname: 'Unknown' })).toEqual(['default'])
    const pagerduty = config.receivers.find((r) => r.name === 'pagerduty')
    expect(pagerduty?.pagerduty_configs).toHaveLength(1)
    const pd = pagerduty!.pagerduty_configs![0]!
    expect(String(pd.routing_key_file)).toMatch(/^\/etc\/alertmanager\/secrets\//)
    expect(pd.routing_key).toBeUndefined()
    expect(pd.service_key).toBeUndefined()
    const defaults = config.receivers.find((r) => r.name === 'default')
    expect(defaults?.pagerduty_configs).toBeUndefined()
  })
})
