/**
 * @module
 * Puts a profile's call frames back on the TypeScript sources. V8 samples the
 * JavaScript tsx generated, so raw positions point into transformed code;
 * Node keeps each module's source map (with source maps enabled before the
 * module loads), and the mapped profile reads right in the report and in
 * DevTools or speedscope alike.
 */

import type { Profiler } from 'node:inspector'
import { findSourceMap } from 'node:module'

/** A copy of `profile` whose call frames point at original sources where a map knows them. */
export function applySourceMaps(profile: Profiler.Profile): Profiler.Profile {
  const nodes = profile.nodes.map((node) => {
    const { url, lineNumber, columnNumber } = node.callFrame
    // Only files can have maps; node: internals and natives have none.
    if (!url.startsWith('file://') || lineNumber < 0) return node
    const entry = findSourceMap(url)?.findEntry(lineNumber, columnNumber)
    if (!entry || !('originalSource' in entry)) return node
    return {
      ...node,
      callFrame: {
        ...node.callFrame,
        url: entry.originalSource,
        lineNumber: entry.originalLine,
        columnNumber: entry.originalColumn,
      },
    }
  })
  return { ...profile, nodes }
}
