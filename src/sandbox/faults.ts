import { faultSpecSchema, type FaultSpec } from './scenario-types.js';

export type { FaultSpec };

export interface Fault extends FaultSpec {
  id: string;
  /** Matches left before the fault retires itself; null = forever. */
  remaining: number | null;
  hits: number;
}

export type Service = 'twilio' | 'retell' | 'signalwire' | 'vapi';

interface HoldGate { released: Promise<void>; open: () => void; held: Promise<void>; arrived: () => void }

/** "GET /twilio/.../*.json", "POST /vapi/phone-number": `*` matches within one path segment, `**` across segments. */
function compileMatch(match: string): { method: string | undefined; re: RegExp } {
  const m = /^(?:([A-Za-z]+|\*)\s+)?(\/\S*)$/.exec(match.trim());
  if (!m) throw new Error(`fault match must look like "GET /twilio/path/*" or "/retell/**", got ${JSON.stringify(match)}`);
  const method = m[1] && m[1] !== '*' ? m[1].toUpperCase() : undefined;
  const source = (m[2] as string)
    .split(/(\*\*|\*)/)
    .map((part) => (part === '**' ? '.*' : part === '*' ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return { method, re: new RegExp(`^${source}$`) };
}

/**
 * Injected failures for the emulated services (never the /__sandbox control endpoints). The first
 * fault that matches a request answers it; `times` counts down and retires the fault at zero.
 */
export class FaultController {
  private faults: (Fault & { test: (method: string, path: string, service: Service) => boolean })[] = [];
  private nextId = 1;
  /** Added to every emulated request (benchmarks). */
  latencyMs = 0;

  add(spec: FaultSpec): Fault {
    const parsed = faultSpecSchema.safeParse(spec);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`invalid fault: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
    }
    const s = parsed.data;
    if (s.status === undefined && !s.drop && s.latency_ms === undefined && !s.hold) {
      throw new Error('invalid fault: give at least one of status, drop, latency_ms or hold');
    }
    if (s.commit_after_ms !== undefined && s.status === undefined && !s.drop) {
      throw new Error('invalid fault: commit_after_ms needs status or drop (the answer the client gets instead)');
    }
    const matcher = s.match !== undefined ? compileMatch(s.match) : undefined;
    const test = (method: string, path: string, service: Service) =>
      (s.service === undefined || s.service === service) &&
      (matcher === undefined || ((matcher.method === undefined || matcher.method === method) && matcher.re.test(path)));
    const fault: Fault = { ...s, id: `f${this.nextId++}`, remaining: s.times ?? null, hits: 0 };
    this.faults.push({ ...fault, test });
    return fault;
  }

  list(): Fault[] {
    return this.faults.map(({ test: _test, ...f }) => ({ ...f }));
  }

  remove(id: string): boolean {
    const before = this.faults.length;
    this.faults = this.faults.filter((f) => f.id !== id);
    return this.faults.length < before;
  }

  clear(): void {
    this.faults = [];
    this.releaseAll();
  }

  private readonly holds = new Map<string, HoldGate>();

  private gate(id: string): HoldGate {
    let g = this.holds.get(id);
    if (!g) {
      let open = () => {};
      const released = new Promise<void>((resolve) => { open = resolve; });
      let arrived = () => {};
      const held = new Promise<void>((resolve) => { arrived = resolve; });
      g = { released, open, held, arrived };
      this.holds.set(id, g);
    }
    return g;
  }

  /** Waits (server side) until `release(id)`; tells `whenHeld(id)` that a request is waiting. */
  hold(id: string): Promise<void> {
    const g = this.gate(id);
    g.arrived();
    return g.released;
  }

  /** Resolves once a request matched by hold fault `id` has its answer ready and is waiting. */
  whenHeld(id: string): Promise<void> {
    return this.gate(id).held;
  }

  /** Sends the answers hold fault `id` keeps waiting, and every later one at once. */
  release(id: string): boolean {
    const g = this.holds.get(id);
    this.gate(id).open();
    return g !== undefined;
  }

  releaseAll(): void {
    for (const g of this.holds.values()) g.open();
  }

  setLatency(ms: number): void {
    if (!Number.isInteger(ms) || ms < 0) throw new Error('latency must be a non-negative integer of milliseconds');
    this.latencyMs = ms;
  }

  /** The fault that answers this request, consuming one of its `times`. */
  take(method: string, path: string, service: Service): Fault | undefined {
    const f = this.faults.find((x) => x.test(method, path, service));
    if (!f) return undefined;
    f.hits++;
    if (f.remaining !== null) {
      f.remaining--;
      if (f.remaining <= 0) this.faults = this.faults.filter((x) => x !== f);
    }
    const { test: _test, ...copy } = f;
    return copy;
  }
}
