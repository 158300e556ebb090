import { BeforeApplicationShutdown, Injectable, OnModuleInit } from '@nestjs/common';
import { SignalBus } from '../signals/signal-bus';

/**
 * Without a signal, a waiting read looks again this often: a `command.finished` notification
 * lost while the listen connection was down delays the answer by at most this long.
 */
export const WAIT_RECHECK_MS = 5_000;

/** Reads waiting for a command to finish (`GET /commands/{id}?wait_s=`), woken by `command.finished` from any instance. */
@Injectable()
export class CommandWaits implements OnModuleInit, BeforeApplicationShutdown {
  private readonly waiting = new Map<string, Set<() => void>>();
  /** The instance is stopping: reads answer with what they have instead of waiting on. */
  stopping = false;

  constructor(private readonly bus: SignalBus) {}

  onModuleInit(): void {
    this.bus.subscribe((signal) => {
      if (signal.type === 'command.finished') this.wake(signal.commandId);
    });
    // Signals were missed while the listen connection was down: every waiting read looks again.
    this.bus.onResync(async () => {
      for (const id of [...this.waiting.keys()]) this.wake(id);
    });
  }

  /** A stopping instance answers every waiting read now, with the command as it is, before it closes the database. */
  beforeApplicationShutdown(): void {
    this.stopping = true;
    for (const id of [...this.waiting.keys()]) this.wake(id);
  }

  /** Resolves when the command may have finished, or after `ms` (at most WAIT_RECHECK_MS): the caller reads it again. */
  next(commandId: string, ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        const set = this.waiting.get(commandId);
        set?.delete(done);
        if (set?.size === 0) this.waiting.delete(commandId);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, Math.min(ms, WAIT_RECHECK_MS)));
      let set = this.waiting.get(commandId);
      if (!set) this.waiting.set(commandId, (set = new Set()));
      set.add(done);
    });
  }

  private wake(commandId: string): void {
    for (const done of [...(this.waiting.get(commandId) ?? [])]) done();
  }
}
