/**
 * A token bucket per datapath for the packet-ins the controller answers with ICMP errors:
 * `burst` tokens at most, refilled at `rate` per second; a packet-in that finds the bucket
 * empty is dropped before any decoding. The clock is injected so tests count tokens, not time.
 */
import type { DatapathId } from '../../openflow/protocol';

export interface PacketInLimits {
  /** Tokens added per second (0: none after the first `burst`). */
  readonly rate: number;
  /** Bucket size: packet-ins answered back to back after a quiet period. */
  readonly burst: number;
}

export class PacketInLimitError extends Error {
  override readonly name = 'PacketInLimitError';
  constructor(
    readonly key: 'rate' | 'burst',
    readonly value: number,
  ) {
    super(`L3 packet-in limiter: ${key} ${value} must be a finite number ≥ 0`);
  }
}

interface Bucket {
  tokens: number;
  /** Clock reading (ms) of the last refill. */
  at: number;
}

export class PacketInLimiter {
  private readonly buckets = new Map<DatapathId, Bucket>();

  constructor(
    private readonly limits: PacketInLimits,
    /** Milliseconds, monotonic (performance.now in the module). */
    private readonly now: () => number,
  ) {
    for (const key of ['rate', 'burst'] as const) {
      const v = limits[key];
      if (!Number.isFinite(v) || v < 0) throw new PacketInLimitError(key, v);
    }
  }

  /** Takes a token for `datapathId`: true when the packet-in may be answered. */
  take(datapathId: DatapathId): boolean {
    const t = this.now();
    let b = this.buckets.get(datapathId);
    if (b === undefined) {
      b = { tokens: this.limits.burst, at: t };
      this.buckets.set(datapathId, b);
    } else if (t > b.at) {
      b.tokens = Math.min(this.limits.burst, b.tokens + ((t - b.at) * this.limits.rate) / 1000);
      b.at = t;
    }
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  /** A switch that left: its bucket goes (it starts full if it comes back). */
  forget(datapathId: DatapathId): void {
    this.buckets.delete(datapathId);
  }
}
