/** @module A logger that keeps what it is given, for assertions on log lines. */

/** Records `info`/`warn`/`error` calls as objects. */
export function memoryLogger() {
  const lines: { level: string; obj: object; msg?: string }[] = []
  const at =
    (level: string) =>
    (obj: object, msg?: string): void => {
      lines.push({ level, obj, msg })
    }
  return { lines, info: at('info'), warn: at('warn'), error: at('error') }
}
