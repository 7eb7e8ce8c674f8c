/**
 * Runs async jobs one at a time, in call order. viperflow's writes on one node go through
 * one queue: they touch the same set and map keys, and optimistic transactions racing on
 * those keys inside one process would only burn retries. Nodes still race each other;
 * ObjectDB's version checks settle that.
 */
export class SerialQueue {
  private tail: Promise<void> = Promise.resolve();

  run<R>(job: () => Promise<R>): Promise<R> {
    const result = this.tail.then(job);
    // The tail holds no result: a large answer (a 1,000-port batch) is not kept alive.
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
