/**
 * @module
 * Unknown-key check. kubernetes-models' `.validate()` (JSON schemas without
 * `additionalProperties: false`) accepts `imagePullPolcy` or `minReplica` and
 * the API server would drop them silently. The models' TypeScript interfaces
 * do list every field, so this walks a manifest next to its interface (read
 * with the TypeScript compiler from model-types.ts) and reports every key
 * the interface does not have. Maps (labels, annotations, ConfigMap data,
 * KEDA trigger metadata) are index signatures: any key passes there.
 */
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

const MODEL_TYPES = fileURLToPath(new URL('./model-types.ts', import.meta.url))

/** Finds keys that the kind's interface does not declare. */
export interface KnownKeysChecker {
  /** Kinds it knows, as `apiVersion/kind`. */
  kinds: string[]
  /** Paths (`spec.template.spec.containers[0].imagePullPolcy`) of unknown keys. */
  unknownKeys: (manifest: Record<string, unknown>) => string[]
}

/** Loads the interfaces (about a second: the compiler reads the models' .d.ts). */
export function createKnownKeysChecker(): KnownKeysChecker {
  const program = ts.createProgram([MODEL_TYPES], {
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022,
    allowImportingTsExtensions: true,
    noEmit: true,
    strict: true,
    skipLibCheck: true,
    types: [],
  })
  const checker = program.getTypeChecker()
  const source = program.getSourceFile(MODEL_TYPES)
  if (!source) throw new Error(`cannot read ${MODEL_TYPES}`)
  const decl = source.statements.find(
    (s): s is ts.InterfaceDeclaration =>
      ts.isInterfaceDeclaration(s) && s.name.text === 'ManifestTypes',
  )
  if (!decl) throw new Error('ManifestTypes not found in model-types.ts')
  const manifestTypes = checker.getTypeAtLocation(decl)
  const kinds = new Map<string, ts.Type>()
  for (const prop of checker.getPropertiesOfType(manifestTypes)) {
    const type = checker.getTypeOfSymbol(prop)
    if (checker.getPropertiesOfType(type).length === 0) {
      // An unresolved import comes back as an empty type: fail loudly rather
      // than accept every key.
      throw new Error(`the interface of ${prop.name} did not resolve (is the package installed?)`)
    }
    kinds.set(prop.name, type)
  }

  /** The object (non-array) and array members of a possibly optional union. */
  const members = (type: ts.Type): ts.Type[] => {
    const t = checker.getNonNullableType(type)
    return t.isUnion() ? t.types : [t]
  }

  const walk = (value: unknown, type: ts.Type, path: string, found: string[]): void => {
    if (value === null || typeof value !== 'object') return
    const candidates = members(type)
    if (Array.isArray(value)) {
      const arrays = candidates.filter((t) => checker.isArrayType(t) || checker.isTupleType(t))
      const element = arrays[0] && checker.getTypeArguments(arrays[0] as ts.TypeReference)[0]
      if (!element) return
      value.forEach((item, i) => {
        walk(item, element, `${path}[${i}]`, found)
      })
      return
    }
    const objects = candidates.filter(
      (t) => (t.flags & ts.TypeFlags.Object) !== 0 && !checker.isArrayType(t),
    )
    if (objects.length === 0) return // any / unknown / primitive: free-form here
    for (const [key, child] of Object.entries(value)) {
      const where = path ? `${path}.${key}` : key
      let childType: ts.Type | undefined
      for (const obj of objects) {
        const prop = checker.getPropertyOfType(obj, key)
        if (prop) {
          childType = checker.getTypeOfSymbol(prop)
          break
        }
        const index = checker.getIndexInfoOfType(obj, ts.IndexKind.String)
        if (index) {
          childType = index.type
          break
        }
      }
      if (!childType) {
        found.push(where)
        continue
      }
      walk(child, childType, where, found)
    }
  }

  return {
    kinds: [...kinds.keys()],
    unknownKeys(manifest) {
      const kind = `${String(manifest.apiVersion)}/${String(manifest.kind)}`
      const type = kinds.get(kind)
      if (!type) throw new Error(`no interface for ${kind}: add it to model-types.ts`)
      const found: string[] = []
      walk(manifest, type, '', found)
      return found
    },
  }
}
