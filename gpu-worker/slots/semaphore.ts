/**
 * @module
 * The GPU slot semaphore: at most `slots` holders per device across every
 * worker process on a node, kept in Redis as leases that the holder renews
 * while it works, so a holder that crashes frees its slot when its lease
 * runs out. The Lua scripts sit in `lua/`, one command per file.
 */
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { Redis } from 'ioredis'

const script = (name: string) => readFileSync(new URL(`./lua/${name}`, import.meta.url), 'utf8')
const SCRIPTS = {
  slotAcquire: { lua: script('acquire-1.lua'), numberOfKeys: 1 },
  slotRenew: { lua: script('renew-1.lua'), numberOfKeys: 1 },
  slotRelease: { lua: script('release-1.lua'), numberOfKeys: 1 },
} as const

type SlotCommands = Redis & {
  slotAcquire(key: string, token: string, slots: number, leaseMs: number): Promise<number>
  slotRenew(key: string, token: string, leaseMs: number): Promise<number>
  slotRelease(key: string, token: string): Promise<number>
}

/** Options of {@link SlotSemaphore}. */
export interface SlotSemaphoreOptions {
  /** Slots per device (`GPU_SLOTS`). */
  slots: number
  /** Device the slots belong to. @defaultValue `'0'` */
  device?: string
  /** Key prefix, so environments and tests do not share slots. @defaultValue `'gpu'` */
  prefix?: string
  /** Lease length; renewed every third of it. @defaultValue 15000 */
  leaseMs?: number
}

/** A held slot. */
export interface SlotLease {
  token: string
  /** Extends the lease; false when it was lost. */
  renew: () => Promise<boolean>
  release: () => Promise<void>
}

/** The Redis-backed slot semaphore of one device. */
export class SlotSemaphore {
  readonly key: string
  readonly slots: number
  readonly leaseMs: number
  readonly #redis: SlotCommands

  constructor(redis: Redis, options: SlotSemaphoreOptions) {
    if (!Number.isInteger(options.slots) || options.slots < 1)
      throw new Error('slots must be a whole number >= 1')
    const leaseMs = options.leaseMs ?? 15_000
    if (!(leaseMs >= 100)) throw new Error('leaseMs must be at least 100')
    for (const [name, { lua, numberOfKeys }] of Object.entries(SCRIPTS)) {
      if (!(name in redis)) redis.defineCommand(name, { lua, numberOfKeys })
    }
    this.#redis = redis as SlotCommands
    this.slots = options.slots
    this.leaseMs = leaseMs
    this.key = `${options.prefix ?? 'gpu'}:slots:${options.device ?? '0'}`
  }

  /** Takes a slot if one is free now; undefined when all are busy. */
  async tryAcquire(): Promise<SlotLease | undefined> {
    const token = randomUUID()
    const taken = await this.#redis.slotAcquire(this.key, token, this.slots, this.leaseMs)
    if (taken !== 1) return undefined
    return {
      token,
      renew: async () => (await this.#redis.slotRenew(this.key, token, this.leaseMs)) === 1,
      release: async () => {
        await this.#redis.slotRelease(this.key, token)
      },
    }
  }

  /** Holders right now (expired leases included until the next acquire drops them). */
  async holders(): Promise<number> {
    return this.#redis.zcard(this.key)
  }
}
