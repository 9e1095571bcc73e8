import { LIMITS } from '../shared/limits'

/** An argument as a message quotes it: at most 40 characters. */
const shown = (s: string): string => (s.length > 40 ? `${s.slice(0, 40)}…` : s)

/** Parses `train [file] [--lr a,b] [--epochs N] [--csv F] [--json F] [--xlsx F]`; throws a one-line message. */
export interface TrainArgs {
  file: string | null
  learningRates: number[] | null
  epochs: number | null
  csv: string | null
  json: string | null
  xlsx: string | null
}

export class UsageError extends Error {}

// Decimal only: Number() would also take "0x10" (16), "0b1", " 1 " and "Infinity".
const DECIMAL = /^[+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/
const WHOLE = /^[+]?\d+$/

export const USAGE = 'usage: backprop-lab train [experiment.bplab|.json] [--lr 0.1,0.2,0.5] [--epochs N] [--csv out.csv] [--json out.json] [--xlsx out.xlsx]'

export function parseArgs(argv: string[]): TrainArgs {
  const [command, ...rest] = argv
  if (command !== 'train') throw new UsageError(command ? `unknown command "${command}"; ${USAGE}` : USAGE)
  const args: TrainArgs = { file: null, learningRates: null, epochs: null, csv: null, json: null, xlsx: null }
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]
    const value = (): string => {
      const v = rest[++i]
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${arg} needs a value`)
      return v
    }
    switch (arg) {
      case '--lr': {
        const rates = value().split(',')
        if (rates.length > LIMITS.maxLearningRates)
          throw new UsageError(`--lr: ${rates.length} learning rates; at most ${LIMITS.maxLearningRates} (one run each)`)
        args.learningRates = rates.map((s) => {
          const x = Number(s)
          if (!DECIMAL.test(s) || !Number.isFinite(x) || x <= 0) throw new UsageError(`--lr: "${shown(s)}" is not a learning rate > 0`)
          return x
        })
        break
      }
      case '--epochs': {
        const s = value()
        const n = Number(s)
        if (!WHOLE.test(s) || n < 1 || n > LIMITS.maxEpochs)
          throw new UsageError(`--epochs: "${shown(s)}" is not a whole number from 1 to ${LIMITS.maxEpochs}`)
        args.epochs = n
        break
      }
      case '--csv':
      case '--json':
      case '--xlsx':
        args[arg.slice(2) as 'csv' | 'json' | 'xlsx'] = value()
        break
      default:
        if (arg.startsWith('--')) throw new UsageError(`unknown option ${arg}; ${USAGE}`)
        if (args.file) throw new UsageError(`only one experiment file, got "${args.file}" and "${arg}"`)
        args.file = arg
    }
  }
  return args
}
