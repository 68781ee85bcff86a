/** @module The SQL contract the edge code sees (pg on Node, Neon elsewhere). */

/** Runs one parameterised statement and returns its rows as objects. */
export interface SqlClient {
  query<Row extends object>(text: string, params: readonly unknown[]): Promise<Row[]>
}
