/**
 * @module
 * The addresses proxies recorded in `Forwarded` (RFC 7239) or, when that is
 * absent, `X-Forwarded-For`: client first, the hop nearest the server last.
 * Entries are read as sent; whether any is believed is for `TRUST_PROXY`.
 */

/** Strips quotes, IPv6 brackets and a port from one recorded node. */
function nodeAddress(node: string): string {
  let text = node.trim().replace(/^"(.*)"$/, '$1')
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text)
  if (bracketed?.[1]) return bracketed[1]
  // One colon is IPv4 with a port; an IPv6 address has several.
  if (/^[\d.]+:\d+$/.test(text)) text = text.slice(0, text.indexOf(':'))
  return text
}

/** The `for=` nodes of a `Forwarded` header, in order. */
function forwardedFor(header: string): string[] {
  const nodes: string[] = []
  for (const element of header.split(',')) {
    for (const pair of element.split(';')) {
      const eq = pair.indexOf('=')
      if (eq > 0 && pair.slice(0, eq).trim().toLowerCase() === 'for') {
        nodes.push(nodeAddress(pair.slice(eq + 1)))
      }
    }
  }
  return nodes
}

/**
 * The recorded chain of addresses, client first.
 *
 * @example
 * forwardedChain(new Headers({ 'X-Forwarded-For': '203.0.113.7, 10.0.0.2' })) // ['203.0.113.7', '10.0.0.2']
 */
export function forwardedChain(headers: Headers): string[] {
  const forwarded = headers.get('Forwarded')
  if (forwarded) return forwardedFor(forwarded)
  const xff = headers.get('X-Forwarded-For')
  return xff ? xff.split(',').map(nodeAddress).filter(Boolean) : []
}
