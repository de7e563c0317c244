import { resolve } from 'node:path';
import { PinnedChild } from './rpc.js';
import { split } from './stats.js';

const GENERATOR = resolve(import.meta.dirname, '../gen/main.ts');
// BENCH_GENERATOR_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof-gen" profiles the generators.
const generatorArgs = () => [...(process.env.BENCH_GENERATOR_NODE_ARGS ?? '').split(' ').filter(Boolean), '--import', 'tsx', GENERATOR];

/** Several generator processes on the generator CPUs, each with its own 127.0.0.x source addresses. */
export class Generators {
  private constructor(
    readonly children: PinnedChild[],
    readonly addresses: string[][],
  ) {}

  /** Replaces generators that died (a crash must not take every later scenario with it). */
  revive(cpus: string, log: (line: string) => void): void {
    this.children.forEach((child, index) => {
      if (child.alive) return;
      log(`  ${child.name} had exited (${child.exitReason}); starting a new one`);
      this.children[index] = PinnedChild.start(`gen${index}`, cpus, generatorArgs());
    });
  }

  static async start(count: number, addressesEach: number, cpus: string): Promise<Generators> {
    const children = Array.from({ length: count }, (_, index) => PinnedChild.start(`gen${index}`, cpus, generatorArgs()));
    const addresses = children.map((_, index) => Array.from({ length: addressesEach }, (__, j) => `127.0.0.${10 + index * addressesEach + j}`));
    return new Generators(children, addresses);
  }

  /** Calls every generator at once; `args` may differ per generator. */
  all<T>(type: string, args: object | ((index: number) => object) = {}, timeoutMs?: number): Promise<T[]> {
    return Promise.all(this.children.map((child, index) => child.call<T>(type, typeof args === 'function' ? args(index) : args, timeoutMs)));
  }

  /** Shares `total` readers over the generators. */
  share(total: number): number[] {
    return split(total, this.children.length);
  }

  async stop(): Promise<void> {
    await Promise.all(this.children.map((child) => child.stop()));
  }
}
