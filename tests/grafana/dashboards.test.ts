/**
 * The Grafana dashboards and provisioning: every query reaches a provisioned
 * data source; every SQL query (macros expanded) plans against a schema
 * migrated with the project's migrations, so it names real tables and
 * columns; every PromQL query parses and reads only metrics the code exports.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parser } from '@prometheus-io/lezer-promql'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { REGRESSION_METRIC } from '../../core/benchmarks/index.ts'
import { migrate } from '../../core/platform/db/index.ts'
import { createTestSchema, type TestSchema } from '../support/db.ts'
import {
  dashboardQueries,
  expandPromVariables,
  expandSqlMacros,
  exportedMetricNames,
  GRAFANA_DIR,
} from './support.ts'

const queries = dashboardQueries()
const sqlQueries = queries.filter((q) => q.sql)
const promQueries = queries.filter((q) => q.expr)

function readYaml<T>(dir: string): T[] {
  const path = join(GRAFANA_DIR, 'provisioning', dir)
  return readdirSync(path)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => parseYaml(readFileSync(join(path, f), 'utf8')) as T)
}

/** Metric names in a parsed PromQL expression, and whether it parsed cleanly. */
function promMetrics(expr: string): { names: string[]; error: boolean } {
  const names: string[] = []
  let error = false
  parser.parse(expr).iterate({
    enter(node) {
      if (node.type.isError) error = true
      if (node.name !== 'VectorSelector') return
      const id = node.node.getChild('Identifier')
      if (id) names.push(expr.slice(id.from, id.to))
    },
  })
  return { names, error }
}

describe('provisioning', () => {
  const datasources = readYaml<{
    apiVersion: number
    datasources: { uid: string; type: string }[]
  }>('datasources')
  const providers = readYaml<{
    apiVersion: number
    providers: { type: string; options: { path: string } }[]
  }>('dashboards')

  test('Should provision a PostgreSQL and a Prometheus data source and a file provider', () => {
    expect(datasources.map((d) => d.apiVersion)).toEqual([1])
    const types = datasources.flatMap((d) => d.datasources.map((s) => s.type)).sort()
    expect(types).toEqual(['grafana-postgresql-datasource', 'prometheus'])
    expect(providers.flatMap((p) => p.providers.map((x) => x.type))).toEqual(['file'])
  })

  test('Should have every query use a provisioned data source by uid and type', () => {
    const known = new Set(
      datasources.flatMap((d) => d.datasources.map((s) => `${s.type}/${s.uid}`)),
    )
    const unknown = queries.filter((q) => !known.has(`${q.datasource.type}/${q.datasource.uid}`))
    expect(unknown.map((q) => `${q.dashboard}: ${q.where}`)).toEqual([])
    expect(sqlQueries.length).toBeGreaterThan(0)
    expect(promQueries.length).toBeGreaterThan(0)
  })
})

describe('SQL panels', () => {
  let schema: TestSchema
  let client: pg.Client

  beforeAll(async () => {
    schema = await createTestSchema('grafana')
    const pool = new pg.Pool({ connectionString: schema.url, max: 1 })
    await migrate(pool, { schema: schema.schema }).finally(() => pool.end())
    client = new pg.Client({ connectionString: schema.url })
    await client.connect()
    await client.query(`SET search_path TO ${client.escapeIdentifier(schema.schema)}`)
  })

  afterAll(async () => {
    await client?.end()
    await schema?.drop()
  })

  test('Should expand the macros it knows and refuse any other', () => {
    expect(expandSqlMacros('SELECT 1 FROM t WHERE $__timeFilter(ran_at)', 'A', 'B')).toBe(
      "SELECT 1 FROM t WHERE ran_at BETWEEN 'A' AND 'B'",
    )
    expect(() => expandSqlMacros('SELECT $__unixEpochGroup(t, 1h) FROM x')).toThrow(/unknown macro/)
    expect(() => expandSqlMacros('SELECT * FROM x WHERE target = $target')).toThrow(/\$target/)
  })

  test('Should reject a query that names a missing column (the check can fail)', async () => {
    await expect(
      client.query('EXPLAIN SELECT cached_p42_ms FROM score_benchmarks'),
    ).rejects.toThrow(/column "cached_p42_ms" does not exist/)
  })

  test.each(sqlQueries.map((q) => [`${q.dashboard}: ${q.where}`, q.sql!]))(
    '%s plans against the migrated schema',
    async (_, sql) => {
      await expect(client.query(`EXPLAIN ${expandSqlMacros(sql)}`)).resolves.toBeDefined()
    },
  )

  test('Should chart both benchmark tables', () => {
    const all = sqlQueries.map((q) => q.sql).join('\n')
    expect(all).toMatch(/\bscore_benchmarks\b/)
    expect(all).toMatch(/\bmockup_benchmarks\b/)
  })
})

describe('PromQL panels', () => {
  const exported = exportedMetricNames()

  test('Should find the metrics the code exports, helpers and defaults included', () => {
    for (const name of [
      'http_request_duration_seconds_bucket',
      'score_cache_requests_total',
      'bullmq_queue_length',
      'db_pool_in_use',
      'worker_pool_utilization',
      'gpu_temperature_celsius',
      'gpu_slot_wait_seconds_bucket',
      'nodejs_eventloop_lag_seconds',
      REGRESSION_METRIC,
    ]) {
      expect(exported, name).toContain(name)
    }
    expect(exported).not.toContain('input_ids')
  })

  test('Should flag an unknown metric and a syntax error', () => {
    expect(promMetrics('sum(rate(http_requests_totl[5m]))')).toEqual({
      names: ['http_requests_totl'],
      error: false,
    })
    expect(promMetrics('sum(rate(x[5m])').error).toBe(true)
  })

  test.each(promQueries.map((q) => [`${q.dashboard}: ${q.where}`, q.expr!]))(
    '%s parses and reads exported metrics',
    (_, expr) => {
      const { names, error } = promMetrics(expandPromVariables(expr))
      expect(error).toBe(false)
      expect(names.length).toBeGreaterThan(0)
      expect(names.filter((n) => !exported.has(n))).toEqual([])
    },
  )

  test('Should cover what the issue asks the service dashboard to show', () => {
    const read = new Set(
      promQueries.flatMap((q) => promMetrics(expandPromVariables(q.expr!)).names),
    )
    for (const name of [
      'http_request_duration_seconds_bucket',
      'score_cache_requests_total',
      'bullmq_queue_length',
      'gpu_slots_in_use',
      'gpu_slot_wait_seconds_bucket',
      'gpu_utilization_percent',
      'gpu_temperature_celsius',
      'db_pool_in_use',
      'db_pool_size',
      'db_pool_waiting',
      'nodejs_eventloop_lag_seconds',
      'worker_pool_utilization',
      REGRESSION_METRIC,
    ]) {
      expect(read, name).toContain(name)
    }
  })
})
