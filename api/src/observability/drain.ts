/**
 * A process's lifecycle as one union: serving → draining (SIGTERM received: readiness is false,
 * no new sessions, existing ones are moved elsewhere) → stopped. Readiness, the HTTP gate and the
 * metrics all read this one value, so they cannot disagree.
 */
export type TDrainState =
  | { state: 'serving' }
  | { state: 'draining'; since: number; reason: string }
  | { state: 'stopped'; since: number };

export class DrainState {
  #value: TDrainState = { state: 'serving' };
  #listeners = new Set<(value: TDrainState) => void>();

  get value(): TDrainState {
    return this.#value;
  }

  get isServing(): boolean {
    return this.#value.state === 'serving';
  }

  /** Enters draining; returns false when already draining or stopped (a second SIGTERM). */
  begin(reason: string): boolean {
    if (this.#value.state !== 'serving') return false;
    this.#set({ state: 'draining', since: Date.now(), reason });
    return true;
  }

  stop(): void {
    if (this.#value.state === 'stopped') return;
    this.#set({ state: 'stopped', since: Date.now() });
  }

  onChange(listener: (value: TDrainState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #set(value: TDrainState) {
    this.#value = value;
    for (const listener of this.#listeners) listener(value);
  }
}
