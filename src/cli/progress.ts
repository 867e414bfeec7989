/**
 * Progress for work that may take a while: a line on stderr, only on a terminal, and only once the
 * work has taken over a second (quick commands stay quiet; logs and pipes never get control codes).
 */
export interface Progress {
  update(phase: string, done?: number, total?: number): void;
  stop(): void;
}

export function progress(command: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  const tty = stream.isTTY === true;
  const started = Date.now();
  let phase = "working";
  let detail = "";
  let shown = false;
  const draw = () => {
    const s = ((Date.now() - started) / 1000).toFixed(0);
    stream.write(`\r\x1b[K${command}: ${phase}${detail} (${s} s)`);
    shown = true;
  };
  const timer = tty
    ? setInterval(() => {
        if (Date.now() - started >= 1000) draw();
      }, 250)
    : undefined;
  timer?.unref();
  return {
    update(p, done, total) {
      phase = p;
      detail = total ? ` ${done ?? 0}/${total}` : done !== undefined ? ` ${done}%` : "";
      // CPU-bound work may keep the timer from firing: each step redraws once a second has passed.
      if (tty && Date.now() - started >= 1000) draw();
    },
    stop() {
      if (timer) clearInterval(timer);
      if (shown) stream.write("\r\x1b[K");
    },
  };
}
