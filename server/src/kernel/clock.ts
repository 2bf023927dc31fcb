// The source of "now". Tests and the SLA worker can swap it; everything else reads time through it.
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A settable clock for tests and simulations. */
export class ManualClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current.getTime());
  }
  set(at: Date): void {
    this.current = new Date(at.getTime());
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export const iso = (d: Date): string => d.toISOString();

/** A clock whose source can be swapped at run time (the demo seeder replays the past through it). */
export class SwitchableClock implements Clock {
  constructor(public source: Clock = systemClock) {}
  now(): Date {
    return this.source.now();
  }
}
