/** A TypeScript child process (forked with ts-node) driven by commands and typed replies over IPC. */
import { ChildProcess, fork } from 'node:child_process';

export class IpcChild<Command, Reply extends { type: string }> {
  private readonly queues = new Map<string, ((r: Reply) => void)[]>();

  constructor(readonly child: ChildProcess) {
    child.on('message', (m: Reply) => this.queues.get(m.type)?.shift()?.(m));
  }

  static fork<C, R extends { type: string }>(script: string): IpcChild<C, R> {
    return new IpcChild<C, R>(
      fork(script, [], { execArgv: ['-r', 'ts-node/register/transpile-only'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
    );
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Sends `command` and resolves with the next reply of `replyType`. */
  ask<T extends Reply['type']>(command: Command, replyType: T, timeoutMs = 300_000): Promise<Extract<Reply, { type: T }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`child ${this.child.pid}: no ${replyType} reply within ${timeoutMs} ms`)), timeoutMs);
      const list = this.queues.get(replyType) ?? [];
      list.push((r) => {
        clearTimeout(timer);
        resolve(r as Extract<Reply, { type: T }>);
      });
      this.queues.set(replyType, list);
      this.child.send(command as object);
    });
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}
