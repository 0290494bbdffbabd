import { expect, vi } from "vitest";
import type { TConnectionSignal } from "@/lib/events/connection-change";
import { subscribeConnectionChanges } from "@/lib/events/service/listener";

// Records what a subscriber hears, for tests of the change events.

export type TEventRecorder = { signals: TConnectionSignal[]; changesOf(uuid: string): string[]; waitFor(pred: (s: TConnectionSignal[]) => boolean): Promise<void>; stop(): void };

export async function recordEvents(): Promise<TEventRecorder> {
  const signals: TConnectionSignal[] = [];
  const stop = await subscribeConnectionChanges((s) => signals.push(s));
  return {
    signals,
    changesOf: (uuid) => signals.flatMap((s) => (s.type === "change" && s.change.uuid === uuid ? [s.change.status] : [])),
    waitFor: (pred) => vi.waitFor(() => expect(pred(signals)).toBe(true), { timeout: 15_000, interval: 20 }),
    stop,
  };
}
