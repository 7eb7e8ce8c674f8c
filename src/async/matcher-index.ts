/**
 * An index from matchers to the things waiting on them (a trie keyed by event type, then by
 * each successive index value). Looking up an event walks one path of the trie, so the cost
 * is the index depth plus the number of matchers that really match — not the number of
 * matchers registered.
 */
import type { Event, IndexValue, Matcher } from './event';
import { eventTypeInfo } from './event';

interface Node<W> {
  readonly entries: Set<Entry<W>>;
  children: Map<IndexValue, Node<W>> | undefined;
}

export interface Entry<W> {
  readonly matcher: Matcher;
  readonly value: W;
  /** False once removed, so a delivery already in progress can skip it. */
  live: boolean;
}

function newNode<W>(): Node<W> {
  return { entries: new Set(), children: undefined };
}

export class MatcherIndex<W> {
  private readonly roots = new Map<string, Node<W>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(matcher: Matcher, value: W): Entry<W> {
    let node = this.roots.get(matcher.type);
    if (node === undefined) {
      node = newNode();
      this.roots.set(matcher.type, node);
    }
    for (const v of matcher.key) {
      node.children ??= new Map();
      let child = node.children.get(v);
      if (child === undefined) {
        child = newNode();
        node.children.set(v, child);
      }
      node = child;
    }
    const entry: Entry<W> = { matcher, value, live: true };
    node.entries.add(entry);
    this.count++;
    return entry;
  }

  /** Removes an entry; prunes the nodes it leaves empty. Removing twice is harmless. */
  remove(entry: Entry<W>): void {
    const root = this.roots.get(entry.matcher.type);
    if (root === undefined) return;
    const path: Node<W>[] = [root];
    let node = root;
    for (const v of entry.matcher.key) {
      const child = node.children?.get(v);
      if (child === undefined) return;
      path.push(child);
      node = child;
    }
    if (!node.entries.delete(entry)) return;
    entry.live = false;
    this.count--;
    for (let depth = path.length - 1; depth >= 0; depth--) {
      const n = path[depth]!;
      if (n.entries.size > 0 || (n.children !== undefined && n.children.size > 0)) break;
      if (depth === 0) this.roots.delete(entry.matcher.type);
      else path[depth - 1]!.children!.delete(entry.matcher.key[depth - 1]);
    }
  }

  /** Every entry whose matcher matches `event`, in no particular order. */
  lookup(event: Event, out: Entry<W>[] = []): Entry<W>[] {
    const root = this.roots.get(event.type);
    if (root === undefined) return out;
    let node: Node<W> = root;
    collect(node, event, out);
    const index = eventTypeInfo(event.type)?.index;
    if (index === undefined) return out;
    const rec = event as unknown as Readonly<Record<string, IndexValue>>;
    for (let i = 0; i < index.length; i++) {
      const child: Node<W> | undefined = node.children?.get(rec[index[i]!]);
      if (child === undefined) break;
      node = child;
      collect(node, event, out);
    }
    return out;
  }
}

function collect<W>(node: Node<W>, event: Event, out: Entry<W>[]): void {
  if (node.entries.size === 0) return;
  for (const entry of node.entries) {
    const test = entry.matcher.test;
    if (test === undefined || test(event)) out.push(entry);
  }
}
