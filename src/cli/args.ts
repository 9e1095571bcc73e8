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
      case '--lr':
        args.learningRates = value()
          .split(',')
          .map((s) => {
            const x = Number(s)
            if (s.trim() === '' || !Number.isFinite(x) || x <= 0) throw new UsageError(`--lr: "${s}" is not a learning rate > 0`)
            return x
          })
        break
      case '--epochs': {
        const s = value()
        const n = Number(s)
        if (!Number.isInteger(n) || n < 1) throw new UsageError(`--epochs: "${s}" is not a whole number ≥ 1`)
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
