import { Worker } from 'node:worker_threads'
import type { ChunkAllocator } from '../shared/engine/epoch-table'

/**
 * Table chunks whose memory a helper thread has already touched.
 *
 * The first write to fresh memory makes the kernel map a zeroed page for every 4 KB; on the
 * virtual machines measured here that costs ~5 µs a page, so a recorded 2-2-2 epoch (31 doubles,
 * 248 bytes) paid more for its page faults than for its arithmetic. Here a helper thread writes one
 * byte of every page of the next chunks (SharedArrayBuffers, zero-filled, so the byte it writes is
 * the 0 already there) while the trainer fills the current one: the faults are taken on another
 * core. The trainer never waits: when the next chunk is not ready yet it gets a plain one.
 * A chunk is handed out only after the helper has said it is done with it (an Atomics flag), so the
 * two threads never write the same memory.
 */
const HELPER = `
const { parentPort } = require('node:worker_threads')
parentPort.on('message', ({ buffer, done }) => {
  const bytes = new Uint8Array(buffer)
  for (let i = 0; i < bytes.length; i += 4096) bytes[i] = 0
  Atomics.store(done, 0, 1)
})`

export class PrefaultedChunks {
  private readonly helper = new Worker(HELPER, { eval: true })
  private queue: { chunk: Float64Array; done: Int32Array }[] = []
  /** Chunks handed out already touched, and those the helper had not finished in time. */
  readonly counts = { ready: 0, late: 0 }

  /** `ahead`: chunks kept in preparation (each ~4 MB). */
  constructor(private readonly ahead = 2) {
    this.helper.unref() // never keeps the process alive
  }

  readonly allocate: ChunkAllocator = (length) => {
    if (this.queue.length && this.queue[0].chunk.length !== length) this.queue = []
    while (this.queue.length < this.ahead) this.prepare(length)
    const next = this.queue[0]
    if (Atomics.load(next.done, 0) !== 1) {
      this.counts.late++
      return new Float64Array(length)
    }
    this.queue.shift()
    this.prepare(length)
    this.counts.ready++
    return next.chunk
  }

  /** Ends the helper and drops the chunks prepared but not used. */
  close(): Promise<number> {
    this.queue = []
    return this.helper.terminate()
  }

  private prepare(length: number): void {
    const buffer = new SharedArrayBuffer(length * Float64Array.BYTES_PER_ELEMENT)
    const done = new Int32Array(new SharedArrayBuffer(4))
    this.helper.postMessage({ buffer, done })
    this.queue.push({ chunk: new Float64Array(buffer), done })
  }
}
