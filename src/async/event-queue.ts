/**
 * A queue of events by priority: lower priority numbers come out first, events of equal
 * priority in the order they were put in. Priorities are few (a handful of levels), so each
 * level is a FIFO ring and the levels are kept sorted.
 */
import type { Event } from './event';

class Fifo {
  private items: (Event | undefined)[] = new Array(64);
  private head = 0;
  private tail = 0;
  private mask = 63;

  get length(): number {
    return (this.tail - this.head) & this.mask;
  }

  push(e: Event): void {
    this.items[this.tail] = e;
    this.tail = (this.tail + 1) & this.mask;
    if (this.tail === this.head) this.grow();
  }

  shift(): Event | undefined {
    if (this.head === this.tail) return undefined;
    const e = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) & this.mask;
    return e;
  }

  private grow(): void {
    const old = this.items;
    const n = old.length;
    // The ring is full: head === tail. Unroll it into a buffer twice the size.
    const next: (Event | undefined)[] = new Array(n * 2);
    for (let i = 0; i < n; i++) next[i] = old[(this.head + i) & this.mask];
    this.items = next;
    this.head = 0;
    this.tail = n;
    this.mask = n * 2 - 1;
  }
}

export class EventQueue {
  private readonly levels: { priority: number; fifo: Fifo }[] = [];
  private count = 0;

  get length(): number {
    return this.count;
  }

  push(event: Event, priority: number): void {
    let level = this.levels.find((l) => l.priority === priority);
    if (level === undefined) {
      level = { priority, fifo: new Fifo() };
      this.levels.push(level);
      this.levels.sort((a, b) => a.priority - b.priority);
    }
    level.fifo.push(event);
    this.count++;
  }

  shift(): Event | undefined {
    if (this.count === 0) return undefined;
    for (const level of this.levels) {
      const e = level.fifo.shift();
      if (e !== undefined) {
        this.count--;
        return e;
      }
    }
    return undefined;
  }
}
