/**
 * Figures of interleaved rounds, shared by the benches: `rounds[r][i]` is contender i's speed in
 * round r (each bench takes its own clock). Interleaving makes a burst of load on this shared
 * machine hit every contender alike; ratios taken within a round cancel it.
 */

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

/** Best speed of each contender over the rounds. */
export function best(rounds: number[][]): number[] {
  return rounds[0].map((_, i) => Math.max(...rounds.map((round) => round[i])))
}

/** The median over rounds of contender i's speed over contender j's, both measured in that round. */
export const ratio = (rounds: number[][], i: number, j: number): number => median(rounds.map((round) => round[i] / round[j]))
