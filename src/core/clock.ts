/** The Clock port: the only way domain code learns the time. Milliseconds since the Unix epoch. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = Object.freeze({ now: () => Date.now() });

/** A clock tests and the simulator move by hand. */
export class ManualClock implements Clock {
  #now: number;
  constructor(startMs = Date.UTC(2026, 0, 1)) {
    this.#now = startMs;
  }
  now(): number {
    return this.#now;
  }
  set(ms: number): void {
    this.#now = ms;
  }
  advance(ms: number): void {
    this.#now += ms;
  }
}

/**
 * The calendar year at `ms` in Beijing and Hong Kong time (UTC+8 all year: neither keeps daylight saving). P24's
 * annual counts run "since 1 January" there, and so do the subsidy programmes' yearly caps.
 */
export function calendarYearAt(ms: number): number {
  return new Date(ms + 8 * 3_600_000).getUTCFullYear();
}
